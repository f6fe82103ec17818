#!/usr/bin/env bash
# The Windows specifics wine can show (scripts/windows.sh test runs this): Vietnamese
# folder names with spaces and `\` separators, paths echoed as typed, Vietnamese text
# as the exe writes it to a pipe and to a console, the progress bar in a console, and
# an output workbook open in Excel.
set -euo pipefail
app=$1                       # the unpacked zip's folder (cchc.exe, input/)
root=$(cd "$(dirname "$0")/.." && pwd)
linux=$root/${BIN:-target/release/cchc}
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
export WINEDEBUG=-all
fail() { echo "windows-checks: $*" >&2; exit 1; }
# A command that must finish with 0 or 1 (results written, data problems found).
done_or_problems() { local rc=0; "$@" || rc=$?; [ $rc -le 1 ] || fail "$* ended with exit $rc"; }
cp "$app"/*.dll "$work/" 2>/dev/null || true
cp "$app/cchc.exe" "$work/"
mkdir -p "$work/Dữ liệu CCHC"
cp -r "$root/input" "$work/Dữ liệu CCHC/đầu vào"
cd "$work"

# 1. A folder with Vietnamese letters and spaces, typed with `\`: the same problems,
#    named by the same paths under the input folder, as the Linux build finds.
done_or_problems wine ./cchc.exe validate --input 'Dữ liệu CCHC\đầu vào' --format json >win.json
done_or_problems "$linux" validate --input "Dữ liệu CCHC/đầu vào" --format json >linux.json
cmp -s win.json linux.json || { diff win.json linux.json | head; fail "validate JSON differs under wine"; }

# 2. Paths in messages as the user typed them, `\` kept.
done_or_problems wine ./cchc.exe run --input 'Dữ liệu CCHC\đầu vào' --output 'kết quả\lần 1' >run.out 2>run.err
grep -q 'kết quả\\lần 1' run.out run.err || { cat run.out run.err | head; fail "the output folder is not shown as typed"; }
[ -f "kết quả/lần 1/2022/xep-hang-chi-so-cchc-2022.xlsx" ] || fail "no ranking workbook under a Vietnamese path"

# 3. Vietnamese text as the exe writes it: valid UTF-8, tones intact (no mojibake).
wine ./cchc.exe rank --input 'Dữ liệu CCHC\đầu vào' --year 2022 >rank.txt
iconv -f UTF-8 -t UTF-8 rank.txt >/dev/null || fail "rank output is not UTF-8"
grep -q 'XẾP HẠNG CHỈ SỐ CCHC NĂM 2022' rank.txt || fail "rank output lost its Vietnamese: $(head -c 200 rank.txt)"
grep -q 'Triệu Trạch' rank.txt || fail "unit names lost their tones"

# 4. An output workbook open in Excel (held open without sharing by a small Windows
#    program, as Excel holds it): the run stops with exit 2, names the file and says
#    to close Excel; the earlier workbook is left whole.
x86_64-w64-mingw32-gcc -municode -O2 -o hold.exe "$root/packaging/windows/test/hold.c"
book="kết quả/lần 1/2022/xep-hang-chi-so-cchc-2022.xlsx"
before=$(sha1sum "$book")
wine ./hold.exe 'kết quả\lần 1\2022\xep-hang-chi-so-cchc-2022.xlsx' 60 &
holder=$!
sleep 3
set +e
wine ./cchc.exe run --input 'Dữ liệu CCHC\đầu vào' --output 'kết quả\lần 1' >locked.out 2>locked.err
rc=$?
set -e
kill $holder 2>/dev/null || true
wait $holder 2>/dev/null || true
[ "$rc" = 2 ] || { head locked.err; fail "a workbook open elsewhere gave exit $rc, not 2"; }
grep -q 'xep-hang-chi-so-cchc-2022.xlsx' locked.err || fail "the open workbook is not named: $(cat locked.err)"
grep -q 'hãy đóng tệp' locked.err || fail "the message does not say to close Excel: $(cat locked.err)"
[ "$(sha1sum "$book")" = "$before" ] || fail "the open workbook was changed"
# 5. A real console: wine attached to a terminal (util-linux `script` gives it one)
#    receives Vietnamese text written to the console, and the progress bar is drawn
#    (the sample has more files than the bar's threshold).
command -v script >/dev/null || fail "script (util-linux) is needed for the console check"
script -qec "wine ./cchc.exe rank --input 'Dữ liệu CCHC\\đầu vào' --year 2022" console-rank.log >/dev/null 2>&1 || true
grep -aq 'XẾP HẠNG CHỈ SỐ CCHC NĂM 2022' console-rank.log || fail "the console lost the Vietnamese: $(head -c 300 console-rank.log)"
grep -aq 'Triệu Trạch' console-rank.log || fail "the console lost the tones of unit names"
script -qec "wine ./cchc.exe run --input 'Dữ liệu CCHC\\đầu vào' --output 'kết quả\\lần 2'" console-run.log >/dev/null 2>&1 || true
grep -aq 'Đọc tệp .*/45' console-run.log || fail "no progress bar in the console: $(tail -c 300 console-run.log)"
echo "windows-checks: Vietnamese paths with spaces and \\, paths as typed, UTF-8 text, a locked workbook, console text and progress bar: ok"
