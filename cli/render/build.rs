//! Embeds the book's rule pages (`book/src/rules/<id>.md`) so `tykdeps
//! explain RULE` works offline: one `include_str!` per page, keyed by id. A
//! rule without a page is caught by the `rule_pages` test, which checks
//! every `RuleId::ALL` against this list.
#![expect(
    clippy::disallowed_methods,
    reason = "a build script reads cargo's variables"
)]

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let rules = manifest.join("../../book/src/rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut pages: Vec<(String, PathBuf)> = std::fs::read_dir(&rules)
        .unwrap_or_else(|e| panic!("{}: {e}", rules.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .filter_map(|path| {
            let id = path.file_stem()?.to_str()?.to_owned();
            let path = path.canonicalize().ok()?;
            Some((id, path))
        })
        .collect();
    pages.sort();
    let mut code = String::from("/// Every rule page in the book, by rule id, sorted.\n");
    code.push_str("pub(crate) static PAGES: &[(&str, &str)] = &[\n");
    for (id, path) in &pages {
        let _ = writeln!(
            code,
            "    ({id:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("rule_pages.rs"), code).expect("OUT_DIR is writable");
}
