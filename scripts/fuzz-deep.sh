#!/usr/bin/env bash
# Coverage-guided fuzzing of the reading stage (issue #18): each target of fuzz/ runs
# for FUZZ_SECONDS, seeded with the committed fixtures and the sample district, under
# libFuzzer's 1 GiB memory limit and a 10 s timeout per input. A finding stops its
# target (the others still run) and is left in fuzz/artifacts/<target>/; pin it as a
# regression test. Exit 1 when anything was found.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
SECONDS_EACH=${FUZZ_SECONDS:-600}
TARGETS=${FUZZ_TARGETS:-"read_xlsx read_xls read_ods"}

if ! $CARGO fuzz --version >/dev/null 2>&1; then
  echo "Cài cargo-fuzz (một lần)…"
  $CARGO install cargo-fuzz --locked || { echo "Không cài được cargo-fuzz: cần mạng tới crates.io."; exit 2; }
fi
# libFuzzer's instrumentation needs nightly flags: the nightly toolchain where it is
# installed, else the stable compiler with RUSTC_BOOTSTRAP (it ships the same runtime).
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  FUZZ=("$CARGO" +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  FUZZ=("$CARGO" fuzz)
fi
# No sanitizer: the reading code is safe Rust; what is hunted is panics, hangs and
# memory bombs, which libFuzzer's own limits catch, at several times ASan's speed.
# Release without debug assertions: what ships (an overflow check there would report
# arithmetic that wraps harmlessly in the product).
FLAGS=(--sanitizer none --release)
found=""

cd fuzz
"${FUZZ[@]}" build "${FLAGS[@]}"
for target in $TARGETS; do
  ext=${target#read_}
  corpus=corpus/$target
  mkdir -p "$corpus"
  find ../tests/fixtures ../input -type f -iname "*.$ext" -exec cp -n {} "$corpus/" \; 2>/dev/null || true
  echo "== $target: $SECONDS_EACH s, $(ls "$corpus" | wc -l) inputs in the corpus"
  if ! "${FUZZ[@]}" run "${FLAGS[@]}" "$target" "$corpus" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=1024 -timeout=10 -max_len=262144 -print_final_stats=1; then
    found="$found $target"
  fi
done
if [ -n "$found" ]; then
  echo "fuzz-deep: findings in:$found (fuzz/artifacts/<target>/); pin each as a regression test and fix it." >&2
  exit 1
fi
echo "fuzz-deep: no finding ($SECONDS_EACH s per target: $TARGETS)."
