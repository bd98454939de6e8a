//! The gateway's identity in commits: which commit a checkout is at (asking
//! git) or a binary was built from (its build info's `vcs.*` settings), and
//! the version the go command would give that commit.
//!
//! Users think in commits and Tyk releases, not in "(devel)". This is the
//! only place tykdeps runs git; the library only computes the version
//! (`version::commit`). Anything git cannot say (no git, not a repository)
//! is left unknown: identity is never a reason for an audit to fail.
//!
//! It also answers `tykdeps gateway resolve` (and `--gateway RELEASE`):
//! the repository's tags by `git ls-remote --tags`, and, for a repository on
//! this machine, a commit's facts from a bare blob-less clone.

use std::path::Path;
use std::process::Command;

use crate::audit::Identity;
use crate::version::commit::{Commit, commit_version};
use crate::version::pseudo::Timestamp;

/// The checkout `dir` of module `module`, as git sees it.
pub fn of_checkout(dir: &Path, module: &str) -> Identity {
    let Some(commit) = git(dir, &["rev-parse", "--verify", "HEAD"]) else {
        return Identity::default();
    };
    let time = commit_time(dir, "HEAD").ok();
    let modified = git(dir, &["status", "--porcelain"]).map(|s| !s.is_empty());
    // Tags name versions of the module at the repository's root only.
    let at_root = git(dir, &["rev-parse", "--show-prefix"]).is_some_and(|p| p.is_empty());
    let tag_list = |args: &[&str]| {
        git(dir, args).map(|out| out.lines().map(str::to_owned).collect::<Vec<_>>())
    };
    let pseudo_version = match (
        time,
        at_root,
        tag_list(&["tag", "--points-at", "HEAD"]),
        tag_list(&["tag", "--merged", "HEAD"]),
    ) {
        (Some(time), true, Some(tags), Some(reachable_tags)) => commit_version(
            module,
            &Commit {
                hash: &commit,
                time,
                tags: &tags,
                reachable_tags: &reachable_tags,
            },
        ),
        _ => None,
    };
    Identity {
        commit: Some(commit),
        commit_time: time.map(|t| t.to_string()),
        pseudo_version,
        modified,
    }
}

/// The commit time of `rev` in the repository at `dir`, in UTC.
fn commit_time(dir: &Path, rev: &str) -> Result<Timestamp, String> {
    let text = run_git(
        Some(dir),
        &[
            "-c",
            "log.showsignature=false",
            "log",
            "-1",
            "--date=format-local:%Y-%m-%dT%H:%M:%SZ",
            "--format=%cd",
            rev,
        ],
    )?;
    Timestamp::parse_rfc3339_utc(&text)
        .ok_or_else(|| format!("git gave an unreadable commit time {text:?}"))
}

/// The top level of the git work tree holding `dir` (a linked worktree's
/// own), if `dir` is in one.
pub fn toplevel(dir: &Path) -> Option<std::path::PathBuf> {
    git(dir, &["rev-parse", "--show-toplevel"]).map(std::path::PathBuf::from)
}

/// `git -C dir args...` in UTC: its trimmed output, or `None` if git is
/// missing or fails (not a repository, no commits).
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    run_git(Some(dir), args).ok()
}

/// `git [-C dir] args...` in UTC, never prompting: its output without the
/// final newline, or why it failed (git's last stderr line, or that git
/// could not be run).
fn run_git(dir: Option<&Path>, args: &[&str]) -> Result<String, String> {
    let mut command = Command::new("git");
    if let Some(dir) = dir {
        command.arg("-C").arg(dir);
    }
    let out = command
        .args(args)
        .env("TZ", "UTC")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout)
            .trim_end_matches('\n')
            .to_owned());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message");
    Err(format!(
        "git {} failed ({}): {}",
        args[0],
        out.status,
        last.trim()
    ))
}

/// `git ls-remote --tags url`: the listing, for `version::release`.
pub fn ls_remote_tags(url: &str) -> Result<String, String> {
    run_git(None, &["ls-remote", "--tags", url])
}

/// Whether `url` names a repository on this machine (a `file://` URL or a
/// directory), which [`commit_in_clone`] may clone.
pub fn is_local(url: &str) -> bool {
    url.starts_with("file://") || Path::new(url).is_dir()
}

/// What git says of one commit of a repository.
#[derive(Debug, Clone)]
pub struct CommitFacts {
    /// The full hash.
    pub hash: String,
    /// The committer time, RFC 3339 UTC.
    pub time: String,
    /// The version the go command gives the commit of `module`.
    pub version: String,
    /// The tags on the commit.
    pub tags: Vec<String>,
}

/// `commit` (a hash or prefix) of the repository at `url`, from a bare,
/// blob-less clone into a temporary directory (removed after): its full
/// hash, committer time, tags, and the version [`commit_version`] gives it
/// for `module` at the repository's root.
pub fn commit_in_clone(url: &str, commit: &str, module: &str) -> Result<CommitFacts, String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("cannot make a temporary directory: {e}"))?;
    let dir = tmp.path().join("repo.git");
    let dir_text = dir.display().to_string();
    run_git(
        None,
        &[
            "clone",
            "--quiet",
            "--bare",
            "--filter=blob:none",
            url,
            &dir_text,
        ],
    )?;
    let spec = format!("{commit}^{{commit}}");
    let hash = run_git(Some(&dir), &["rev-parse", "--verify", "--quiet", &spec])
        .map_err(|_| format!("{url} has no commit {commit}"))?;
    let time = commit_time(&dir, &hash)?;
    let list = |args: &[&str]| {
        run_git(Some(&dir), args).map(|out| out.lines().map(str::to_owned).collect::<Vec<_>>())
    };
    let tags = list(&["tag", "--points-at", &hash])?;
    let reachable_tags = list(&["tag", "--merged", &hash])?;
    let version = commit_version(
        module,
        &Commit {
            hash: &hash,
            time,
            tags: &tags,
            reachable_tags: &reachable_tags,
        },
    )
    .ok_or_else(|| format!("{module} is not a module path a version can be computed for"))?;
    Ok(CommitFacts {
        hash,
        time: time.to_string(),
        version,
        tags,
    })
}
