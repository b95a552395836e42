#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster kept entirely in one folder, for the tests of the
# PostgreSQL backend (issue 13): scripts/with-postgres.sh runs the test suite against one,
# and fault tests start their own so that they can stop, kill and restart it.
#
#   scripts/pg-cluster.sh start DIR    # create (first time) and start; prints the admin URL
#   scripts/pg-cluster.sh restart DIR  # fast stop if running, then start; prints the URL
#   scripts/pg-cluster.sh stop DIR     # fast stop (pg_ctl -m fast); nothing to do if stopped
#   scripts/pg-cluster.sh kill DIR     # immediate stop (-m immediate): a crash, recovery next start
#
# `start` and `restart` print exactly one line on stdout, the superuser URL with its password,
# postgres://isnad_admin:PASSWORD@127.0.0.1:PORT/postgres ; everything else goes to stderr.
# The server listens on 127.0.0.1 only, host connections need scram-sha-256 (for every role,
# so the tests' non-admin roles really log in with a password), TLS is on with a self-signed
# certificate for localhost/127.0.0.1, fsync is on (the tests check durability) and
# max_connections is 200 (the load test's clients plus parallel tests).
#
# DIR holds all state: data/ (the cluster, mode 700), sock/ (the Unix socket, mode 700: local
# connections are trusted, so only the server's user may reach it), port, bin (the
# PostgreSQL bin folder it runs), password,
# server.crt (a world-readable copy of the certificate, for clients that verify TLS),
# server.log, initdb.log. DIR is created if missing; when it already holds a cluster, `start`
# starts that one again on its port.
#
# The binaries are the newest /usr/lib/postgresql/*/bin (or $ISNAD_PG_BIN). initdb refuses
# to run as root, so as root the server runs as the `postgres` user and DIR is given to it.
set -euo pipefail

die() {
    echo "pg-cluster: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start|restart|stop|kill DIR" >&2
    exit 2
}

(($# == 2)) || usage
action=$1
dir=$2
case $action in start | restart | stop | kill) ;; *) usage ;; esac

# The PostgreSQL binaries: a server test must never pass, or be skipped, for want of a server.
find_bin() {
    if [[ -n ${ISNAD_PG_BIN:-} ]]; then
        [[ -x $ISNAD_PG_BIN/initdb ]] || die "ISNAD_PG_BIN=$ISNAD_PG_BIN has no initdb"
        echo "$ISNAD_PG_BIN"
        return
    fi
    local found
    found=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null \
        | sort -V | tail -n 1)
    if [[ -z $found ]]; then
        if [[ ${CI:-} == true ]]; then
            die "CI: no PostgreSQL server (/usr/lib/postgresql/*/bin/initdb); .ci/run installs the postgresql package, did that step fail?"
        fi
        die "no PostgreSQL server found (/usr/lib/postgresql/*/bin/initdb): install it with \`sudo apt install postgresql\`, or set ISNAD_PG_BIN to its bin folder"
    fi
    dirname "$found"
}

# Who runs the server: the current user, or `postgres` when we are root.
if [[ $(id -u) == 0 ]]; then
    getent passwd postgres >/dev/null || die "running as root but there is no postgres user to run the server"
    server_user=postgres
    as_server() { (cd "$dir" && runuser -u postgres -- "$@"); }
else
    server_user=$(id -un)
    as_server() { (cd "$dir" && "$@"); }
fi

if [[ $action == start ]]; then
    mkdir -p "$dir"
elif [[ ! -d $dir ]]; then
    [[ $action == restart ]] && die "no cluster in $dir"
    exit 0
fi
dir=$(cd "$dir" && pwd -P)
data=$dir/data
sock=$dir/sock
if [[ $action == stop || $action == kill ]] && [[ ! -f $data/PG_VERSION ]]; then
    exit 0
fi
# An existing cluster keeps the binaries it was started with, even if a newer version has
# been installed since.
if [[ -f $data/PG_VERSION && -s $dir/bin && -x $(<"$dir/bin")/pg_ctl ]]; then
    bin=$(<"$dir/bin")
else
    bin=$(find_bin)
fi

pg_ctl() { as_server "$bin/pg_ctl" -D "$data" "$@"; }
running() { [[ -f $data/postmaster.pid ]] && pg_ctl status >/dev/null 2>&1; }

# Is something listening on 127.0.0.1:$1? (`ss` when there is one, else a connect attempt.)
port_busy() {
    if command -v ss >/dev/null; then
        [[ -n $(ss -Hltn "sport = :$1") ]]
    else
        timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
    fi
}

free_port() {
    local port
    for ((port = ${1:-54320}; port < 54320 + 1000; port++)); do
        port_busy "$port" || {
            echo "$port"
            return
        }
    done
    die "no free port in 54320-55319"
}

# initdb, the settings, the certificate: the first `start` in an empty DIR.
create_cluster() {
    [[ $dir != *[\',\"]* ]] || die "DIR must not contain quotes or commas: $dir"
    local socket_path="$sock/.s.PGSQL.55555"
    ((${#socket_path} < 100)) || die "DIR is too long for a Unix socket path: $dir"
    if [[ $server_user == postgres ]]; then
        chown postgres: "$dir"
        runuser -u postgres -- test -w "$dir" \
            || die "the postgres user cannot reach $dir (are its parent folders readable by all?)"
    fi
    # Traversable by all (clients read server.crt), listable by the server's user only.
    chmod 711 "$dir"
    as_server mkdir -m 700 "$data" "$sock"

    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$dir/password")
    [[ $server_user == postgres ]] && chown postgres: "$dir/password"

    local locale=(--locale=C.UTF-8)
    locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || locale=(--no-locale)
    as_server "$bin/initdb" -D "$data" -U isnad_admin --pwfile="$dir/password" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 "${locale[@]}" --data-checksums \
        >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        die "initdb failed (log above, also in $dir/initdb.log)"
    }

    # A certificate a client can verify against server.crt: for localhost and 127.0.0.1, and
    # not a CA (rustls refuses a CA certificate as the server's own).
    as_server openssl req -new -x509 -days 2 -nodes -subj /CN=localhost \
        -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
        -addext 'basicConstraints=critical,CA:FALSE' \
        -addext 'extendedKeyUsage=serverAuth' \
        -keyout "$data/server.key" -out "$data/server.crt" >/dev/null 2>&1 \
        || die "openssl could not make the server certificate"
    as_server chmod 600 "$data/server.key"
    cp "$data/server.crt" "$dir/server.crt"
    chmod 644 "$dir/server.crt"

    cat >>"$data/postgresql.conf" <<EOF

# scripts/pg-cluster.sh (the port is given on the command line, from $dir/port)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 200
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
password_encryption = 'scram-sha-256'
logging_collector = off
EOF
}

# Start on the port in DIR/port, or on a free one found under a lock (parallel tests start
# clusters at the same time), retried if another program takes it first.
start_server() {
    local port tries=0 lock
    lock="${TMPDIR:-/tmp}/isnad-pg-cluster-$(id -u).lock"
    exec 9>>"$lock"
    flock 9
    if [[ -s $dir/port ]]; then
        port=$(<"$dir/port")
        port_busy "$port" && die "port $port of the cluster in $dir is taken by another program"
    else
        port=$(free_port)
    fi
    # (9>&-: the server must not inherit the lock.)
    until pg_ctl -l "$dir/server.log" -w -t 60 -o "-p $port" start >/dev/null 2>&1 9>&-; do
        if ((++tries < 5)) && [[ ! -s $dir/port ]] && tail -n 20 "$dir/server.log" \
            | grep -q 'could not bind\|Address already in use'; then
            port=$(free_port $((port + 1)))
            continue
        fi
        tail -n 20 "$dir/server.log" >&2 || true
        running && pg_ctl -m immediate -w stop >/dev/null 2>&1
        die "the server did not start (log above, in $dir/server.log)"
    done
    echo "$port" >"$dir/port"
    echo "$bin" >"$dir/bin"
    exec 9>&-
    if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30; then
        pg_ctl -m immediate -w stop >/dev/null 2>&1 || true
        die "the server started but is not ready on 127.0.0.1:$port"
    fi
    echo "postgres://isnad_admin:$(<"$dir/password")@127.0.0.1:$port/postgres"
}

stop_server() {
    running || return 0
    pg_ctl -m "$1" -w -t 60 stop >/dev/null
}

case $action in
    start)
        [[ -f $data/PG_VERSION ]] || create_cluster
        running && die "the cluster in $dir is already running"
        start_server
        ;;
    restart)
        [[ -f $data/PG_VERSION ]] || die "no cluster in $dir"
        stop_server fast
        start_server
        ;;
    stop)
        stop_server fast
        ;;
    kill)
        stop_server immediate
        ;;
esac
