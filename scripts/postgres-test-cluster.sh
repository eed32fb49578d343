#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite: initdb in a temp dir, a free port on
# 127.0.0.1, trust auth (loopback only), durability off (speed; the data is thrown away).
#
#   eval "$(bash scripts/postgres-test-cluster.sh start)"   # exports BULLPEN_TEST_DATABASE_URL
#   npm run test:pg
#   bash scripts/postgres-test-cluster.sh stop              # uses BULLPEN_TEST_CLUSTER_DIR
#   bash scripts/postgres-test-cluster.sh down|up [dir]     # stop / start it again, data kept
#
# PostgreSQL refuses to run as root: as root (CI) the cluster belongs to the `postgres` user
# the Debian package creates, run through runuser. Only the `export` lines go to stdout.
set -euo pipefail

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$dir" ]; then
    echo "postgres-test-cluster: PostgreSQL is not installed (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql)" >&2
    exit 1
  fi
  echo "$dir"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    bin=$(bindir)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/bullpen-pg-XXXXXX")
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
    as_owner "$bin/initdb" -D "$dir/data" -U bullpen -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    echo "$opts" >"$dir/options"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w start >&2 ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres-test-cluster: PostgreSQL $("$bin/postgres" --version | grep -oE '[0-9]+(\.[0-9]+)?' | head -1) on 127.0.0.1:$port ($dir)" >&2
    echo "export BULLPEN_TEST_DATABASE_URL=postgres://bullpen@127.0.0.1:$port/postgres"
    echo "export BULLPEN_TEST_CLUSTER_DIR=$dir"
    ;;
  stop)
    dir=${2:-${BULLPEN_TEST_CLUSTER_DIR:-}}
    [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "postgres-test-cluster: no cluster directory given" >&2; exit 1; }
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
    ;;
  down)
    # A clean, fast shutdown (open connections are cut), as a restart or failover does.
    dir=${2:-${BULLPEN_TEST_CLUSTER_DIR:-}}
    [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "postgres-test-cluster: no cluster directory given" >&2; exit 1; }
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    ;;
  up)
    dir=${2:-${BULLPEN_TEST_CLUSTER_DIR:-}}
    [ -n "$dir" ] && [ -f "$dir/options" ] || { echo "postgres-test-cluster: no cluster directory given" >&2; exit 1; }
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$(cat "$dir/options")" -w start >&2 ||
      { cat "$dir/server.log" >&2; exit 1; }
    ;;
  *)
    echo "usage: $0 start|stop|down|up [dir]" >&2
    exit 2
    ;;
esac
