#!/usr/bin/env bash
# The Windows specifics wine can show (scripts/windows.sh test runs this): Vietnamese
# folder names with spaces and `\` separators, paths echoed as typed, Vietnamese text
# as the exe writes it, and an output workbook that cannot be replaced.
set -euo pipefail
app=$1                       # the unpacked zip's folder (cchc.exe, input/)
root=$(cd "$(dirname "$0")/.." && pwd)
linux=$root/target/release/cchc
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
export WINEDEBUG=-all
fail() { echo "windows-checks: $*"; exit 1; }
cp "$app"/*.dll "$work/" 2>/dev/null || true
cp "$app/cchc.exe" "$work/"
mkdir -p "$work/Dữ liệu CCHC"
cp -r "$root/input" "$work/Dữ liệu CCHC/đầu vào"
cd "$work"

# 1. A folder with Vietnamese letters and spaces, typed with `\`: the same problems,
#    named by the same paths under the input folder, as the Linux build finds.
wine ./cchc.exe validate --input 'Dữ liệu CCHC\đầu vào' --format json >win.json || [ $? = 1 ]
"$linux" validate --input "Dữ liệu CCHC/đầu vào" --format json >linux.json || [ $? = 1 ]
cmp -s win.json linux.json || { diff win.json linux.json | head; fail "validate JSON differs under wine"; }

# 2. Paths in messages as the user typed them, `\` kept.
wine ./cchc.exe run --input 'Dữ liệu CCHC\đầu vào' --output 'kết quả\lần 1' >run.out 2>run.err || [ $? = 1 ]
grep -q 'kết quả\\lần 1' run.out run.err || { cat run.out run.err | head; fail "the output folder is not shown as typed"; }
[ -f "kết quả/lần 1/2022/xep-hang-chi-so-cchc-2022.xlsx" ] || fail "no ranking workbook under a Vietnamese path"

# 3. Vietnamese text as the exe writes it: valid UTF-8, tones intact (no mojibake).
wine ./cchc.exe rank --input 'Dữ liệu CCHC\đầu vào' --year 2022 >rank.txt
iconv -f UTF-8 -t UTF-8 rank.txt >/dev/null || fail "rank output is not UTF-8"
grep -q 'XẾP HẠNG CHỈ SỐ CCHC NĂM 2022' rank.txt || fail "rank output lost its Vietnamese: $(head -c 200 rank.txt)"
grep -q 'Triệu Trạch' rank.txt || fail "unit names lost their tones"

# 4. An output workbook that cannot be replaced (read-only, as Windows treats a file
#    open in Excel): the run stops with exit 2, names the file and says to close Excel.
book="kết quả/lần 1/2022/xep-hang-chi-so-cchc-2022.xlsx"
chmod a-w "$book"
set +e
wine ./cchc.exe run --input 'Dữ liệu CCHC\đầu vào' --output 'kết quả\lần 1' >locked.out 2>locked.err
rc=$?
set -e
chmod u+w "$book"
[ "$rc" = 2 ] || { cat locked.err | head; fail "a workbook that cannot be replaced gave exit $rc, not 2"; }
grep -q 'xep-hang-chi-so-cchc-2022.xlsx' locked.err || fail "the locked workbook is not named: $(cat locked.err)"
grep -q 'đóng lại' locked.err || fail "the message does not say to close Excel: $(cat locked.err)"
echo "windows-checks: Vietnamese paths with spaces and \\, paths as typed, UTF-8 text, a locked workbook: ok"
