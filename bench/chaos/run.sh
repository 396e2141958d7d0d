#!/usr/bin/env bash
# Chaos benchmark (issue 16; not run by CI): what the daemon does when its database or its BMCs go away.
#   postgres-outage  HOSTS fake:// hosts in flight on PostgreSQL, the server stopped with `pg_ctl stop -m immediate`
#                    for OUTAGE seconds while a client reads and writes every 0.5 s, then started again.
#   bmc-unreachable  HOSTS fake://…?fail=unreachable hosts for BMC_MINUTES minutes with power sync every minute: how
#                    many events each host's history gains, and how many BMC circuits opened.
# Prints one table: scenario, hosts, lost (hosts gone), stuck (not provisioned by the deadline), 5xx seen by status,
# other answers, log lines while the fault lasted (and how many of them warn/fail), recovery time, notes.
# Usage: bench/chaos/run.sh   (env: HOSTS=200 OUTAGE=30 DELAY_MS=2000 BMC_MINUTES=5 SCENARIOS="postgres-outage bmc-unreachable")
# Needs root (PostgreSQL runs as the postgres user), curl, python3, the Debian package postgresql.
set -euo pipefail
HOSTS=${HOSTS:-200}
OUTAGE=${OUTAGE:-30}
DELAY_MS=${DELAY_MS:-2000}
BMC_MINUTES=${BMC_MINUTES:-5}
SCENARIOS=${SCENARIOS:-"postgres-outage bmc-unreachable"}
DEADLINE=${DEADLINE:-120}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/metal3-bench-chaos.XXXXXX)
chmod 755 "$WORK"
PGDATA=""
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
ROWS=()

cleanup() {
  for f in "$WORK"/*.pid; do [ -e "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; rm -f "$f"; done
  if [ -n "$PGDATA" ]; then runuser -u postgres -- "$PGBIN/pg_ctl" stop -m immediate -D "$PGDATA" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
pg_ctl() { runuser -u postgres -- "$PGBIN/pg_ctl" "$@"; }

echo "building Metal3.Server (Release)…"
dotnet publish "$REPO/Metal3.Server" -c Release -o "$WORK/publish" -p:UseAppHost=false --nologo -v q >"$WORK/publish.log" 2>&1 \
  || { tail -30 "$WORK/publish.log" >&2; exit 1; }

start_postgres() {
  mkdir -p "$WORK/pg" && chown postgres:postgres "$WORK/pg"
  PGDATA="$WORK/pg/data"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  PGPORT=$(free_port)
  PGOPTS="-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=300"
  pg_ctl start -w -D "$PGDATA" -l "$WORK/pg/log" -o "$PGOPTS" >/dev/null
}

new_database() {
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE $1" >/dev/null
  echo "Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=$1;Maximum Pool Size=60"
}

sql() { "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$1" -tAc "$2"; }

start_daemon() {  # start_daemon NAME CONNECTION-STRING [settings…] -> sets PORT and TOKEN
  local name=$1 cs=$2; shift 2
  PORT=$(free_port)
  mkdir -p "$WORK/$name"
  # From the publish directory, so that its appsettings.json (the production log levels) applies.
  (cd "$WORK/publish" && exec dotnet Metal3.Server.dll --urls "http://127.0.0.1:$PORT" --Metal3:DataDir "$WORK/$name" \
    --Metal3:Database:Provider postgres --ConnectionStrings:Metal3 "$cs" "$@") >"$WORK/$name.log" 2>&1 &
  echo $! >"$WORK/$name.pid"
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  TOKEN=$(cat "$WORK/$name/admin.token")
}

api() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$@"; }

enroll() {  # enroll NAME-PREFIX ADDRESS-QUERY IMAGE(yes|no)
  local cfg="$WORK/enroll.curl" sep="" image=""
  [ "$3" = yes ] && image=",\\\"image\\\":{\\\"url\\\":\\\"http://images.example/img.raw\\\",\\\"checksum\\\":\\\"$(printf 'e%.0s' $(seq 64))\\\"}"
  : >"$cfg"
  for ((i = 0; i < HOSTS; i++)); do
    printf '%surl = "http://127.0.0.1:%s/api/v1/hosts"\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\ndata = "{\\"name\\":\\"%s-%04d\\",\\"bmc\\":{\\"address\\":\\"fake://%s-%04d%s\\"},\\"online\\":true%s}"\n' \
      "$sep" "$PORT" "$TOKEN" "$1" "$i" "$1" "$i" "$2" "$image" >>"$cfg"
    sep=$'next\n'
  done
  curl -sS --no-progress-meter --parallel --parallel-max 16 -K "$cfg" | sort | uniq -c | awk '$2 != 201 {bad=1} END {exit bad}' \
    || { echo "enrolment failed" >&2; exit 1; }
}

states() {  # "provisioned N, …" from the API
  curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/hosts?limit=1000" | python3 -c '
import collections, json, sys
items = json.load(sys.stdin)["items"]
c = collections.Counter(h["status"]["provisioning"]["state"] + ("/error" if h["status"]["errorType"] else "") for h in items)
print(len(items), c.get("provisioned", 0), ", ".join(f"{k} {v}" for k, v in sorted(c.items())))'
}

postgres_outage() {
  local cs; cs=$(new_database outage)
  start_daemon outage "$cs" --Metal3:Jobs:PowerSyncInterval 00:01:00
  enroll out "?delayMs=$DELAY_MS" yes
  sleep 2
  read -r _ before _ < <(states)
  local lines0; lines0=$(wc -l <"$WORK/outage.log")
  local stop_ms; stop_ms=$(now_ms)
  pg_ctl stop -m immediate -D "$PGDATA" >/dev/null
  : >"$WORK/answers"
  while (( $(now_ms) - stop_ms < OUTAGE * 1000 )); do
    { api "http://127.0.0.1:$PORT/api/v1/hosts"; echo; } >>"$WORK/answers"
    { api "http://127.0.0.1:$PORT/api/v1/hosts/out-0000"; echo; } >>"$WORK/answers"
    { api -X POST -H 'Content-Type: application/json' -d '{"name":"during-outage","bmc":{"address":"fake://x"}}' \
        "http://127.0.0.1:$PORT/api/v1/hosts"; echo; } >>"$WORK/answers"
    sleep 0.5
  done
  local alive=yes; kill -0 "$(cat "$WORK/outage.pid")" 2>/dev/null || alive=no
  local during; during=$(tail -n +"$((lines0 + 1))" "$WORK/outage.log")
  local lines; lines=$(printf '%s\n' "$during" | grep -c . || true)
  local loud; loud=$(printf '%s\n' "$during" | grep -cE '^(warn|fail|crit):' || true)
  pg_ctl start -w -D "$PGDATA" -l "$WORK/pg/log" -o "$PGOPTS" >/dev/null
  local start_ms recovered="-" total provisioned summary
  start_ms=$(now_ms)
  while (( $(now_ms) - start_ms < DEADLINE * 1000 )); do
    read -r total provisioned summary < <(states)
    if [ "$provisioned" = "$HOSTS" ]; then recovered="$(( ($(now_ms) - start_ms) / 1000 )) s"; break; fi
    sleep 1
  done
  read -r total provisioned summary < <(states)
  local expected="registering>inspecting,inspecting>preparing,preparing>available,available>provisioning,provisioning>provisioned"
  local unclean; unclean=$(sql outage "SELECT count(*) FROM (SELECT \"HostName\", string_agg(\"FromState\" || '>' || \"ToState\", ',' ORDER BY \"Id\") p
    FROM host_events WHERE \"Reason\" = 'StateChanged' GROUP BY \"HostName\") x WHERE p <> '$expected'")
  local failed; failed=$(sql outage "SELECT count(*) FROM hangfire.job WHERE statename = 'Failed'")
  local created; created=$(sql outage "SELECT count(*) FROM hosts WHERE \"Name\" = 'during-outage'")
  local codes; codes=$(sort "$WORK/answers" | uniq -c | awk '{printf "%s%s×%s", sep, $2, $1; sep=" "}')
  local fivexx; fivexx=$(grep -E '^5' "$WORK/answers" | sort | uniq -c | awk '{printf "%s%s: %s", sep, $2, $1; sep=", "}')
  ROWS+=("postgres-outage ${OUTAGE}s|$HOSTS|$((HOSTS - total))|$((HOSTS - provisioned))|${fivexx:-none}|$codes|$lines ($loud warn/fail)|$recovered|in flight at stop: $((HOSTS - before)); daemon up: $alive; unclean paths: $unclean; failed jobs: $failed; write during outage stored: $created")
  kill "$(cat "$WORK/outage.pid")" 2>/dev/null || true
  rm -f "$WORK/outage.pid"
}

bmc_unreachable() {
  local cs; cs=$(new_database bmc)
  start_daemon bmc "$cs" --Metal3:Jobs:PowerSyncInterval 00:01:00
  local lines0; lines0=$(wc -l <"$WORK/bmc.log")
  enroll gone "?fail=unreachable" no
  sleep $((BMC_MINUTES * 60))
  local events; events=$(sql bmc "SELECT count(*) FROM host_events")
  local max; max=$(sql bmc "SELECT max(n) FROM (SELECT count(*) n FROM host_events GROUP BY \"HostName\") x")
  read -r total _ summary < <(states)
  local lines; lines=$(tail -n +"$((lines0 + 1))" "$WORK/bmc.log" | grep -c . || true)
  local opened; opened=$(grep -c 'did not answer 3 calls in a row' "$WORK/bmc.log" || true)
  ROWS+=("bmc-unreachable ${BMC_MINUTES}min|$HOSTS|$((HOSTS - total))|-|none|-|$lines|-|events per host: $(( events / HOSTS )) avg, $max max; circuits opened: $opened; states: $summary")
  kill "$(cat "$WORK/bmc.pid")" 2>/dev/null || true
  rm -f "$WORK/bmc.pid"
}

start_postgres
for s in $SCENARIOS; do
  echo "running $s…"
  case $s in
    postgres-outage) postgres_outage ;;
    bmc-unreachable) bmc_unreachable ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
  esac
done

echo
{
  echo "scenario|hosts|lost|stuck|5xx seen|all answers during the fault|log lines during the fault|recovery|notes"
  printf '%s\n' "${ROWS[@]}"
} | column -t -s '|'
