#!/bin/bash
# Builds the image the end-to-end test deploys: a 64 MiB raw disk that boots with legacy BIOS (syslinux in the MBR and
# on the partition) and with UEFI (a GRUB EFI binary at the removable-media path), into a Debian kernel and a busybox
# initramfs whose only job is to print a marker on the serial console, so the test can tell "booted from its disk".
#   build-disk-image.sh OUT_DIR     → OUT_DIR/{disk.raw, disk.raw.zst, disk.raw.zst.sha256, disk.raw.sha256}
# Everything comes from Debian packages (linux-image-amd64 downloaded, not installed; busybox-static, syslinux,
# syslinux-common, mtools, dosfstools, grub-efi-amd64-bin, fdisk, cpio, zstd). Nothing is mounted: the FAT partition
# is built as a file with mtools and copied into the disk, so it runs without loop devices.
set -euo pipefail
OUT=$(readlink -f "${1:?usage: build-disk-image.sh OUT_DIR}")
MARKER=${MARKER:-METAL3-E2E-BOOTED-FROM-DISK}
CACHE=${METAL3_E2E_CACHE:-/var/tmp/metal3-e2e-cache}
mkdir -p "$OUT" "$CACHE"
W=$(mktemp -d "$OUT/.build.XXXXXX"); trap 'rm -rf "$W"' EXIT

# The kernel .deb the metapackage points at, cached across runs (downloaded once, only extracted).
KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
if ! ls "$CACHE/$KPKG"_*.deb >/dev/null 2>&1; then (cd "$CACHE" && apt-get download "$KPKG" >/dev/null 2>&1); fi
dpkg-deb --fsys-tarfile "$CACHE/$KPKG"_*.deb | tar -x -C "$W" --wildcards './boot/vmlinuz-*'
cp "$W"/boot/vmlinuz-* "$W/vmlinuz"

# The initramfs: busybox and an /init that says where it came from and then idles (a powered-off machine whose
# spec says online would only be powered on again).
R=$W/root; mkdir -p "$R"/{bin,proc,sys,dev}
cp /bin/busybox "$R/bin/busybox"
for a in sh echo cat mount sleep; do ln -s busybox "$R/bin/$a"; done
cat > "$R/init" <<S
#!/bin/sh
mount -t proc proc /proc
mount -t devtmpfs dev /dev
echo "$MARKER \$(cat /proc/cmdline)" > /dev/ttyS0
while true; do sleep 3600; done
S
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -9) > "$W/initrd.gz"

# BIOS: syslinux. UEFI: a standalone GRUB that finds this partition by a marker file.
cat > "$W/syslinux.cfg" <<'S'
SERIAL 0 115200
DEFAULT disk
PROMPT 0
TIMEOUT 0
LABEL disk
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz console=ttyS0 metal3.boot=bios
S
cat > "$W/grub.cfg" <<'S'
set timeout=0
search --no-floppy --file /metal3-e2e-disk --set=root
linux /vmlinuz console=ttyS0 metal3.boot=uefi
initrd /initrd.gz
boot
S
grub-mkstandalone -O x86_64-efi -o "$W/BOOTX64.EFI" --modules="part_msdos fat search linux normal" \
  --locales= --fonts= --themes= "boot/grub/grub.cfg=$W/grub.cfg"
touch "$W/metal3-e2e-disk"

# One FAT partition (type EF, active) from 1 MiB to the end of the 64 MiB disk.
PART_SECTORS=$(( (64 - 1) * 2048 ))
mkfs.vfat -n METAL3BOOT -C "$W/part.img" $(( PART_SECTORS / 2 )) >/dev/null
export MTOOLS_SKIP_CHECK=1
mcopy -i "$W/part.img" "$W/vmlinuz" "$W/initrd.gz" "$W/syslinux.cfg" "$W/metal3-e2e-disk" ::/
mmd -i "$W/part.img" ::/EFI ::/EFI/BOOT
mcopy -i "$W/part.img" "$W/BOOTX64.EFI" ::/EFI/BOOT/
syslinux --install "$W/part.img"
truncate -s 64M "$W/disk.raw"
echo 'label: dos
start=2048, type=ef, bootable' | sfdisk -q "$W/disk.raw"
dd if="$W/part.img" of="$W/disk.raw" bs=512 seek=2048 conv=notrunc status=none
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$W/disk.raw" bs=440 count=1 conv=notrunc status=none

mv "$W/disk.raw" "$OUT/disk.raw"
zstd -q -f -10 "$OUT/disk.raw" -o "$OUT/disk.raw.zst"
(cd "$OUT" && sha256sum disk.raw > disk.raw.sha256 && sha256sum disk.raw.zst > disk.raw.zst.sha256)
ls -l "$OUT"/disk.raw* | awk '{print $5, $9}'
