# A private PostgreSQL cluster for the tests: `pg_start DIR` starts one on a free port and exports
# SKOLEBAENK_TEST_PG_URL; `pg_stop DIR` stops it. Source this file.

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Runs a command as the postgres user when we are root (initdb refuses to run as root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local dir="$1" bin port
  bin="$(pg_bin)"
  [ -n "$bin" ] || { echo "PostgreSQL is not installed" >&2; return 1; }
  port="$(free_port)"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >"$dir/initdb.log" 2>&1
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  export SKOLEBAENK_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

pg_stop() {
  local dir="$1" bin
  bin="$(pg_bin)"
  [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
}
