#!/bin/bash
# TFTP throughput: our server vs tftpd-hpa (in.tftpd 5.2), same files, same client, same run, on loopback.
#   1. one 64 MiB file, blksize 1468 (atftp), lock-step: ours vs tftpd-hpa
#   2. the same with windowsize 16 for ours (tftpd-hpa 5.2 has no windowsize; its lock-step figure is its best)
#   3. 64 concurrent 8 MiB transfers, blksize 1468, lock-step and (ours) windowsize 16
# Each figure is the best of REPS (default 3) runs, ours and tftpd-hpa alternating.
# Prints MiB/s per case and the ratio ours / tftpd-hpa. Needs root only if port < 1024; uses 127.0.0.1:16969/16970.
set -euo pipefail
cd "$(dirname "$0")"
for t in atftp in.tftpd dotnet; do command -v $t >/dev/null || { echo "missing $t (apt-get install atftp tftpd-hpa)" >&2; exit 1; }; done
WORK=$(mktemp -d /tmp/metal3-bench-tftp.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/root" "$WORK/out"
head -c $((64 << 20)) /dev/urandom > "$WORK/root/big.bin"
head -c $((8 << 20)) /dev/urandom > "$WORK/root/eight.bin"

dotnet build -c Release Metal3.Pxe.BenchHost -v q -nologo >/dev/null
dotnet Metal3.Pxe.BenchHost/bin/Release/net10.0/Metal3.Pxe.BenchHost.dll tftp "$WORK/root" 127.0.0.1 16969 > "$WORK/ours.log" 2>&1 & PIDS+=($!)
in.tftpd --foreground --listen --address 127.0.0.1:16970 --secure "$WORK/root" & PIDS+=($!)
for _ in $(seq 100); do grep -q ready "$WORK/ours.log" 2>/dev/null && break; sleep 0.1; done

# seconds for N parallel atftp gets of FILE from PORT with extra options
run() { local port=$1 file=$2 n=$3; shift 3
  local start end clients=()
  start=$(date +%s.%N)
  for i in $(seq "$n"); do atftp "$@" -g -r "$file" -l "$WORK/out/$i" 127.0.0.1 "$port" >/dev/null 2>&1 & clients+=($!); done
  wait "${clients[@]}" || true
  end=$(date +%s.%N)
  for i in $(seq "$n"); do cmp -s "$WORK/out/$i" "$WORK/root/$file" || { echo "corrupt transfer $i from port $port" >&2; exit 1; }; done
  rm -f "$WORK/out"/*
  echo "$end - $start" | bc -l
}
# Best of $REPS, ours and tftpd-hpa alternating, so that load from other processes on a shared machine hits both alike.
REPS=${REPS:-3}
best() { local best=""; for _ in $(seq "$REPS"); do local t; t=$(run "$@"); if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi; done; echo "$best"; }
pair() { # file n options… → sets T_O and T_H (best of REPS each, alternating)
  local file=$1 n=$2; shift 2; T_O=""; T_H=""
  for _ in $(seq "$REPS"); do
    local o h; o=$(run 16969 "$file" "$n" "$@"); h=$(run 16970 "$file" "$n" "$@")
    if [ -z "$T_O" ] || [ "$(echo "$o < $T_O" | bc -l)" = 1 ]; then T_O=$o; fi
    if [ -z "$T_H" ] || [ "$(echo "$h < $T_H" | bc -l)" = 1 ]; then T_H=$h; fi
  done; }
mibs() { echo "scale=1; $1 / $2" | bc -l; }
B=(--option "blksize 1468")
W=(--option "blksize 1468" --option "windowsize 16")

# Warm-up (a daemon runs for days: JIT tiering is done long before the rack powers on), then measure.
run 16969 eight.bin 2 "${B[@]}" >/dev/null; run 16969 eight.bin 2 "${W[@]}" >/dev/null; run 16970 eight.bin 2 "${B[@]}" >/dev/null
printf '%-44s %10s %10s %7s\n' case "ours MiB/s" "hpa MiB/s" ratio
pair big.bin 1 "${B[@]}"; t_o=$T_O; t_h=$T_H
printf '%-44s %10s %10s %7s\n' "64 MiB, blksize 1468" "$(mibs 64 "$t_o")" "$(mibs 64 "$t_h")" "$(echo "scale=2; $t_h / $t_o" | bc -l)"
t_w=$(best 16969 big.bin 1 "${W[@]}")
printf '%-44s %10s %10s %7s\n' "64 MiB, blksize 1468, windowsize 16 (ours)" "$(mibs 64 "$t_w")" "$(mibs 64 "$t_h")" "$(echo "scale=2; $t_h / $t_w" | bc -l)"
pair eight.bin 64 "${B[@]}"; t_o=$T_O; t_h=$T_H
printf '%-44s %10s %10s %7s\n' "64 x 8 MiB concurrent, blksize 1468" "$(mibs 512 "$t_o")" "$(mibs 512 "$t_h")" "$(echo "scale=2; $t_h / $t_o" | bc -l)"
t_w=$(best 16969 eight.bin 64 "${W[@]}")
printf '%-44s %10s %10s %7s\n' "64 x 8 MiB concurrent, windowsize 16 (ours)" "$(mibs 512 "$t_w")" "$(mibs 512 "$t_h")" "$(echo "scale=2; $t_h / $t_w" | bc -l)"
