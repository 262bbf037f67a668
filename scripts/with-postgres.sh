#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server, for the tests.
#   scripts/with-postgres.sh COMMAND...
# Installs Debian's postgresql when it is missing (as root), starts a server on a free
# loopback port in a temporary folder, exports CALFCOACH_TEST_POSTGRES_URL, runs COMMAND, and
# stops the server whatever happens. Without root or the package it runs COMMAND without a
# server (the PostgreSQL tests then skip) — except in CI, where that is an error.
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin=$(find_bin || true)
if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "with-postgres: installing Debian's postgresql" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq postgresql >/dev/null
        bin=$(find_bin)
    elif [ "${CI:-}" = "true" ]; then
        echo "with-postgres: postgresql is missing and this is not root" >&2
        exit 1
    else
        echo "with-postgres: no PostgreSQL here (apt-get install postgresql); its tests skip" >&2
        exec "$@"
    fi
fi

run_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dir=$(mktemp -d /tmp/calfcoach-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
stop() {
    run_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
run_pg "$bin/initdb" -A trust -U postgres -D "$dir/data" >/dev/null
run_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
    start >/dev/null
export CALFCOACH_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
status=0
"$@" || status=$?
exit $status
