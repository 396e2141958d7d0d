#!/usr/bin/env bash
# Deploy agent benchmark, all on this machine (loopback and a user-mode-networking QEMU guest only):
#  1. image write throughput: the agent's writer (metal3-agent write) against the shell pipeline a script would use,
#     `curl | zstd -d | dd`, on the same 1 GiB raw and zstd images, served by the same local HTTP server, to a file;
#     both end with the data flushed to disk (the writer fsyncs; dd gets conv=fsync). Best of RUNS each.
#  2. the ramdisk's size (RAMDISK=dir reuses a built one; otherwise Metal3.Agent/ramdisk/build.sh runs)
#  3. the time from QEMU start to the agent's first heartbeat against a real daemon (software emulation, no KVM).
#   bench/agent/run.sh [RUNS=3]
# Every process started here is stopped by PID on exit.
set -euo pipefail
RUNS=${1:-3}
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /var/tmp/metal3-agent-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for t in curl zstd dd python3 qemu-system-x86_64; do command -v $t >/dev/null || { echo "$t missing" >&2; exit 1; }; done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== publishing the agent (Release, self-contained, trimmed)"
dotnet publish "$REPO/Metal3.Agent" -c Release -r linux-x64 --self-contained -o "$WORK/agent" --nologo -v q >/dev/null
AGENT=$WORK/agent/metal3-agent

echo "== images: 1 GiB raw (3/8 random, 5/8 zeros, in 64 MiB stripes) and its zstd -3"
mkdir -p "$WORK/www"
for i in $(seq 0 15); do
  if [ $((i % 8)) -lt 3 ]; then head -c 64M /dev/urandom; else head -c 64M /dev/zero; fi
done > "$WORK/www/image.raw"
zstd -q -3 -T0 "$WORK/www/image.raw" -o "$WORK/www/image.raw.zst"
ls -l "$WORK/www" | awk 'NR>1{print "   " $5 " " $9}'
PORT=$(free_port)
(cd "$WORK/www" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) & PIDS+=($!)
sleep 1
URL=http://127.0.0.1:$PORT

best() { sort -n | head -1; }
time_it() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
for img in image.raw image.raw.zst; do
  sum=$(sha256sum "$WORK/www/$img" | cut -d' ' -f1)
  agent_t=(); agent_wall=(); pipe_t=()
  for r in $(seq "$RUNS"); do
    rm -f "$WORK/disk.img"; sync
    s0=$(date +%s.%N); line=$("$AGENT" write "$URL/$img" "$sum" "$WORK/disk.img"); s1=$(date +%s.%N)
    agent_wall+=("$(echo "$s1 - $s0" | bc)")
    agent_t+=("$(sed -n 's/.* in \([0-9.]*\) s,.*/\1/p' <<<"$line")")   # the writer itself, without .NET start-up
    cmp -n $((1 << 30)) "$WORK/disk.img" "$WORK/www/image.raw"
    rm -f "$WORK/disk.img"; sync
    if [ "$img" = image.raw.zst ]; then
      pipe_t+=("$(time_it sh -c "curl -sf '$URL/$img' | zstd -dq | dd of='$WORK/disk.img' bs=4M iflag=fullblock conv=fsync,notrunc status=none")")
    else
      pipe_t+=("$(time_it sh -c "curl -sf '$URL/$img' | dd of='$WORK/disk.img' bs=4M iflag=fullblock conv=fsync,notrunc status=none")")
    fi
    cmp -n $((1 << 30)) "$WORK/disk.img" "$WORK/www/image.raw"
  done
  a=$(printf '%s\n' "${agent_t[@]}" | best); aw=$(printf '%s\n' "${agent_wall[@]}" | best); p=$(printf '%s\n' "${pipe_t[@]}" | best)
  printf '%-14s agent writer %6.2f s (%4.0f MiB/s, sha256 verified; %.2f s with process start)   curl|%sdd %6.2f s (%4.0f MiB/s)   ratio pipeline/agent %.2f (with process start %.2f)\n' \
    "$img" "$a" "$(echo "1024 / $a" | bc -l)" "$aw" "$([ $img = image.raw.zst ] && echo 'zstd -d|')" "$p" "$(echo "1024 / $p" | bc -l)" "$(echo "$p / $a" | bc -l)" "$(echo "$p / $aw" | bc -l)"
done
rm -f "$WORK/disk.img" "$WORK/www"/*

echo "== ramdisk"
if [ -z "${RAMDISK:-}" ]; then
  RAMDISK=$WORK/ramdisk
  WORK=/var/tmp/metal3-agent-ramdisk-work KEEP_WORK=1 "$REPO/Metal3.Agent/ramdisk/build.sh" "$RAMDISK" | tail -2
fi
echo "   vmlinuz $(stat -c %s "$RAMDISK/vmlinuz") bytes, initramfs $(stat -c %s "$RAMDISK/initramfs") bytes"

echo "== QEMU start to first heartbeat (TCG, 1 vCPU, 1 GiB)"
SERVER=$REPO/Metal3.Server/bin/Release/net10.0/Metal3.Server.dll
[ -f "$SERVER" ] || SERVER=$REPO/Metal3.Server/bin/Debug/net10.0/Metal3.Server.dll
[ -f "$SERVER" ] || { echo "build Metal3.Server first" >&2; exit 1; }
DPORT=$(free_port)
dotnet "$SERVER" --urls "http://127.0.0.1:$DPORT" --Metal3:DataDir "$WORK/data" --Metal3:Agent:Enabled true \
  --Metal3:Agent:HeartbeatInterval 00:00:01 > "$WORK/daemon.log" 2>&1 & PIDS+=($!)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$DPORT/readyz" >/dev/null && break; sleep 0.5; done
TOKEN=$(cat "$WORK/data/admin.token")
curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "http://127.0.0.1:$DPORT/api/v1/hosts" \
  -d '{"name": "bench-vm", "bootMacAddress": "52:54:00:be:7c:01", "bmc": {"address": "fake://bench-vm?agent=ramdisk"}, "automatedCleaningMode": "disabled"}' >/dev/null
truncate -s 5G "$WORK/vm.img"
start=$(date +%s.%N)
qemu-system-x86_64 -machine q35,accel=tcg -cpu max -m 1024 -smp 1 -display none -monitor none -no-reboot \
  -serial "file:$WORK/serial.log" -kernel "$RAMDISK/vmlinuz" -initrd "$RAMDISK/initramfs" \
  -append "console=ttyS0 metal3.api=http://10.0.2.2:$DPORT" -netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:be:7c:01 \
  -drive "file=$WORK/vm.img,format=raw,if=virtio" >/dev/null 2>&1 & PIDS+=($!)
init="" ; for _ in $(seq 600); do
  [ -z "$init" ] && grep -qa "METAL3-RAMDISK init" "$WORK/serial.log" 2>/dev/null && init=$(date +%s.%N)
  grep -qa "METAL3-AGENT session" "$WORK/serial.log" 2>/dev/null && break; sleep 0.5; done
hb=$(date +%s.%N)
grep -qa "METAL3-AGENT session" "$WORK/serial.log" || { echo "no heartbeat within 300 s"; tail -20 "$WORK/serial.log"; exit 1; }
printf '   init started %.1f s, first heartbeat %.1f s after QEMU started\n' "$(echo "$init - $start" | bc)" "$(echo "$hb - $start" | bc)"
