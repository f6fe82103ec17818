#!/usr/bin/env bash
# Regenerates the pictures of the officers' guide (docs/huong-dan.md) in docs/hinh/
# from a fresh run on the sample district (input/). Run it after changing what a
# workbook or a Word document looks like, and commit the new PNGs.
#
#   scripts/guide-pictures.sh                         # BIN=target/release/cchc (make build)
#   BIN=target/checked/cchc scripts/guide-pictures.sh
#
# Needs LibreOffice (headless) and pdftoppm, pdftotext, pdfinfo (poppler-utils):
#   sudo apt-get install -y libreoffice-calc libreoffice-writer poppler-utils
# The pages are rendered without anti-aliasing: the PNGs stay small (a few tens of KB)
# and their text stays sharp.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/cchc}
YEAR=${YEAR:-2022}
UNIT=${UNIT:-trieu-trach}     # the slug of the unit whose appendix and letter are shown
DEST=${DEST:-docs/hinh}

soffice=$(command -v soffice || command -v libreoffice || true)
for tool in pdftoppm pdftotext pdfinfo; do
  command -v "$tool" >/dev/null 2>&1 || soffice=
done
if [ -z "$soffice" ]; then
  echo "guide-pictures cần LibreOffice và poppler-utils (pdftoppm, pdftotext, pdfinfo)." >&2
  echo "Cài trên Debian/Ubuntu: sudo apt-get install -y libreoffice-calc libreoffice-writer poppler-utils" >&2
  exit 2
fi
[ -x "$BIN" ] || { echo "Không thấy $BIN: hãy build trước (make build) hoặc đặt BIN=…" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/out

# Exit code 1 is expected: the sample carries a data error on purpose (Triệu Trạch 2022).
rc=0
"$BIN" run --input input --output "$out" >"$work/run.txt" 2>&1 || rc=$?
[ "$rc" -le 1 ] || { cat "$work/run.txt" >&2; echo "cchc run thất bại (mã thoát $rc)" >&2; exit 2; }

ranking=$out/$YEAR/xep-hang-chi-so-cchc-$YEAR.xlsx
appendix=$out/$YEAR/phu-luc/phu-luc-$UNIT-$YEAR.xlsx
letter=$out/$YEAR/cong-van/$UNIT-$YEAR.docx
annex=$out/$YEAR/phu-luc-xep-hang-$YEAR.docx
for f in "$ranking" "$appendix" "$letter" "$annex"; do
  [ -f "$f" ] || { echo "cchc run không ghi $f" >&2; exit 2; }
done

# A private profile: a LibreOffice already open on the desktop must not take the job.
mkdir -p "$work/profile" "$work/pdf"
"$soffice" -env:UserInstallation="file://$work/profile" --headless --convert-to pdf \
  --outdir "$work/pdf" "$ranking" "$appendix" "$letter" "$annex" >/dev/null 2>&1
pdf() { echo "$work/pdf/$(basename "${1%.*}").pdf"; }

# The first page of PDF whose text holds TEXT.
page_with() { # PDF TEXT
  local n i
  n=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
  for ((i = 1; i <= n; i++)); do
    # grep reads to the end (no -q): under pipefail an early exit would fail pdftotext.
    if pdftotext -f "$i" -l "$i" "$1" - | grep -F "$2" >/dev/null; then
      echo "$i"
      return
    fi
  done
  echo "Không thấy trang có \"$2\" trong $1" >&2
  exit 2
}

# One page to DEST/NAME.png at DPI, cropped to a part of the page given in hundredths
# of its width and height (x y w h; default the whole page).
shot() { # NAME PDF PAGE DPI [X Y W H]
  local name=$1 file=$2 page=$3 dpi=$4 x=${5:-0} y=${6:-0} w=${7:-100} h=${8:-100}
  local size pw ph
  size=$(pdfinfo -f "$page" -l "$page" "$file" | awk '/^Page +[0-9]+ size:/ {print $4, $6; exit}')
  pw=$(awk -v s="${size% *}" -v d="$dpi" 'BEGIN {printf "%d", s / 72 * d}')
  ph=$(awk -v s="${size#* }" -v d="$dpi" 'BEGIN {printf "%d", s / 72 * d}')
  pdftoppm -png -aa no -aaVector no -r "$dpi" -f "$page" -l "$page" -singlefile \
    -x $((pw * x / 100)) -y $((ph * y / 100)) -W $((pw * w / 100)) -H $((ph * h / 100)) \
    "$file" "$DEST/$name"
  echo "$DEST/$name.png: $(basename "$file") trang $page ($(($(stat -c %s "$DEST/$name.png") / 1024)) KB)"
}

checks_page=$(page_with "$(pdf "$ranking")" "KẾT QUẢ KIỂM TRA DỮ LIỆU")
# The first page of each other sheet of the ranking workbook, found by its title.
sheet_pages=()
for title in "SO SÁNH KẾT QUẢ THEO LĨNH VỰC" "ĐIỂM BỊ TRỪ NĂM" "KẾT QUẢ KHẮC PHỤC NĂM" "CHỈ SỐ VÀ THỨ HẠNG CÁC NĂM" \
  "ĐIỂM TỰ ĐÁNH GIÁ VÀ ĐIỂM THẨM ĐỊNH" "ĐỘ ỔN ĐỊNH CỦA XẾP HẠNG" "KHUNG TIÊU CHÍ CHẤM ĐIỂM"; do
  sheet_pages+=("$(page_with "$(pdf "$ranking")" "$title")")
done
annex_page=$(page_with "$(pdf "$letter")" "PHỤ LỤC")
mkdir -p "$DEST"
shot xep-hang "$(pdf "$ranking")" 1 200 4 5 92 68
shot kiem-tra "$(pdf "$ranking")" "$checks_page" 200 4 5 92 28
names=(so-sanh diem-bi-tru khac-phuc xu-huong tu-danh-gia on-dinh khung-tieu-chi)
for i in "${!names[@]}"; do
  shot "${names[$i]}" "$(pdf "$ranking")" "${sheet_pages[$i]}" 110 0 0 100 60
done
shot phu-luc "$(pdf "$appendix")" 1 200 4 5 92 80
shot cong-van "$(pdf "$letter")" 1 130
shot cong-van-phu-luc "$(pdf "$letter")" "$annex_page" 130
shot phu-luc-xep-hang "$(pdf "$annex")" 1 130
