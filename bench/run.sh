#!/usr/bin/env bash
# `make bench`: times `cchc run` against the calamine floor and the Python peers on
# generated districts, and writes the results table into bench/README.md.
#
# Environment knobs (all optional):
#   BENCH_DATASETS   which datasets, default "u1000-y2023 u2000-y2023 u10000-y2023 u20-y2019-2023 u200-y2019-2023
#                    u200-y2023-hostile" (name = u<units>-y<first year>[-<last year>], or years
#                    joined by _ as in u50-y2021_2023; any such name works; a name ending in
#                    -hostile adds the bombs of `cchc-hostile` (crates/cchc-sample) to the first year, and only
#                    cchc runs on it: the floor and the peers have no reading limits)
#   BENCH_REPEAT     runs of the floor and of cchc per dataset, the fastest kept (default 3)
#   BENCH_PEERS      "pandas polars" (default), or a subset, or "none"
#   PANDAS_TIMEOUT   seconds before the pandas peer is stopped (default 900); a stopped run
#                    is reported as such and its time extrapolated from the 2,000-unit run
#   BENCH_SEED       seed of the generated data (default 2022)
#   BENCH_KEEP       1: keep the earlier measurements of the datasets not measured now
#                    (to re-run one dataset); default: a fresh table
#   BENCH_SCALING    dataset on which the floor and cchc also run on one thread (default
#                    u2000-y2023, if measured): does reading scale with cores?
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

CARGO=${CARGO:-cargo}
DATASETS=${BENCH_DATASETS:-"u1000-y2023 u2000-y2023 u10000-y2023 u20-y2019-2023 u200-y2019-2023 u200-y2023-hostile"}
REPEAT=${BENCH_REPEAT:-3}
PEERS=${BENCH_PEERS:-"pandas polars"}
PANDAS_TIMEOUT=${PANDAS_TIMEOUT:-900}
SEED=${BENCH_SEED:-2022}
SCALING=${BENCH_SCALING:-u2000-y2023}
BIN=target/release/cchc
FLOOR=target/release/examples/floor
DATA=bench/data
OUT=bench/out
RAW=$OUT/raw.tsv
TIME=/usr/bin/time

say() { printf '\n== %s\n' "$*" >&2; }

[ -x "$TIME" ] || { echo "bench: $TIME (GNU time) is needed: sudo apt-get install -y time" >&2; exit 2; }
command -v "$CARGO" >/dev/null || { echo "bench: cargo is needed (https://rustup.rs)" >&2; exit 2; }

say "build (release): cchc and the floor reader"
"$CARGO" build --release --locked
"$CARGO" build --release --locked --example floor
"$CARGO" build --release --locked -p cchc-sample --features hostile --bin cchc-hostile

# --- Python peers: a venv in bench/.venv with the pinned packages -------------------
py=""
if [ "$PEERS" != "none" ]; then
  if ! command -v python3 >/dev/null; then
    echo "bench: python3 not found: the Python peers are skipped (install python3 and python3-venv)" >&2
  else
    if [ ! -x bench/.venv/bin/python ] || ! cmp -s bench/requirements.txt bench/.venv/requirements.installed; then
      say "python venv bench/.venv"
      if python3 -m venv bench/.venv \
        && bench/.venv/bin/python -m pip install -q --disable-pip-version-check -r bench/requirements.txt; then
        cp bench/requirements.txt bench/.venv/requirements.installed
      else
        echo "bench: could not create bench/.venv or install bench/requirements.txt with pip:" \
          "the Python peers are skipped (on Debian: sudo apt-get install -y python3-venv python3-pip)" >&2
      fi
    fi
    [ -f bench/.venv/requirements.installed ] && py=bench/.venv/bin/python
  fi
fi

# --- data: generated once per parameters and generator version ----------------------
# The stamp holds the parameters and a hash of the generator's sources, so a changed
# generator regenerates and an unchanged one reuses the folder.
gen_stamp=$(cat crates/cchc-sample/src/*.rs crates/cchc-sample/src/framework.csv 2>/dev/null | sha1sum | cut -c1-16)
dataset() { # name -> generates bench/data/<name> if needed
  local name=$1 units years stamp hostile="" dir=$DATA/$1
  if [[ $name == *-hostile ]]; then hostile=hostile; name=${name%-hostile}; fi
  units=${name#u}; units=${units%%-*}
  years=${name#*-y}
  if [[ $years =~ ^([0-9]{4})-([0-9]{4})$ ]]; then
    years=$(seq -s, "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
  else
    years=${years//_/,}
  fi
  stamp="units=$units years=$years seed=$SEED generator=$gen_stamp $hostile"
  if [ -f "$dir/.bench-stamp" ] && [ "$(cat "$dir/.bench-stamp")" = "$stamp" ]; then
    return
  fi
  say "generate $name ($units units, years $years)"
  rm -rf "$dir" "$dir.tmp"
  "$BIN" sample --output "$dir.tmp" --units "$units" --years "$years" --seed "$SEED" >&2
  if [ -n "$hostile" ]; then target/release/cchc-hostile "$dir.tmp/${years%%,*}" >&2; fi
  echo "$stamp" >"$dir.tmp/.bench-stamp"
  mv "$dir.tmp" "$dir"
}

# --- one measurement: wall, max RSS, CPU; stdout and stderr kept -------------------
mkdir -p "$OUT"
header=$'dataset\ttool\trun\twall_s\tmax_rss_kb\tuser_s\tsys_s\texit\tdetail'
if [ "${BENCH_KEEP:-0}" = 1 ] && [ -f "$RAW" ]; then
  keep=$(mktemp)
  awk -F'\t' -v ds=" $DATASETS " 'NR > 1 && index(ds, " " $1 " ") == 0' "$RAW" >"$keep"
  { echo "$header"; cat "$keep"; } >"$RAW"
  rm -f "$keep"
else
  echo "$header" >"$RAW"
fi
measure() { # dataset tool run cmd... ; appends one row to raw.tsv
  local ds=$1 tool=$2 run=$3; shift 3
  local log=$OUT/$ds/$tool.$run
  mkdir -p "$OUT/$ds"
  local rc=0
  "$TIME" -f '%e %M %U %S' -o "$log.time" "$@" >"$log.out" 2>"$log.err" || rc=$?
  local wall rss user sys detail
  read -r wall rss user sys < <(grep -E '^[0-9.]+ [0-9]+ [0-9.]+ [0-9.]+$' "$log.time" | tail -1) || true
  # Exit 124 is timeout's; cchc's exit 1 means "results written, the data has problems".
  detail=$( { grep -h -E '^(timings|floor|peer_pandas|peer_polars):' "$log.out" "$log.err" || true; } | tail -1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ds" "$tool" "$run" "${wall:-}" "${rss:-}" "${user:-}" "${sys:-}" "$rc" "$detail" >>"$RAW"
  printf '   %-22s %-16s run %s: %6ss  %7s KiB  exit %s\n' "$ds" "$tool" "$run" "${wall:-?}" "${rss:-?}" "$rc" >&2
}

for ds in $DATASETS; do
  dataset "$ds"
  dir=$DATA/$ds
  say "measure $ds"
  # Warm the page cache once so that the first tool measured is not the one paying for it.
  find "$dir" -type f -exec cat {} + >/dev/null 2>&1 || true
  hostile=0
  [[ $ds == *-hostile ]] && hostile=1
  for run in $(seq 1 "$REPEAT"); do
    [ $hostile = 1 ] || measure "$ds" floor "$run" "$FLOOR" "$dir"
    rm -rf "$OUT/$ds/cchc-noapp"
    measure "$ds" cchc-noapp "$run" "$BIN" run --input "$dir" --output "$OUT/$ds/cchc-noapp" --no-appendices --no-documents --timings
    rm -rf "$OUT/$ds/cchc"
    measure "$ds" cchc "$run" "$BIN" run --input "$dir" --output "$OUT/$ds/cchc" --timings
  done
  if [ "$ds" = "$SCALING" ]; then
    # One thread for rayon and for polars: the two-core runs above against these.
    for run in $(seq 1 "$REPEAT"); do
      measure "$ds" floor-1t "$run" env RAYON_NUM_THREADS=1 POLARS_MAX_THREADS=1 "$FLOOR" "$dir"
      rm -rf "$OUT/$ds/cchc-noapp-1t"
      measure "$ds" cchc-noapp-1t "$run" env RAYON_NUM_THREADS=1 POLARS_MAX_THREADS=1 \
        "$BIN" run --input "$dir" --output "$OUT/$ds/cchc-noapp-1t" --no-appendices --no-documents --timings
    done
  fi
  if [ -n "$py" ] && [ $hostile = 0 ]; then
    for peer in $PEERS; do
      rm -rf "$OUT/$ds/peer-$peer"
      if [ "$peer" = pandas ]; then
        measure "$ds" peer-pandas 1 timeout "$PANDAS_TIMEOUT" "$py" bench/peer_pandas.py "$dir" "$OUT/$ds/peer-pandas"
      else
        measure "$ds" "peer-$peer" 1 "$py" "bench/peer_$peer.py" "$dir" "$OUT/$ds/peer-$peer"
      fi
      if [ -f "$OUT/$ds/peer-$peer/rankings.csv" ] && [ -f "$OUT/$ds/cchc-noapp/rankings.csv" ]; then
        python3 bench/compare.py "$OUT/$ds/cchc-noapp" "$OUT/$ds/peer-$peer" >"$OUT/$ds/peer-$peer.agreement" || true
      fi
    done
  fi
done

say "report"
if command -v python3 >/dev/null; then
  python3 bench/report.py "$RAW" "$OUT" bench/results.json bench/README.md
  echo "bench: results in bench/README.md and bench/results.json (raw: $RAW)" >&2
else
  column -t -s $'\t' "$RAW" 2>/dev/null || cat "$RAW"
  echo "bench: python3 not found: bench/README.md not updated; the raw table is above" >&2
fi
