//! A gateway snapshot: everything of the gateway side a static audit reads,
//! in one small file a plugin repository commits, so the audit runs with no
//! gateway source, no gateway module data and no network (pre-commit.ci).
//!
//! The file is JSON in a fixed field order with no timestamp but the
//! commit's, so making it twice from the same gateway gives the same bytes
//! and a review diff shows what changed. Each section carries a sha256 in
//! `integrity`, so a hand edit is refused naming the section edited: a
//! snapshot is made by `tykdeps snapshot`, never written by hand.

mod layer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use thiserror::Error;

use crate::audit::compare::{Build, ModuleUse};
use crate::graph::Replacement;
use crate::graph::discover::Files;
use crate::packages::store::StoredModule;
use crate::packages::tree::Listing;
use crate::packages::{Linked, Owner};

pub use layer::{Recording, SnapshotSource};

/// The format this build of tykdeps writes and reads.
pub const FORMAT: u32 = 1;

/// One gateway, as an audit needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The format version ([`FORMAT`]).
    pub format: u32,
    /// The tykdeps that made it (`tykdeps 0.1.0`), for the reader.
    pub tool: String,
    /// Which gateway.
    pub gateway: GatewayFacts,
    /// The gateway's go.mod, verbatim (requirements, replaces, excludes,
    /// go and toolchain lines).
    pub go_mod: String,
    /// The gateway's go.sum, verbatim (empty when it has none).
    pub go_sum: String,
    /// Every go.mod the gateway's module graph reads, by `path@version`, so
    /// a build list with the gateway in it is computed offline.
    pub graph: BTreeMap<String, String>,
    /// What the gateway's build links.
    pub build: BuildFacts,
    /// The gateway's own module as the audit reads it (its directory index
    /// and the import headers of the packages it links), so a plugin
    /// importing gateway packages is followed through them; none when made
    /// from a binary.
    pub sources: Option<StoredModule>,
    /// sha256 of each section above, as [`Snapshot::seal`] computes them.
    pub integrity: BTreeMap<String, String>,
}

/// Which gateway a snapshot is of.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayFacts {
    /// The module path.
    pub module: String,
    /// What it was made from: `checkout`, `module` or `binary`.
    pub made_from: String,
    /// The Tyk release or commit it was asked for by, as spelled.
    pub release: Option<String>,
    /// The published module version, when it is one.
    pub version: Option<String>,
    /// The commit.
    pub commit: Option<String>,
    /// The commit's time, UTC RFC 3339.
    pub commit_time: Option<String>,
    /// The version the go command gives the commit.
    pub pseudo_version: Option<String>,
}

/// The gateway's build: its modules and the packages it links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildFacts {
    /// The build list, the main module first (empty version).
    pub modules: Vec<ModuleFacts>,
    /// The linked packages by who provides them: `std`, a module path, or
    /// `?` and the module path when that module's sources were unreadable.
    /// `None` when only the module list is known.
    pub packages: Option<BTreeMap<String, Vec<String>>>,
}

/// A module of the gateway's build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleFacts {
    /// The module path.
    pub path: String,
    /// Its version; empty for the main module.
    pub version: String,
    /// The `replace` that supplies its code: a module path and version, or a directory.
    pub replacement: Option<ReplacementFacts>,
}

/// A `replace` target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplacementFacts {
    /// The module path or directory as written.
    pub path: String,
    /// The version; none for a directory.
    pub version: Option<String>,
    /// A directory replacement's absolute directory where it was made.
    pub dir: Option<String>,
}

/// Why a snapshot file cannot be used; each names the field at fault.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum SnapshotError {
    /// The file cannot be read.
    #[error("cannot read the gateway snapshot {file}: {detail}")]
    Unreadable {
        /// The file.
        file: String,
        /// The system's message.
        detail: String,
    },
    /// Not JSON, or a field of the wrong shape, missing or unknown.
    #[error("{file}: not a tykdeps gateway snapshot: {detail}")]
    Malformed {
        /// The file.
        file: String,
        /// serde's message, naming the field, line and column.
        detail: String,
    },
    /// A format this build does not know.
    #[error(
        "{file}: field `format`: {found}; this tykdeps reads format {FORMAT}: make the snapshot again with this version (tykdeps snapshot)"
    )]
    Format {
        /// The file.
        file: String,
        /// What the field holds.
        found: String,
    },
    /// A section whose hash does not match: edited by hand, or damaged.
    #[error(
        "{file}: field `{field}` does not match its hash in `integrity` (edited or damaged): make the snapshot again with tykdeps snapshot"
    )]
    Edited {
        /// The file.
        file: String,
        /// The section.
        field: String,
    },
    /// A field whose content is not what it says.
    #[error("{file}: field `{field}`: {detail}")]
    Invalid {
        /// The file.
        file: String,
        /// The field.
        field: String,
        /// What is wrong.
        detail: String,
    },
}

/// A snapshot file's `format` field, whatever the rest holds.
#[derive(Deserialize)]
struct FormatProbe {
    format: Option<serde_json::Value>,
}

/// The hash of each section `integrity` covers, by field name.
fn section_hashes(s: &Snapshot) -> BTreeMap<String, String> {
    let json = |v: &dyn erased::Json| v.hash();
    [
        ("build", json(&s.build)),
        ("format", sha256(s.format.to_string().as_bytes())),
        ("gateway", json(&s.gateway)),
        ("go_mod", sha256(s.go_mod.as_bytes())),
        ("go_sum", sha256(s.go_sum.as_bytes())),
        ("graph", json(&s.graph)),
        ("sources", json(&s.sources)),
        ("tool", sha256(s.tool.as_bytes())),
    ]
    .into_iter()
    .map(|(name, hash)| (name.to_owned(), hash))
    .collect()
}

/// Hashing a section's JSON, whatever its type, as it is written (a
/// snapshot's graph is hundreds of kilobytes: never held as text).
mod erased {
    use sha2::{Digest as _, Sha256};

    pub(super) trait Json {
        fn hash(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn hash(&self) -> String {
            let mut hasher = Sha256::new();
            serde_json::to_writer(&mut hasher, self).expect("a snapshot section serializes");
            format!("sha256:{:x}", hasher.finalize())
        }
    }
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

impl Snapshot {
    /// Fill `integrity` from the sections.
    #[must_use]
    pub fn seal(mut self) -> Self {
        self.integrity = section_hashes(&self);
        self
    }

    /// The file's bytes: pretty JSON, fields in a fixed order, a final newline.
    #[must_use]
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Read a snapshot file's `text`, named `file` in errors: its format
    /// first, then every field strictly, then each section against its hash.
    ///
    /// # Errors
    /// Any [`SnapshotError`].
    pub fn parse(file: &str, text: &str) -> Result<Self, SnapshotError> {
        let malformed = |e: serde_json::Error| SnapshotError::Malformed {
            file: file.to_owned(),
            detail: e.to_string(),
        };
        // The snapshot straight from the text (no JSON tree of the whole
        // file); its format is checked before anything else is judged, and
        // when the text is not a snapshot of this format, the format alone
        // is read again, so a newer file is named by its format and not by
        // the fields this build does not know.
        let format_error = |found: Option<serde_json::Value>| SnapshotError::Format {
            file: file.to_owned(),
            found: found.map_or_else(|| "missing".to_owned(), |f| f.to_string()),
        };
        let snapshot: Self = match serde_json::from_str(text) {
            Ok(snapshot) => snapshot,
            Err(e) => {
                let probe: FormatProbe = serde_json::from_str(text).map_err(malformed)?;
                if probe.format.as_ref().and_then(serde_json::Value::as_u64)
                    != Some(u64::from(FORMAT))
                {
                    return Err(format_error(probe.format));
                }
                return Err(malformed(e));
            }
        };
        if snapshot.format != FORMAT {
            return Err(format_error(Some(snapshot.format.into())));
        }
        let expected = section_hashes(&snapshot);
        for (field, hash) in &expected {
            if snapshot.integrity.get(field) != Some(hash) {
                return Err(SnapshotError::Edited {
                    file: file.to_owned(),
                    field: field.clone(),
                });
            }
        }
        if let Some(extra) = snapshot
            .integrity
            .keys()
            .find(|k| !expected.contains_key(*k))
        {
            return Err(SnapshotError::Invalid {
                file: file.to_owned(),
                field: format!("integrity.{extra}"),
                detail: "no such section".to_owned(),
            });
        }
        for key in snapshot.graph.keys() {
            if key
                .split_once('@')
                .is_none_or(|(p, v)| p.is_empty() || v.is_empty())
            {
                return Err(SnapshotError::Invalid {
                    file: file.to_owned(),
                    field: format!("graph.{key}"),
                    detail: "a key is path@version".to_owned(),
                });
            }
        }
        Ok(snapshot)
    }

    /// The go.mod text of `path@version` the graph holds, the gateway's own
    /// under its version when it has one.
    #[must_use]
    pub fn go_mod(&self, path: &str, version: &str) -> Option<&str> {
        let own = path == self.gateway.module
            && [&self.gateway.version, &self.gateway.pseudo_version]
                .into_iter()
                .any(|v| v.as_deref() == Some(version));
        if own {
            return Some(&self.go_mod);
        }
        self.graph
            .get(&format!("{path}@{version}"))
            .map(String::as_str)
    }
}

impl BuildFacts {
    /// The facts of `build`, the main module's directory left out (it is
    /// where the snapshot was made, not where it is read).
    #[must_use]
    pub fn of(build: &Build) -> Self {
        let mut modules: Vec<ModuleFacts> = build
            .modules
            .values()
            .map(|m| ModuleFacts {
                path: m.path.clone(),
                version: m.version.clone(),
                replacement: m.replacement.as_ref().map(|r| ReplacementFacts {
                    path: r.path.clone(),
                    version: r.version.clone(),
                    dir: r.dir.clone(),
                }),
            })
            .collect();
        modules.sort_by(|a, b| {
            (!a.version.is_empty(), &a.path).cmp(&(!b.version.is_empty(), &b.path))
        });
        let packages = build.linked.as_ref().map(|linked| {
            let mut by_owner: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (package, owner) in linked {
                let owner = match owner {
                    Owner::Std => "std".to_owned(),
                    Owner::Module(m) => m.clone(),
                    Owner::Unknown(m) => format!("?{m}"),
                };
                by_owner.entry(owner).or_default().push(package.clone());
            }
            by_owner
        });
        Self { modules, packages }
    }

    /// The build again, its main module (empty version) at `main_dir`.
    #[must_use]
    pub fn build(&self, main_dir: &str) -> Build {
        let modules = self
            .modules
            .iter()
            .map(|m| {
                let module = ModuleUse {
                    path: m.path.clone(),
                    version: m.version.clone(),
                    replacement: m.replacement.as_ref().map(|r| Replacement {
                        path: r.path.clone(),
                        version: r.version.clone(),
                        dir: r.dir.clone(),
                    }),
                    main_dir: m.version.is_empty().then(|| main_dir.to_owned()),
                };
                (m.path.clone(), module)
            })
            .collect();
        let linked = self.packages.as_ref().map(|packages| {
            packages
                .iter()
                .flat_map(|(owner, names)| {
                    let owner = match owner.as_str() {
                        "std" => Owner::Std,
                        o => o.strip_prefix('?').map_or_else(
                            || Owner::Module(o.to_owned()),
                            |m| Owner::Unknown(m.to_owned()),
                        ),
                    };
                    names.iter().map(move |name| (name.clone(), owner.clone()))
                })
                .collect::<Linked>()
        });
        Build { modules, linked }
    }
}

/// The entries of a module's directory index a package lookup reads: Go
/// files and go.mod, in directories the go command looks into (not
/// `testdata`, nor names starting with `.` or `_`).
#[must_use]
pub fn source_index(dirs: &BTreeMap<String, Listing>) -> BTreeMap<String, Listing> {
    let ignored = |name: &str| name == "testdata" || name.starts_with(['.', '_']);
    let mut out = BTreeMap::new();
    let mut pending = vec![String::new()];
    while let Some(dir) = pending.pop() {
        let Some(entries) = dirs.get(&dir) else {
            continue;
        };
        let kept: Listing = entries
            .iter()
            .filter(|(name, is_dir)| {
                if *is_dir {
                    !ignored(name)
                } else {
                    name == "go.mod"
                        || std::path::Path::new(name)
                            .extension()
                            .is_some_and(|e| e == "go")
                }
            })
            .cloned()
            .collect();
        for (name, _) in kept.iter().filter(|(_, is_dir)| *is_dir) {
            pending.push(if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            });
        }
        out.insert(dir, kept);
    }
    out
}

/// A snapshot file as an audit names it, read and checked once, when first
/// needed: an audit its output memo answers never reads it (a Tyk snapshot
/// is 1.4 MB of JSON: about half of such an audit's time).
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    /// As the user named it, for messages.
    name: String,
    /// Absolute.
    path: PathBuf,
    read: Arc<OnceLock<Result<Arc<Snapshot>, SnapshotError>>>,
}

impl SnapshotFile {
    /// The snapshot at `path` (absolute), named `name` in messages.
    #[must_use]
    pub fn new(name: String, path: PathBuf) -> Self {
        Self {
            name,
            path,
            read: Arc::default(),
        }
    }

    /// The file, absolute.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The snapshot, read through `files` and checked on the first call.
    ///
    /// # Errors
    /// The file cannot be read, or is no valid snapshot of this format.
    pub fn read(&self, files: &dyn Files) -> Result<Arc<Snapshot>, SnapshotError> {
        self.read
            .get_or_init(|| {
                let unreadable = |detail: String| SnapshotError::Unreadable {
                    file: self.name.clone(),
                    detail,
                };
                let bytes = files
                    .read(&self.path)
                    .map_err(|e| unreadable(e.to_string()))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| unreadable("stream did not contain valid UTF-8".to_owned()))?;
                Snapshot::parse(&self.name, &text).map(Arc::new)
            })
            .clone()
    }
}

/// Read every one of `snapshots` (a matrix names many), one thread a core,
/// not a file: each thread's allocations take fresh memory.
///
/// # Errors
/// The first snapshot, in order, that cannot be used.
pub fn read_all(
    snapshots: &[&SnapshotFile],
    files: &dyn Files,
) -> Result<Vec<Arc<Snapshot>>, SnapshotError> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = snapshots.len().div_ceil(threads).max(1);
    if snapshots.len() <= chunk {
        return snapshots.iter().map(|s| s.read(files)).collect();
    }
    std::thread::scope(|scope| {
        let reads: Vec<_> = snapshots
            .chunks(chunk)
            .map(|chunk| scope.spawn(|| chunk.iter().map(|s| s.read(files)).collect::<Vec<_>>()))
            .collect();
        reads
            .into_iter()
            .flat_map(|r| {
                r.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        Snapshot {
            format: FORMAT,
            tool: "tykdeps test".to_owned(),
            gateway: GatewayFacts {
                module: "lab.example/gateway".to_owned(),
                made_from: "module".to_owned(),
                version: Some("v1.0.0".to_owned()),
                ..GatewayFacts::default()
            },
            go_mod: "module lab.example/gateway\n".to_owned(),
            go_sum: String::new(),
            graph: BTreeMap::from([(
                "a.example/m@v1.0.0".to_owned(),
                "module a.example/m\n".to_owned(),
            )]),
            build: BuildFacts::default(),
            sources: None,
            integrity: BTreeMap::new(),
        }
        .seal()
    }

    fn text(s: &Snapshot) -> String {
        String::from_utf8(s.to_json()).unwrap()
    }

    #[test]
    fn a_sealed_snapshot_reads_back_equal() {
        let s = sample();
        assert_eq!(Snapshot::parse("s.json", &text(&s)), Ok(s));
    }

    #[test]
    fn an_edited_section_is_named() {
        let edited = text(&sample()).replace("module a.example/m", "module a.example/n");
        let err = Snapshot::parse("s.json", &edited).unwrap_err();
        assert!(
            matches!(&err, SnapshotError::Edited { field, .. } if field == "graph"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_format_is_named_before_the_fields() {
        let other = text(&sample()).replace("\"format\": 1", "\"format\": 2");
        let err = Snapshot::parse("s.json", &other).unwrap_err();
        assert!(err.to_string().contains("field `format`: 2"), "{err}");
    }

    #[test]
    fn an_unknown_field_is_named() {
        let other = text(&sample()).replace("\"tool\":", "\"extra\": 1,\n  \"tool\":");
        let err = Snapshot::parse("s.json", &other).unwrap_err();
        assert!(err.to_string().contains("unknown field `extra`"), "{err}");
    }

    #[test]
    fn the_gateway_go_mod_is_served_under_its_version() {
        let snapshot = sample();
        assert_eq!(
            snapshot.go_mod("lab.example/gateway", "v1.0.0"),
            Some(snapshot.go_mod.as_str())
        );
        assert!(snapshot.go_mod("a.example/m", "v1.0.0").is_some());
        assert_eq!(snapshot.go_mod("a.example/m", "v9.0.0"), None);
    }
}
