#!/bin/bash
# The end-to-end lab by hand (as root, from the repository root), the same one tests/Metal3.E2E starts:
#   tests/Metal3.E2E/lab/lab.sh up       network namespace metal3lab (bridge br0 198.18.0.1/24), two machines behind
#                                        ipmi_sim BMCs (bios-0 on 127.0.0.1:6230, uefi-0 on :6231), the image and the
#                                        agent ramdisk built, and the daemon inside the namespace with DHCP (full
#                                        mode), TFTP and the provisioning listener on br0; its API on a Unix socket
#   tests/Metal3.E2E/lab/lab.sh down     stops everything it started (by PID) and deletes the namespace
# Everything lives in $LAB (default /var/tmp/metal3-lab). Nothing touches this machine's own interfaces: DHCP runs
# only inside the namespace.
set -euo pipefail
LAB=${LAB:-/var/tmp/metal3-lab}; NS=${NS:-metal3lab}
HERE=$(dirname "$(readlink -f "$0")"); REPO=$(readlink -f "$HERE/../../..")
API="curl -s --unix-socket $LAB/daemon/api.sock -H @$LAB/auth.header"

down() {
  for f in "$LAB"/*/qemu.pid "$LAB"/run/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
  ip netns del "$NS" 2>/dev/null && echo "deleted namespace $NS" || true
}

machine() { # name mac firmware bmc-port
  local d=$LAB/$1; mkdir -p "$d/state"; truncate -s 4G "$d/disk.raw"
  [ "$3" = uefi ] && cp /usr/share/OVMF/OVMF_VARS_4M.fd "$d/vars.fd"
  printf 'NS=%s\nTAP=%s\nMAC=%s\nFW=%s\nDISK=%s\nMEM=1024\nCPUS=1\nUUID=%s\n' "$NS" "tap-$1" "$2" "$3" "$d/disk.raw" \
    "$(cat /proc/sys/kernel/random/uuid)" > "$d/vm.env"
  ip -n "$NS" tuntap add dev "tap-$1" mode tap; ip -n "$NS" link set "tap-$1" master br0 up
  cat > "$d/lan.conf" <<C
name "$1"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $4
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid $(cat /proc/sys/kernel/random/uuid | tr -d -)
  endlan
  chassis_control "$HERE/vm-chassis.sh $d"
  user 2 true  "admin" "password" admin 10 none md2 md5 straight
C
  printf 'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\nsel_enable 0x20 1000 0x0a\nmc_enable 0x20\n' > "$d/bmc.emu"
  ip netns exec "$NS" ipmi_sim -c "$d/lan.conf" -f "$d/bmc.emu" -s "$d/state" -n > "$d/ipmi_sim.log" 2>&1 &
  echo $! > "$LAB/run/bmc-$1.pid"
}

up() {
  mkdir -p "$LAB/run" "$LAB/images" "$LAB/daemon"
  [ -f "$LAB/images/disk.raw.zst" ] || "$HERE/build-disk-image.sh" "$LAB/images"
  [ -f "$LAB/ramdisk/initramfs" ] || "$REPO/Metal3.Agent/ramdisk/build.sh" "$LAB/ramdisk"
  dotnet build "$REPO/Metal3.Server" -c Release -v q --nologo
  ip netns add "$NS"; ip -n "$NS" link set lo up
  ip -n "$NS" link add br0 type bridge stp_state 0 forward_delay 0
  ip -n "$NS" addr add 198.18.0.1/24 dev br0; ip -n "$NS" link set br0 up
  machine bios-0 52:54:00:e2:e0:10 bios 6230
  machine uefi-0 52:54:00:e2:e0:11 uefi 6231
  ip netns exec "$NS" dotnet "$REPO/Metal3.Server/bin/Release/net10.0/Metal3.Server.dll" \
    --urls "http://unix:$LAB/daemon/api.sock" --Metal3:DataDir "$LAB/daemon" \
    --Metal3:Pxe:Interface br0 --Metal3:Pxe:Address 198.18.0.1 --Metal3:Pxe:HttpUrl http://198.18.0.1:8080 \
    --Metal3:Pxe:Dhcp:Mode full --Metal3:Pxe:Dhcp:RangeStart 198.18.0.100 --Metal3:Pxe:Dhcp:RangeEnd 198.18.0.199 \
    --Metal3:Pxe:Dhcp:SubnetMask 255.255.255.0 --Metal3:Pxe:AgentKernel "$LAB/ramdisk/vmlinuz" \
    --Metal3:Pxe:AgentInitramfs "$LAB/ramdisk/initramfs" --Metal3:Pxe:AgentKernelArgs console=ttyS0 \
    --Metal3:Pxe:ImagesDir "$LAB/images" --Metal3:Agent:Enabled true > "$LAB/daemon/daemon.log" 2>&1 &
  echo $! > "$LAB/run/daemon.pid"
  for _ in $(seq 60); do [ -f "$LAB/daemon/admin.token" ] && [ -S "$LAB/daemon/api.sock" ] && break; sleep 1; done
  echo "Authorization: Bearer $(cat "$LAB/daemon/admin.token")" > "$LAB/auth.header"
  cat <<T
Lab up. The API, from this shell:  API="$API"
  \$API http://lab/api/v1/hosts
  \$API http://lab/api/v1/hosts -H 'Content-Type: application/json' -d '{"name":"bios-0","bootMacAddress":"52:54:00:e2:e0:10",
       "bootMode":"legacy","online":true,"bmc":{"address":"ipmi://127.0.0.1:6230","username":"admin","password":"password"}}'
  \$API -X PATCH http://lab/api/v1/hosts/bios-0 -H 'Content-Type: application/merge-patch+json' -d '{"image":
       {"url":"http://198.18.0.1:8080/images/disk.raw.zst","checksum":"$(cut -d' ' -f1 "$LAB/images/disk.raw.zst.sha256")","format":"raw.zst"}}'
  \$API http://lab/api/v1/hosts/bios-0/events
Serial consoles: $LAB/bios-0/serial.log, $LAB/uefi-0/serial.log; daemon log: $LAB/daemon/daemon.log
T
}

case ${1:-} in
up) up;;
down) down;;
*) echo "usage: $0 up|down" >&2; exit 2;;
esac
