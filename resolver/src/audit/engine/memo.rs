//! The audit output memo: the audits of the last run per plugin directory
//! and gateway list, kept below GOMODCACHE (`cache/tykdeps/audits-v1/`)
//! with a hash of everything they were computed from, so a pre-commit hook
//! run on unchanged inputs answers without resolving or scanning anything.
//!
//! What an audit reads, and how the key covers it:
//! - the request (environment, build target, gateway module and repository,
//!   the plugins picked, the policy, the build mode) and this tykdeps build;
//! - every file below the main modules' directories (the plugins, a
//!   workspace's gateway checkout), below their directory replacements and
//!   below a gateway checkout, by stat stamp (size, modification and change
//!   time, inode): Go files, go.mod, go.sum, go.work, and a git checkout's
//!   HEAD and index (its commit and whether it is modified are reported);
//! - a gateway snapshot or binary file, by stat stamp;
//! - module versions from the module cache or the proxy, which never change.
//!
//! The stamps are taken on disk, so the memo only serves a host whose files
//! are the disk's ([`super::Host::files_are_disk`]): `upgrade` audits its
//! planned go.mod edits through an overlay, which no stamp can see.
//!
//! The proxy's metadata (newer versions, retractions, deprecations) does
//! change: a memo is used only within the metadata's time to live, and never
//! with `refresh`. Only audits whose every verdict is `loads` or `fails` are
//! kept: an `unknown` depends on what could be fetched, which a later run
//! may have. Anything unreadable, truncated or different is a miss, never
//! an error, and deleting the directory is always safe (`tykdeps cache clean`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{Audit, GatewaySpec, Request};
use crate::audit::{Report, Verdict};
use crate::bots::Ceiling;
use crate::gomod::{Edit, Replace};
use crate::graph::discover::Project;
use crate::memo_key::{MemoKey, MemoSlot};
use crate::span::Span;

/// Changes whenever the memo layout or what its key covers does.
const VERSION: &str = "tykdeps audit memo v1";

/// The directory below `$GOMODCACHE/cache/tykdeps` the memos are kept in.
const DIR_NAME: &str = "audits-v1";

/// Deeper than this, a directory walk gives up (a symbolic link loop): no memo.
const MAX_DEPTH: usize = 64;

/// Where one run's memo is (its slot, under the hash of its inputs), and when it is.
pub(super) struct Memo {
    slot: MemoSlot,
    now: u64,
    ttl: u64,
    refresh: bool,
}

/// One audit as kept: the report as its JSON contract has it, and what the
/// contract leaves out (suggestions' go.mod edits, locations' spans) in
/// the order [`hidden_parts`] walks the findings.
#[derive(Serialize, Deserialize)]
struct Kept<'a> {
    report: Cow<'a, Report>,
    plugin_go_mods: Cow<'a, [PathBuf]>,
    ceilings: Cow<'a, [Vec<Ceiling>]>,
    hidden: Vec<Hidden>,
}

/// A finding's parts the JSON contract leaves out.
#[derive(Serialize, Deserialize)]
struct Hidden {
    span: Option<Span>,
    edits: Vec<Vec<Edit>>,
}

impl Memo {
    /// The memo slot for auditing `project` as `request` asks, against
    /// `gateways`, at `now` (seconds since the epoch); `None` when it does
    /// not apply (no usable module cache, an input that cannot be stamped:
    /// the audit itself reports those).
    pub(super) fn new<'g>(
        request: &Request,
        project: &Project,
        gateways: impl IntoIterator<Item = &'g GatewaySpec>,
        now: u64,
        stamps: &TreeStamps,
    ) -> Option<Self> {
        let mut key = Key {
            hash: MemoKey::for_this_build(VERSION)?,
            stamps: Some(stamps),
        };
        key.path(&request.start);
        key.text(&format!("{:?}", request.env));
        key.text(&format!("{:?}", request.target));
        key.text(&request.gateway_module);
        key.text(&request.gateway_repo);
        key.text(&format!("{:?}", request.plugins));
        key.text(&format!("{:?}", request.policy));
        key.text(&format!("{:?}", request.build_mode));
        key.text(&request.metadata_ttl.to_string());
        let mut slot = MemoKey::default();
        slot.field(request.start.as_os_str().as_encoded_bytes());
        for gateway in gateways {
            let label = gateway_key(gateway, &mut key)?;
            slot.field(label);
        }
        let inputs = &project.inputs;
        if let Some(work) = &inputs.work {
            let dir = Path::new(&work.dir);
            key.file(&dir.join("go.work"))?;
            key.replacements(dir, &work.file.replace)?;
        }
        for main in &inputs.mains {
            let dir = Path::new(&main.dir);
            key.tree(dir)?;
            key.replacements(dir, &main.go_mod.replace)?;
        }
        let gomodcache = request.env.gomodcache().ok()?;
        let dir = crate::source::tykdeps_cache_dir(gomodcache).join(DIR_NAME);
        Some(Self {
            slot: MemoSlot::new(dir.join(slot.hex()), key.hash.hex()),
            now,
            ttl: request.metadata_ttl,
            refresh: request.refresh,
        })
    }

    /// The audits kept for these inputs, if they are within the metadata's
    /// time to live and the run does not ask the proxy again.
    pub(super) fn audits(&self) -> Option<Vec<Audit>> {
        if self.refresh {
            return None;
        }
        let text = self.slot.read()?;
        let (saved, json) = text.split_once('\n')?;
        let saved: u64 = saved.parse().ok()?;
        if self.now < saved || self.now - saved >= self.ttl {
            return None;
        }
        let kept: Vec<Kept<'_>> = serde_json::from_str(json).ok()?;
        kept.into_iter().map(Kept::audit).collect()
    }

    /// Keep `audits`, when every verdict in them is decided. Failing to
    /// write changes nothing (the memo is a shortcut).
    pub(super) fn save<'a>(&self, audits: impl IntoIterator<Item = &'a Audit>) {
        let mut kept = Vec::new();
        for audit in audits {
            let decided = audit.unfetched.is_none()
                && audit.report.verdict != Verdict::Unknown
                && audit
                    .report
                    .plugins
                    .iter()
                    .all(|p| p.verdict != Verdict::Unknown);
            if !decided {
                return;
            }
            kept.push(Kept {
                hidden: hidden_parts(&audit.report),
                report: Cow::Borrowed(&audit.report),
                plugin_go_mods: Cow::Borrowed(&audit.plugin_go_mods),
                ceilings: Cow::Borrowed(&audit.ceilings),
            });
        }
        let Ok(json) = serde_json::to_string(&kept) else {
            return;
        };
        self.slot.write(&format!("{}\n{json}", self.now));
    }
}

impl Kept<'_> {
    /// The audit, its hidden parts put back; `None` when they do not fit.
    fn audit(self) -> Option<Audit> {
        let mut report = self.report.into_owned();
        let findings = report.findings.iter_mut().chain(
            report
                .plugins
                .iter_mut()
                .flat_map(|p| p.findings.iter_mut()),
        );
        let mut hidden = self.hidden.into_iter();
        for finding in findings {
            let Hidden { span, edits } = hidden.next()?;
            if let Some(location) = &mut finding.location {
                location.span = span;
            }
            if edits.len() != finding.suggestions.len() {
                return None;
            }
            for (suggestion, edits) in finding.suggestions.iter_mut().zip(edits) {
                suggestion.edits = edits;
            }
        }
        if hidden.next().is_some() {
            return None;
        }
        Some(Audit {
            report,
            plugin_go_mods: self.plugin_go_mods.into_owned(),
            ceilings: self.ceilings.into_owned(),
            unfetched: None,
        })
    }
}

/// The parts of `report`'s findings its JSON contract leaves out: the
/// report's own findings, then each plugin's, in order.
fn hidden_parts(report: &Report) -> Vec<Hidden> {
    report
        .findings
        .iter()
        .chain(report.plugins.iter().flat_map(|p| &p.findings))
        .map(|f| Hidden {
            span: f.location.as_ref().and_then(|l| l.span),
            edits: f.suggestions.iter().map(|s| s.edits.clone()).collect(),
        })
        .collect()
}

/// Add `gateway` to `key`; its name in the memo's slot.
fn gateway_key(gateway: &GatewaySpec, key: &mut Key<'_>) -> Option<String> {
    Some(match gateway {
        GatewaySpec::Required => {
            key.text("required");
            "required".to_owned()
        }
        GatewaySpec::Dir(dir) => {
            key.text("dir");
            key.path(dir);
            key.tree(dir)?;
            format!("dir {}", dir.display())
        }
        GatewaySpec::Published { module, version } => {
            let name = format!("published {module}@{version}");
            key.text(&name);
            name
        }
        GatewaySpec::Reference { given, .. } => {
            let name = format!("reference {given}");
            key.text(&name);
            name
        }
        GatewaySpec::Snapshot(file) => {
            let path = file.path();
            key.text("snapshot");
            key.path(path);
            key.file(path)?;
            format!("snapshot {}", path.display())
        }
        GatewaySpec::Binary { path, .. } => {
            key.text("binary");
            key.path(path);
            key.file(path)?;
            format!("binary {}", path.display())
        }
    })
}

/// The key being hashed, over text and the stat stamps of files on disk
/// (the gateway build memo keys on a checkout the same way).
pub(super) struct Key<'s> {
    pub(super) hash: MemoKey,
    /// Where a directory tree's stamps are taken once per run; `None`
    /// while taking them.
    pub(super) stamps: Option<&'s TreeStamps>,
}

/// The stamps of each directory tree a run's memo keys cover, taken once:
/// the audit memo and the gateway build memo both cover a gateway checkout
/// (about 2,000 files for Tyk), and the files should be seen as they were
/// when the run began.
#[derive(Default)]
pub(super) struct TreeStamps {
    digests: Mutex<HashMap<PathBuf, Option<String>>>,
}

impl TreeStamps {
    /// The digest of every file below `dir` by name and stamp (see
    /// [`Key::tree`]); `None` when some cannot be stamped.
    fn digest(&self, dir: &Path) -> Option<String> {
        let mut digests = self
            .digests
            .lock()
            .expect("no panics while holding the lock");
        digests
            .entry(dir.to_owned())
            .or_insert_with(|| {
                let mut key = Key {
                    hash: MemoKey::default(),
                    stamps: None,
                };
                key.stamp_tree(dir).map(|()| key.hash.hex())
            })
            .clone()
    }
}

impl Key<'_> {
    pub(super) fn text(&mut self, text: &str) {
        self.hash.field(text);
    }

    pub(super) fn path(&mut self, path: &Path) {
        self.hash.field(path.as_os_str().as_encoded_bytes());
    }

    /// `path`, and the file there as [`MemoKey::file_or_absent`] keys it;
    /// one that cannot be stat'ed or read gives no memo.
    fn file(&mut self, path: &Path) -> Option<()> {
        self.path(path);
        self.hash.file_or_absent(path)
    }

    /// Every file below `dir`, by name and stamp (taken once per run).
    pub(super) fn tree(&mut self, dir: &Path) -> Option<()> {
        self.path(dir);
        match self.stamps {
            Some(stamps) => self.text(&stamps.digest(dir)?),
            None => self.stamp_tree(dir)?,
        }
        Some(())
    }

    /// Every file below `dir`, by name and stamp, in name order. Hidden
    /// entries are left out (the go command ignores them), except the git
    /// repository's HEAD, branch, tags and index, whose commit, version and
    /// state the report names for a checkout.
    fn stamp_tree(&mut self, dir: &Path) -> Option<()> {
        match git_dirs(dir) {
            Some((git, common)) => {
                self.file(&git.join("HEAD"))?;
                self.file(&git.join("index"))?;
                self.file(&common.join("packed-refs"))?;
                // The branch HEAD names moves with each commit; tags name versions.
                if let Ok(head) = std::fs::read_to_string(git.join("HEAD"))
                    && let Some(branch) = head.trim().strip_prefix("ref: ")
                {
                    self.file(&common.join(branch))?;
                }
                self.walk(&common.join("refs").join("tags"), 0)?;
            }
            None => self.text("no git repository"),
        }
        self.walk(dir, 0)
    }

    fn walk(&mut self, dir: &Path, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.path(dir);
                self.text("absent");
                return Some(());
            }
            Err(_) => return None,
        };
        let mut names: Vec<_> = entries
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()
            .ok()?;
        names.sort();
        for name in names {
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let path = dir.join(&name);
            // Followed, as the go command follows a linked package directory.
            let meta = std::fs::metadata(&path).ok()?;
            self.path(&path);
            if meta.is_dir() {
                self.walk(&path, depth + 1)?;
            } else {
                self.hash.file(&path, &meta)?;
            }
        }
        Some(())
    }

    /// The trees of `replace`'s directory replacements, relative to `dir`.
    pub(super) fn replacements(&mut self, dir: &Path, replace: &[Replace]) -> Option<()> {
        for r in replace.iter().filter(|r| r.new.version.is_none()) {
            self.tree(&dir.join(&r.new.path))?;
        }
        Some(())
    }
}

/// The git directory of the repository `dir` is in (the nearest `.git`
/// upward; a worktree's `.git` file names it) and the directory its refs
/// are kept in (a worktree's `commondir`).
fn git_dirs(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let dot_git = dir
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|g| g.exists())?;
    let git = if dot_git.is_file() {
        let text = std::fs::read_to_string(&dot_git).ok()?;
        let target = text.trim().strip_prefix("gitdir: ")?.to_owned();
        dot_git.parent()?.join(target)
    } else {
        dot_git
    };
    let common = match std::fs::read_to_string(git.join("commondir")) {
        Ok(text) => git.join(text.trim()),
        Err(_) => git.clone(),
    };
    Some((git, common))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{
        Finding, Gateway, Location, Mode, PluginReport, RuleId, Severity, Suggestion,
    };

    fn finding(edits: Vec<Edit>, span: Option<Span>) -> Finding {
        Finding {
            rule: RuleId::VersionConflict,
            severity: Severity::Error,
            module: Some("example.com/shared".to_owned()),
            gateway_version: Some("v1.2.0".to_owned()),
            plugin_version: Some("v1.3.0".to_owned()),
            packages: vec!["example.com/shared".to_owned()],
            message: "conflict".to_owned(),
            why: "why".to_owned(),
            suggestions: vec![Suggestion {
                kind: "pin-version",
                description: "pin it".to_owned(),
                go_command: None,
                edit: None,
                edits,
            }],
            location: Some(Location {
                file: "go.mod".to_owned(),
                line: Some(3),
                column: Some(2),
                span,
            }),
        }
    }

    /// What the JSON contract leaves out (the edits `fix` applies, the spans
    /// the human report underlines) comes back from the memo too.
    #[test]
    fn a_kept_audit_reads_back_whole() {
        let pin = Edit::SetRequire {
            path: "example.com/shared".to_owned(),
            version: "v1.2.0".to_owned(),
            indirect: None,
        };
        let plugin = PluginReport {
            module: Some("example.com/plugin".to_owned()),
            dir: "plugin".to_owned(),
            verdict: Verdict::Fails,
            loader_message: None,
            findings: vec![
                finding(vec![pin], Some(Span::new(10, 40))),
                finding(Vec::new(), None),
            ],
        };
        let audit = Audit {
            report: Report::new(
                Mode::Standalone,
                Gateway::default(),
                Vec::new(),
                vec![plugin],
            ),
            plugin_go_mods: vec![PathBuf::from("plugin/go.mod")],
            ceilings: vec![vec![Ceiling {
                module: "example.com/shared".to_owned(),
                version: "v1.2.0".to_owned(),
            }]],
            unfetched: None,
        };
        let kept = Kept {
            hidden: hidden_parts(&audit.report),
            report: Cow::Borrowed(&audit.report),
            plugin_go_mods: Cow::Borrowed(&audit.plugin_go_mods),
            ceilings: Cow::Borrowed(&audit.ceilings),
        };
        let text = serde_json::to_string(&[kept]).expect("serializes");
        let read: Vec<Kept<'_>> = serde_json::from_str(&text).expect("reads back");
        let back = read.into_iter().next().and_then(Kept::audit).expect("fits");
        assert_eq!(back.report, audit.report);
        assert_eq!(back.plugin_go_mods, audit.plugin_go_mods);
        assert_eq!(back.ceilings, audit.ceilings);

        // Hidden parts that do not fit the findings are no memo.
        let mut short: Vec<Kept<'_>> = serde_json::from_str(&text).expect("reads back");
        short[0].hidden.pop();
        assert!(short.pop().and_then(Kept::audit).is_none());
    }
}
