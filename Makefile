# cchc — two commands matter: `make run` and `make test` (see README.md).
# Tests and the binary share the release profile so polars compiles once.

CARGO ?= cargo
INPUT ?= input
OUTPUT ?= output
BIN := target/release/cchc

.PHONY: run test corpus build check-toolchain fmt sample fuzz fuzz-deep clean render bench windows test-windows

check-toolchain:
	@command -v $(CARGO) >/dev/null 2>&1 || { echo "Cần bộ công cụ Rust (cargo). Cài đặt: https://rustup.rs rồi chạy lại."; exit 2; }

build: check-toolchain
	$(CARGO) build --release --locked

# Exit code 1 from cchc means "results written, the data has problems": the sample
# district carries such problems on purpose (Triệu Trạch 2022 states 92,59).
run: build
	@$(BIN) run --input $(INPUT) --output $(OUTPUT); rc=$$?; \
	  if [ $$rc -eq 1 ]; then echo "(Có lỗi dữ liệu: xem $(OUTPUT)/diagnostics.json; kết quả vẫn được ghi.)"; exit 0; fi; exit $$rc

# The tests build with the `checked` profile: release code with overflow checks and
# debug assertions on for cchc's own crates (Cargo.toml), polars compiled once for it.
test: check-toolchain
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --profile checked --locked --workspace --all-targets -- -D warnings
	$(CARGO) test --profile checked --locked --workspace

# Writes the committed corpus of real structures (tests/fixtures/real/) from the tests
# that build it; the tests themselves only check it against what they would write.
corpus: check-toolchain
	CCHC_WRITE_CORPUS=1 $(CARGO) test --profile checked --locked --test integration real_sheets

# Regenerates the committed sample district (deterministic). It replaces only the files
# an earlier sample wrote (listed in input/.cchc-sample) and keeps cchc.toml; if input/
# holds any other file (an office's sheets), it stops and names them, deleting nothing.
sample: build
	$(BIN) sample --output $(INPUT) --units 18 --years 2021,2022,2023 --seed 2022

# The reading-stage fuzz runs a bounded number of cases in `make test`; this runs many more.
FUZZ_CASES ?= 20000
fuzz: check-toolchain
	CCHC_FUZZ_CASES=$(FUZZ_CASES) $(CARGO) test --profile checked --locked --test integration fuzz_read -- --nocapture

# Coverage-guided fuzzing (cargo fuzz, libFuzzer) of the .xlsx, .xls and .ods readers,
# FUZZ_SECONDS per target (installs cargo-fuzz if missing; see README "Reading limits").
FUZZ_SECONDS ?= 600
fuzz-deep: check-toolchain
	CARGO=$(CARGO) FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz-deep.sh

# The Windows release: dist/cchc-<version>-windows-x64.zip (cchc.exe, HUONG-DAN.txt,
# chay-cchc.bat, the sample input/), cross-built with mingw; test-windows runs the exe
# under wine and compares every output with the Linux build's (README "Trên Windows").
windows: check-toolchain
	CARGO=$(CARGO) bash scripts/windows.sh build

test-windows: check-toolchain
	CARGO=$(CARGO) bash scripts/windows.sh test

# PDF and PNG pages of a ranking workbook and one appendix (needs LibreOffice and
# pdftoppm: sudo apt-get install -y libreoffice-calc poppler-utils).
render: run
	scripts/render.sh $(OUTPUT) $(YEAR) $(APPENDIX)

# Times `cchc run` against the calamine floor and the Python peers on generated
# districts; results into bench/README.md (see there; about half an hour on two cores).
bench: check-toolchain
	CARGO=$(CARGO) bash bench/run.sh

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
