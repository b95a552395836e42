#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server: the tests of the PostgreSQL backend
# (issue 13) need a real one, and neither CI nor a developer should have to set one up.
#
#   scripts/with-postgres.sh cargo test --locked
#   scripts/with-postgres.sh sh -c 'psql "$ISNAD_TEST_POSTGRES" -c "select 1"'
#
# Starts a cluster in a new temporary folder (scripts/pg-cluster.sh: 127.0.0.1 on a free
# port from 54320, scram-sha-256, TLS, fsync on), runs the command with
#   ISNAD_TEST_POSTGRES  the superuser URL, postgres://isnad_admin:PASSWORD@127.0.0.1:PORT/postgres
#   ISNAD_TEST_PG_BIN    the PostgreSQL bin folder (initdb, pg_ctl, psql, ...)
#   ISNAD_TEST_PG_CERT   the server's certificate, to verify TLS against
# then stops the server and removes the folder whatever happened — the command failing,
# Ctrl-C, SIGTERM — and exits with the command's status (128+N after signal N). There is no
# server without PostgreSQL installed: then it fails, saying what to install.
set -euo pipefail

(($#)) || {
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
}
here=$(cd "$(dirname "$0")" && pwd -P)
cluster=$here/pg-cluster.sh

dir=$(mktemp -d "${TMPDIR:-/tmp}/isnad-pg.XXXXXX")
child=
cleanup() {
    trap - EXIT INT TERM
    if [[ -n $child ]]; then
        kill "-${1:-TERM}" "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    "$cluster" stop "$dir" || "$cluster" kill "$dir" || true
    rm -rf "$dir"
}
on_signal() {
    echo "with-postgres: interrupted (SIG$1), stopping the server" >&2
    cleanup "$1"
    exit $((128 + $2))
}
trap cleanup EXIT
trap 'on_signal INT 2' INT
trap 'on_signal TERM 15' TERM

url=$("$cluster" start "$dir")
port=${url##*@127.0.0.1:}
port=${port%%/*}
export ISNAD_TEST_POSTGRES=$url
export ISNAD_TEST_PG_CERT=$dir/server.crt
ISNAD_TEST_PG_BIN=$(<"$dir/bin")
export ISNAD_TEST_PG_BIN
echo "with-postgres: PostgreSQL $(cat "$dir/data/PG_VERSION") on 127.0.0.1:$port" \
    "(user isnad_admin, TLS, data in $dir) for: $1" >&2

# In the background, so that a signal to this script is handled at once (bash runs traps
# only between foreground commands), but with the terminal's stdin and with SIGINT/SIGQUIT
# back to their defaults (bash ignores them in background commands), so that Ctrl-C still
# reaches the command like in the foreground.
status=0
(
    trap - INT QUIT
    exec "$@"
) <&0 &
child=$!
wait "$child" || status=$?
child=
exit "$status"
