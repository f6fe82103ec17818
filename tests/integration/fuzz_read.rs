//! A bounded fuzz of the reading stage: the real workbooks of `tests/fixtures` with
//! their bytes damaged (bits flipped, bytes overwritten, length fields set to extreme
//! values, files truncated, chunks spliced, deleted or duplicated, junk and markup
//! inserted) are read with [`cchc::read::read_file`] and the whole pipeline.
//!
//! Reading must always return — no panic in cchc's own code, no hang — and a file it
//! cannot read must come back as diagnostics naming that file. Panics inside the
//! readers cchc depends on (calamine, zip, …) are allowed when cchc catches them and
//! turns them into a diagnostic; they are counted on stderr (`--nocapture`).
//!
//! Each case mutates either the file's raw bytes or, half of the time, one part
//! inside its container (a zip entry of .xlsx/.ods, the `Workbook` stream of .xls)
//! that is then packed again, so that the damage reaches the sheet parsers instead
//! of stopping at the container's checksums.
//!
//! The run is deterministic (fixed ChaCha seed, no failure persistence) and bounded:
//! 64 cases per fixture and 16 for the pipeline by default. For long runs:
//!
//! ```text
//! CCHC_FUZZ_CASES=20000 cargo test --release --test integration fuzz_read
//! CCHC_FUZZ_CASES=20000 CCHC_FUZZ_SEED=7 cargo test --release --test integration fuzz_read -- --nocapture
//! ```
//!
//! `CCHC_FUZZ_CASES` is the number of cases per fixture (the pipeline test runs a
//! quarter of it); `CCHC_FUZZ_SEED` (a number, default 0) picks another sequence.
//!
//! Each test runs its cases in a child process (this test binary again, with
//! `CCHC_FUZZ_CHILD` set) whose address space is capped at [`MEMORY_LIMIT_KIB`]
//! (`ulimit -v`, on Unix), so that an input making a reader allocate without bound
//! aborts that child quickly instead of exhausting the machine; the test then fails
//! with the child's output. The file being read at any moment is
//! `target/tmp/fuzz_read/<fixture>/…`, with the mutation that made it beside it
//! (`….mutation.txt`), and both are left there when the child dies. A case that
//! fails without killing the child is shrunk and its file written to
//! `target/tmp/fuzz_read/<fixture>-minimal.<ext>`.

use cchc::model::diagnostic::Severity;
use cchc::read::discover::InputFile;
use cchc::read::limits::Limits;
use cchc::read::{FileResult, read_file};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// Default cases per fixture.
const DEFAULT_CASES: u32 = 64;
/// A read taking longer than this is a hang (the fixtures read in milliseconds).
const CASE_TIMEOUT: Duration = Duration::from_secs(30);
/// Address space of the child process running the cases (8 GiB; reading a fixture
/// takes a few MiB, calamine's own caps allow about 3 GiB for one sheet).
const MEMORY_LIMIT_KIB: u64 = 8 * 1024 * 1024;
/// Set in the child process.
const CHILD_ENV: &str = "CCHC_FUZZ_CHILD";

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    Some(v.trim().parse().unwrap_or_else(|_| panic!("{name} must be a number, got {v:?}")))
}

fn cases() -> u32 {
    env_number("CCHC_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n.clamp(1, u32::MAX as u64) as u32)
}

/// A runner with a fixed seed derived from the test's name (and `CCHC_FUZZ_SEED`).
fn runner(name: &str, cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 512,
        max_shrink_time: 120_000,
        max_global_rejects: cases.saturating_mul(4),
        ..Config::default()
    };
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&env_number("CCHC_FUZZ_SEED").unwrap_or(0).to_le_bytes());
    // FNV-1a of the name, so that every fixture gets its own sequence.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3));
    seed[8..16].copy_from_slice(&hash.to_le_bytes());
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed))
}

/// Where the files being read are written (kept if the process dies).
fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz_read").join(name)
}

/// Runs `body` in a child process (this test again) with its memory capped; in the
/// child, runs it. `work` is the folder where the child leaves its current input.
fn isolated(test: &str, work: &Path, body: impl FnOnce()) {
    if std::env::var_os(CHILD_ENV).is_some() {
        body();
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    let mut cmd = if cfg!(unix) && Path::new("/bin/sh").exists() {
        let mut c = Command::new("/bin/sh");
        c.arg("-c").arg(format!("ulimit -v {MEMORY_LIMIT_KIB} 2>/dev/null; exec \"$0\" \"$@\"")).arg(exe);
        c
    } else {
        Command::new(exe)
    };
    let test = format!("fuzz_read::{test}");
    cmd.args(["--exact", &test, "--nocapture", "--test-threads", "1"]).env(CHILD_ENV, "1");
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        cmd.env("RUST_BACKTRACE", "1");
    }
    let out = cmd.output().expect("run the test binary again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The child's summary lines (and everything else when it failed).
    for line in stderr.lines().filter(|l| l.starts_with("fuzz_read ")) {
        eprintln!("{line}");
    }
    if out.status.success() && stdout.contains("1 passed") {
        return;
    }
    let mut left = String::new();
    if work.exists() {
        for f in walk(work) {
            left.push_str(&format!("\n  {}", f.display()));
            if f.extension().is_some_and(|e| e == "txt") {
                left.push_str(&format!(":\n{}", std::fs::read_to_string(&f).unwrap_or_default()));
            }
        }
    }
    let cut = (stderr.len().saturating_sub(12_000)..).find(|&i| stderr.is_char_boundary(i)).unwrap_or(stderr.len());
    panic!(
        "{test}: the child process failed ({}; memory capped at {MEMORY_LIMIT_KIB} KiB)\n\
         --- stdout ---\n{stdout}\n--- stderr (last 12000 bytes) ---\n{}\n--- input being read when it stopped ---{left}",
        out.status,
        &stderr[cut..],
    );
}

/// Every file under a folder.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

/// Values that break length, count and index fields.
const INTERESTING: [u32; 14] =
    [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF];

/// Numbers written over a run of ASCII digits (cell references, row numbers, repeat
/// counts, lengths, values in the XML parts).
const NUMBERS: [&str; 16] = [
    "0",
    "-1",
    "",
    "255",
    "256",
    "16384",
    "65535",
    "65536",
    "1048576",
    "1048577",
    "2147483648",
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "99999999999999999999999999",
    "1e309",
];

/// Markup of the formats read, with extreme values, inserted at random places.
const SNIPPETS: [&str; 22] = [
    r#"<c r="XFD1048576" t="n"><v>1</v></c>"#,
    r#"<c r="A4294967296" t="s"><v>4294967295</v></c>"#,
    r#"<c r="ZZZZZZZZ1" t="str"><v>x</v></c>"#,
    r#"<row r="4294967295"><c r="A1"><v>1</v></c></row>"#,
    r#"<row r="0">"#,
    r#"<dimension ref="A1:XFD1048576"/>"#,
    r#"<mergeCell ref="A1:XFD1048576"/>"#,
    r#"<f t="shared" ref="A1:XFD1048576" si="0">A1+1</f>"#,
    r#"<c r="B2" t="e"><v>#N/A</v></c>"#,
    r#"<c r="B3" t="inlineStr"><is><t>1,5</t></is></c>"#,
    r#"<sheet name="Biểu" sheetId="99" r:id="rId99"/>"#,
    r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
    r#"<table:table-cell table:number-columns-repeated="4294967295" office:value-type="float" office:value="1"/>"#,
    r#"<table:table-cell office:value-type="float" office:value="NaN"/>"#,
    r#"<table:table table:name="x">"#,
    r#"<text:s text:c="3"/>"#,
    "<![CDATA[",
    "]]>",
    "&#0;&#xD800;&#1114112;&bogus;",
    r#"<?xml version="1.0" encoding="UTF-16"?>"#,
    r#"<!DOCTYPE x [<!ENTITY a "aaaaaaaaaaaaaaaa">]>"#,
    "</sheetData></worksheet></office:spreadsheet>",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Flip one bit.
    Flip { at: Index, bit: u8 },
    /// Overwrite one byte.
    Byte { at: Index, byte: u8 },
    /// Overwrite 1, 2 or 4 bytes (little endian) with an interesting value.
    Value { at: Index, value: u32, width: u8 },
    /// Cut the data at a point.
    Truncate { at: Index },
    /// Copy a chunk over another place.
    Splice { from: Index, to: Index, len: u16 },
    /// Insert a copy of a chunk at another place.
    Duplicate { from: Index, to: Index, len: u16 },
    /// Remove a chunk.
    Delete { at: Index, len: u16 },
    /// Insert junk bytes or markup.
    Insert { at: Index, junk: Vec<u8> },
    /// Replace the n-th run of ASCII digits by another number.
    Number { nth: Index, digits: &'static str },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let junk = prop_oneof![vec(any::<u8>(), 1..48), select(SNIPPETS.to_vec()).prop_map(|s| s.as_bytes().to_vec())];
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        3 => (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Byte { at, byte }),
        3 => (any::<Index>(), select(INTERESTING.to_vec()), select(vec![1u8, 2, 4]))
            .prop_map(|(at, value, width)| Mutation::Value { at, value, width }),
        1 => any::<Index>().prop_map(|at| Mutation::Truncate { at }),
        1 => (any::<Index>(), any::<Index>(), 1u16..512).prop_map(|(from, to, len)| Mutation::Splice { from, to, len }),
        1 => (any::<Index>(), any::<Index>(), 1u16..512).prop_map(|(from, to, len)| Mutation::Duplicate { from, to, len }),
        1 => (any::<Index>(), 1u16..512).prop_map(|(at, len)| Mutation::Delete { at, len }),
        2 => (any::<Index>(), junk).prop_map(|(at, junk)| Mutation::Insert { at, junk }),
        3 => (any::<Index>(), select(NUMBERS.to_vec())).prop_map(|(nth, digits)| Mutation::Number { nth, digits }),
    ]
}

/// Applies one mutation; says what it did, in byte offsets.
fn apply(buf: &mut Vec<u8>, m: &Mutation) -> String {
    let len = buf.len();
    match m {
        Mutation::Flip { at, bit } if len > 0 => {
            let i = at.index(len);
            buf[i] ^= 1 << (bit % 8);
            format!("flip bit {} of byte {i}", bit % 8)
        }
        Mutation::Byte { at, byte } if len > 0 => {
            let i = at.index(len);
            buf[i] = *byte;
            format!("byte {i} = {byte:#04x}")
        }
        Mutation::Value { at, value, width } if len > 0 => {
            let i = at.index(len);
            let bytes = value.to_le_bytes();
            for (slot, b) in buf[i..].iter_mut().zip(&bytes[..*width as usize]) {
                *slot = *b;
            }
            format!("{width} bytes at {i} = {value:#x} (little endian)")
        }
        Mutation::Truncate { at } => {
            let i = at.index(len + 1);
            buf.truncate(i);
            format!("truncate to {i} bytes")
        }
        Mutation::Splice { from, to, len: n } if len > 0 => {
            let f = from.index(len);
            let chunk = buf[f..(f + *n as usize).min(len)].to_vec();
            let t = to.index(len);
            for (slot, b) in buf[t..].iter_mut().zip(&chunk) {
                *slot = *b;
            }
            format!("copy {} bytes from {f} over {t}", chunk.len().min(len - t))
        }
        Mutation::Duplicate { from, to, len: n } if len > 0 => {
            let f = from.index(len);
            let chunk = buf[f..(f + *n as usize).min(len)].to_vec();
            let t = to.index(len + 1);
            let said = format!("insert a copy of {} bytes from {f} at {t}", chunk.len());
            buf.splice(t..t, chunk);
            said
        }
        Mutation::Delete { at, len: n } if len > 0 => {
            let i = at.index(len);
            let e = (i + *n as usize).min(len);
            buf.drain(i..e);
            format!("delete bytes {i}..{e}")
        }
        Mutation::Insert { at, junk } => {
            let i = at.index(len + 1);
            buf.splice(i..i, junk.iter().copied());
            format!("insert {:?} at {i}", String::from_utf8_lossy(junk))
        }
        Mutation::Number { nth, digits } => {
            let runs = digit_runs(buf);
            if runs.is_empty() {
                return "no number to replace".into();
            }
            let (s, e) = runs[nth.index(runs.len())];
            let said = format!("number {:?} at {s} = {digits:?}", String::from_utf8_lossy(&buf[s..e]));
            buf.splice(s..e, digits.bytes());
            said
        }
        _ => "nothing (empty data)".into(),
    }
}

/// (start, end) of every run of ASCII digits.
fn digit_runs(buf: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, b) in buf.iter().enumerate() {
        match (b.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, buf.len()));
    }
    runs
}

/// One damaged copy of a fixture.
#[derive(Debug, Clone)]
struct Mutant {
    /// Damage a part inside the container (then pack it again) rather than the file.
    inner: bool,
    /// Which part, when `inner`; `None` (most of the time) for the largest, the sheet data.
    part: Option<Index>,
    mutations: Vec<Mutation>,
}

fn mutant() -> impl Strategy<Value = Mutant> {
    (any::<bool>(), prop::option::weighted(0.3, any::<Index>()), vec(mutation(), 1..=4)).prop_map(|(inner, part, mutations)| Mutant {
        inner,
        part,
        mutations,
    })
}

// ---------------------------------------------------------------------------
// Fixtures and their containers
// ---------------------------------------------------------------------------

/// A fixture, with its container opened for part-wise mutation.
struct Fixture {
    name: &'static str,
    bytes: Vec<u8>,
    container: Container,
}

enum Container {
    /// .xlsx, .ods: (entry name, uncompressed bytes) in order.
    Zip(Vec<(String, Vec<u8>)>),
    /// .xls: the name and bytes of the BIFF stream inside the compound file.
    Ole(String, Vec<u8>),
}

impl Fixture {
    fn load(name: &'static str) -> Fixture {
        let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).expect("fixture");
        let container = if name.ends_with(".xls") {
            let mut comp = cfb::CompoundFile::open(Cursor::new(bytes.clone())).expect("compound file");
            let stream = ["/Workbook", "/Book"].into_iter().find(|s| comp.is_stream(s)).expect("Workbook stream").to_string();
            let mut data = Vec::new();
            comp.open_stream(&stream).unwrap().read_to_end(&mut data).unwrap();
            Container::Ole(stream, data)
        } else {
            let mut zip = zip::ZipArchive::new(Cursor::new(bytes.clone())).expect("zip");
            let entries = (0..zip.len())
                .map(|i| {
                    let mut f = zip.by_index(i).unwrap();
                    let mut data = Vec::new();
                    f.read_to_end(&mut data).unwrap();
                    (f.name().unwrap().into_owned(), data)
                })
                .collect();
            Container::Zip(entries)
        };
        Fixture { name, bytes, container }
    }

    fn extension(&self) -> &'static str {
        self.name.rsplit_once('.').map(|(_, e)| e).unwrap()
    }

    /// The damaged file.
    fn build(&self, m: &Mutant) -> Vec<u8> {
        self.build_described(m).0
    }

    /// The damaged file, and what was done to it.
    fn build_described(&self, m: &Mutant) -> (Vec<u8>, String) {
        let damage = |data: &mut Vec<u8>| m.mutations.iter().map(|x| format!("\n  {}", apply(data, x))).collect::<String>();
        if !m.inner {
            let mut bytes = self.bytes.clone();
            let said = damage(&mut bytes);
            return (bytes, format!("{}, whole file:{said}", self.name));
        }
        match &self.container {
            Container::Zip(entries) => {
                let largest = (0..entries.len()).max_by_key(|&i| entries[i].1.len()).unwrap();
                let target = m.part.map_or(largest, |p| p.index(entries.len()));
                let mut entries = entries.clone();
                let said = damage(&mut entries[target].1);
                (pack_zip(&entries), format!("{}, zip entry {} (then stored):{said}", self.name, entries[target].0))
            }
            Container::Ole(stream, data) => {
                let mut data = data.clone();
                let said = damage(&mut data);
                (pack_ole(&self.bytes, stream, &data), format!("{}, stream {stream} of the compound file:{said}", self.name))
            }
        }
    }
}

fn pack_zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in entries {
        w.start_file(name.as_str(), stored).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn pack_ole(original: &[u8], stream: &str, data: &[u8]) -> Vec<u8> {
    let mut comp = cfb::CompoundFile::open(Cursor::new(original.to_vec())).unwrap();
    {
        let mut s = comp.create_stream(stream).unwrap();
        s.write_all(data).unwrap();
        s.flush().unwrap();
    }
    comp.flush().unwrap();
    comp.into_inner().into_inner()
}

// ---------------------------------------------------------------------------
// Panics: which code panicked
// ---------------------------------------------------------------------------

/// A panic seen by the hook.
#[derive(Debug, Clone)]
struct PanicRecord {
    thread: String,
    message: String,
    location: String,
    /// In cchc's own code (not a dependency's, not the standard library's).
    ours: bool,
    backtrace: String,
}

static PANICS: Mutex<Vec<PanicRecord>> = Mutex::new(Vec::new());
static HOOK: Once = Once::new();

/// Records every panic, caught or not, then runs the default hook.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
            // Paths of this package are relative ("src/…" for the library, "tests/…"
            // for the tests); dependencies and std are absolute.
            let ours = info.location().is_some_and(|l| l.file().starts_with("src/") || l.file().starts_with("src\\"));
            let message = info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let backtrace = if ours { std::backtrace::Backtrace::force_capture().to_string() } else { String::new() };
            let thread = std::thread::current().name().unwrap_or("").to_string();
            PANICS.lock().unwrap_or_else(|e| e.into_inner()).push(PanicRecord { thread, message, location, ours, backtrace });
            default(info);
        }));
    });
}

/// Takes the records matching `pick`.
fn take_panics(pick: impl Fn(&PanicRecord) -> bool) -> Vec<PanicRecord> {
    let mut all = PANICS.lock().unwrap_or_else(|e| e.into_inner());
    let (mine, rest): (Vec<_>, Vec<_>) = all.drain(..).partition(|p| pick(p));
    *all = rest;
    mine
}

/// Runs `f` on a named thread; fails on a hang, on an escaping panic, and on any
/// panic in cchc's code even when cchc caught it. `also` picks the panics of other
/// threads that belong to this run (rayon's workers in the pipeline).
fn guarded<T: Send + 'static>(
    thread: String,
    also: impl Fn(&PanicRecord) -> bool,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<(T, Vec<PanicRecord>), String> {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name(thread.clone())
        .spawn(move || {
            let r = f();
            let _ = tx.send(());
            r
        })
        .expect("spawn");
    let started = Instant::now();
    let outcome = match rx.recv_timeout(CASE_TIMEOUT) {
        Ok(()) | Err(RecvTimeoutError::Disconnected) => handle.join().map_err(|_| "panicked (not caught by cchc)".to_string()),
        Err(RecvTimeoutError::Timeout) => Err(format!("did not return within {:?}: hang", started.elapsed())),
    };
    let panics = take_panics(|p| p.thread == thread || also(p));
    let ours: Vec<_> = panics.iter().filter(|p| p.ours).collect();
    match outcome {
        Ok(v) if ours.is_empty() => Ok((v, panics)),
        Ok(_) => Err(format!("panic in cchc's code (caught by cchc): {}", describe(&ours))),
        Err(e) => Err(format!("{e}; panics: {}", describe(&panics.iter().collect::<Vec<_>>()))),
    }
}

fn describe(panics: &[&PanicRecord]) -> String {
    panics.iter().map(|p| format!("\n  '{}' at {}\n{}", p.message, p.location, p.backtrace)).collect()
}

// ---------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------

/// What `read_file` must guarantee for any input.
fn check_result(r: &FileResult, file: &InputFile) -> Result<(), TestCaseError> {
    for d in &r.diagnostics {
        prop_assert_eq!(&d.file, &file.rel, "diagnostic names another file: {:?}", d);
        prop_assert_eq!(d.year, Some(file.year), "diagnostic with another year: {:?}", d);
        prop_assert!(!d.message.trim().is_empty(), "diagnostic without a message: {:?}", d);
    }
    for s in &r.sheets {
        prop_assert_eq!(&s.file, &file.rel);
        prop_assert_eq!(s.year, file.year);
    }
    if r.sheets.is_empty() {
        prop_assert!(
            r.diagnostics.iter().any(|d| d.severity == Severity::Error),
            "nothing read from {} and no error said why: {:?}",
            file.rel,
            r.diagnostics
        );
    }
    Ok(())
}

/// Whether cchc reported a reader crash it caught.
fn crashed(r: &FileResult) -> bool {
    r.diagnostics.iter().any(|d| d.kind.name() == "internal_error")
}

fn read_guarded(file: &InputFile, thread: String) -> Result<(FileResult, Vec<PanicRecord>), String> {
    let f = file.clone();
    guarded(thread, |_| false, move || read_file(&f, &Limits::default()))
}

/// Units named by the sheets read.
fn units(r: &FileResult) -> Vec<String> {
    r.sheets.iter().map(|s| s.unit.as_ref().map(|u| u.name.clone()).unwrap_or_default()).collect()
}

fn fuzz_fixture(test: &str, name: &'static str, year: i32) {
    let stem = name.rsplit_once('.').unwrap().0;
    let work = scratch(stem);
    isolated(test, &work, || fuzz_fixture_here(name, year));
}

fn fuzz_fixture_here(name: &'static str, year: i32) {
    install_panic_hook();
    let fixture = Fixture::load(name);
    let stem = name.rsplit_once('.').unwrap().0;
    let work = scratch(stem);
    let _ = std::fs::remove_dir_all(&work);
    let rel = format!("{year}/Đợt 2/hỏng {name}");
    let path = work.join(&rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = InputFile { path: path.clone(), rel: rel.clone(), year };
    let sidecar = path.with_file_name(format!("hỏng {name}.mutation.txt"));

    // The harness itself: the fixture, and the fixture packed again without damage,
    // read as the fixture does (otherwise part-wise damage would test nothing).
    std::fs::write(&path, &fixture.bytes).unwrap();
    let (good, _) = read_guarded(&file, format!("fuzz-{stem}-good")).unwrap();
    assert!(!good.sheets.is_empty(), "{name} does not read: {:?}", good.diagnostics);
    assert!(units(&good).iter().all(|u| !u.is_empty()), "{name}: {:?}", units(&good));
    let repacked = fixture.build(&Mutant { inner: true, part: None, mutations: vec![] });
    std::fs::write(&path, &repacked).unwrap();
    let (again, _) = read_guarded(&file, format!("fuzz-{stem}-repacked")).unwrap();
    assert_eq!(units(&again), units(&good), "{name} packed again reads differently: {:?}", again.diagnostics);

    let cases = cases();
    let mut runner = runner(name, cases);
    let counter = std::sync::atomic::AtomicU64::new(0);
    let stats = Mutex::new((0u64, 0u64, 0u64)); // (read with sheets, unreadable, reader crashes caught)
    let started = Instant::now();
    let result = runner.run(&mutant(), |m| {
        let (bytes, said) = fixture.build_described(&m);
        std::fs::write(&sidecar, format!("{said}\n{m:?}\n")).map_err(|e| TestCaseError::fail(e.to_string()))?;
        std::fs::write(&path, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (r, panics) = read_guarded(&file, format!("fuzz-{stem}-{n}")).map_err(TestCaseError::fail)?;
        check_result(&r, &file)?;
        let mut s = stats.lock().unwrap();
        if r.sheets.is_empty() {
            s.1 += 1;
        } else {
            s.0 += 1;
        }
        if crashed(&r) || !panics.is_empty() {
            s.2 += 1;
        }
        Ok(())
    });
    let (read, unreadable, crashes) = *stats.lock().unwrap();
    eprintln!(
        "fuzz_read {name}: {cases} cases in {:.1?}: {read} read, {unreadable} unreadable, {crashes} reader panics caught by cchc",
        started.elapsed()
    );
    match result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&work);
        }
        Err(TestError::Fail(reason, m)) => {
            let keep = scratch(&format!("{stem}-minimal.{}", fixture.extension()));
            let (bytes, said) = fixture.build_described(&m);
            std::fs::write(&keep, bytes).unwrap();
            panic!("{name}: reading a damaged copy failed: {reason}\nminimal damage: {said}\n{m:?}\nfile kept at {}", keep.display());
        }
        Err(TestError::Abort(reason)) => panic!("{name}: fuzz aborted: {reason}"),
    }
}

#[test]
fn damaged_xls_reads_or_is_reported() {
    fuzz_fixture("damaged_xls_reads_or_is_reported", "hai_an_2023.xls", 2023);
}

#[test]
fn damaged_ods_reads_or_is_reported() {
    fuzz_fixture("damaged_ods_reads_or_is_reported", "hai_ba_2023.ods", 2023);
}

#[test]
fn damaged_xlsx_reads_or_is_reported() {
    fuzz_fixture("damaged_xlsx_reads_or_is_reported", "hai_que_2023.xlsx", 2023);
}

#[test]
fn damaged_xlsx_with_two_header_rows_reads_or_is_reported() {
    fuzz_fixture("damaged_xlsx_with_two_header_rows_reads_or_is_reported", "dien_sanh_2023.xlsx", 2023);
}

#[test]
fn damaged_multisheet_xlsx_reads_or_is_reported() {
    fuzz_fixture("damaged_multisheet_xlsx_reads_or_is_reported", "multisheet_2022.xlsx", 2022);
}

/// The pipeline over a year folder of damaged files and one good one: it runs, and
/// the good file's unit is scored from the good file.
#[test]
fn pipeline_scores_the_good_file_among_damaged_ones() {
    isolated("pipeline_scores_the_good_file_among_damaged_ones", &scratch("pipeline"), pipeline_here);
}

fn pipeline_here() {
    install_panic_hook();
    let sources = [Fixture::load("hai_an_2023.xls"), Fixture::load("hai_ba_2023.ods"), Fixture::load("hai_que_2023.xlsx")];
    let good_name = "dien_sanh_2023.xlsx";
    let good = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(good_name)).unwrap();
    let good_rel = "2023/0 tốt dien_sanh_2023.xlsx";
    let work = scratch("pipeline");
    let cases = (cases() / 4).max(1);
    let mut runner = runner("pipeline", cases);
    let counter = std::sync::atomic::AtomicU64::new(0);
    let strategy = vec((0..sources.len(), mutant()), 1..=4);
    let build = |dir: &Path, mutants: &[(usize, Mutant)]| {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir.join("2023")).unwrap();
        std::fs::write(dir.join(good_rel), &good).unwrap();
        let mut said = String::new();
        for (i, (s, m)) in mutants.iter().enumerate() {
            let f = &sources[*s];
            let name = format!("{} hỏng {}", i + 1, f.name);
            let (bytes, what) = f.build_described(m);
            said.push_str(&format!("{name}: {what}\n{m:?}\n"));
            std::fs::write(dir.join("2023").join(&name), bytes).unwrap();
        }
        std::fs::write(dir.join("mutations.txt"), said).unwrap();
    };
    let started = Instant::now();
    let result = runner.run(&strategy, |mutants| {
        build(&work, &mutants);
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = work.clone();
        // Rayon's workers are not named "fuzz-…" as the other tests' reading threads are.
        let workers = |p: &PanicRecord| !p.thread.starts_with("fuzz-");
        let (analysis, _) =
            guarded(format!("fuzz-pipeline-{n}"), workers, move || cchc::pipeline::analyse(&dir).map_err(|e| e.to_string()))
                .map_err(TestCaseError::fail)?;
        let a = analysis.map_err(|e| TestCaseError::fail(format!("analyse failed: {e}")))?;
        let rels: Vec<&str> = a.discovery.files.iter().map(|f| f.rel.as_str()).collect();
        prop_assert_eq!(rels.len(), mutants.len() + 1);
        for d in &a.diagnostics {
            prop_assert!(rels.contains(&d.file.as_str()), "diagnostic for an unknown file: {:?}", d);
        }
        let year = a.years.iter().find(|y| y.year == 2023);
        prop_assert!(year.is_some(), "no 2023 results: {:?}", a.diagnostics);
        let unit = a.find_unit("Diên Sanh");
        prop_assert!(unit.is_some(), "Diên Sanh not found; units {:?}", a.units);
        let scored = year.unwrap().units.iter().find(|u| Some(u.unit) == unit);
        prop_assert!(scored.is_some(), "Diên Sanh not scored: {:?}", a.diagnostics);
        prop_assert_eq!(a.origin(scored.unwrap().source).file, good_rel);
        Ok(())
    });
    eprintln!("fuzz_read pipeline: {cases} cases in {:.1?}", started.elapsed());
    match result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&work);
        }
        Err(TestError::Fail(reason, mutants)) => {
            build(&work, &mutants);
            panic!("pipeline over damaged files failed: {reason}\nminimal: {mutants:#?}\nfolder kept at {}", work.display());
        }
        Err(TestError::Abort(reason)) => panic!("pipeline fuzz aborted: {reason}"),
    }
}
