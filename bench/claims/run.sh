#!/usr/bin/env bash
# Claims benchmark: N fake:// hosts enrolled and available, then N claims posted at once (all matching); the figure is
# claims bound per second, from the first POST to the moment every claim is Bound, on SQLite and on PostgreSQL.
# Every claim must end on its own host (checked). Not run by CI; tests/Metal3.Server.Tests/Claims has the small version.
# Usage: bench/claims/run.sh   (env: N=200 CONCURRENCY=16 RUNS="sqlite postgres" DAEMON_ARGS="--Metal3:Jobs:Workers 8")
set -euo pipefail
N=${N:-200}
CONCURRENCY=${CONCURRENCY:-16}
RUNS=${RUNS:-"sqlite postgres"}
DEADLINE=${DEADLINE:-600}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/metal3-bench-claims.XXXXXX)
chmod 755 "$WORK"  # the postgres user must reach its data directory inside
PGDATA=""
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

cleanup() {
  for f in "$WORK"/*.pid; do [ -e "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; rm -f "$f"; done
  if [ -n "$PGDATA" ]; then runuser -u postgres -- "$PGBIN/pg_ctl" stop -m immediate -D "$PGDATA" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

echo "building Metal3.Server (Release)…"
dotnet publish "$REPO/Metal3.Server" -c Release -o "$WORK/publish" -p:UseAppHost=false --nologo -v q >/dev/null

start_postgres() {
  mkdir -p "$WORK/pg" && chown postgres:postgres "$WORK/pg"
  PGDATA="$WORK/pg/data"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  PGPORT=$(free_port)
  runuser -u postgres -- "$PGBIN/pg_ctl" start -w -D "$PGDATA" -l "$WORK/pg/log" \
    -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE claims" >/dev/null
  echo "Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=claims;Maximum Pool Size=60"
}

# post RUN PORT TOKEN KIND: N bodies to /api/v1/KIND at once; every answer must be 201.
post_all() {
  local run=$1 port=$2 token=$3 kind=$4 cfg="$WORK/$1-$4.curl" i sep="" body
  : >"$cfg"
  for ((i = 1; i <= N; i++)); do
    if [ "$kind" = hosts ]; then
      body=$(printf '{\\"name\\":\\"bench-%05d\\",\\"labels\\":{\\"bench\\":\\"claims\\"},\\"bmc\\":{\\"address\\":\\"fake://bench-%05d\\"},\\"online\\":true}' "$i" "$i")
    else
      body=$(printf '{\\"name\\":\\"claim-%05d\\",\\"labelSelector\\":\\"bench=claims\\"}' "$i")
    fi
    printf '%surl = "http://127.0.0.1:%s/api/v1/%s"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\ndata = "%s"\n' \
      "$sep" "$port" "$kind" "$token" "$body" >>"$cfg"
    sep=$'next\n'
  done
  curl -sS --no-progress-meter --parallel --parallel-immediate --parallel-max "$CONCURRENCY" -K "$cfg" >"$WORK/$run-$kind.codes"
  local created; created=$(grep -c '^201$' "$WORK/$run-$kind.codes" || true)
  [ "$created" -eq "$N" ] || { echo "$run: only $created of $N $kind created" >&2; exit 1; }
}

# count PORT TOKEN URL PYTHON-EXPRESSION-OVER-items
count() {
  curl -sf -H "Authorization: Bearer $2" "http://127.0.0.1:$1$3" | python3 -c "import json,sys; items=json.load(sys.stdin)['items']; print($4)"
}

wait_for() {  # wait_for WHAT PORT TOKEN URL EXPR: until EXPR == N
  local what=$1 started; started=$(now_ms)
  until [ "$(count "$2" "$3" "$4" "$5")" -eq "$N" ]; do
    if (( $(now_ms) - started > DEADLINE * 1000 )); then echo "timed out waiting for $what" >&2; exit 1; fi
    sleep 0.1
  done
}

for run in $RUNS; do
  cs=""; [ "$run" = postgres ] && cs=$(start_postgres)
  port=$(free_port)
  args=(--urls "http://127.0.0.1:$port" --Metal3:DataDir "$WORK/$run" --Logging:LogLevel:Default Warning ${DAEMON_ARGS:-})
  [ -n "$cs" ] && args+=(--Metal3:Database:Provider postgres --ConnectionStrings:Metal3 "$cs")
  dotnet "$WORK/publish/Metal3.Server.dll" "${args[@]}" >"$WORK/$run.log" 2>&1 &
  disown
  echo $! >"$WORK/$run.pid"
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  token=$(cat "$WORK/$run/admin.token")

  post_all "$run" "$port" "$token" hosts
  wait_for "$N hosts available" "$port" "$token" "/api/v1/hosts?state=available&limit=5000" "len(items)"
  t0=$(now_ms)
  post_all "$run" "$port" "$token" claims
  t1=$(now_ms)
  wait_for "$N claims bound" "$port" "$token" "/api/v1/claims?limit=5000" "sum(1 for c in items if c['status']['phase'] == 'Bound')"
  t2=$(now_ms)
  distinct=$(count "$port" "$token" "/api/v1/claims?limit=5000" "len({c['status']['host'] for c in items})")
  [ "$distinct" -eq "$N" ] || { echo "$run: $N claims bound to only $distinct hosts" >&2; exit 1; }
  python3 -c "print(f'$run: $N claims posted in {($t1-$t0)/1000:.2f} s, all bound (to $distinct distinct hosts) {($t2-$t0)/1000:.2f} s after the first POST: {$N*1000/($t2-$t0):.0f} claims bound/s')"
  kill -9 "$(cat "$WORK/$run.pid")"; rm -f "$WORK/$run.pid"
done
