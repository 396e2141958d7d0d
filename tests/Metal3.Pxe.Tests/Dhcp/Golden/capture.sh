#!/bin/bash
# Re-captures the golden DHCP packets (run as root; needs tcpdump, tshark, dnsmasq-base, busybox-static,
# isc-dhcp-client, qemu-system-x86, ipxe-qemu, ovmf). Everything runs in a private network namespace on
# 198.18.0.0/24; dnsmasq is the stand-in server so that clients go on to REQUEST and we also get OFFER/ACK bytes.
# Writes <client>.pcap into $OUT and prints one hex line per DHCP packet.
set -euo pipefail
NS=pxecap; OUT=${OUT:-/var/tmp/pxecap}; mkdir -p "$OUT"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; ip netns del $NS 2>/dev/null || true; ip netns del ${NS}-c 2>/dev/null || true; }
trap cleanup EXIT
ip netns add $NS; ip netns add ${NS}-c
ip -n $NS link set lo up
ip -n $NS link add br0 type bridge stp_state 0 forward_delay 0
ip -n $NS addr add 198.18.0.1/24 dev br0; ip -n $NS link set br0 up
ip -n $NS tuntap add dev tap0 mode tap; ip -n $NS link set tap0 master br0 up
ip -n $NS link add veth0 type veth peer name eth0 netns ${NS}-c
ip -n $NS link set veth0 master br0 up; ip -n ${NS}-c link set lo up; ip -n ${NS}-c link set eth0 address 52:54:00:00:00:31 up
cat > "$OUT/dnsmasq.conf" <<S
port=0
interface=br0
bind-interfaces
dhcp-range=198.18.0.100,198.18.0.199,255.255.255.0,1h
dhcp-leasefile=$OUT/leases
dhcp-authoritative
no-ping
dhcp-boot=undionly.kpxe,,198.18.0.1
S
: > "$OUT/leases"
ip netns exec $NS dnsmasq --conf-file="$OUT/dnsmasq.conf" --pid-file="$OUT/dnsmasq.pid" --log-facility="$OUT/dnsmasq.log"
pids+=("$(cat "$OUT/dnsmasq.pid")")
cap() { # name, then the client command (run in background), seconds
  local name=$1 secs=$2; shift 2
  ip netns exec $NS tcpdump -U -i br0 -w "$OUT/$name.pcap" 'udp port 67 or udp port 68' >/dev/null 2>&1 & local tp=$!; pids+=($tp)
  sleep 1
  "$@" & local cp=$!; pids+=($cp)
  sleep "$secs"; kill $cp 2>/dev/null || true; wait $cp 2>/dev/null || true
  kill $tp; wait $tp 2>/dev/null || true
  echo "== $name"; tshark -r "$OUT/$name.pcap" -T fields -e udp.payload 2>/dev/null
}
cap udhcpc 4 ip netns exec ${NS}-c busybox udhcpc -f -q -i eth0 -s /bin/true
ip -n ${NS}-c addr flush dev eth0
cap dhclient 5 ip netns exec ${NS}-c dhclient -d -1 -sf /bin/true -lf "$OUT/dhclient.leases" -pf "$OUT/dhclient.pid" eth0
Q=(qemu-system-x86_64 -machine q35,accel=tcg -cpu max -m 256 -smp 1 -display none -nodefaults -no-user-config -monitor none
   -netdev tap,id=n0,ifname=tap0,script=no,downscript=no)
cap ipxe-bios 25 ip netns exec $NS "${Q[@]}" -uuid 11111111-2222-3333-4444-555555555555 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:10,bootindex=1
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$OUT/vars.fd"
cap ipxe-uefi 35 ip netns exec $NS "${Q[@]}" -uuid 11111111-2222-3333-4444-666666666666 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:11,bootindex=1 \
  -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive if=pflash,format=raw,file="$OUT/vars.fd"
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$OUT/vars.fd"
cap ovmf-pxe 40 ip netns exec $NS "${Q[@]}" -uuid 11111111-2222-3333-4444-777777777777 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:12,bootindex=1,romfile= \
  -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive if=pflash,format=raw,file="$OUT/vars.fd"
