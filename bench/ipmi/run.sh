#!/usr/bin/env bash
# Power-status sweep benchmark: N ipmi_sim BMCs (Debian openipmi) on 127.0.0.1, metal3's driver against ipmitool.
#   bench/ipmi/run.sh [COUNT=200] [PARALLELISM=32] [FIRST_PORT=17000]
#   HOOK=1 bench/ipmi/run.sh   also gives each BMC a chassis_control hook, which ipmi_sim forks for every status
#                              (a cost of the simulator, paid by both clients alike; without it ipmi_sim answers
#                              Get Chassis Status from its own state, "off")
# Every ipmi_sim started here is stopped by PID on exit, even on failure.
set -euo pipefail
COUNT=${1:-200} PAR=${2:-32} FIRST=${3:-17000}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/metal3-ipmi-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
command -v ipmi_sim >/dev/null || { echo "ipmi_sim missing: apt-get install openipmi" >&2; exit 1; }
command -v ipmitool >/dev/null || { echo "ipmitool missing: apt-get install ipmitool" >&2; exit 1; }

# The chassis_control hook: ipmi_sim forks it for every Get Chassis Status, for both clients alike.
cat > "$WORK/chassis.sh" <<'H'
#!/bin/sh
case $1 in get|set) ;; *) shift;; esac
[ "$1" = get ] && for p in "$@"; do [ "$p" = power ] && echo power:1; [ "$p" = boot ] && echo boot:default; done
exit 0
H
chmod +x "$WORK/chassis.sh"
cat > "$WORK/bmc.emu" <<E
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
mc_enable 0x20
E
echo "building the harness..."
dotnet build -c Release -v q -nologo "$HERE/IpmiSweep" >/dev/null
echo "starting $COUNT ipmi_sim BMCs on 127.0.0.1:$FIRST-$((FIRST + COUNT - 1))..."
for i in $(seq 0 $((COUNT - 1))); do
  port=$((FIRST + i)); d="$WORK/bmc$i"; mkdir -p "$d/state"
  cat > "$d/lan.conf" <<C
name "bench$i"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $port
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid $(printf '%032x' "$port")
  endlan
$( [ "${HOOK:-0}" = 1 ] && echo "  chassis_control \"$WORK/chassis.sh\"" )
  user 2 true  "admin" "password" admin 10 none md2 md5 straight
C
  ipmi_sim -c "$d/lan.conf" -f "$WORK/bmc.emu" -s "$d/state" -n >"$d/log" 2>&1 </dev/null &
  PIDS+=($!)
done
# Wait until the last one answers (ipmitool with a short timeout; a condition, not a fixed sleep).
for i in $(seq 1 100); do
  ipmitool -I lanplus -C 3 -N 1 -R 1 -H 127.0.0.1 -p $((FIRST + COUNT - 1)) -U admin -P password chassis power status >/dev/null 2>&1 && break
  sleep 0.2
done
echo "sweeping (parallelism $PAR)..."
dotnet "$HERE/IpmiSweep/bin/Release/net10.0/IpmiSweep.dll" "$FIRST" "$COUNT" "$PAR" admin password
