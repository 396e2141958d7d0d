#!/usr/bin/env bash
# metal3 API benchmark (issue 2, "Benchmark"; Ironic as the peer, issue 17). Not a test: it prints figures.
#
#   bench/api/run.sh                      # Ironic, then metal3 on SQLite, then on PostgreSQL
#   STORES=postgres bench/api/run.sh      # one store only
#   PEER=none bench/api/run.sh            # metal3 only (PEER=ironic: fail when Ironic cannot run)
#
# For each store: start the Release build of the daemon as a real process on a free 127.0.0.1 port with a fresh
# data directory; enroll $HOSTS hosts with $CONCURRENCY concurrent clients (one curl process, --parallel);
# then for $DURATION seconds each, with wrk (-t2 -c$CONCURRENCY): list all hosts, then get single hosts.
# PostgreSQL is a private server (initdb + pg_ctl as the postgres user, loopback only) with PostgreSQL's
# default durability settings (fsync, synchronous_commit, full_page_writes all on), unlike the test fixture.
# The peer (bench/peers/ironic.sh): Debian's Ironic, ironic-api + ironic-conductor over JSON-RPC, noauth, SQLite,
# fake-hardware, on free loopback ports; installed with apt-get when absent and running as root. It gets the same
# client and the same work: $HOSTS enrollments (a node with its name, then its port with the MAC: the two requests
# that make what metal3 makes in one) with curl --parallel, then the same wrk runs on GET /v1/nodes/detail?limit=N
# (full node objects, as metal3's list returns full hosts) and GET /v1/nodes/bench-NNNNN.
# The last table puts the three side by side; the ratio after each metal3 figure is how many times better metal3 is
# (metal3/Ironic for rates, Ironic/metal3 for latencies and memory: above 1 means metal3 is ahead).
# Only loopback traffic. Every process and directory it starts is removed on exit, failure or Ctrl-C.
#
# Needs: the .NET 10 SDK, curl, wrk (installed with apt-get when absent and running as root), PostgreSQL server
# binaries under /usr/lib/postgresql/*/bin, runuser (when root).
set -Eeuo pipefail

HOSTS=${HOSTS:-1000}
CONCURRENCY=${CONCURRENCY:-16}
DURATION=${DURATION:-20}
STORES=${STORES:-"sqlite postgres"}
PEER=${PEER:-auto}   # auto | ironic | none (see bench/peers/ironic.sh)
# What to build: a git ref of this repository (default HEAD, exported with git archive, so work in progress in the
# working tree does not leak in), or "worktree" for the working tree as it is.
SOURCE=${SOURCE:-HEAD}
# An existing "dotnet publish" output of Metal3.Server to run instead of building (for quick reruns).
PUBLISH_DIR=${PUBLISH_DIR:-}
# Extra daemon arguments, e.g. DAEMON_ARGS="--Metal3:Jobs:Workers=4" (split on spaces).
DAEMON_ARGS=${DAEMON_ARGS:-}
WRK_THREADS=${WRK_THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-15}   # wrk drops slower responses from the latency figures and counts them as timeouts
WARMUP=${WARMUP:-600}   # requests before measuring that create nothing; 0 = none
# Issue 2 targets, PostgreSQL on the 2-core machine.
TARGET_ENROLL_HPS=2000
TARGET_LIST_P99_MS=50

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/../.." && pwd)
export BENCH_DIR
# shellcheck source=../peers/ironic.sh
source "$BENCH_DIR/../peers/ironic.sh"
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)

WORK=""          # scratch: build output, data dirs, logs
PG_DIR=""        # owned by the postgres user
PG_BIN=""
PG_AS=()         # runuser prefix when root
DAEMON_PID=""
SUBJECT=""       # what runs now: ironic, or a metal3 store
BASE_URL=""      # http://127.0.0.1:PORT of what runs now
AUTH_HEADER=""   # the header every request of the load clients sends (metal3: bearer token; Ironic: API version)
CHILD_PIDS=()    # curl / wrk in flight
declare -A SUMMARY=()

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------------------
# Cleanup: daemon by PID, PostgreSQL by pg_ctl (then by its postmaster PID), our clients by PID, then the directories.
stop_daemon() {
  [[ -n "$DAEMON_PID" ]] || return 0
  if kill -0 "$DAEMON_PID" 2>/dev/null; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$DAEMON_PID" 2>/dev/null || true
  fi
  wait "$DAEMON_PID" 2>/dev/null || true
  DAEMON_PID=""
}

stop_postgres() {
  [[ -n "$PG_DIR" && -d "$PG_DIR/pgdata" ]] || return 0
  if [[ -f "$PG_DIR/pgdata/postmaster.pid" ]]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" stop -m fast -w -t 20 -D "$PG_DIR/pgdata" >/dev/null 2>&1 || true
    if [[ -f "$PG_DIR/pgdata/postmaster.pid" ]]; then
      local pm; pm=$(head -1 "$PG_DIR/pgdata/postmaster.pid" 2>/dev/null || true)
      [[ "$pm" =~ ^[0-9]+$ ]] && kill -KILL "$pm" 2>/dev/null || true
      sleep 0.5
    fi
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for p in "${CHILD_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  stop_daemon
  ironic_stop
  stop_postgres
  [[ -n "$PG_DIR" ]] && rm -rf "$PG_DIR"
  [[ -n "$WORK" ]] && rm -rf "$WORK"
  [[ $rc -ne 0 ]] && log "exit status $rc; cleaned up"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------------------------
free_port() {
  local p
  for _ in $(seq 100); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port found"
}

# CPU ticks (user+system) of the given PIDs; processes that are gone count as 0.
cpu_ticks() {
  local total=0 t p
  for p in "$@"; do
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$(( total + ${t:-0} ))
  done
  echo "$total"
}
# Busy and total ticks of the whole machine, from /proc/stat.
machine_ticks() { awk '/^cpu /{busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6; exit}' /proc/stat; }
pg_pids() {
  [[ -n "$PG_DIR" && -f "$PG_DIR/pgdata/postmaster.pid" ]] || return 0
  local pm; pm=$(head -1 "$PG_DIR/pgdata/postmaster.pid")
  echo "$pm"; pgrep -P "$pm" || true
}

# The server processes being measured: the metal3 daemon, or Ironic's API (with its workers) and conductor.
daemon_pids() { if [[ $SUBJECT == ironic ]]; then ironic_pids; else echo "$DAEMON_PID"; fi; }

# phase_begin / phase_end NAME CLIENT_CPU_SECONDS: CPU use during a phase as % of one core (max ${NCPU}00%).
phase_begin() {
  P_T0=$(date +%s%N)
  P_DPIDS=$(daemon_pids | tr '\n' ' ')
  # shellcheck disable=SC2086
  P_D0=$(cpu_ticks $P_DPIDS)
  P_PGPIDS=$(pg_pids | tr '\n' ' ')
  # shellcheck disable=SC2086
  P_PG0=$(cpu_ticks $P_PGPIDS)
  read -r P_MB0 P_MT0 < <(machine_ticks)
}
phase_end() {
  local name=$1 client_cpu_s=$2
  local t1 d1 pg1 mb1 mt1
  # shellcheck disable=SC2086
  t1=$(date +%s%N); d1=$(cpu_ticks $P_DPIDS)
  # Backends started during the phase are counted from zero (they live in the connection pool).
  P_PGPIDS=$(pg_pids | tr '\n' ' ')
  # shellcheck disable=SC2086
  pg1=$(cpu_ticks $P_PGPIDS)
  read -r mb1 mt1 < <(machine_ticks)
  awk -v wall_ns=$((t1 - P_T0)) -v d=$((d1 - P_D0)) -v pg=$((pg1 - P_PG0)) -v hz="$CLK_TCK" -v cl="$client_cpu_s" \
      -v mb=$((mb1 - P_MB0)) -v mt=$((mt1 - P_MT0)) -v ncpu="$NCPU" -v name="$name" -v who="$([[ $SUBJECT == ironic ]] && echo 'Ironic (api + conductor)' || echo daemon)" -v havepg="${PG_DIR:+1}" 'BEGIN {
    wall = wall_ns / 1e9; if (wall <= 0) wall = 1e-9
    dp = 100 * d / hz / wall; pp = 100 * pg / hz / wall; cp = 100 * cl / wall
    all = (mt > 0) ? ncpu * 100 * mb / mt : 0
    other = all - dp - pp - cp; if (other < 0) other = 0
    printf "    CPU during %s (%% of one core, machine max %d%%): %s %.0f%%", name, ncpu * 100, who, dp
    if (havepg) printf ", postgres %.0f%%", pp
    printf ", load client %.0f%%, everything else on the machine %.0f%% (machine busy %.0f%%)\n", cp, other, all
  }'
}

# ---------------------------------------------------------------------------------------------------------------------
start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -1 || true)
  [[ -n "$PG_BIN" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] \
    || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
  PG_DIR=$(mktemp -d /tmp/metal3-bench-pg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$PG_DIR"
    PG_AS=(runuser -u postgres --)
  else
    PG_AS=()
  fi
  PG_PORT=$(free_port)
  log "PostgreSQL: initdb in $PG_DIR ($PG_BIN)"
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/pgdata" -U postgres --auth=trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; die "initdb"; }
  # Production durability: PostgreSQL's defaults (no fsync=off, synchronous_commit=off or full_page_writes=off).
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" start -w -t 60 -D "$PG_DIR/pgdata" -l "$PG_DIR/server.log" \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; die "pg_ctl start"; }
  "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c 'CREATE DATABASE metal3_bench' \
    || die "CREATE DATABASE"
  echo "  PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, data in $PG_DIR ($(df -T "$PG_DIR" | awk 'NR==2{print $2}')), settings:"
  "$PG_BIN/psql" -X -A -t -F ' = ' -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c \
    "SELECT name, setting || COALESCE(' ' || unit, '') FROM pg_settings WHERE name IN
       ('fsync','synchronous_commit','full_page_writes','wal_sync_method','wal_level','shared_buffers',
        'max_connections','checkpoint_timeout','max_wal_size','commit_delay') ORDER BY name" | sed 's/^/    /'
}

start_daemon() {
  local store=$1 data_dir=$2
  PORT=$(free_port)
  local args=("--Metal3:DataDir=$data_dir" "--urls=http://127.0.0.1:$PORT")
  # shellcheck disable=SC2206
  [[ -n "$DAEMON_ARGS" ]] && args+=($DAEMON_ARGS)
  if [[ "$store" == postgres ]]; then
    args+=("--Metal3:Database:Provider=postgres"
           "--ConnectionStrings:Metal3=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=metal3_bench")
  fi
  mkdir -p "$data_dir"
  # The content root (appsettings.json) is the working directory.
  (cd "$PUBLISH" && exec ./Metal3.Server "${args[@]}") >"$WORK/daemon-$store.log" 2>&1 &
  DAEMON_PID=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/readyz" 2>/dev/null; do
    kill -0 "$DAEMON_PID" 2>/dev/null || { tail -30 "$WORK/daemon-$store.log" >&2; die "daemon exited during start-up"; }
    (( SECONDS < deadline )) || { tail -30 "$WORK/daemon-$store.log" >&2; die "daemon not ready after 60 s"; }
    sleep 0.2
  done
  TOKEN=$(tr -d '[:space:]' <"$data_dir/admin.token")
  [[ -n "$TOKEN" ]] || die "empty $data_dir/admin.token"
  BASE_URL="http://127.0.0.1:$PORT"
  AUTH_HEADER="Authorization: Bearer $TOKEN"
  echo "  daemon PID $DAEMON_PID on http://127.0.0.1:$PORT, data dir $data_dir ($(df -T "$data_dir" | awk 'NR==2{print $2}'))"
}

# Runs a command in the background and waits for it, so that Ctrl-C reaches our trap at once (a foreground child
# in another process group, as timeout(1) makes, would delay it); its PID is killed by cleanup. Sets CHILD_CPU to
# the user+system seconds of the command and its descendants.
run_child() {
  local out=$1; shift
  children_cpu; local c0=$CHILDREN_CPU
  "$@" >"$out" 2>"$out.err" &
  local pid=$!
  CHILD_PIDS+=("$pid")
  local rc=0
  wait "$pid" || rc=$?
  CHILD_PIDS=("${CHILD_PIDS[@]/$pid}")
  children_cpu
  CHILD_CPU=$(awk -v a="$c0" -v b="$CHILDREN_CPU" 'BEGIN {print b - a}')
  return $rc
}
# CHILDREN_CPU = user+system seconds of every child this shell has waited for (second line of the times builtin,
# which must run in this shell, not in a $(...) subshell).
children_cpu() {
  times >"$WORK/times"
  CHILDREN_CPU=$(awk 'NR == 2 {gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4}' "$WORK/times")
}

# Percentile (nearest rank) of a column of numbers on stdin.
percentile() { sort -n | awk -v p="$1" '{v[NR]=$1} END {if (NR==0) {print "nan"; exit} i=int((p/100)*NR+0.999999); if (i<1) i=1; if (i>NR) i=NR; print v[i]}'; }

# A freshly started .NET process runs unoptimised (tier-0) code and builds its EF model on first use. Before measuring,
# exercise the same pipeline without creating hosts: enrollments that fail validation (400), gets of an unknown
# host (404) and lists. The insert path itself stays cold: the first enrollments include its JIT time.
warm_up() {
  [[ "$WARMUP" -gt 0 ]] || return 0
  local cfg="$WORK/warmup.curl" i sep=""
  : >"$cfg"
  for ((i = 1; i <= WARMUP; i++)); do
    case $((i % 3)) in
      0) printf '%surl = "http://127.0.0.1:%s/api/v1/hosts"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\ndata = "{\\"name\\":\\"Warm_Up\\",\\"bootMacAddress\\":\\"52:54:00:ff:ff:%02x\\",\\"bmc\\":{\\"address\\":\\"fake://warm-up\\",\\"username\\":\\"admin\\",\\"password\\":\\"secret\\"},\\"online\\":true}"\n' \
           "$sep" "$PORT" "$TOKEN" $((i & 255)) >>"$cfg" ;;
      1) printf '%surl = "http://127.0.0.1:%s/api/v1/hosts/warm-up-%d"\nheader = "Authorization: Bearer %s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
           "$sep" "$PORT" "$i" "$TOKEN" >>"$cfg" ;;
      2) printf '%surl = "http://127.0.0.1:%s/api/v1/hosts"\nheader = "Authorization: Bearer %s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
           "$sep" "$PORT" "$TOKEN" >>"$cfg" ;;
    esac
    sep=$'next\n'
  done
  local t0=$SECONDS
  run_child "$WORK/warmup.out" timeout 120 curl -sS --parallel --parallel-immediate --parallel-max "$CONCURRENCY" -K "$cfg" \
    || { cat "$WORK/warmup.out.err" >&2; die "warm-up failed"; }
  echo "  warm-up: $WARMUP requests in $((SECONDS - t0)) s, no host created (status counts: $(sort "$WORK/warmup.out" | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}'))"
}

enroll() {
  local store=$1 cfg="$WORK/enroll-$store.curl" out="$WORK/enroll-$store.out"
  # One curl process, $CONCURRENCY transfers in flight over kept-alive connections, one request per host.
  : >"$cfg"
  local i sep=""
  for ((i = 1; i <= HOSTS; i++)); do
    printf '%surl = "http://127.0.0.1:%s/api/v1/hosts"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code} %%{time_total}\\n"\ndata = "{\\"name\\":\\"bench-%05d\\",\\"labels\\":{\\"rack\\":\\"r7\\"},\\"bootMacAddress\\":\\"52:54:00:%02x:%02x:%02x\\",\\"bmc\\":{\\"address\\":\\"fake://bench-%05d\\",\\"username\\":\\"admin\\",\\"password\\":\\"secret\\"},\\"online\\":true}"\n' \
      "$sep" "$PORT" "$TOKEN" "$i" $((i >> 16 & 255)) $((i >> 8 & 255)) $((i & 255)) "$i" >>"$cfg"
    sep=$'next\n'
  done
  phase_begin
  local t0 t1
  t0=$(date +%s%N)
  run_child "$out" timeout 120 curl -sS --parallel --parallel-immediate --parallel-max "$CONCURRENCY" -K "$cfg" \
    || { cat "$out.err" >&2; die "curl enrollment failed"; }
  t1=$(date +%s%N)
  local client_cpu=$CHILD_CPU
  local created total
  created=$(awk '$1 == 201' "$out" | wc -l)
  total=$(wc -l <"$out")
  local hps p50 p99
  hps=$(awk -v n="$created" -v ns=$((t1 - t0)) 'BEGIN {printf (n / (ns / 1e9) < 100 ? "%.1f" : "%.0f"), n / (ns / 1e9)}')
  p50=$(awk '{print $2 * 1000}' "$out" | percentile 50)
  p99=$(awk '{print $2 * 1000}' "$out" | percentile 99)
  printf '  enroll: %d hosts in %.2f s = %s hosts/s with %d concurrent clients (curl --parallel); latency p50 %.1f ms p99 %.1f ms\n' \
    "$HOSTS" "$(awk -v ns=$((t1 - t0)) 'BEGIN {print ns / 1e9}')" "$hps" "$CONCURRENCY" "$p50" "$p99"
  if [[ "$created" -eq "$HOSTS" && "$total" -eq "$HOSTS" ]]; then
    echo "    all $HOSTS returned 201 Created"
  else
    echo "    NOT all 201: $created of $total responses were 201; status counts:"
    awk '{print $1}' "$out" | sort | uniq -c | sed 's/^/      /'
  fi
  phase_end enroll "$client_cpu"
  # The list must now hold every host, in one page.
  local listed
  listed=$(curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/hosts?limit=$HOSTS" | jq '.items | length')
  echo "    GET /api/v1/hosts?limit=$HOSTS returns $listed items in one page"
  SUMMARY[$store.enroll]=$hps
  SUMMARY[$store.enroll_ok]="$created/$HOSTS"
}

read_bench() {
  local store=$1 kind=$2 script=$3 path=$4
  shift 4
  local out="$WORK/wrk-$store-$kind.out"
  phase_begin
  run_child "$out" timeout $((DURATION + 30)) wrk -t"$WRK_THREADS" -c"$CONCURRENCY" -d"${DURATION}s" --timeout "${WRK_TIMEOUT}s" --latency \
      -H "$AUTH_HEADER" -s "$BENCH_DIR/$script" "$BASE_URL$path" "$@" \
    || { cat "$out" "$out.err" >&2; die "wrk $kind failed"; }
  local client_cpu=$CHILD_CPU
  local line; line=$(grep '^RESULT ' "$out") || { cat "$out" >&2; die "no RESULT line from wrk"; }
  local -A r=()
  local kv
  for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  printf '  %-4s %-28s %8.1f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d requests, %d HTTP errors, %d socket errors of which %d timeouts > %ss, %.1f MB/s)\n' \
    "$kind" "$path" "${r[rps]}" "${r[p50_ms]}" "${r[p90_ms]}" "${r[p99_ms]}" "${r[max_ms]}" "${r[requests]}" \
    "${r[status_errors]}" "${r[socket_errors]}" "${r[timeouts]}" "$WRK_TIMEOUT" "$(awk -v b="${r[bytes]}" -v s="${r[duration_s]}" 'BEGIN {print b / s / 1e6}')"
  phase_end "$kind" "$client_cpu"
  # Rates below 100/s keep a decimal, so that the ratios to the peer are not rounding artefacts.
  SUMMARY[$store.$kind]=$(awk -v r="${r[rps]}" -v a="${r[p50_ms]}" -v b="${r[p99_ms]}" 'BEGIN {printf (r < 100 ? "%.1f" : "%.0f"), r; printf " %.1f %.1f", a, b}')
  # No answer within wrk's timeout: no latency to show, only that it is above the timeout.
  [[ ${r[requests]} -eq 0 ]] && SUMMARY[$store.$kind]="0 >${WRK_TIMEOUT}s >${WRK_TIMEOUT}s"
  SUMMARY[$store.${kind}_err]=$(( ${r[status_errors]} + ${r[socket_errors]} ))
}

run_store() {
  local store=$1
  echo
  echo "== metal3, $store =="
  SUBJECT=$store
  if [[ "$store" == postgres ]]; then start_postgres; fi
  start_daemon "$store" "$WORK/data-$store"
  warm_up
  enroll "$store"
  read_bench "$store" list list.lua "/api/v1/hosts?limit=$HOSTS"
  read_bench "$store" get get.lua /api/v1/hosts/bench-00001 -- "$HOSTS"
  echo "  hosts by state/operationalStatus after the run (the reconcile jobs run during the benchmark): $(curl -fsS \
    -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/hosts" \
    | jq -r '[.items[] | "\(.status.provisioning.state)/\(.status.operationalStatus)"] | group_by(.) | map("\(.[0]) x\(length)") | join(", ")')"
  SUMMARY[$store.rss]=$(awk '/^VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$DAEMON_PID/status")
  SUMMARY[$store.rss_mib]=${SUMMARY[$store.rss]% MiB}
  local warnings
  warnings=$(grep -ciE '(fail|error|exception|warn)' "$WORK/daemon-$store.log" || true)
  echo "  daemon peak RSS (VmHWM) ${SUMMARY[$store.rss]}; daemon log lines mentioning fail/error/exception/warn: $warnings"
  grep -iE -A1 '(fail|error|exception|warn)' "$WORK/daemon-$store.log" | head -8 | cut -c1-200 | sed 's/^/    | /' || true
  stop_daemon
  if [[ "$store" == postgres ]]; then stop_postgres; rm -rf "$PG_DIR"; PG_DIR=""; fi
}

# ---------------------------------------------------------------------------------------------------------------------
# The peer: Ironic (bench/peers/ironic.sh), the same client and the same work as the metal3 runs.

# Deterministic node UUIDs, so that ports can name their node without reading the answers back.
node_uuid() { printf '5b0e0000-0000-4000-8000-%012d' "$1"; }

# As warm_up for metal3: requests that create nothing (400 creations without a driver, 404 gets, lists).
ironic_warm_up() {
  [[ "$WARMUP" -gt 0 ]] || return 0
  local cfg="$WORK/ironic-warmup.curl" i sep=""
  : >"$cfg"
  for ((i = 1; i <= WARMUP; i++)); do
    case $((i % 3)) in
      0) printf '%surl = "%s/v1/nodes"\nheader = "%s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\ndata = "{\\"name\\":\\"warm-up\\"}"\n' \
           "$sep" "$IRONIC_URL" "$IRONIC_HEADER" >>"$cfg" ;;
      1) printf '%surl = "%s/v1/nodes/warm-up-%d"\nheader = "%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
           "$sep" "$IRONIC_URL" "$i" "$IRONIC_HEADER" >>"$cfg" ;;
      2) printf '%surl = "%s/v1/nodes/detail?limit=%d"\nheader = "%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
           "$sep" "$IRONIC_URL" "$HOSTS" "$IRONIC_HEADER" >>"$cfg" ;;
    esac
    sep=$'next\n'
  done
  local t0=$SECONDS
  run_child "$WORK/ironic-warmup.out" timeout 300 curl -sS --parallel --parallel-immediate --parallel-max "$CONCURRENCY" -K "$cfg" \
    || { cat "$WORK/ironic-warmup.out.err" >&2; die "Ironic warm-up failed"; }
  echo "  warm-up: $WARMUP requests in $((SECONDS - t0)) s, no node created (status counts: $(sort "$WORK/ironic-warmup.out" | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}'))"
}

# One curl --parallel run of a config file; prints "<201 count> <seconds> <p50 ms> <p99 ms>".
ironic_post_all() {
  local name=$1 cfg=$2 out="$WORK/ironic-$1.out" t0 t1
  t0=$(date +%s%N)
  run_child "$out" timeout 600 curl -sS --parallel --parallel-immediate --parallel-max "$CONCURRENCY" -K "$cfg" \
    || { cat "$out.err" >&2; die "curl $name failed"; }
  t1=$(date +%s%N)
  IRONIC_POST_CPU=$CHILD_CPU
  IRONIC_POST=$(printf '%d %s %s %s' "$(awk '$1 == 201' "$out" | wc -l)" "$(awk -v ns=$((t1 - t0)) 'BEGIN {print ns / 1e9}')" \
    "$(awk '{print $2 * 1000}' "$out" | percentile 50)" "$(awk '{print $2 * 1000}' "$out" | percentile 99)")
  if [[ $(awk '$1 == 201' "$out" | wc -l) -ne $HOSTS ]]; then
    echo "    NOT all 201 for $name; status counts:"; awk '{print $1}' "$out" | sort | uniq -c | sed 's/^/      /'
  fi
}

# Enrollment: every node (name, fake-hardware driver, BMC-like driver_info, a label in extra), then every node's port
# (its MAC). Both runs count: together they hold what one metal3 enrollment holds.
ironic_enroll() {
  local nodes="$WORK/ironic-nodes.curl" ports="$WORK/ironic-ports.curl" i sep=""
  : >"$nodes"; : >"$ports"
  for ((i = 1; i <= HOSTS; i++)); do
    printf '%surl = "%s/v1/nodes"\nheader = "%s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code} %%{time_total}\\n"\ndata = "{\\"uuid\\":\\"%s\\",\\"name\\":\\"bench-%05d\\",\\"driver\\":\\"fake-hardware\\",\\"extra\\":{\\"rack\\":\\"r7\\"},\\"driver_info\\":{\\"address\\":\\"fake://bench-%05d\\",\\"username\\":\\"admin\\",\\"password\\":\\"secret\\"}}"\n' \
      "$sep" "$IRONIC_URL" "$IRONIC_HEADER" "$(node_uuid "$i")" "$i" "$i" >>"$nodes"
    printf '%surl = "%s/v1/ports"\nheader = "%s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code} %%{time_total}\\n"\ndata = "{\\"node_uuid\\":\\"%s\\",\\"address\\":\\"52:54:00:%02x:%02x:%02x\\"}"\n' \
      "$sep" "$IRONIC_URL" "$IRONIC_HEADER" "$(node_uuid "$i")" $((i >> 16 & 255)) $((i >> 8 & 255)) $((i & 255)) >>"$ports"
    sep=$'next\n'
  done
  phase_begin
  local n_ok n_s n50 n99 p_ok p_s p50 p99 cpu
  ironic_post_all nodes "$nodes"; read -r n_ok n_s n50 n99 <<<"$IRONIC_POST"; cpu=$IRONIC_POST_CPU
  ironic_post_all ports "$ports"; read -r p_ok p_s p50 p99 <<<"$IRONIC_POST"
  cpu=$(awk -v a="$cpu" -v b="$IRONIC_POST_CPU" 'BEGIN {print a + b}')
  local hps
  hps=$(awk -v n="$p_ok" -v s="$n_s" -v t="$p_s" 'BEGIN {printf (n / (s + t) < 100 ? "%.1f" : "%.0f"), n / (s + t)}')
  printf '  enroll: %d hosts in %.2f s = %s hosts/s with %d concurrent clients (curl --parallel)\n' "$HOSTS" \
    "$(awk -v s="$n_s" -v t="$p_s" 'BEGIN {print s + t}')" "$hps" "$CONCURRENCY"
  printf '    POST /v1/nodes: %d x 201 in %.2f s (%.0f/s), latency p50 %.1f ms p99 %.1f ms\n' "$n_ok" "$n_s" \
    "$(awk -v n="$n_ok" -v s="$n_s" 'BEGIN {print n / s}')" "$n50" "$n99"
  printf '    POST /v1/ports: %d x 201 in %.2f s (%.0f/s), latency p50 %.1f ms p99 %.1f ms\n' "$p_ok" "$p_s" \
    "$(awk -v n="$p_ok" -v s="$p_s" 'BEGIN {print n / s}')" "$p50" "$p99"
  phase_end enroll "$cpu"
  local listed
  listed=$(curl -fsS -H "$IRONIC_HEADER" "$IRONIC_URL/v1/nodes/detail?limit=$HOSTS" | jq '.nodes | length')
  echo "    GET /v1/nodes/detail?limit=$HOSTS returns $listed nodes in one page"
  SUMMARY[ironic.enroll]=$hps
  SUMMARY[ironic.enroll_ok]="$p_ok/$HOSTS"
}

run_ironic() {
  echo
  echo "== Ironic $(ironic_version) (api + conductor, JSON-RPC, SQLite, fake-hardware) =="
  SUBJECT=ironic
  local t0=$SECONDS
  ironic_start "$WORK/ironic" "$HOSTS" || die "Ironic start"
  BASE_URL=$IRONIC_URL
  AUTH_HEADER=$IRONIC_HEADER
  echo "  Ironic API on $IRONIC_URL (PIDs $(ironic_pids | tr '\n' ' ')), data in $WORK/ironic; up after $((SECONDS - t0)) s"
  ironic_warm_up
  ironic_enroll
  read_bench ironic list list.lua "/v1/nodes/detail?limit=$HOSTS"
  read_bench ironic get get.lua /v1/nodes/bench-00001 -- "$HOSTS" /v1/nodes/
  ironic_rss
  SUMMARY[ironic.rss]=$IRONIC_RSS_TEXT
  SUMMARY[ironic.rss_mib]=$IRONIC_RSS_TOTAL_MIB
  local errors
  errors=$(cat "$WORK"/ironic/*.log 2>/dev/null | grep -cE '(ERROR|CRITICAL|Traceback)' || true)
  echo "  Ironic peak RSS (VmHWM) ${SUMMARY[ironic.rss]}; log lines with ERROR/CRITICAL/Traceback: $errors"
  grep -hE '(ERROR|CRITICAL|Traceback)' "$WORK"/ironic/*.log 2>/dev/null | cut -c1-200 | sort | uniq -c | sort -rn | head -4 | sed 's/^/    | /' || true
  ironic_stop
  SUBJECT=""
}

# cell VALUE PEER_VALUE higher|lower: the metal3 figure with how many times better it is than Ironic's.
cell() {
  awk -v v="$1" -v p="$2" -v better="$3" 'BEGIN {
    if (v == "" || v == "-") { printf "-"; exit }
    if (p == "" || p == "-" || p + 0 == 0 || v + 0 == 0) { printf "%s", v; exit }
    r = (better == "higher") ? v / p : p / v
    printf "%s (%.1fx)", v, r
  }'
}

# ---------------------------------------------------------------------------------------------------------------------
main() {
  local started=$SECONDS
  command -v curl >/dev/null || die "curl is needed"
  command -v jq >/dev/null || die "jq is needed"
  if ! command -v wrk >/dev/null; then
    [[ $(id -u) -eq 0 ]] || die "wrk is needed (apt-get install wrk)"
    log "installing wrk"
    apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; } \
      || die "could not install wrk"
  fi
  local peer=""
  if ironic_enabled; then peer=ironic; elif [[ $? -eq 2 ]]; then die "PEER=$PEER"; fi
  WORK=$(mktemp -d /tmp/metal3-bench.XXXXXX)

  echo "metal3 API benchmark: $HOSTS hosts, $CONCURRENCY concurrent clients, ${DURATION}s per read run; peer: ${peer:-none (PEER=$PEER)}"
  echo "  machine: $NCPU CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), load average $(cut -d' ' -f1-3 /proc/loadavg) before start"
  if [[ -n "$PUBLISH_DIR" ]]; then
    PUBLISH=$(cd "$PUBLISH_DIR" && pwd)
    [[ -x "$PUBLISH/Metal3.Server" ]] || die "$PUBLISH_DIR/Metal3.Server not found"
    echo "  daemon: prebuilt $PUBLISH (PUBLISH_DIR; not rebuilt)"
  else
    PUBLISH=$WORK/publish
    local src
    if [[ "$SOURCE" == worktree ]]; then
      src=$REPO
      echo "  source: working tree of $REPO at $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" status --porcelain 2>/dev/null | grep -q . && echo ' with uncommitted changes')"
    else
      src=$WORK/src
      mkdir -p "$src"
      git -C "$REPO" archive --format=tar "$SOURCE" | tar -x -C "$src" || die "git archive $SOURCE"
      echo "  source: $SOURCE = $(git -C "$REPO" rev-parse --short "$SOURCE") (git archive; SOURCE=worktree builds the working tree instead)"
    fi
    log "building Metal3.Server (Release) into $WORK/publish"
    # Build output goes to the scratch directory: nothing in the repository is written.
    # No MSBuild node reuse and no shared compiler server: no build process outlives the script.
    run_child "$WORK/build.log" env DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 \
        timeout 600 dotnet publish "$src/Metal3.Server/Metal3.Server.csproj" -c Release -o "$WORK/publish" \
        --artifacts-path "$WORK/artifacts" -nodeReuse:false -p:UseSharedCompilation=false -nologo -v q \
      || { tail -40 "$WORK/build.log" "$WORK/build.log.err" >&2; die "dotnet publish"; }
    log "built in $((SECONDS - started)) s"
  fi

  local bench_start=$SECONDS
  [[ -n $peer ]] && run_ironic
  for store in $STORES; do run_store "$store"; done

  echo
  echo "== summary ($HOSTS hosts, $CONCURRENCY clients; read runs ${DURATION}s each; latencies in ms) =="
  printf '%-9s | %-22s | %-26s | %-26s | %s\n' store "enroll hosts/s (201s)" "    list req/s  p50    p99" "     get req/s  p50    p99" "daemon peak RSS"
  printf -- '----------+------------------------+----------------------------+----------------------------+----------------\n'
  for store in $STORES; do
    read -r lr l50 l99 <<<"${SUMMARY[$store.list]}"
    read -r gr g50 g99 <<<"${SUMMARY[$store.get]}"
    printf '%-9s | %-22s | %8s %7s %8s | %8s %7s %8s | %s\n' "$store" "${SUMMARY[$store.enroll]} (${SUMMARY[$store.enroll_ok]})" \
      "$lr" "$l50" "$l99" "$gr" "$g50" "$g99" "${SUMMARY[$store.rss]}"
  done

  echo
  echo "== side by side ($HOSTS hosts, $CONCURRENCY clients, same curl and wrk runs; (Nx) = how many times better metal3 is) =="
  local -A name=([sqlite]="metal3 SQLite" [postgres]="metal3 PostgreSQL")
  local cols=() store
  [[ -n $peer ]] && cols+=(ironic)
  for store in $STORES; do cols+=("$store"); done
  local -A row=()
  for store in "${cols[@]}"; do
    read -r row[$store.lr] row[$store.l50] row[$store.l99] <<<"${SUMMARY[$store.list]}"
    read -r row[$store.gr] row[$store.g50] row[$store.g99] <<<"${SUMMARY[$store.get]}"
  done
  # line LABEL KEY higher|lower: one row, Ironic first, then each store with its ratio to Ironic.
  line() {
    local label=$1 key=$2 better=$3 c ref="-"
    [[ -n $peer ]] && ref=${row[ironic.$key]:-${SUMMARY[ironic.$key]:-}}
    printf '| %-34s ' "$label"
    for c in "${cols[@]}"; do
      local v=${row[$c.$key]:-${SUMMARY[$c.$key]:-}}
      if [[ $c == ironic ]]; then printf '| %-20s ' "$v"; else printf '| %-20s ' "$(cell "$v" "$ref" "$better")"; fi
    done
    printf '|\n'
  }
  printf '| %-34s ' work
  for c in "${cols[@]}"; do if [[ $c == ironic ]]; then printf '| %-20s ' "Ironic $(ironic_version | sed 's/^[0-9]*://; s/-.*//')"; else printf '| %-20s ' "${name[$c]:-$c}"; fi; done
  printf '|\n| %s ' "$(printf -- '-%.0s' $(seq 34))"
  for c in "${cols[@]}"; do printf '| %s ' "$(printf -- '-%.0s' $(seq 20))"; done
  printf '|\n'
  line "enroll $HOSTS hosts (hosts/s)" enroll higher
  line "list $HOSTS hosts (req/s)" lr higher
  line "list $HOSTS hosts p50 (ms)" l50 lower
  line "list $HOSTS hosts p99 (ms)" l99 lower
  line "get one host (req/s)" gr higher
  line "get one host p99 (ms)" g99 lower
  line "daemon peak RSS (MiB)" rss_mib lower
  [[ -n $peer ]] && echo "  Ironic: a host is a node plus its port (2 POSTs); list is GET /v1/nodes/detail?limit=$HOSTS; RSS is API workers + conductor."
  echo "  metal3: list is GET /api/v1/hosts?limit=$HOSTS; the lifecycle figures come from bench/lifecycle/run.sh."
  echo
  echo "== issue 2 targets (PostgreSQL) =="
  if [[ " $STORES " == *" postgres "* ]]; then
    local enroll_hps=${SUMMARY[postgres.enroll]} list_p99
    read -r _ _ list_p99 <<<"${SUMMARY[postgres.list]}"
    awk -v e="$enroll_hps" -v te="$TARGET_ENROLL_HPS" -v p="$list_p99" -v tp="$TARGET_LIST_P99_MS" -v n="$HOSTS" 'BEGIN {
      printf "  enrollment           %6.0f hosts/s  target >= %d hosts/s  %s (%.2fx target)\n", e, te, (e >= te ? "MET" : "MISSED"), e / te
      printf "  list %5d hosts p99 %6.1f ms       target <  %d ms       %s\n", n, p, tp, (p < tp ? "MET" : "MISSED")
    }'
  else
    echo "  (PostgreSQL not run)"
  fi
  echo "  benchmark time $((SECONDS - bench_start)) s (plus $((bench_start - started)) s build)"
}

main "$@"
