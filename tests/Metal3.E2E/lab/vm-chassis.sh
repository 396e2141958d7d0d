#!/bin/sh
# ipmi_sim's chassis_control hook for one lab machine: the BMC's power and boot-device commands start and stop a real
# QEMU process. ipmi_sim runs "HOOK get power|boot" (answer "power:0|1", "boot:…") and "HOOK set power 0|1",
# "set reset 1", "set boot pxe|default|none|… (default = the hard drive)"; anything but exit 0 is an IPMI error.
#   lan.conf: chassis_control "/path/vm-chassis.sh VMDIR"
# VMDIR/vm.env: NS TAP MAC FW(bios|uefi) DISK MEM UUID. Power state is "the QEMU whose pid is in VMDIR/qemu.pid is
# alive". Every call is logged to VMDIR/chassis.log with a timestamp, so a test can tell what the daemon asked for.
D=$1; shift
. "$D/vm.env"
echo "$(date +%H:%M:%S.%N | cut -c1-12) $*" >> "$D/chassis.log"
case $1 in get|set) ;; *) shift;; esac
alive() { [ -f "$D/qemu.pid" ] && kill -0 "$(cat "$D/qemu.pid")" 2>/dev/null; }
start() {
  alive && return 0
  # Network first (a machine on a provisioning network), unless the BMC was told to boot the disk: IPMI's "force boot
  # from the default hard drive" reaches the hook as "default".
  case "$(cat "$D/boot" 2>/dev/null)" in default|disk) NET=2 HD=1;; *) NET=1 HD=2;; esac
  set -- -name "$(basename "$D")" -uuid "$UUID" -machine q35,accel=tcg -cpu max -m "${MEM:-1024}" -smp "${CPUS:-1}" \
    -display none -nodefaults -no-user-config -monitor none -serial "file:$D/serial.log" \
    -netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no" -device "virtio-net-pci,netdev=n0,mac=$MAC,bootindex=$NET" \
    -drive "file=$DISK,if=none,id=d0,format=raw" -device "virtio-blk-pci,drive=d0,bootindex=$HD" \
    -pidfile "$D/qemu.pid" -daemonize
  if [ "$FW" = uefi ]; then
    # No iPXE option ROM: OVMF's own PXE takes the whole chain (DHCP, TFTP snponly.efi, then iPXE), as on a server.
    set -- "$@" -global virtio-net-pci.romfile= -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive "if=pflash,format=raw,file=$D/vars.fd"
  fi
  echo "$(date +%H:%M:%S.%N | cut -c1-12) qemu start (boot index net=$NET disk=$HD)" >> "$D/serial.log.marks"
  ip netns exec "$NS" qemu-system-x86_64 "$@" >> "$D/qemu.log" 2>&1
}
stop() {
  alive && kill "$(cat "$D/qemu.pid")"
  i=0; while alive && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
  rm -f "$D/qemu.pid"
}
op=$1; shift
case $op in
get) for p in "$@"; do case $p in
       power) if alive; then echo power:1; else echo power:0; fi;;
       boot)  echo "boot:$(cat "$D/boot" 2>/dev/null || echo none)";;
     esac; done;;
set) while [ $# -ge 2 ]; do case $1 in
       power) if [ "$2" = 1 ]; then start; else stop; fi;;
       reset) stop; start;;
       boot)  echo "$2" > "$D/boot";;
     esac; shift 2; done;;
esac
exit 0
