#!/usr/bin/env bash
# Issue 13 figures — a team project on a PostgreSQL server — each against its anchor
# measured in the same run, on the same data, on the same throwaway cluster:
#
#   1. import 50,000 sentences (2,000 articles)   vs  psql \copy of the same rows
#   2. one annotation action, p50 / p99            vs  pgbench: one-row INSERT transactions
#   3. 1 M sentences, 1 M claims: list, jump       vs  pgbench: the same page query in SQL
#
#   bash benches/server.sh [WORKDIR]     (default /tmp/isnad-server-bench; ~6 GB free needed)
#
# Environment: REPEAT (default 3) runs per timing, the median is reported; SKIP_BUILD=1 to
# reuse the release binaries; SKIP_BIG=1 to skip part 3 (generating it takes minutes).
# Needs: PostgreSQL (its bin folder: initdb, pg_ctl, pgbench; psql), /usr/bin/time.

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-/tmp/isnad-server-bench}
REPEAT=${REPEAT:-3}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

say() { printf '%s\n' "$*" >&2; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "${3:-}" | tee -a "$RESULTS" >&2; }
now_ns() { date +%s%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'; }

if [[ -z "${SKIP_BUILD:-}" ]]; then
    say "== building release binaries"
    (cd "$ROOT" && cargo build --release --bin isnad --example gen_corpus --example server_probe >&2)
fi
BIN="$ROOT/target/release/isnad"
GEN="$ROOT/target/release/examples/gen_corpus"
PROBE="$ROOT/target/release/examples/server_probe"

# ---------------------------------------------------------------- the cluster
CLUSTER="$WORK/cluster"
mkdir -p "$CLUSTER"
ADMIN=$("$ROOT/scripts/pg-cluster.sh" start "$CLUSTER")
trap '"$ROOT/scripts/pg-cluster.sh" stop "$CLUSTER" >/dev/null 2>&1 || true' EXIT
PGBIN=$(cat "$CLUSTER/bin")
base=${ADMIN%/postgres}
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d "$ADMIN" "$@"; }
fresh_db() { # fresh_db NAME: an empty database with an initialised project
    psql_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"
    psql_admin -c "CREATE DATABASE \"$1\""
    "$BIN" --db "$base/$1" server init 2>/dev/null
}
record machine "$(nproc) cores; $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)" \
    "$("$PGBIN/postgres" --version); fsync on, local TCP"

# ================================================================ 1. import
say "== 1. import 2,000 articles, 50,000 sentences"
if [[ ! -d "$WORK/txt" ]]; then
    "$GEN" txt --out "$WORK/txt" --articles 2000 --sentences 50000 >&2
fi
times=()
for _ in $(seq "$REPEAT"); do
    fresh_db imp
    start=$(now_ns)
    "$BIN" --db "$base/imp" import "$WORK/txt" --quiet >/dev/null 2>&1
    times+=("$(( ($(now_ns) - start) / 1000000 ))")
done
isnad_import=$(printf '%s\n' "${times[@]}" | median)
rows=$(psql -X -t -A -d "$base/imp" -c "SELECT count(*) FROM sentences")
docs=$(psql -X -t -A -d "$base/imp" -c "SELECT count(*) FROM documents")
DCOLS="id, title, text, text_sha256, char_count, source, url, published, encoding, metadata, origin, imported_at, sentence_count"
SCOLS="doc_id, idx, start_char, end_char, text, boilerplate, boilerplate_reason, boilerplate_auto"
psql -X -q -d "$base/imp" -c "\\copy (SELECT $DCOLS FROM documents ORDER BY import_seq) TO '$WORK/documents.csv' CSV"
psql -X -q -d "$base/imp" -c "\\copy (SELECT $SCOLS FROM sentences ORDER BY doc_id, idx) TO '$WORK/sentences.csv' CSV"
times=()
for _ in $(seq "$REPEAT"); do
    fresh_db anchor
    start=$(now_ns)
    psql -X -q -v ON_ERROR_STOP=1 -d "$base/anchor" \
        -c "\\copy documents ($DCOLS) FROM '$WORK/documents.csv' CSV" \
        -c "\\copy sentences ($SCOLS) FROM '$WORK/sentences.csv' CSV"
    times+=("$(( ($(now_ns) - start) / 1000000 ))")
done
anchor_import=$(printf '%s\n' "${times[@]}" | median)
record import_isnad_ms "$isnad_import" "$docs documents, $rows sentences (segmenting, boilerplate rules, hashing included)"
record import_anchor_ms "$anchor_import" "psql \\copy of the same documents and sentences rows into the same tables"
record import_ratio "$(ratio "$isnad_import" "$anchor_import")" "goal <= 2.0"

# ================================================================ 2. one action
say "== 2. one action, 2,000 times (p50/p99)"
fresh_db act
"$BIN" --db "$base/act" import "$ROOT/seeds" --quiet >/dev/null 2>&1
printf 'bench-pw\n' >"$WORK/bench.pw"
"$BIN" --db "$base/act" server add-user bench --role annotator --password-file "$WORK/bench.pw" 2>/dev/null
"$BIN" --db "$base/act" assign --annotators bench --overlap 0 >/dev/null 2>&1
member=${base/isnad_admin:*@/bench:bench-pw@}
"$PROBE" actions --db "$member/act" --count 2000 >"$WORK/actions.tsv"
while IFS=$'\t' read -r key value; do record "$key" "$value" "as an annotator (row-level security in force)"; done <"$WORK/actions.tsv"
psql -X -q -d "$base/act" -c "CREATE TABLE anchor_rows (id bigserial PRIMARY KEY, doc_id text, note text)"
printf "INSERT INTO anchor_rows (doc_id, note) VALUES ('d', 'one row, one transaction');\n" >"$WORK/anchor.sql"
(cd "$WORK" && rm -f pgbench_log.* && PGPASSWORD= "$PGBIN/pgbench" -n -t 2000 -c 1 -f anchor.sql -l "$base/act" >/dev/null 2>&1)
awk '{ print $3 / 1000 }' "$WORK"/pgbench_log.* | sort -g >"$WORK/anchor-latency.txt"
n=$(wc -l <"$WORK/anchor-latency.txt")
p50=$(awk -v n="$n" 'NR == int((n - 1) * 0.50 + 1.5) { print; exit }' "$WORK/anchor-latency.txt")
p99=$(awk -v n="$n" 'NR == int((n - 1) * 0.99 + 1.5) { print; exit }' "$WORK/anchor-latency.txt")
record anchor_insert_p50_ms "$p50" "pgbench, one-row INSERT per transaction, same server"
record anchor_insert_p99_ms "$p99" "goal for Isnad's action p99: < 16 ms"

# ================================================================ 3. 1 M sentences
if [[ -z "${SKIP_BIG:-}" ]]; then
    say "== 3. 1 M sentences, 1 M claims on the server"
    if [[ ! -f "$WORK/big.done" ]]; then
        fresh_db big
        start=$(now_ns)
        "$GEN" db --out "$base/big" --articles 40000 --sentences 1000000 \
            --annotators a1,a2,a3,a4 --annotate 250000 --claim-rate 1 --disagreement 0 >&2
        record big_generate_s "$(( ($(now_ns) - start) / 1000000000 ))" "import + import-claims of 1 M sentences and 1 M claims"
        printf 'a1-pw\n' >"$WORK/a1.pw"
        "$BIN" --db "$base/big" server add-user a1 --role lead --password-file "$WORK/a1.pw" 2>/dev/null
        psql -X -q -d "$base/big" -c "VACUUM ANALYZE"
        touch "$WORK/big.done"
    fi
    a1=${base/isnad_admin:*@/a1:a1-pw@}
    "$PROBE" scale --db "$a1/big" >"$WORK/scale.tsv"
    while IFS=$'\t' read -r key value extra; do record "big_$key" "$value" "${extra:-}"; done <"$WORK/scale.tsv"
    cat >"$WORK/anchor-page.sql" <<'SQL'
SELECT d.id, d.title, d.sentence_count, coalesce(p.done, 0)
  FROM documents d LEFT JOIN annotator_progress p ON p.doc_id = d.id AND p.annotator = 'a1'
 ORDER BY d.import_seq OFFSET 39940 LIMIT 60;
SQL
    out=$(cd "$WORK" && PGPASSWORD=a1-pw "$PGBIN/pgbench" -n -t 20 -c 1 -f anchor-page.sql "$a1/big" 2>&1 | awk '/latency average/ { print $4 }')
    record big_anchor_last_page_ms "$out" "pgbench: the last page's rows in plain SQL, as a1 (RLS), average of 20"
fi

say "== results in $RESULTS"
column -t -s $'\t' "$RESULTS" >&2
