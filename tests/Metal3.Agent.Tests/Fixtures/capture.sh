#!/bin/sh
# Copies the parts of /proc and /sys the agent's inspection reads into a fixture tree: capture.sh OUTDIR
# POSIX sh + coreutils/busybox only, so it also runs inside the agent ramdisk (QEMU fixtures).
# Symlinks the inspection follows (sys/block/X -> ../devices/...) are kept as links into a copied devices subtree.
set -eu
out=$1; mkdir -p "$out/proc/sys/kernel" "$out/sys/block" "$out/sys/class/net" "$out/sys/class/dmi/id"
cp /proc/cpuinfo /proc/meminfo "$out/proc/"
[ -f /proc/sys/kernel/arch ] && cp /proc/sys/kernel/arch "$out/proc/sys/kernel/"
copy() { [ -f "$1" ] && { mkdir -p "$(dirname "$2")"; cat "$1" > "$2" 2>/dev/null || rm -f "$2"; }; return 0; }
for b in /sys/block/*; do
  name=${b##*/}
  [ -e "$b/device" ] || continue
  case $name in loop*|ram*|zram*|dm-*|md*|sr*|fd*|nbd*) continue;; esac
  link=$(readlink "$b"); real="$out/sys/block/$link"
  mkdir -p "$real"; ln -sfn "$link" "$out/sys/block/$name"
  for f in size serial wwid removable ro queue/rotational queue/logical_block_size; do copy "$b/$f" "$real/$f"; done
  for f in model vendor serial wwid rev uevent vpd_pg80; do copy "$b/device/$f" "$real/device/$f"; done
  if [ -d "$b/device/scsi_device" ]; then for h in "$b/device/scsi_device"/*; do mkdir -p "$real/device/scsi_device/${h##*/}"; touch "$real/device/scsi_device/${h##*/}/.keep"; done; fi
  for p in "$b/$name"*; do [ -f "$p/start" ] && { copy "$p/start" "$real/${p##*/}/start"; copy "$p/size" "$real/${p##*/}/size"; }; done
done
for n in /sys/class/net/*; do
  [ -e "$n/device" ] || continue
  d="$out/sys/class/net/${n##*/}"; mkdir -p "$d/device"
  for f in address carrier speed operstate; do copy "$n/$f" "$d/$f"; done
  copy "$n/device/uevent" "$d/device/uevent"
done
for f in sys_vendor product_name product_serial bios_vendor bios_version bios_date; do copy "/sys/class/dmi/id/$f" "$out/sys/class/dmi/id/$f"; done
rmdir "$out/sys/class/dmi/id" "$out/sys/class/dmi" 2>/dev/null || true
[ -d /sys/firmware/efi ] && { mkdir -p "$out/sys/firmware/efi"; touch "$out/sys/firmware/efi/.keep"; }
exit 0
