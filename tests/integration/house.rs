//! The house rules that keep the tree reading as the pipeline (README, "Layout of the
//! code"): each stage uses only the stages before it, so data flows one way and no
//! module cycle can come back unnoticed.

use std::path::Path;

/// The stages in pipeline order; a module may use the foundations and any module
/// listed before it, never one after it.
const ORDER: [&str; 16] = [
    "crash", "text", "collate", "model", "config", "error", "read", "resolve", "score", "validate", "analysis", "analyse", "write",
    "report", "pipeline", "cli",
];

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn each_stage_uses_only_the_stages_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let Some(pos) = ORDER.iter().position(|m| *m == top) else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for name in &ORDER[pos + 1..] {
                if code.contains(&format!("crate::{name}::")) || code.contains(&format!("crate::{name};")) {
                    wrong.push(format!("{}:{}: {top} uses {name}, a later stage", rel.display(), n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "data must flow one way:\n{}", wrong.join("\n"));
}
