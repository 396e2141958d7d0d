# Ironic as the benchmark peer (issue 17). Sourced by bench/api/run.sh and bench/lifecycle/run.sh; not run alone.
#
# What runs: Debian's OpenStack Ironic (packages ironic-api, ironic-conductor, python3-ironicclient), standalone on
# loopback: ironic-conductor and ironic-api as two processes that talk JSON-RPC, no Keystone (auth_strategy noauth),
# SQLite, the fake-hardware driver with fake interfaces (nothing touches hardware, nothing is slept). Both listen on
# free 127.0.0.1 ports chosen here. The configuration is bench/peers/ironic.conf.in, filled in a scratch directory.
# The API forks api_workers processes (Ironic's default: one per CPU; IRONIC_API_WORKERS overrides).
#
# The caller sets PEER: "auto" (default: Ironic when ironic-api is installed, or installable because we are root and
# apt knows the package), "ironic" (the same, but failing when it cannot run) or "none" (skip the peer).
# Public functions: ironic_enabled, ironic_start DIR, ironic_stop, ironic_pids, ironic_rss, ironic_version.
# After ironic_start: IRONIC_URL (http://127.0.0.1:PORT), IRONIC_HEADER (the API version header every request sends).

IRONIC_CONF_IN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ironic.conf.in
IRONIC_API_VERSION=${IRONIC_API_VERSION:-1.82}
# Without this header Ironic answers with API 1.1 semantics (nodes are born "available", no manage/provide).
IRONIC_HEADER="X-OpenStack-Ironic-API-Version: $IRONIC_API_VERSION"
IRONIC_CLEAN=${IRONIC_CLEAN:-false}          # automated cleaning when a node is provided (fake: one more async step)
IRONIC_API_WORKERS=${IRONIC_API_WORKERS:-}   # empty = Ironic's default (CPU count)
IRONIC_DIR=""
IRONIC_URL=""
IRONIC_API_PID=""
IRONIC_COND_PID=""
IRONIC_PACKAGES=(ironic-api ironic-conductor python3-ironicclient)

_ironic_log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

_ironic_port() {  # a free loopback port, by asking the kernel (Debian's python, standard library only)
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ironic_enabled: 0 when the peer should run (installing the packages first when needed and possible), 1 to skip.
ironic_enabled() {
  local peer=${PEER:-auto}
  case $peer in
    none) return 1 ;;
    auto|ironic) ;;
    *) _ironic_log "PEER=$peer: expected auto, ironic or none"; return 2 ;;
  esac
  if command -v ironic-api >/dev/null && command -v ironic-conductor >/dev/null && command -v ironic-dbsync >/dev/null; then
    return 0
  fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null \
      && apt-cache policy ironic-api 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    _ironic_log "installing ${IRONIC_PACKAGES[*]} with apt-get (a few minutes; services are not started by the install)"
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${IRONIC_PACKAGES[@]}" \
        >/tmp/metal3-bench-ironic-install.log 2>&1; then
      rm -f /tmp/metal3-bench-ironic-install.log
      # The packages' own service units must not run: only the processes started here.
      return 0
    fi
    _ironic_log "apt-get install failed; see /tmp/metal3-bench-ironic-install.log"
  fi
  if [[ $peer == ironic ]]; then
    _ironic_log "PEER=ironic but ironic-api is not installed and cannot be installed (needs root and apt)"
    return 2
  fi
  _ironic_log "Ironic peer skipped: ironic-api is not installed and cannot be installed here (PEER=none to silence)"
  return 1
}

ironic_version() { dpkg-query -W -f '${Version}' ironic-api 2>/dev/null || echo "?"; }

# ironic_start DIR [MAX_LIMIT]: a fresh database in DIR, then the conductor, then the API; waits until the API lists
# the fake-hardware driver (which means a conductor has registered).
ironic_start() {
  IRONIC_DIR=$1
  local max_limit=${2:-1000}
  (( max_limit < 1000 )) && max_limit=1000
  mkdir -p "$IRONIC_DIR/locks"
  local api_port rpc_port
  api_port=$(_ironic_port); rpc_port=$(_ironic_port)
  while [[ $rpc_port == "$api_port" ]]; do rpc_port=$(_ironic_port); done
  sed -e "s#{{DIR}}#$IRONIC_DIR#g" -e "s#{{API_PORT}}#$api_port#" -e "s#{{RPC_PORT}}#$rpc_port#" \
      -e "s#{{MAX_LIMIT}}#$max_limit#" -e "s#{{CLEAN}}#$IRONIC_CLEAN#" \
      -e "s#{{WORKERS}}#${IRONIC_API_WORKERS:+api_workers = $IRONIC_API_WORKERS}#" \
      "$IRONIC_CONF_IN" >"$IRONIC_DIR/ironic.conf"
  ironic-dbsync --config-file "$IRONIC_DIR/ironic.conf" create_schema >"$IRONIC_DIR/dbsync.out" 2>&1 \
    || { tail -20 "$IRONIC_DIR/dbsync.out" >&2; _ironic_log "ironic-dbsync create_schema failed"; return 1; }
  ironic-conductor --config-file "$IRONIC_DIR/ironic.conf" >"$IRONIC_DIR/conductor.out" 2>&1 &
  IRONIC_COND_PID=$!
  ironic-api --config-file "$IRONIC_DIR/ironic.conf" >"$IRONIC_DIR/api.out" 2>&1 &
  IRONIC_API_PID=$!
  IRONIC_URL="http://127.0.0.1:$api_port"
  local deadline=$((SECONDS + 120))
  until curl -fsS -H "$IRONIC_HEADER" "$IRONIC_URL/v1/drivers" 2>/dev/null | grep -q '"fake-hardware"'; do
    if ! kill -0 "$IRONIC_COND_PID" 2>/dev/null || ! kill -0 "$IRONIC_API_PID" 2>/dev/null || (( SECONDS > deadline )); then
      tail -15 "$IRONIC_DIR"/*.out "$IRONIC_DIR"/*.log 2>/dev/null >&2
      _ironic_log "Ironic did not come up"
      return 1
    fi
    sleep 0.5
  done
}

# Every process of the peer: the conductor, the API and the API's forked workers.
ironic_pids() {
  local p
  for p in $IRONIC_COND_PID $IRONIC_API_PID; do
    kill -0 "$p" 2>/dev/null || continue
    echo "$p"
    pgrep -P "$p" || true
  done
}

# Sets IRONIC_RSS_TOTAL_MIB and IRONIC_RSS_TEXT: peak RSS (VmHWM) of the API processes summed, and of the conductor. Forked workers share pages with their parent,
# so the API sum overstates its memory a little; it is what each process's RSS says.
ironic_rss() {
  local api=0 n=0 cond=0 p
  for p in $IRONIC_API_PID $(pgrep -P "$IRONIC_API_PID" 2>/dev/null); do
    api=$(( api + $(awk '/^VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0) )); n=$((n + 1))
  done
  cond=$(awk '/^VmHWM/ {print $2}' "/proc/$IRONIC_COND_PID/status" 2>/dev/null || echo 0)
  IRONIC_RSS_TOTAL_MIB=$(( (api + cond) / 1024 ))
  IRONIC_RSS_TEXT=$(printf '%d MiB (api %d MiB in %d processes + conductor %d MiB)' \
    "$IRONIC_RSS_TOTAL_MIB" $((api / 1024)) "$n" $((cond / 1024)))
}

# Stops the API (its workers with it), then the conductor, by PID; whatever is left after 10 s is killed.
ironic_stop() {
  local pids p
  pids=$(ironic_pids | tr '\n' ' ')
  [[ -n "${pids// }" ]] || { IRONIC_API_PID=""; IRONIC_COND_PID=""; return 0; }
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [[ -z $alive ]] && break
    sleep 0.2
  done
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
  for p in $IRONIC_API_PID $IRONIC_COND_PID; do wait "$p" 2>/dev/null || true; done
  IRONIC_API_PID=""; IRONIC_COND_PID=""
}
