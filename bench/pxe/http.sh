#!/usr/bin/env bash
# HTTP boot benchmark (issue 6): wrk against the daemon's provisioning listener and against nginx, same files, same run.
#
#   bench/pxe/http.sh                 # DURATION=10 CONNECTIONS=32 per case
#   PUBLISH_DIR=/tmp/pub bench/pxe/http.sh   # reuse a "dotnet publish" of Metal3.Server instead of building
#
# Cases: a 30 MiB image (GET /images/disk.raw; sendfile on both sides) and the iPXE script of an enrolled host
# (GET /boot/ipxe?mac=…; ours looks the host up in SQLite and renders it, nginx serves the same bytes as a static file).
# Both servers listen on 127.0.0.1 only. The daemon runs with Metal3:Pxe:Interface=lo and DHCP off (no DHCP server
# starts; TFTP listens on a high loopback port). nginx runs with its own configuration and PID file in a scratch
# directory. Every process this script starts is stopped by PID on exit, failure or Ctrl-C.
#
# Needs: the .NET 10 SDK, curl, wrk, nginx (Debian packages wrk and nginx).
set -Eeuo pipefail

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PUBLISH_DIR=${PUBLISH_DIR:-}
MAC=52:54:00:be:00:01

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d /tmp/metal3-bench-http-XXXXXX)
DAEMON_PID=""
NGINX_PID_FILE="$WORK/nginx/nginx.pid"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cleanup() {
  trap - EXIT INT TERM
  if [[ -n "$DAEMON_PID" ]] && kill -0 "$DAEMON_PID" 2>/dev/null; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$DAEMON_PID" 2>/dev/null || true
  fi
  if [[ -s "$NGINX_PID_FILE" ]]; then
    kill -TERM "$(cat "$NGINX_PID_FILE")" 2>/dev/null || true
    sleep 0.5
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

for tool in wrk nginx curl dotnet python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

# --- build --------------------------------------------------------------------------------------------------------
if [[ -z "$PUBLISH_DIR" ]]; then
  PUBLISH_DIR=$WORK/publish
  log "publishing Metal3.Server (Release)"
  timeout 900 dotnet publish "$REPO/Metal3.Server/Metal3.Server.csproj" -c Release -o "$PUBLISH_DIR" --nologo -v q >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "dotnet publish"; }
fi

# --- files ----------------------------------------------------------------------------------------------------------
mkdir -p "$WORK/data/images" "$WORK/data/ramdisk" "$WORK/tftp" "$WORK/nginx/root/images" "$WORK/nginx/root/boot"
head -c $((30 << 20)) /dev/urandom > "$WORK/data/images/disk.raw"
cp "$WORK/data/images/disk.raw" "$WORK/nginx/root/images/disk.raw"
# nginx's workers run as www-data: they must be able to walk to their root (mktemp -d makes it owner-only).
chmod 711 "$WORK"; chmod -R a+rX "$WORK/nginx"

# --- ours -----------------------------------------------------------------------------------------------------------
API_PORT=$(free_port); HTTP_PORT=$(free_port); TFTP_PORT=$(free_port)
log "starting the daemon: API 127.0.0.1:$API_PORT, provisioning listener 127.0.0.1:$HTTP_PORT"
dotnet "$PUBLISH_DIR/Metal3.Server.dll" --urls "http://127.0.0.1:$API_PORT" --Metal3:DataDir "$WORK/data" \
  --Metal3:Jobs:Enabled false --Metal3:Pxe:Interface lo --Metal3:Pxe:Address 127.0.0.1 \
  --Metal3:Pxe:HttpUrl "http://127.0.0.1:$HTTP_PORT" --Metal3:Pxe:Tftp:Root "$WORK/tftp" --Metal3:Pxe:Tftp:Port "$TFTP_PORT" \
  --Logging:LogLevel:Default Warning >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 300); do
  curl -fsS "http://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1 && [[ -s "$WORK/data/admin.token" ]] && break
  kill -0 "$DAEMON_PID" 2>/dev/null || { cat "$WORK/daemon.log" >&2; die "the daemon exited"; }
  sleep 0.2
done
TOKEN=$(cat "$WORK/data/admin.token")
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\": \"bench-0\", \"bootMacAddress\": \"$MAC\", \"bmc\": {\"address\": \"fake://bench-0\"}, \"online\": false}" \
  "http://127.0.0.1:$API_PORT/api/v1/hosts" || die "enrolling the host"
OURS="http://127.0.0.1:$HTTP_PORT"
curl -fsS "$OURS/boot/ipxe?mac=$MAC" > "$WORK/nginx/root/boot/ipxe" || die "fetching the script"
grep -q "bench-0" "$WORK/nginx/root/boot/ipxe" || die "the script does not name the host"

# --- nginx ----------------------------------------------------------------------------------------------------------
NGINX_PORT=$(free_port)
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $NGINX_PID_FILE;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/nginx/root;
    location = /boot/ipxe { default_type text/plain; try_files /boot/ipxe =404; }
  }
}
CONF
mkdir -p "$WORK/nginx/tmp"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" || die "nginx did not start"
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/images/disk.raw" && break; sleep 0.1; done
PEER="http://127.0.0.1:$NGINX_PORT"
cmp -s <(curl -fsS "$OURS/images/disk.raw") "$WORK/data/images/disk.raw" || die "our image differs"
cmp -s <(curl -fsS "$PEER/images/disk.raw") "$WORK/data/images/disk.raw" || die "nginx's image differs"

# --- measure --------------------------------------------------------------------------------------------------------
rps() {   # url -> requests/s (wrk's own figure), after a 2 s warm-up
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$1" >/dev/null 2>&1 || true
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$1" | awk '/^Requests\/sec/ {print $2}'
}
printf '%-34s %12s %12s %7s\n' "case (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s)" "ours req/s" "nginx req/s" "ratio"
for case in "30 MiB image|/images/disk.raw" "iPXE script|/boot/ipxe?mac=$MAC"; do
  name=${case%%|*}; path=${case#*|}
  peer_path=$path; [[ "$path" == /boot/ipxe* ]] && peer_path=/boot/ipxe
  ours=$(rps "$OURS$path"); theirs=$(rps "$PEER$peer_path")
  ratio=$(python3 -c "print(f'{$ours/$theirs:.2f}')")
  extra=""; [[ "$path" == /images/* ]] && extra=$(python3 -c "print(f'  ({$ours*30/1024:.2f} vs {$theirs*30/1024:.2f} GiB/s)')")
  printf '%-34s %12s %12s %7s%s\n' "$name" "$ours" "$theirs" "$ratio" "$extra"
done
