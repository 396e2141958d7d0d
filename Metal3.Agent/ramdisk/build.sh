#!/bin/bash
# Builds the deploy agent's ramdisk from Debian packages only: build.sh OUTDIR  →  OUTDIR/vmlinuz, OUTDIR/initramfs
# The daemon serves them as /boot/agent/vmlinuz and /boot/agent/initramfs from <DataDir>/ramdisk/.
# Needs: dotnet SDK, apt (apt-get download, apt-cache), dpkg-deb, cpio, gzip, kmod (depmod, modinfo), ldconfig. No root, no chroot.
# Kernel line: metal3.api=http://<provisioning listener> [metal3.insecure] [metal3.debug] console=ttyS0
#   and, for a static address (virtual-media ISO): metal3.mac=MAC metal3.ip=ADDRESS/PREFIX [metal3.gateway=IP] [metal3.dns=IP,IP]
set -euo pipefail
OUT=$(realpath -m "${1:?usage: build.sh OUTDIR}")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$(mktemp -d /var/tmp/metal3-ramdisk.XXXXXX)}
mkdir -p "$OUT" "$WORK/debs"
R=$WORK/root; rm -rf "$R"; mkdir -p "$R"/{bin,sbin,proc,sys,dev,tmp,run,etc,opt,var/tmp}

# Packages whose files go into the ramdisk, plus every library package they depend on (recursively).
TOOLS="busybox-static libc6 libgcc-s1 libstdc++6 libssl3 zlib1g fdisk dosfstools mtools qemu-utils"
KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
LIBS=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances $TOOLS \
  | grep -E '^(lib|zlib)' | grep -vE -- '-(dev|doc|bin)$|^libc-|^libgcc-[0-9]+-dev' | sort -u)
cd "$WORK/debs"
for p in $TOOLS $LIBS "$KPKG"; do
  ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download "$p" 2>&1 | grep -v -e unsandboxed -e '^Get:' || true
done
for deb in *.deb; do
  case $deb in linux-image-*) dpkg-deb -x "$deb" "$WORK/kernel";; *) dpkg-deb -x "$deb" "$R";; esac
done
rm -rf "$R"/usr/share/{doc,man,info,locale,lintian,bash-completion} "$R"/usr/include "$R"/etc/init.d
# Merged /usr as Debian 12 has it: the apphost asks for /lib64/ld-linux-x86-64.so.2.
for d in lib lib64 bin sbin; do
  if [ -d "$R/$d" ] && [ ! -L "$R/$d" ]; then mkdir -p "$R/usr/$d"; cp -a "$R/$d/." "$R/usr/$d/"; rm -rf "${R:?}/$d"; fi
  [ -e "$R/usr/$d" ] || mkdir -p "$R/usr/$d"; ln -sfn "usr/$d" "$R/$d"
done
ldconfig -r "$R"   # /etc/ld.so.cache, so ld.so finds libraries in the multiarch directories

# busybox applets for what the packages did not bring (sh, ip, udhcpc, modprobe, mount …).
for a in $("$R/bin/busybox" --list); do [ -e "$R/usr/bin/$a" ] || [ -e "$R/usr/sbin/$a" ] || ln -s busybox "$R/usr/bin/$a"; done

# Kernel and modules: the ones named and everything they depend on; uncompressed, with a modules.dep from depmod.
cp "$WORK"/kernel/boot/vmlinuz-* "$OUT/vmlinuz"
KVER=$(ls "$WORK/kernel/lib/modules")
KMOD=$WORK/kernel/lib/modules/$KVER
MODULES="virtio_pci virtio_net virtio_blk virtio_scsi e1000 e1000e ahci nvme sd_mod af_packet"
need=$MODULES; done_mods=" "
while [ -n "$need" ]; do
  next=""
  for m in $need; do
    case "$done_mods" in *" $m "*) continue;; esac
    done_mods="$done_mods$m "
    f=$(find "$KMOD" -name "$m.ko*" -o -name "$(echo "$m" | tr _ -).ko*" | head -1)
    [ -n "$f" ] || continue   # built in
    rel=${f#"$KMOD"/}; mkdir -p "$R/lib/modules/$KVER/$(dirname "$rel")"
    case $f in *.xz) xz -dc "$f" > "$R/lib/modules/$KVER/${rel%.xz}";; *.zst) zstd -qdc "$f" > "$R/lib/modules/$KVER/${rel%.zst}";; *) cp "$f" "$R/lib/modules/$KVER/$rel";; esac
    next="$next $(modinfo -F depends "$f" | tr ',' ' ') $(modinfo -F softdep "$f" | tr ' ' '\n' | grep -v : || true)"
  done
  need=$next
done
cp "$KMOD"/modules.{order,builtin}* "$R/lib/modules/$KVER/" 2>/dev/null || true
depmod -b "$R" "$KVER"
echo "$MODULES" > "$R/etc/modules"

# The agent: self-contained, trimmed, no ICU; debugging and tracing libraries left out.
dotnet publish "$HERE/.." -c Release -r linux-x64 --self-contained -o "$WORK/agent" --nologo -v q
mkdir -p "$R/opt/metal3-agent"
cp -a "$WORK/agent/." "$R/opt/metal3-agent/"
rm -f "$R"/opt/metal3-agent/{*.pdb,*.dbg,libcoreclrtraceptprovider.so,libmscordaccore.so,libmscordbi.so,createdump}

install -m 0755 "$HERE/init" "$R/init"
install -m 0755 "$HERE/udhcpc.script" "$R/etc/udhcpc.script"
echo "root:x:0:0:root:/tmp:/bin/sh" > "$R/etc/passwd"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -6) > "$OUT/initramfs"
echo "kernel     $KVER  $(du -h "$OUT/vmlinuz" | cut -f1)"
echo "initramfs  $(du -h "$OUT/initramfs" | cut -f1) compressed, $(du -sh "$R" | cut -f1) unpacked (agent $(du -sh "$R/opt/metal3-agent" | cut -f1))"
[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
