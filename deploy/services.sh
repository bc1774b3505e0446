#!/bin/sh
# `make services` (start) and `make services-stop` (stop): dagster-webserver and dagster-daemon as the
# operator runs them (docs/deploy.md, "Dagster as a service"), in the background on this machine, the
# instance on PostgreSQL: DAGSTER_PG_URL, or when it is unset a cluster of this checkout in
# $JIXIAO_SERVICES/postgres (Debian's postgresql package; its unix socket in that folder, no TCP).
# The instance folder (DAGSTER_HOME), logs and pids are in $JIXIAO_SERVICES (default
# warehouse/services), apart from the SQLite instance of `make run` and `make dagster`.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
services=${JIXIAO_SERVICES:-$root/warehouse/services}
cluster=$services/postgres
bin=$root/.venv/bin
export DAGSTER_HOME="$services/dagster"
export DAGSTER_WEBSERVER_HOST="${DAGSTER_WEBSERVER_HOST:-127.0.0.1}" DAGSTER_WEBSERVER_PORT="${DAGSTER_WEBSERVER_PORT:-3000}"

as_postgres() {  # initdb refuses root: a root's cluster belongs to the postgres user
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bindir() {  # the server's binaries: Debian keeps them off PATH, in /usr/lib/postgresql/VERSION/bin
  dirname "$(readlink -f "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)")"
}

start_cluster() {
  pg=$(pg_bindir)
  if [ ! -x "$pg/initdb" ]; then
    echo "services: initdb not found: install Debian's postgresql package (make system) or set DAGSTER_PG_URL" >&2
    exit 1
  fi
  if [ ! -f "$cluster/data/PG_VERSION" ]; then
    mkdir -p "$cluster"
    if [ "$(id -u)" = 0 ]; then chown postgres "$cluster"; fi
    as_postgres "$pg/initdb" -D "$cluster/data" --auth=trust -U jixiao -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_postgres "$pg/pg_ctl" -D "$cluster/data" status >/dev/null; then
    # trust authentication, so the socket is one only its owner may open
    as_postgres "$pg/pg_ctl" -D "$cluster/data" -w -l "$cluster/server.log" \
      -o "-k $cluster -c listen_addresses='' -c unix_socket_permissions=0700" start >/dev/null \
      || { tail -n 20 "$cluster/server.log" >&2; exit 1; }
  fi
  if [ -z "$("$pg/psql" -h "$cluster" -U jixiao -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'dagster'")" ]; then
    "$pg/createdb" -h "$cluster" -U jixiao dagster
  fi
  DAGSTER_PG_URL="postgresql+psycopg2://jixiao@/dagster?host=$cluster&port=5432"
}

alive() {  # the service's pid file names a running dagster process
  [ -f "$services/$1.pid" ] && ps -o args= -p "$(cat "$services/$1.pid")" 2>/dev/null | grep -q dagster
}

start_service() {  # name, command…: in a session of its own, so that stopping it stops its children
  name=$1
  shift
  if alive "$name"; then
    echo "$name already running (pid $(cat "$services/$name.pid"))"
    return
  fi
  setsid "$@" >>"$services/$name.log" 2>&1 </dev/null &
  echo $! >"$services/$name.pid"
}

stop_service() {
  name=$1
  if alive "$name"; then
    pid=$(cat "$services/$name.pid")
    kill -TERM "-$pid"  # the whole group: the daemon's code server, runs and their steps too
    for _ in $(seq 60); do
      kill -0 "-$pid" 2>/dev/null || break
      sleep 1
    done
    kill -KILL "-$pid" 2>/dev/null || true
    echo "stopped $name"
  fi
  rm -f "$services/$name.pid"
}

case "${1:-}" in
  start)
    mkdir -p "$services"
    if [ -z "${DAGSTER_PG_URL:-}" ]; then start_cluster; fi
    export DAGSTER_PG_URL
    "$root/deploy/dagster-home.sh"
    cd "$root"
    start_service daemon "$bin/dagster-daemon" run -w workspace.yaml
    start_service webserver "$bin/dagster-webserver" -w workspace.yaml
    url="http://$DAGSTER_WEBSERVER_HOST:$DAGSTER_WEBSERVER_PORT"
    until "$bin/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)" \
        "$url/server_info" 2>/dev/null; do
      for name in webserver daemon; do
        if ! alive $name; then
          echo "services: dagster-$name stopped; the end of $services/$name.log:" >&2
          tail -n 20 "$services/$name.log" >&2
          exit 1
        fi
      done
      sleep 1
    done
    echo "Dagster UI on $url; dagster-daemon running; instance in $DAGSTER_HOME on PostgreSQL; logs in $services"
    ;;
  stop)
    stop_service webserver
    stop_service daemon
    if [ -f "$cluster/data/postmaster.pid" ]; then
      as_postgres "$(pg_bindir)/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null
      echo "stopped PostgreSQL in $cluster"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
