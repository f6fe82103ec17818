#!/usr/bin/env bash
# Renders the ranking workbook of one year and one remediation appendix to PDF and
# PNG pages, to look at them as an office would print them. Needs LibreOffice
# (headless) and pdftoppm; stops with a message where they are absent.
#
#   scripts/render.sh OUTPUT_DIR [YEAR] [APPENDIX.xlsx]
# Defaults: the latest year under OUTPUT_DIR and the first appendix of that year.
set -euo pipefail

out=${1:?thư mục kết quả (ví dụ output)}
year=${2:-}
appendix=${3:-}

soffice=$(command -v soffice || command -v libreoffice || true)
if [ -z "$soffice" ] || ! command -v pdftoppm >/dev/null 2>&1; then
  echo "make render cần LibreOffice và pdftoppm, máy này chưa có." >&2
  echo "Cài trên Debian/Ubuntu: sudo apt-get install -y libreoffice-calc poppler-utils" >&2
  echo "(Các kết quả khác của cchc không cần hai chương trình này.)" >&2
  exit 2
fi

if [ -z "$year" ]; then
  year=$(find "$out" -mindepth 1 -maxdepth 1 -type d -name '[12][0-9][0-9][0-9]' -printf '%f\n' | sort | tail -n 1)
fi
[ -n "$year" ] || { echo "Không có năm nào trong $out: hãy chạy make run trước." >&2; exit 2; }
ranking="$out/$year/xep-hang-chi-so-cchc-$year.xlsx"
[ -f "$ranking" ] || { echo "Không thấy $ranking: hãy chạy make run trước." >&2; exit 2; }
if [ -z "$appendix" ]; then
  appendix=$(find "$out/$year/phu-luc" -name '*.xlsx' 2>/dev/null | sort | head -n 1 || true)
fi

dest="$out/render"
mkdir -p "$dest"
# A private profile: a LibreOffice already open on the desktop must not take the job.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for book in "$ranking" ${appendix:+"$appendix"}; do
  "$soffice" -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$dest" "$book" >/dev/null
  pdf="$dest/$(basename "${book%.xlsx}").pdf"
  pdftoppm -png -r 70 "$pdf" "${pdf%.pdf}"
  echo "Đã xuất $pdf và các trang PNG $(basename "${pdf%.pdf}")-*.png"
done
