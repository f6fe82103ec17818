#!/usr/bin/env bash
# The Windows release (issue #20).
#
#   scripts/windows.sh build   # make windows: dist/cchc-<version>-windows-x64.zip
#   scripts/windows.sh test    # make test-windows: the zip's exe under wine against the
#                              # Linux build, every output compared (scripts/same-outputs.sh)
#
# Installs what it needs where it can (the rustup target; Debian's mingw and wine when
# run as root), else says exactly what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
TARGET=x86_64-pc-windows-gnu
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
ZIP=dist/cchc-$VERSION-windows-x64.zip
EXE=target/$TARGET/dist/cchc.exe

need_deb() { # command, Debian packages
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "windows: cài $2 (Debian)…"
    # shellcheck disable=SC2086 # the packages are a list
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $2 >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $2 >/dev/null; } || true
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "windows: thiếu $1: sudo apt-get install -y $2"; exit 2; }
}

build() {
  if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
    echo "windows: thêm đích biên dịch $TARGET (rustup)…"
    rustup target add "$TARGET" || { echo "windows: không thêm được đích $TARGET: rustup target add $TARGET"; exit 2; }
  fi
  need_deb x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
  command -v python3 >/dev/null || { echo "windows: cần python3 để đóng gói zip"; exit 2; }
  "$CARGO" build --profile dist --target "$TARGET" --locked
  local stage
  stage=$(mktemp -d)
  mkdir -p "$stage/cchc" dist
  cp "$EXE" "$stage/cchc/cchc.exe"
  cp packaging/windows/chay-cchc.bat "$stage/cchc/"
  # The officers' guide (one source: docs/huong-dan.md, Markdown read as text), with its
  # pictures beside it as its links expect (hinh/…). Notepad reads it right with a
  # byte-order mark and CRLF line ends.
  { printf '\xef\xbb\xbf'; sed 's/$/\r/' docs/huong-dan.md; } >"$stage/cchc/HUONG-DAN.txt"
  cp -r docs/hinh "$stage/cchc/hinh"
  cp -r input "$stage/cchc/input"
  rm -f "$ZIP.tmp"
  (cd "$stage" && python3 - "$OLDPWD/$ZIP.tmp" cchc <<'PY'
import os, sys, zipfile
out, root = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            z.write(os.path.join(d, f))
PY
  )
  mv "$ZIP.tmp" "$ZIP"
  rm -rf "$stage"
  echo "windows: $ZIP ($(du -h "$ZIP" | cut -f1); cchc.exe $(du -h "$EXE" | cut -f1))"
}

# wine 8 (Debian 12) lacks bcryptprimitives.dll's ProcessPrng, which Rust's std calls:
# a stub built with mingw beside the exe, in the test folder only.
prng_stub() { # folder
  need_deb x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
  x86_64-w64-mingw32-gcc -shared -O2 -o "$1/bcryptprimitives.dll" packaging/windows/test/bcryptprimitives.c -ladvapi32
}

test_windows() {
  need_deb wine "wine wine64"
  build   # cargo rebuilds only what changed; the zip is always the code under test
  # The Linux reference is the test profile's binary (make test built it): polars
  # compiles once for Linux in CI, not once for the tests and again for release.
  "$CARGO" build --profile checked --locked
  export BIN=target/checked/cchc
  dir=$(mktemp -d)
  trap 'rm -rf "${dir:-}"' EXIT
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$ZIP" "$dir"
  local app=$dir/cchc
  for f in cchc.exe chay-cchc.bat HUONG-DAN.txt hinh/xep-hang.png input/2022; do
    [ -e "$app/$f" ] || { echo "windows: thiếu $f trong $ZIP"; exit 1; }
  done
  local size_mb=$(( $(stat -c %s "$ZIP") / 1048576 ))
  [ "$size_mb" -lt 60 ] || { echo "windows: $ZIP nặng $size_mb MB (giới hạn 60 MB)"; exit 1; }
  export WINEDEBUG=-all WINEPREFIX=${WINEPREFIX:-$HOME/.wine-cchc}
  wine "$app/cchc.exe" --version >/dev/null 2>&1 || prng_stub "$app"
  wine "$app/cchc.exe" --version >/dev/null 2>&1 || { echo "windows: cchc.exe không chạy được dưới wine"; exit 1; }
  # Every output of every command, Linux build as the reference, the exe under wine.
  SAME_ROOT=target/same-outputs-windows BIN=$BIN scripts/same-outputs.sh --save >/dev/null
  local wrapper=$dir/cchc-wine
  printf '#!/bin/sh\nexec wine %q "$@"\n' "$app/cchc.exe" >"$wrapper"
  chmod +x "$wrapper"
  SAME_ROOT=target/same-outputs-windows BIN=$wrapper scripts/same-outputs.sh
  # Windows specifics wine can show.
  bash scripts/windows-checks.sh "$app"
  echo "windows: $ZIP: mọi đầu ra dưới wine giống bản Linux; các kiểm tra Windows đạt."
}

case "${1:-}" in
  build) build ;;
  test) test_windows ;;
  *) echo "usage: $0 build|test"; exit 2 ;;
esac
