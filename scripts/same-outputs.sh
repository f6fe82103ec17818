#!/usr/bin/env bash
# Refactoring guard: every output of `cchc run` and every analysis command's text,
# JSON and CSV, on the sample district (input/) and on the example district built
# from tests/fixtures (all four layouts, a results-table year among them), both without a
# cchc.toml (the guard that settings change nothing unless set), compared
# byte for byte with a saved reference. The run manifest's times and absolute paths
# are blanked; workbooks are compared part by part by content (scripts/xlsx_canonical.py).
#
#   scripts/same-outputs.sh --save        # before a change: writes target/same-outputs/ref
#   scripts/same-outputs.sh               # after each step: compares, exit 1 on a difference
#
# BIN overrides the binary (default target/release/cchc; build it first); SAME_ROOT the
# folder (default target/same-outputs). Paths are compared with `/` for `\` (a Windows
# build joins the folders it writes with `\`: scripts/windows.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/cchc}
ROOT=${SAME_ROOT:-target/same-outputs}
mode=compare
[ "${1:-}" = "--save" ] && mode=save
command -v python3 >/dev/null || { echo "same-outputs: cần python3"; exit 2; }
[ -x "$BIN" ] || { echo "same-outputs: không có $BIN; chạy cargo build --release trước"; exit 2; }

out=$ROOT/new
rm -rf "$out" && mkdir -p "$out"

# The example district from the committed fixtures: one year per layout.
ex=$ROOT/example-input
rm -rf "$ex" && mkdir -p "$ex"/2020 "$ex"/2021 "$ex"/2022 "$ex"/2023
cp tests/fixtures/results_2020.xlsx "$ex"/2020/
cp tests/fixtures/matrix_2021.xlsx "$ex"/2021/
cp tests/fixtures/multisheet_2022.xlsx "$ex"/2022/
cp tests/fixtures/*_2023.* "$ex"/2023/

capture() { # name, then the command; stdout, stderr and exit code into $out/name.*
  local name=$1; shift
  set +e
  "$@" >"$out/$name.out" 2>"$out/$name.err"
  echo $? >"$out/$name.rc"
  set -e
}

# The sample district without its cchc.toml: outputs without settings must not change
# (its paths are written back to input/ below, so the reference stays comparable).
sample=$ROOT/sample-input
rm -rf "$sample" && cp -r input "$sample" && rm -f "$sample/cchc.toml"

for set in sample example; do
  input=$sample; [ $set = example ] && input=$ex
  years=$(ls "$input" | grep -E '^[0-9]{4}$' | sort)
  last=$(echo "$years" | tail -1)
  capture "$set-run" "$BIN" run --input "$input" --output "$out/$set-output"
  for fmt in text json csv; do
    capture "$set-validate-$fmt" "$BIN" validate --input "$input" --format "$fmt"
    capture "$set-trend-$fmt" "$BIN" trend --input "$input" --format "$fmt"
    for y in $years; do
      for cmd in rank losses compare stability gap followup; do
        capture "$set-$cmd-$y-$fmt" "$BIN" "$cmd" --input "$input" --year "$y" --format "$fmt"
      done
      capture "$set-compare2-$y-$fmt" "$BIN" compare --input "$input" --year "$y" --level 2 --format "$fmt"
    done
  done
  # The first unit of the latest year's ranking, by any spelling the reader takes.
  unit=$("$BIN" rank --input "$input" --year "$last" --format csv 2>/dev/null | sed -n 2p | cut -d, -f2)
  for fmt in text json csv; do
    capture "$set-unit-$fmt" "$BIN" unit "$unit" --input "$input" --format "$fmt"
    capture "$set-losses-unit-$fmt" "$BIN" losses --input "$input" --year "$last" --unit "$unit" --format "$fmt"
    capture "$set-gap-unit-$fmt" "$BIN" gap --input "$input" --year "$last" --unit "$unit" --format "$fmt"
    capture "$set-trend-unit-$fmt" "$BIN" trend --input "$input" --unit "$unit" --format "$fmt"
  done
done

# The sample with its cchc.toml (the unit list, the office): run and validate.
capture "configured-run" "$BIN" run --input input --output "$out/configured-output"
capture "configured-validate-json" "$BIN" validate --input input --format json

# Workbooks: each into a folder of its parts in canonical form (sheets are filled in
# parallel, so shared strings and formats are numbered differently run to run).
find "$out" -name '*.xlsx' | while read -r f; do
  python3 scripts/xlsx_canonical.py "$f" "$f.parts" && rm "$f"
done
# The manifest's times, durations and absolute paths.
find "$out" -name manifest.json | while read -r f; do
  sed -i -E -e 's#"(started|finished|generated|created|at|time|started_at|finished_at)": *"[^"]*"#"\1": ""#g' \
    -e 's#"(seconds|duration|elapsed|duration_ms|ms)": *[0-9.]+#"\1": 0#g' -e "s#$PWD#<cwd>#g" "$f"
done
find "$out" -type f -exec sed -i -e "s#$PWD#<cwd>#g" -e "s#$sample#input#g" {} +
# Separators: the manifest (JSON, escaped) and the commands' messages.
find "$out" -name manifest.json -exec sed -i 's#\\\\#/#g' {} +
find "$out" \( -name '*.err' -o -name '*.out' \) -exec sed -i 's#\\#/#g' {} +

if [ $mode = save ]; then
  rm -rf "$ROOT/ref" && mv "$out" "$ROOT/ref"
  echo "same-outputs: reference saved ($(find "$ROOT/ref" -type f | wc -l) files)"
  exit 0
fi
if diff -r -q "$ROOT/ref" "$out" >"$ROOT/diff.txt"; then
  echo "same-outputs: identical ($(find "$out" -type f | wc -l) files)"
else
  echo "same-outputs: DIFFERENT:"; head -40 "$ROOT/diff.txt"; exit 1
fi
