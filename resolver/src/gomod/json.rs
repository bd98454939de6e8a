//! The JSON that `go mod edit -json` and `go work edit -json` print (go
//! 1.26), so that `tykdeps parse --json` can be diffed against the go command.
//!
//! go prints the file after `SortBlocks` and `Cleanup`: duplicate excludes,
//! tools and ignores keep their first line, duplicate replacements their last,
//! and entries with an empty path disappear. Key order, `null` for an empty
//! list and omitted empty fields follow go's struct tags.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::{ModFile, ModuleRef, Replace, SumFile, WorkFile};

/// `go mod edit -json`'s object for `file`.
pub fn mod_json(file: &ModFile) -> Value {
    let mut out = Map::new();
    let mut module = Map::new();
    let decl = file.module.as_ref();
    module.insert("Path".into(), json!(decl.map_or("", |m| m.path.as_str())));
    if let Some(deprecated) = decl.and_then(|m| m.deprecated.as_deref()) {
        module.insert("Deprecated".into(), json!(deprecated));
    }
    out.insert("Module".into(), Value::Object(module));
    if let Some(go) = &file.go {
        out.insert("Go".into(), json!(go.version));
    }
    if let Some(toolchain) = &file.toolchain {
        out.insert("Toolchain".into(), json!(toolchain.version));
    }
    let godebug: Vec<Value> = file
        .godebug
        .iter()
        .filter(|d| !d.key.is_empty())
        .map(|d| json!({"Key": d.key, "Value": d.value}))
        .collect();
    if !godebug.is_empty() {
        out.insert("GoDebug".into(), Value::Array(godebug));
    }
    let require = file.require.iter().filter(|r| !r.path.is_empty()).map(|r| {
        let mut m = Map::new();
        m.insert("Path".into(), json!(r.path));
        if !r.version.is_empty() {
            m.insert("Version".into(), json!(r.version));
        }
        if r.indirect {
            m.insert("Indirect".into(), json!(true));
        }
        Value::Object(m)
    });
    out.insert("Require".into(), list(require));
    let mut seen = HashSet::new();
    let exclude = file
        .exclude
        .iter()
        .filter(|x| !x.path.is_empty() && seen.insert((&x.path, &x.version)))
        .map(|x| module_ref(&x.path, Some(&x.version)));
    out.insert("Exclude".into(), list(exclude));
    out.insert("Replace".into(), replace_list(&file.replace));
    let retract = file
        .retract
        .iter()
        .filter(|r| !r.low.is_empty() || !r.high.is_empty())
        .map(|r| {
            let mut m = Map::new();
            for (key, value) in [
                ("Low", &r.low),
                ("High", &r.high),
                ("Rationale", &r.rationale),
            ] {
                if !value.is_empty() {
                    m.insert(key.into(), json!(value));
                }
            }
            Value::Object(m)
        });
    out.insert("Retract".into(), list(retract));
    for (key, decls) in [("Tool", &file.tool), ("Ignore", &file.ignore)] {
        let mut seen = HashSet::new();
        let paths = decls
            .iter()
            .filter(|d| seen.insert(&d.path))
            .map(|d| json!({"Path": d.path}));
        out.insert(key.into(), list(paths));
    }
    Value::Object(out)
}

/// `go work edit -json`'s object for `file` (go prints no toolchain or godebug).
pub fn work_json(file: &WorkFile) -> Value {
    let mut out = Map::new();
    if let Some(go) = &file.go {
        out.insert("Go".into(), json!(go.version));
    }
    let uses = file
        .uses
        .iter()
        .filter(|u| !u.disk_path.is_empty())
        .map(|u| {
            let mut m = Map::new();
            m.insert("DiskPath".into(), json!(u.disk_path));
            if let Some(module_path) = u.module_path.as_deref().filter(|p| !p.is_empty()) {
                m.insert("ModPath".into(), json!(module_path));
            }
            Value::Object(m)
        });
    out.insert("Use".into(), list(uses));
    out.insert("Replace".into(), replace_list(&file.replace));
    Value::Object(out)
}

/// go.sum lines as `[{Path, Version, Hash, GoMod}]`.
pub fn sum_json(file: &SumFile) -> Value {
    Value::Array(
        file.lines
            .iter()
            .map(|l| json!({"Path": l.path, "Version": l.version, "Hash": l.hash, "GoMod": l.go_mod}))
            .collect(),
    )
}

/// A go list: `null` when empty, as go prints a nil slice.
fn list(items: impl Iterator<Item = Value>) -> Value {
    let items: Vec<Value> = items.collect();
    if items.is_empty() {
        Value::Null
    } else {
        Value::Array(items)
    }
}

/// Replacements after x/mod's `removeDups`: for each old path and version the
/// last line wins, in its own place.
fn replace_list(replace: &[Replace]) -> Value {
    let mut seen = HashSet::new();
    let mut kept: Vec<&Replace> = replace
        .iter()
        .rev()
        .filter(|r| seen.insert((&r.old.path, &r.old.version)))
        .filter(|r| !r.old.path.is_empty())
        .collect();
    kept.reverse();
    let values = kept.into_iter().map(|r| {
        json!({"Old": module_ref(&r.old.path, r.old.version.as_deref()), "New": reference(&r.new)})
    });
    list(values)
}

fn reference(r: &ModuleRef) -> Value {
    module_ref(&r.path, r.version.as_deref())
}

/// x/mod's `module.Version` as JSON: `Version` is omitted when empty.
fn module_ref(path: &str, version: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("Path".into(), json!(path));
    if let Some(v) = version.filter(|v| !v.is_empty()) {
        m.insert("Version".into(), json!(v));
    }
    Value::Object(m)
}
