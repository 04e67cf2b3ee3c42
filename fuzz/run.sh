#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 120 s each), seeded with the example models
# and the test programs. Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Usage: fuzz/run.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-120}"
for target in front_end compile_ir; do
    corpus="corpus/$target"
    mkdir -p "$corpus"
    # Seeds: every model the repository has (copied, so the fuzzer's additions stay apart).
    find ../examples ../tests/programs -name '*.stan' -o -name '*.vppl' | while read -r f; do
        cp "$f" "$corpus/seed-$(echo "$f" | tr '/.' '__')"
    done
    echo "== $target: $seconds s"
    cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=4096
done
