#!/usr/bin/env bash
# Builds the Debian packages of metal3 with dpkg-deb:
#   deploy/package.sh OUT [RAMDISK]
#   → OUT/metal3_<version>_amd64.deb                 the daemon, metal3ctl, the unit, the settings (a conffile)
#   → OUT/metal3-agent-ramdisk_<version>_amd64.deb   with RAMDISK, a directory holding vmlinuz and initramfs as
#                                                    Metal3.Agent/ramdisk/build.sh writes them
# ONLY=ramdisk builds the second alone (test.sh builds the first while the ramdisk is being built).
# The daemon and metal3ctl are self-contained (the .NET runtime inside, none needed on the node), published together
# into /usr/lib/metal3: both are built from one package graph, so the files they share are the same files.
# Needs the .NET SDK and dpkg-deb (Debian's dpkg). No root: ownership in the package is root's (--root-owner-group).
set -euo pipefail
OUT=$(realpath -m "${1:?usage: deploy/package.sh OUT [RAMDISK]}")
RAMDISK=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
VERSION=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$ROOT/Directory.Build.props")
[ -n "$VERSION" ] || { echo "no <VersionPrefix> in Directory.Build.props" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/metal3-package.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# --- metal3 -------------------------------------------------------------------------------------------------------
if [ "${ONLY:-}" != ramdisk ]; then
P=$WORK/metal3
LIB=$P/usr/lib/metal3
# Its own build folders (--artifacts-path): the repository's obj/ may be in use by another build at the same time.
for project in Metal3.Server Metal3.Cli; do
  dotnet publish "$ROOT/$project" -c Release -r linux-x64 --self-contained -o "$LIB" --artifacts-path "$WORK/artifacts" \
    -p:DebugType=none -p:GenerateDocumentationFile=false -nologo -v q
done
# The apphost runs the daemon's assembly whatever the file is called: /usr/lib/metal3/metal3 is the daemon.
mv "$LIB/Metal3.Server" "$LIB/metal3"
# Loaded only for LTTng tracing, which needs liblttng-ust; without it the file is dead weight that ldd reports broken.
rm -f "$LIB/libcoreclrtraceptprovider.so"
install -d "$P/usr/bin" "$P/lib/systemd/system" "$P/etc/metal3" "$P/usr/share/doc/metal3" "$P/DEBIAN"
ln -s ../lib/metal3/metal3ctl "$P/usr/bin/metal3ctl"
install -m 0644 "$HERE/metal3.service" "$P/lib/systemd/system/metal3.service"
# Mode 0640 root:metal3 is set by postinst (the group does not exist when the package is built).
install -m 0640 "$HERE/appsettings.example.json" "$P/etc/metal3/appsettings.json"
install -m 0644 "$ROOT/README.md" "$P/usr/share/doc/metal3/README.md"
echo /etc/metal3/appsettings.json >"$P/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$HERE/debian/$script" "$P/DEBIAN/$script"
done
SIZE=$(du -sk --exclude=DEBIAN "$P" | cut -f1)
cat >"$P/DEBIAN/control" <<EOF
Package: metal3
Version: $VERSION
Architecture: amd64
Maintainer: metal3 developers <metal3@localhost>
Installed-Size: $SIZE
Depends: libc6 (>= 2.36), libgcc-s1, libstdc++6, libssl3, ca-certificates, adduser, ipxe
Recommends: postgresql, metal3-agent-ramdisk
Section: admin
Priority: optional
Description: bare-metal provisioning daemon
 Takes machines from "BMC reachable" to "running the image you asked for",
 declaratively, over REST: IPMI and Redfish, DHCP, TFTP and iPXE network boot,
 a deploy agent. metal3ctl is its command-line client.
 .
 The daemon runs as the user metal3 under metal3.service; settings are in
 /etc/metal3/appsettings.json, state (database, admin token, keys) in
 /var/lib/metal3. The .NET runtime is inside the package.
EOF
# gzip: xz takes minutes on the 100+ MB of the runtime for a few MB less.
dpkg-deb --root-owner-group -Zgzip --build "$P" "$OUT/metal3_${VERSION}_amd64.deb" >/dev/null
echo "$OUT/metal3_${VERSION}_amd64.deb"
fi

# --- metal3-agent-ramdisk -----------------------------------------------------------------------------------------
if [ -n "$RAMDISK" ]; then
  for f in vmlinuz initramfs; do
    [ -s "$RAMDISK/$f" ] || { echo "$RAMDISK/$f is missing: build it with Metal3.Agent/ramdisk/build.sh $RAMDISK" >&2; exit 1; }
  done
  R=$WORK/ramdisk
  install -d "$R/usr/lib/metal3/ramdisk" "$R/DEBIAN"
  install -m 0644 "$RAMDISK/vmlinuz" "$RAMDISK/initramfs" "$R/usr/lib/metal3/ramdisk/"
  cat >"$R/DEBIAN/control" <<EOF
Package: metal3-agent-ramdisk
Version: $VERSION
Architecture: amd64
Maintainer: metal3 developers <metal3@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$R" | cut -f1)
Section: admin
Priority: optional
Description: deploy agent ramdisk for metal3
 The Debian kernel and an initramfs with metal3's deploy agent, which metal3
 network-boots on a host to inspect it and write its image. metal3's settings
 point at /usr/lib/metal3/ramdisk (Metal3:Pxe:AgentKernel, AgentInitramfs).
EOF
  dpkg-deb --root-owner-group -Zgzip --build "$R" "$OUT/metal3-agent-ramdisk_${VERSION}_amd64.deb" >/dev/null
  echo "$OUT/metal3-agent-ramdisk_${VERSION}_amd64.deb"
fi
