#!/usr/bin/env bash
# Lifecycle benchmark: 1,000 fake:// hosts (zero simulated delay) from enrollment to "provisioned", on SQLite, on
# PostgreSQL with one daemon and with two daemons sharing it. Prints wall time, hosts/s and each daemon's peak RSS.
# Usage: bench/lifecycle/run.sh   (env: HOSTS=1000 CONCURRENCY=16 RUNS="sqlite postgres postgres-2",
#        DAEMON_ARGS="--Metal3:Jobs:Workers 8" to pass daemon settings, PG_EXTRA=";Max Auto Prepare=20" for Npgsql,
#        PUBLISH_DIR=<dotnet publish output of Metal3.Server> to skip the build, PEER=auto|ironic|none)
#
# The peer (issue 17, bench/peers/ironic.sh): Debian's Ironic (ironic-api + ironic-conductor over JSON-RPC, noauth,
# SQLite, fake-hardware), run first unless PEER=none. The same $HOSTS hosts go from enrollment to "active" with the
# same client (curl --parallel, $CONCURRENCY in flight): POST every node (with its instance_info: image and checksum)
# and its port, then PUT provision "manage" to all and wait until all are "manageable", "provide" and wait for
# "available", "active" and wait for "active". Waiting is the same polling of the list every 0.5 s as for metal3.
# Ironic does nothing on its own, so a client drives each step; metal3 takes a host from enrollment to provisioned
# by itself. The clock runs from the first enrollment to the poll that sees every host done, on both sides.
set -euo pipefail
HOSTS=${HOSTS:-1000}
CONCURRENCY=${CONCURRENCY:-16}
RUNS=${RUNS:-"sqlite postgres postgres-2"}
DEADLINE=${DEADLINE:-600}
PEER=${PEER:-auto}
POLL=${POLL:-0.5}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../peers/ironic.sh
source "$REPO/bench/peers/ironic.sh"
WORK=$(mktemp -d /tmp/metal3-bench-lifecycle.XXXXXX)
chmod 755 "$WORK"  # the postgres user must reach its data directory inside
PGDATA=""
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

kill_daemons() {  # every daemon this script started (their PIDs are in files: start_daemon runs in a subshell)
  for f in "$WORK"/*.pid; do [ -e "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; rm -f "$f"; done
}

cleanup() {
  kill_daemons
  ironic_stop
  if [ -n "$PGDATA" ]; then runuser -u postgres -- "$PGBIN/pg_ctl" stop -m immediate -D "$PGDATA" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

PEER_ON=""
if ironic_enabled; then PEER_ON=1; elif [ $? -eq 2 ]; then exit 1; fi
echo "lifecycle benchmark: $HOSTS hosts, $CONCURRENCY concurrent clients, runs: ${PEER_ON:+ironic }$RUNS; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before start"
if [ -n "${PUBLISH_DIR:-}" ]; then
  ln -s "$(cd "$PUBLISH_DIR" && pwd)" "$WORK/publish"
  echo "Metal3.Server: prebuilt $PUBLISH_DIR (not rebuilt)"
else
  echo "building Metal3.Server (Release)…"
  dotnet publish "$REPO/Metal3.Server" -c Release -o "$WORK/publish" -p:UseAppHost=false --nologo -v q >/dev/null
fi

start_postgres() {
  mkdir -p "$WORK/pg" && chown postgres:postgres "$WORK/pg"
  PGDATA="$WORK/pg/data"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  PGPORT=$(free_port)
  # Default durability (fsync, synchronous_commit on): a benchmark measures production settings.
  runuser -u postgres -- "$PGBIN/pg_ctl" start -w -D "$PGDATA" -l "$WORK/pg/log" \
    -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
  echo "PostgreSQL $("$PGBIN/postgres" -V | awk '{print $NF}'), port $PGPORT, default durability (fsync=on, synchronous_commit=on)"
}

new_database() {
  local db=$1
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE $db" >/dev/null
  echo "Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=$db;Maximum Pool Size=60${PG_EXTRA:-}"
}

start_daemon() {  # start_daemon NAME DATADIR [postgres-connection-string] -> prints the port
  local name=$1 dir=$2 cs=${3:-} port
  port=$(free_port)
  local args=(--urls "http://127.0.0.1:$port" --Metal3:DataDir "$dir" --Logging:LogLevel:Default Warning ${DAEMON_ARGS:-})
  [ -n "$cs" ] && args+=(--Metal3:Database:Provider postgres --ConnectionStrings:Metal3 "$cs")
  dotnet "$WORK/publish/Metal3.Server.dll" "${args[@]}" >"$WORK/$name.log" 2>&1 &
  echo $! >"$WORK/$name.pid"
  echo "$! $port"
}

wait_ready() {
  local port=$1
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    sleep 0.2
  done
  echo "daemon on $port not ready" >&2; exit 1
}

enroll() {  # enroll RUN PORT TOKEN [PORT2 TOKEN2]: even hosts to the first daemon, odd to the second
  local run=$1 cfg="$WORK/$1.curl" i p t sep=""
  : >"$cfg"
  for ((i = 1; i <= HOSTS; i++)); do
    if [ $# -ge 5 ] && ((i % 2)); then p=$4 t=$5; else p=$2 t=$3; fi
    printf '%surl = "http://127.0.0.1:%s/api/v1/hosts"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\ndata = "{\\"name\\":\\"bench-%05d\\",\\"bmc\\":{\\"address\\":\\"fake://bench-%05d\\"},\\"online\\":true,\\"image\\":{\\"url\\":\\"http://images.example/img.raw\\",\\"checksum\\":\\"%s\\"}}"\n' \
      "$sep" "$p" "$t" "$i" "$i" "$(printf 'e%.0s' $(seq 64))" >>"$cfg"
    sep=$'next\n'
  done
  curl -sS --no-progress-meter --parallel --parallel-immediate --parallel-max "$CONCURRENCY" -K "$cfg" >"$WORK/$run.codes"
  local created; created=$(grep -c '^201' "$WORK/$run.codes" || true)
  [ "$created" -eq "$HOSTS" ] || { echo "only $created of $HOSTS enrolled" >&2; sort "$WORK/$run.codes" | uniq -c >&2; exit 1; }
}

count_state() {  # count_state PORT TOKEN STATE
  curl -sf -H "Authorization: Bearer $2" "http://127.0.0.1:$1/api/v1/hosts?state=$3&limit=5000" \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))'
}

peak_rss() { awk '/VmHWM/ {printf "%d MiB", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# record RUN DONE T0_MS T1_MS T2_MS ERRORS RSS_TEXT RSS_MIB: one line of the per-run table, and the side-by-side figures.
RESULTS=()
declare -A WALL=() RSS_MIB=() DONE=()
record() {
  local run=$1 n=$2 t0=$3 t1=$4 t2=$5 errors=$6 rss=$7
  RESULTS+=("$(printf '%-11s | %11d | %9.1f s | %16.1f s | %7.1f | %6s | %s' "$run" "$n" "$(awk -v ms=$((t1 - t0)) 'BEGIN {print ms/1000}')" \
    "$(awk -v ms=$((t2 - t0)) 'BEGIN {print ms/1000}')" "$(awk -v n="$n" -v ms=$((t2 - t0)) 'BEGIN {printf "%.1f", n*1000/ms}')" "$errors" "$rss")")
  WALL[$run]=$(awk -v ms=$((t2 - t0)) 'BEGIN {printf "%.1f", ms/1000}')
  RSS_MIB[$run]=$8
  DONE[$run]=$n
}

# ---------------------------------------------------------------------------------------------------------------------
# Ironic: the same hosts through enroll -> manage -> provide -> active, driven by curl --parallel.
node_uuid() { printf '5b0e0000-0000-4000-8000-%012d' "$1"; }

# ironic_requests NAME EXPECTED_CODE LINE...: one curl --parallel run of the given requests (each line "METHOD PATH
# JSON", the JSON without spaces); those answered otherwise (409 while a periodic task holds the node's lock, say)
# are sent again, up to 20 times. Returns 1 when some never got EXPECTED_CODE.
ironic_requests() {
  local name=$1 want=$2; shift 2
  local pending=("$@") try k cfg="$WORK/ironic-$name.curl" out="$WORK/ironic-$name.codes" method path body sep code
  for try in $(seq 1 20); do
    : >"$cfg"; sep=""
    for k in "${!pending[@]}"; do
      read -r method path body <<<"${pending[$k]}"
      printf '%surl = "%s%s"\nrequest = "%s"\nheader = "%s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code} %d\\n"\ndata = "%s"\n' \
        "$sep" "$IRONIC_URL" "$path" "$method" "$IRONIC_HEADER" "$k" "${body//\"/\\\"}" >>"$cfg"
      sep=$'next\n'
    done
    : >"$out"
    curl -sS --no-progress-meter --parallel --parallel-immediate --parallel-max "$CONCURRENCY" -K "$cfg" >"$out" || true
    local again=()
    while read -r code k; do
      [ "$code" = "$want" ] && continue
      IRONIC_RETRIES[$name]=$(( ${IRONIC_RETRIES[$name]:-0} + 1 )); IRONIC_CODES[$name]+="$code "
      again+=("${pending[$k]}")
    done <"$out"
    # Requests curl never completed leave no line: compare counts.
    if [ "$(wc -l <"$out")" -ne ${#pending[@]} ]; then echo "   $name: curl answered $(wc -l <"$out") of ${#pending[@]}" >&2; return 1; fi
    [ ${#again[@]} -eq 0 ] && return 0
    pending=("${again[@]}")
    sleep 0.2
  done
  echo "   $name: ${#pending[@]} requests never answered $want (codes seen: ${IRONIC_CODES[$name]})" >&2
  return 1
}

# ironic_states: "state=count ..." for every node, from one list request (what the poll sees); "unanswered" when the
# API did not answer (a busy machine): the poll then simply tries again.
ironic_states() {
  local body
  body=$(curl -sf --max-time 30 -H "$IRONIC_HEADER" "$IRONIC_URL/v1/nodes?fields=provision_state&limit=$HOSTS") \
    || { echo unanswered; return 0; }
  python3 -c 'import json, sys, collections
c = collections.Counter(n["provision_state"] for n in json.load(sys.stdin)["nodes"])
print(" ".join("%s=%d" % (s.replace(" ", "_"), n) for s, n in sorted(c.items())))' <<<"$body"
}

# ironic_wait STATE: polls every $POLL s until every node is in STATE (0), or a node failed, or the deadline (1).
ironic_wait() {
  local want=$1 states
  while :; do
    sleep "$POLL"
    states=$(ironic_states)
    [[ " $states " == *" $want=$HOSTS "* ]] && return 0
    # "... failed" is a failed step; back in "enroll" after "manage" (nothing verifying any more) is a failed verify.
    if [[ $states == *fail* || ( $want == manageable && $states == *enroll=* && $states != *verifying=* ) ]]; then
      echo "   waiting for $want: $states" >&2; return 1
    fi
    (( $(now_ms) - t0 < DEADLINE * 1000 )) || { echo "   deadline waiting for $want: $states" >&2; return 1; }
  done
}

run_ironic() {
  echo "== ironic: $HOSTS hosts (Ironic $(ironic_version), api + conductor over JSON-RPC, SQLite, fake-hardware)"
  local s0=$SECONDS
  ironic_start "$WORK/ironic" "$HOSTS" || exit 1
  echo "   Ironic up on $IRONIC_URL after $((SECONDS - s0)) s (PIDs $(ironic_pids | tr '\n' ' '))"
  declare -gA IRONIC_RETRIES=() IRONIC_CODES=()
  local i nodes=() ports=() manage=() provide=() active=() checksum
  checksum=$(printf 'e%.0s' $(seq 64))
  for ((i = 1; i <= HOSTS; i++)); do
    local u; u=$(node_uuid "$i")
    nodes+=("POST /v1/nodes {\"uuid\":\"$u\",\"name\":\"bench-$(printf %05d "$i")\",\"driver\":\"fake-hardware\",\"driver_info\":{\"address\":\"fake://bench-$(printf %05d "$i")\"},\"instance_info\":{\"image_source\":\"http://127.0.0.1:9/img.raw\",\"image_checksum\":\"$checksum\"}}")
    ports+=("POST /v1/ports {\"node_uuid\":\"$u\",\"address\":\"52:54:00:$(printf '%02x:%02x:%02x' $((i >> 16 & 255)) $((i >> 8 & 255)) $((i & 255)))\"}")
    manage+=("PUT /v1/nodes/$u/states/provision {\"target\":\"manage\"}")
    provide+=("PUT /v1/nodes/$u/states/provision {\"target\":\"provide\"}")
    active+=("PUT /v1/nodes/$u/states/provision {\"target\":\"active\"}")
  done
  local ok=1 t1 tm tp
  t0=$(now_ms)
  ironic_requests nodes 201 "${nodes[@]}" && ironic_requests ports 201 "${ports[@]}" || ok=""
  t1=$(now_ms)
  [ -n "$ok" ] && { ironic_requests manage 202 "${manage[@]}" && ironic_wait manageable || ok=""; }
  tm=$(now_ms)
  [ -n "$ok" ] && { ironic_requests provide 202 "${provide[@]}" && ironic_wait available || ok=""; }
  tp=$(now_ms)
  [ -n "$ok" ] && { ironic_requests active 202 "${active[@]}" && ironic_wait active || ok=""; }
  local t2; t2=$(now_ms)
  local states; states=$(ironic_states)
  local done_count; done_count=$(sed -n 's/.*\bactive=\([0-9]*\).*/\1/p' <<<"$states"); done_count=${done_count:-0}
  local errors; errors=$(curl -sf -H "$IRONIC_HEADER" "$IRONIC_URL/v1/nodes?fields=last_error&limit=$HOSTS" \
    | python3 -c 'import json,sys; print(sum(1 for n in json.load(sys.stdin)["nodes"] if n["last_error"]))') || errors="?"
  ironic_rss
  local secs; secs=$(awk -v ms=$((t2 - t0)) 'BEGIN {printf "%.1f", ms/1000}')
  echo "   active $done_count/$HOSTS in ${secs}s: enroll (node + port) $((t1 - t0)) ms, manage -> manageable $((tm - t1)) ms," \
       "provide -> available $((tp - tm)) ms, active -> active $((t2 - tp)) ms; nodes with last_error: $errors; final states: $states"
  local k retried=""
  for k in "${!IRONIC_RETRIES[@]}"; do retried+=" $k x${IRONIC_RETRIES[$k]} (${IRONIC_CODES[$k]% })"; done
  echo "   requests sent again:${retried:- none}; peak RSS $IRONIC_RSS_TEXT"
  record ironic "$done_count" "$t0" "$t1" "$t2" "$errors" "$IRONIC_RSS_TEXT" "$IRONIC_RSS_TOTAL_MIB"
  ironic_stop
}

[ -n "$PEER_ON" ] && run_ironic
for run in $RUNS; do
  echo "== $run: $HOSTS hosts"
  cs=""
  case $run in postgres*) [ -n "$PGDATA" ] || start_postgres; cs=$(new_database "bench_${run//-/_}") ;; esac
  read -r pid1 port1 < <(start_daemon "$run-a" "$WORK/$run-a" "$cs")
  wait_ready "$port1"; token1=$(cat "$WORK/$run-a/admin.token")
  second=()
  if [ "$run" = postgres-2 ]; then
    read -r pid2 port2 < <(start_daemon "$run-b" "$WORK/$run-b" "$cs")
    wait_ready "$port2"; token2=$(cat "$WORK/$run-b/admin.token")
    second=("$port2" "$token2")
  fi
  t0=$(now_ms)
  enroll "$run" "$port1" "$token1" "${second[@]}"
  t1=$(now_ms)
  done_count=0
  while [ "$done_count" -lt "$HOSTS" ]; do
    (( $(now_ms) - t0 < DEADLINE * 1000 )) || { echo "deadline: $done_count provisioned" >&2; break; }
    sleep "$POLL"
    done_count=$(count_state "$port1" "$token1" provisioned)
  done
  t2=$(now_ms)
  errors=$(curl -sf -H "Authorization: Bearer $token1" "http://127.0.0.1:$port1/api/v1/hosts?limit=5000" \
    | python3 -c 'import json,sys; print(sum(1 for h in json.load(sys.stdin)["items"] if h["status"]["errorType"]))')
  rss="$(peak_rss "$pid1")"; mib=${rss% MiB}
  if [ "$run" = postgres-2 ]; then r2=$(peak_rss "$pid2"); rss="$rss + $r2"; mib=$((mib + ${r2% MiB})); fi
  secs=$(awk -v ms=$((t2 - t0)) 'BEGIN {printf "%.1f", ms/1000}')
  record "$run" "$done_count" "$t0" "$t1" "$t2" "$errors" "$rss" "$mib"
  echo "   provisioned $done_count/$HOSTS in ${secs}s (enrollment took $(( (t1 - t0) )) ms), errors: $errors"
  kill_daemons
done

echo
echo "run         | done (hosts) | enrolled in | all done (wall) in | hosts/s | errors | peak RSS"
for r in "${RESULTS[@]}"; do echo "$r"; done
echo "(done = provisioned for metal3, active for Ironic; Ironic's enrollment is node + port; errors = hosts with an error / nodes with last_error)"

# The side-by-side table: Ironic first, then each metal3 run; (Nx) = how many times better metal3 is than Ironic.
cols=(); [ -n "$PEER_ON" ] && cols+=(ironic); for run in $RUNS; do cols+=("$run"); done
declare -A title=([ironic]="Ironic $(ironic_version | sed 's/^[0-9]*://; s/-.*//')" [sqlite]="metal3 SQLite" [postgres]="metal3 PostgreSQL" [postgres-2]="metal3 PostgreSQL x2")
sbs_row() {  # sbs_row LABEL ARRAY-NAME [noratio]
  local -n vals=$2; local c v p=""
  [ -n "$PEER_ON" ] && [ -z "${3:-}" ] && p=${vals[ironic]:-}
  printf '| %-50s ' "$1"
  for c in "${cols[@]}"; do
    v=${vals[$c]:-}
    if [ "$c" != ironic ] && [ -n "$p" ] && [ -n "$v" ] && awk -v v="$v" -v p="$p" 'BEGIN {exit !(v > 0 && p > 0)}'; then
      v=$(awk -v v="$v" -v p="$p" 'BEGIN {printf "%s (%.1fx)", v, p / v}')
    fi
    printf '| %-22s ' "$v"
  done
  printf '|\n'
}
echo
echo "== side by side ($HOSTS hosts, $CONCURRENCY concurrent clients; (Nx) = how many times better metal3 is) =="
printf '| %-50s ' work; for c in "${cols[@]}"; do printf '| %-22s ' "${title[$c]:-$c}"; done; printf '|\n'
printf '| %s ' "$(printf -- '-%.0s' $(seq 50))"; for c in "${cols[@]}"; do printf '| %s ' "$(printf -- '-%.0s' $(seq 22))"; done; printf '|\n'
sbs_row "lifecycle of $HOSTS fake hosts, enroll -> done (s)" WALL
sbs_row "hosts done (provisioned / active)" DONE noratio
sbs_row "peak RSS (MiB)" RSS_MIB
echo
echo "targets (issue 3): 1,000 hosts provisioned in under 60 s on one daemon with PostgreSQL; two daemons faster than one."
