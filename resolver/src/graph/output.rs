//! The go command's views of a module graph, byte for byte: `go list -m all`
//! text, `go list -m -json all` (the fields we can know without a module
//! cache) and `go mod graph` edges.

use std::collections::{HashSet, VecDeque};
use std::fmt::Write;

use serde::Serialize;

use super::{ModKey, ModuleGraph};

fn is_toolchain(path: &str) -> bool {
    path == "go" || path == "toolchain"
}

/// One module of `go list -m -json all` (cmd/go `modinfo.ModulePublic`, in
/// its field order; empty fields omitted as go omits them).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct ListJson {
    /// Module path.
    pub path: String,
    /// Selected version; empty for a main module.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// The replacement, if one applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replace: Option<Box<ListJson>>,
    /// The version's commit time from its `.info`, when it was resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Whether this is a main module.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub main: bool,
    /// Whether no main module requires it directly.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub indirect: bool,
    /// Its directory, for main modules and directory replacements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// Its go.mod file, for main modules and directory replacements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_mod: Option<String>,
    /// The `go` line of its go.mod, when that go.mod was loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_version: Option<String>,
}

impl ModuleGraph {
    /// `go list -m all`, one module per line: path, version, and the
    /// replacement's path and version, if any.
    pub fn list_text(&self) -> String {
        let mut out = String::new();
        for m in self.build_list() {
            if is_toolchain(&m.path) {
                continue;
            }
            out.push_str(&m.path);
            if !m.version.is_empty() {
                out.push(' ');
                out.push_str(&m.version);
            }
            let main = m.version.is_empty() && self.mains.contains_key(&m.path);
            if let Some(r) = self.replaced.get(m).filter(|_| !main) {
                out.push_str(" => ");
                out.push_str(&r.path);
                if let Some(v) = r.version.as_ref().filter(|v| !v.is_empty()) {
                    out.push(' ');
                    out.push_str(v);
                }
            }
            out.push('\n');
        }
        out
    }

    /// The modules of `go list -m -json all`, in order.
    pub fn list_json(&self) -> Vec<ListJson> {
        self.build_list()
            .iter()
            .filter(|m| !is_toolchain(&m.path))
            .map(|m| self.module_json(m))
            .collect()
    }

    /// `go list -m -json all` text: tab-indented objects, one after another.
    pub fn list_json_text(&self) -> String {
        let mut out = String::new();
        for m in self.list_json() {
            let mut buf = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(
                &mut buf,
                serde_json::ser::PrettyFormatter::with_indent(b"\t"),
            );
            m.serialize(&mut ser).expect("module info serializes");
            out.push_str(&String::from_utf8_lossy(&buf));
            out.push('\n');
        }
        out
    }

    fn module_json(&self, m: &ModKey) -> ListJson {
        if let (true, Some(main)) = (m.version.is_empty(), self.mains.get(&m.path)) {
            return ListJson {
                path: m.path.clone(),
                version: String::new(),
                replace: None,
                time: None,
                main: true,
                indirect: false,
                dir: Some(main.dir.clone()),
                go_mod: Some(format!("{}/go.mod", main.dir)),
                go_version: Some(main.go_version.clone()),
            };
        }
        let mut info = ListJson {
            path: m.path.clone(),
            version: m.version.clone(),
            replace: None,
            time: self.times.get(m).cloned(),
            main: false,
            indirect: !self.direct.contains(&m.path),
            dir: None,
            go_mod: None,
            go_version: self.go_version(m).map(str::to_owned),
        };
        if let Some(r) = self.replaced.get(m) {
            let rep = ListJson {
                path: r.path.clone(),
                version: r.version.clone().unwrap_or_default(),
                replace: None,
                time: info.time.take(),
                main: false,
                indirect: false,
                dir: r.dir.clone(),
                go_mod: r.dir.as_ref().map(|d| format!("{d}/go.mod")),
                go_version: self.go_version(m).map(str::to_owned),
            };
            info.dir.clone_from(&rep.dir);
            info.go_mod.clone_from(&rep.go_mod);
            info.go_version.clone_from(&rep.go_version);
            info.replace = Some(Box::new(rep));
        }
        info
    }

    /// `go mod graph`: every loaded requirement edge, breadth-first from the
    /// graph roots, each module's edges in its go.mod order.
    pub fn edges_text(&self) -> String {
        let mut out = String::new();
        let mut queue: VecDeque<&ModKey> = VecDeque::new();
        let mut enqueued: HashSet<&ModKey> = HashSet::new();
        for r in &self.roots {
            if r.version != "none" && enqueued.insert(r) {
                queue.push_back(r);
            }
        }
        while let Some(m) = queue.pop_front() {
            for r in self.required_by(m).into_iter().flatten() {
                let _ = writeln!(out, "{m} {r}");
                if r.version != "none" && enqueued.insert(r) {
                    queue.push_back(r);
                }
            }
        }
        out
    }
}
