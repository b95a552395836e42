#!/usr/bin/env bash
# The long runs of the "never lose a label" campaign (see RELIABILITY.md):
#   1. the kill test with many SIGKILLs (default 100) on one database that keeps growing;
#   2. the proptest fuzz targets with many cases (default 5000 per target);
#   3. the bad-input, database-fault, merge and hostile-text tests once more;
#   4. the cargo-fuzz targets for a while each, when cargo-fuzz and a nightly toolchain are
#      installed (skipped with a message otherwise).
# Prints one line of figures per part and a summary; exits non-zero on the first failure.
#
#   scripts/soak.sh [KILLS]
#   ISNAD_SOAK_ACTIONS=300 ISNAD_FUZZ_CASES=5000 ISNAD_FUZZ_SECONDS=60 scripts/soak.sh 200
#   ISNAD_KILL_SEED=… scripts/soak.sh   # replay a failed kill campaign
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

KILLS="${1:-${ISNAD_SOAK_KILLS:-100}}"
export ISNAD_SOAK_KILLS="$KILLS"
export ISNAD_SOAK_ACTIONS="${ISNAD_SOAK_ACTIONS:-300}"
FUZZ_CASES="${ISNAD_FUZZ_CASES:-5000}"
FUZZ_SECONDS="${ISNAD_FUZZ_SECONDS:-60}"
LOG="$(mktemp -d)/soak"
mkdir -p "$LOG"
started=$(date +%s)

step() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "build"
cargo test --test reliability --no-run 2>&1 | tail -n 1

step "kill soak: $KILLS kills, up to $ISNAD_SOAK_ACTIONS actions between two"
if ! cargo test --test reliability kill::kill_soak -- --ignored --exact --nocapture \
    > "$LOG/kill.txt" 2>&1; then
    grep -E 'panicked|replay|after the kill|fatal' -A3 "$LOG/kill.txt" | head -n 40
    echo "FAILED: kill soak (full log: $LOG/kill.txt)"
    exit 1
fi
grep '^SOAK' "$LOG/kill.txt"

step "proptest fuzz targets: $FUZZ_CASES cases each"
if ! ISNAD_FUZZ_CASES="$FUZZ_CASES" cargo test --test reliability fuzz:: > "$LOG/fuzz.txt" 2>&1; then
    grep -E 'panicked|minimal failing|Test failed' -A6 "$LOG/fuzz.txt" | head -n 60
    echo "FAILED: proptest fuzz (full log: $LOG/fuzz.txt)"
    exit 1
fi
targets=$(grep -cE '^test fuzz::.* \.\.\. ok$' "$LOG/fuzz.txt" || true)
echo "SOAK proptest: $targets targets passed, $FUZZ_CASES cases per generated target, 0 failures"

step "bad inputs, database faults, merges, hostile text"
if ! cargo test --test reliability -- inputs:: faults:: merge:: hostile:: --nocapture \
    > "$LOG/matrix.txt" 2>&1; then
    grep -E 'panicked' -A6 "$LOG/matrix.txt" | head -n 60
    echo "FAILED: matrix (full log: $LOG/matrix.txt)"
    exit 1
fi
grep -E '^(import|import-claims) matrix:|^skipped' "$LOG/matrix.txt" | sort | uniq -c || true
grep -E '^test result' "$LOG/matrix.txt"

step "cargo-fuzz targets: ${FUZZ_SECONDS}s each"
if cargo +nightly fuzz --version > /dev/null 2>&1; then
    corpus_of() {
        case "$1" in
            import) echo "tests/fixtures/reliability/corpus/read-txt tests/fixtures/reliability/corpus/read-jsonl" ;;
            segment) echo "tests/fixtures/reliability/corpus/segment" ;;
            bidi) echo "tests/fixtures/reliability/corpus/layout" ;;
            import_claims) echo "tests/fixtures/reliability/corpus/import-claims" ;;
        esac
    }
    for target in import segment bidi import_claims; do
        mkdir -p "fuzz/corpus/$target"
        # shellcheck disable=SC2046
        if ! (cd fuzz && cargo +nightly fuzz run -O "$target" "corpus/$target" \
            $(for d in $(corpus_of "$target"); do echo "../$d"; done) \
            -- -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=4096) > "$LOG/cargo-fuzz-$target.txt" 2>&1; then
            tail -n 40 "$LOG/cargo-fuzz-$target.txt"
            echo "FAILED: cargo fuzz $target (crash input under fuzz/artifacts/$target; add it to"
            echo "tests/fixtures/reliability/corpus/ once fixed)"
            exit 1
        fi
        runs=$(grep -oE 'Done [0-9]+ runs' "$LOG/cargo-fuzz-$target.txt" | tail -n 1 || true)
        echo "SOAK cargo-fuzz $target: ${runs:-ran} in ${FUZZ_SECONDS}s, 0 crashes"
    done
else
    echo "skipped: cargo-fuzz or a nightly toolchain is not installed" \
        "(cargo install cargo-fuzz; rustup toolchain install nightly)"
fi

step "done in $(( $(date +%s) - started ))s; logs in $LOG"
