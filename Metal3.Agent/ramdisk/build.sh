#!/bin/bash
# Builds the deploy agent's ramdisk from Debian packages only: build.sh OUTDIR  →  OUTDIR/vmlinuz, OUTDIR/initramfs
# The daemon serves them as /boot/agent/vmlinuz and /boot/agent/initramfs from <DataDir>/ramdisk/.
# Needs: dotnet SDK, apt (apt-get download, apt-cache), dpkg-deb, cpio, gzip, kmod (depmod, modinfo), ldconfig. No root, no chroot.
# Kernel line: metal3.api=http://<provisioning listener> [metal3.insecure] [metal3.debug] [metal3.vlan=<id>] console=ttyS0
#   and, for a static address (virtual-media ISO): metal3.mac=MAC metal3.ip=ADDRESS/PREFIX [metal3.gateway=IP] [metal3.dns=IP,IP]
# Hardware: the modules in modules.list with their dependencies, and the firmware they name that firmware-linux-free
# has; FIRMWARE_NONFREE=1 also takes it from the non-free-firmware packages when apt has them (docs/hardware.md).
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
# Firmware packages: only the files the packed modules name are taken from them (below).
FIRMWARE="firmware-linux-free"
[ -z "${FIRMWARE_NONFREE:-}" ] || FIRMWARE="$FIRMWARE firmware-misc-nonfree firmware-bnx2 firmware-bnx2x firmware-realtek"
for p in $FIRMWARE; do
  policy=$(apt-cache policy "$p" 2>/dev/null)   # not piped into grep -q: pipefail would take its early exit as a failure
  if [[ $policy == *"Candidate: "* && $policy != *"Candidate: (none)"* ]]; then
    ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download "$p" 2>&1 | grep -v -e unsandboxed -e '^Get:' || true
  else
    echo "firmware package $p: not in this machine's apt sources" >&2
  fi
done
for deb in *.deb; do
  case $deb in
    linux-image-*) dpkg-deb -x "$deb" "$WORK/kernel";;
    firmware-*) dpkg-deb -x "$deb" "$WORK/firmware";;
    *) dpkg-deb -x "$deb" "$R";;
  esac
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

# The kernel asks /sbin/modprobe for what a module wants at run time (crypto-crc32c, rtnl-link-vlan …).
ln -sfn ../bin/busybox "$R/usr/sbin/modprobe"

# Kernel and modules: the ones named and everything they depend on; uncompressed, with a modules.dep and the
# modules.alias init's modprobe matches devices against, from depmod.
cp "$WORK"/kernel/boot/vmlinuz-* "$OUT/vmlinuz"
KVER=$(ls "$WORK/kernel/lib/modules")
KMOD=$WORK/kernel/lib/modules/$KVER
MODULES=$(sed 's/#.*//' "$HERE/modules.list" | xargs)
need=$MODULES; done_mods=" "; packed=""
while [ -n "$need" ]; do
  next=""
  for m in $need; do
    case "$done_mods" in *" $m "*) continue;; esac
    done_mods="$done_mods$m "
    f=$(find "$KMOD" -name "$m.ko*" -o -name "$(echo "$m" | tr _ -).ko*" | head -1)
    if [ -z "$f" ]; then   # built in, or an alias: a soft dependency on "crc32c" means crc32c_generic or crc32c-intel
      [ -e "$KMOD/modules.alias" ] || depmod -b "$WORK/kernel" "$KVER"
      next="$next $(awk -v a="$m" '$1 == "alias" && $2 == a {print $3}' "$KMOD/modules.alias")"
      continue
    fi
    rel=${f#"$KMOD"/}; mkdir -p "$R/lib/modules/$KVER/$(dirname "$rel")"; packed="$packed $f"
    case $f in *.xz) xz -dc "$f" > "$R/lib/modules/$KVER/${rel%.xz}";; *.zst) zstd -qdc "$f" > "$R/lib/modules/$KVER/${rel%.zst}";; *) cp "$f" "$R/lib/modules/$KVER/$rel";; esac
    next="$next $(modinfo -F depends "$f" | tr ',' ' ') $(modinfo -F softdep "$f" | tr ' ' '\n' | grep -v : || true)"
  done
  need=$next
done
cp "$KMOD"/modules.{order,builtin}* "$R/lib/modules/$KVER/" 2>/dev/null || true
depmod -b "$R" "$KVER"

# Firmware the packed modules name (modinfo -F firmware), where a firmware package has it; the rest is listed.
fw_packed=0; fw_missing=""
for f in $packed; do
  for fw in $(modinfo -F firmware "$f"); do
    src=$(ls "$WORK/firmware/lib/firmware/$fw"{,.xz} 2>/dev/null | head -1 || true)   # the kernel reads .xz too
    if [ -n "$src" ]; then
      mkdir -p "$R/lib/firmware/$(dirname "$fw")"; cp "$src" "$R/lib/firmware/${src#"$WORK/firmware/lib/firmware/"}"
      fw_packed=$((fw_packed + 1))
    else
      fw_missing="$fw_missing $(basename "${f%%.ko*}")"
    fi
  done
done
echo "firmware   $fw_packed files packed; files named but in no firmware package used, by module:" \
  "$(echo "$fw_missing" | tr ' ' '\n' | sed '/^$/d' | uniq -c | awk '{printf " %s(%s)", $2, $1}')"

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
