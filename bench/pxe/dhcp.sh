#!/bin/bash
# DHCP DORA rate: our server (full mode, in-memory leases), the daemon (full mode, leases in PostgreSQL) vs Kea
# (kea-dhcp4, memfile, persist=false) vs dnsmasq, each measured with perfdhcp (kea-admin) in the same run.
# The daemon case starts a private PostgreSQL (initdb as the postgres user, Unix socket only, in the scratch directory,
# default durability) and the Release build of Metal3.Server inside the namespace; DAEMON=0 leaves it out,
# PUBLISH_DIR=<dotnet publish output of Metal3.Server> skips building it; PEERS=0 measures the daemon alone (no ratio: for
# looking at one change quickly). Everything runs inside two network namespaces this script
# creates (bridge br0 198.18.0.1/15; perfdhcp relays from 198.18.0.2); they and every process are removed on exit.
# Each server gets a WARMUP-second run (default 3) at the same rate before it is measured.
# Usage (root): bench/pxe/dhcp.sh [rate/s, default 4000] [seconds, default 10]
set -euo pipefail
cd "$(dirname "$0")"
RATE=${1:-4000}; SECS=${2:-10}
POOL=130814   # 198.18.1.0 - 198.19.255.254; perfdhcp makes a new client per exchange, and a run that empties the pool
              # measures the pool, not the server
(( RATE * (${WARMUP:-3} + SECS) < POOL )) || echo "warning: $RATE/s for $(( ${WARMUP:-3} + SECS )) s may use up the $POOL-address pool" >&2
for t in perfdhcp kea-dhcp4 dnsmasq dotnet ip; do command -v $t >/dev/null || { echo "missing $t (apt-get install kea-admin kea-dhcp4-server dnsmasq-base)" >&2; exit 1; }; done
DAEMON=${DAEMON:-1}; PEERS=${PEERS:-1}; WARMUP=${WARMUP:-3}; PUBLISH_DIR=${PUBLISH_DIR:-}
NS=m3bench$$; WORK=$(mktemp -d /tmp/metal3-bench-dhcp.XXXXXX); PIDS=(); PG_BIN=""
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.2
            [[ -n "$PG_BIN" && -f "$WORK/pg/data/postmaster.pid" ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" stop -m fast -w -D "$WORK/pg/data" >/dev/null 2>&1
            ip netns del $NS 2>/dev/null || true; ip netns del $NS-c 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ip netns add $NS; ip netns add $NS-c
ip -n $NS link set lo up; ip -n $NS-c link set lo up
ip -n $NS link add br0 type bridge; ip -n $NS addr add 198.18.0.1/15 dev br0; ip -n $NS link set br0 up
ip -n $NS link add v0 type veth peer name eth0 netns $NS-c; ip -n $NS link set v0 master br0 up
ip -n $NS-c addr add 198.18.0.2/15 dev eth0; ip -n $NS-c link set eth0 up

dotnet build -c Release Metal3.Pxe.BenchHost -v q -nologo >/dev/null
cat > "$WORK/kea.json" <<J
{ "Dhcp4": {
  "interfaces-config": { "interfaces": [ "br0" ], "dhcp-socket-type": "udp" },
  "lease-database": { "type": "memfile", "persist": false, "lfc-interval": 0 },
  "valid-lifetime": 3600,
  "subnet4": [ { "id": 1, "subnet": "198.18.0.0/15", "pools": [ { "pool": "198.18.1.0 - 198.19.255.254" } ] } ],
  "loggers": [ { "name": "kea-dhcp4", "severity": "WARN", "output_options": [ { "output": "$WORK/kea.log" } ] } ] } }
J
start() { # name, command...
  local name=$1; shift
  ip netns exec $NS "$@" > "$WORK/$name.log" 2>&1 & SERVER=$!; PIDS+=($SERVER)
  for _ in $(seq 900); do ip netns exec $NS ss -lnu | grep -q ':67 ' && break; sleep 0.1; done
}
measure() { # prints "rate drops%", after a warm-up run of WARMUP seconds whose figures are thrown away (JIT, caches)
  [[ "$WARMUP" -gt 0 ]] && ip netns exec $NS-c perfdhcp -4 -l eth0 -r "$RATE" -p "$WARMUP" -R 1000000 198.18.0.1 >/dev/null 2>&1 || true
  local out; out=$(ip netns exec $NS-c perfdhcp -4 -l eth0 -r "$RATE" -p "$SECS" -R 1000000 198.18.0.1 2>&1 || true)
  local rate drops
  rate=$(grep -m1 -oP 'Rate: \K[0-9.]+' <<<"$out" || echo 0)
  drops=$(grep -oP 'drops ratio: \K[0-9.]+' <<<"$out" | paste -sd/ || echo ?)
  echo "$rate $drops"
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; }

ours=0; ours_d="(not run)"; daemon=0; daemon_d="(DAEMON=0)"; kea=0; kea_d="(not run)"; dnsm=0; dnsm_d="(not run)"
if [[ "$PEERS" = 1 ]]; then
  start ours dotnet Metal3.Pxe.BenchHost/bin/Release/net10.0/Metal3.Pxe.BenchHost.dll dhcp br0 198.18.0.1 198.18.1.0 198.19.255.254 255.254.0.0
  read -r ours ours_d < <(measure); stop
fi
if [[ "$DAEMON" = 1 ]]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  chmod 711 "$WORK"; mkdir -p "$WORK/pg"; chown postgres: "$WORK/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" start -w -D "$WORK/pg/data" -l "$WORK/pg/server.log" \
    -o "-c listen_addresses='' -k $WORK/pg -c max_connections=200" >/dev/null
  if [[ -z "$PUBLISH_DIR" ]]; then
    PUBLISH_DIR=$WORK/publish
    dotnet publish ../../Metal3.Server/Metal3.Server.csproj -c Release -o "$PUBLISH_DIR" -v q -nologo >/dev/null
  fi
  # The daemon's API listens on the namespace's own loopback; the Unix socket reaches PostgreSQL from inside it.
  start daemon dotnet "$PUBLISH_DIR/Metal3.Server.dll" --urls http://127.0.0.1:6385 --Metal3:DataDir "$WORK/daemon" \
    --Metal3:Database:Provider postgres --ConnectionStrings:Metal3 "Host=$WORK/pg;Username=postgres;Database=postgres" \
    --Metal3:Jobs:Enabled false --Logging:LogLevel:Default Warning \
    --Metal3:Pxe:Interface br0 --Metal3:Pxe:HttpUrl http://198.18.0.1:8080 --Metal3:Pxe:Tftp:Root /usr/lib/ipxe \
    --Metal3:Pxe:Dhcp:Mode full --Metal3:Pxe:Dhcp:RangeStart 198.18.1.0 --Metal3:Pxe:Dhcp:RangeEnd 198.19.255.254 \
    --Metal3:Pxe:Dhcp:SubnetMask 255.254.0.0
  read -r daemon daemon_d < <(measure); stop
fi
if [[ "$PEERS" = 1 ]]; then
  start kea env KEA_LOCKFILE_DIR=$WORK KEA_PIDFILE_DIR=$WORK kea-dhcp4 -c "$WORK/kea.json"
  read -r kea kea_d < <(measure); stop
  start dnsmasq dnsmasq -k --port=0 --interface=br0 --bind-interfaces --dhcp-range=198.18.1.0,198.19.255.254,255.254.0.0,1h \
    --dhcp-leasefile="$WORK/dnsmasq.leases" --dhcp-lease-max=1000000 --no-ping --dhcp-authoritative --pid-file="$WORK/dnsmasq.pid"
  read -r dnsm dnsm_d < <(measure); stop
fi

echo "perfdhcp -r $RATE -p $SECS through a relay, 4-way exchanges/s (drops % DO/RA):"
printf '%-16s %10s  %s\n' metal3 "$ours" "$ours_d" "daemon+postgres" "$daemon" "$daemon_d" kea "$kea" "$kea_d" dnsmasq "$dnsm" "$dnsm_d"
ratio() { [[ "$2" != 0 ]] && echo "scale=2; $1 / $2" | bc -l || echo -; }
printf 'ratio metal3/kea: %s   metal3/dnsmasq: %s   daemon+postgres/kea: %s\n' "$(ratio "$ours" "$kea")" "$(ratio "$ours" "$dnsm")" "$(ratio "$daemon" "$kea")"
