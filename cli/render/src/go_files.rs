//! `tykdeps parse`'s output: a short summary of a go.mod, go.work or
//! go.sum, or its JSON printed as the go command prints `-json` (indented
//! with tabs), so the two compare byte for byte.

use std::fmt::Write as _;

use serde::Serialize as _;
use tykdeps_resolver::gomod::{self, ModFile, SumFile, WorkFile};

/// JSON indented with tabs, as the go command prints it.
pub fn json(value: &serde_json::Value) -> String {
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut buf,
        serde_json::ser::PrettyFormatter::with_indent(b"\t"),
    );
    value
        .serialize(&mut ser)
        .expect("a JSON value always serialises");
    let mut text = String::from_utf8(buf).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// What a go.mod declares: module, go and toolchain lines, directive
/// counts, then each requirement.
pub fn mod_summary(file: &ModFile) -> String {
    let mut out = String::new();
    let module = file.module.as_ref().map_or("(none)", |m| m.path.as_str());
    let _ = writeln!(out, "module     {module}");
    if let Some(deprecated) = file.module.as_ref().and_then(|m| m.deprecated.as_deref()) {
        let _ = writeln!(out, "deprecated {deprecated}");
    }
    version_lines(&mut out, file.go.as_ref(), file.toolchain.as_ref());
    let direct = file.require.iter().filter(|r| !r.indirect).count();
    let _ = writeln!(
        out,
        "require    {} ({direct} direct, {} indirect)\nexclude    {}\nreplace    {}\nretract    {}\ngodebug    {}\ntool       {}\nignore     {}",
        file.require.len(),
        file.require.len() - direct,
        file.exclude.len(),
        file.replace.len(),
        file.retract.len(),
        file.godebug.len(),
        file.tool.len(),
        file.ignore.len()
    );
    for r in &file.require {
        let _ = writeln!(
            out,
            "  {} {}{}",
            r.path,
            r.version,
            if r.indirect { " // indirect" } else { "" }
        );
    }
    out
}

/// What a go.work declares: go and toolchain lines, counts, then each `use`.
pub fn work_summary(file: &WorkFile) -> String {
    let mut out = String::new();
    version_lines(&mut out, file.go.as_ref(), file.toolchain.as_ref());
    let _ = writeln!(
        out,
        "use        {}\nreplace    {}",
        file.uses.len(),
        file.replace.len()
    );
    for u in &file.uses {
        let _ = writeln!(out, "  {}", u.disk_path);
    }
    out
}

/// How many lines a go.sum has, of modules and of go.mod files.
pub fn sum_summary(file: &SumFile) -> String {
    let go_mod = file.lines.iter().filter(|l| l.go_mod).count();
    format!(
        "lines      {} ({} module, {go_mod} go.mod)\n",
        file.lines.len(),
        file.lines.len() - go_mod
    )
}

fn version_lines(
    out: &mut String,
    go: Option<&gomod::VersionDecl>,
    toolchain: Option<&gomod::VersionDecl>,
) {
    let _ = writeln!(
        out,
        "go         {}",
        go.map_or("(none)", |g| g.version.as_str())
    );
    if let Some(toolchain) = toolchain {
        let _ = writeln!(out, "toolchain  {}", toolchain.version);
    }
}
