//! `version::commit::commit_version` against the go command: git
//! repositories made here, with tags valid and invalid for the module path,
//! prereleases and untagged commits, are fetched by `go mod download -json
//! MODULE@COMMIT` (`GOPROXY=direct`, the module's https URL rewritten to the
//! local repository by git's `insteadOf`), and the version it names each
//! commit must be the one we compute from git's answers.

// Oracle tests report what they compared.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use tykdeps_resolver::version::commit::{Commit, commit_version};
use tykdeps_resolver::version::pseudo::Timestamp;

use crate::support;

/// A repository under construction, and the commits to ask about.
struct Repo<'a> {
    dir: &'a Path,
    env: &'a BTreeMap<String, String>,
    asked: Vec<String>,
}

impl Repo<'_> {
    fn git(&self, args: &[&str]) -> String {
        git(self.dir, self.env, args)
    }

    /// Commit at `date` (any RFC 3339 offset) with `tags`; asked about.
    fn commit(&mut self, date: &str, tags: &[&str]) -> String {
        let n = self.asked.len();
        std::fs::write(self.dir.join(format!("f{n}.go")), "package gw\n").unwrap();
        self.git(&["add", "."]);
        let mut env = self.env.clone();
        env.insert("GIT_AUTHOR_DATE".into(), date.into());
        env.insert("GIT_COMMITTER_DATE".into(), date.into());
        git(self.dir, &env, &["commit", "-q", "-m", &format!("c{n}")]);
        for tag in tags {
            self.git(&["tag", tag]);
        }
        let hash = self.git(&["rev-parse", "HEAD"]);
        self.asked.push(hash.clone());
        hash
    }
}

fn git(dir: &Path, env: &BTreeMap<String, String>, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .envs(env)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// Our answer for `hash`, from the facts the CLI reads with the same git
/// commands.
fn ours(dir: &Path, env: &BTreeMap<String, String>, module: &str, hash: &str) -> String {
    let mut utc = env.clone();
    utc.insert("TZ".into(), "UTC".into());
    let time = git(
        dir,
        &utc,
        &[
            "log",
            "-1",
            "--date=format-local:%Y-%m-%dT%H:%M:%SZ",
            "--format=%cd",
            hash,
        ],
    );
    let tags = lines(&git(dir, env, &["tag", "--points-at", hash]));
    let reachable_tags = lines(&git(dir, env, &["tag", "--merged", hash]));
    let commit = Commit {
        hash,
        time: Timestamp::parse_rfc3339_utc(&time).expect("git wrote a UTC time"),
        tags: &tags,
        reachable_tags: &reachable_tags,
    };
    commit_version(module, &commit).expect("a valid module path")
}

#[test]
fn commit_versions_agree_with_the_go_command() {
    if !support::have_go() || Command::new("git").arg("--version").output().is_err() {
        println!("skipped: the go command or git is not on PATH");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let gitconfig = root.join("gitconfig");
    let mut env: BTreeMap<String, String> = [
        ("GIT_CONFIG_NOSYSTEM", "1"),
        ("GIT_AUTHOR_NAME", "t"),
        ("GIT_AUTHOR_EMAIL", "t@example.com"),
        ("GIT_COMMITTER_NAME", "t"),
        ("GIT_COMMITTER_EMAIL", "t@example.com"),
        ("GIT_ALLOW_PROTOCOL", "file:https"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    env.insert("GIT_CONFIG_GLOBAL".into(), gitconfig.display().to_string());
    env.insert("HOME".into(), root.display().to_string());

    let cases = repositories(root, &env);

    let mut config = String::new();
    for (module, dir, _) in &cases {
        let url = format!("https://{}", module.trim_end_matches("/v2"));
        let _ = write!(
            config,
            "[url \"file://{}\"]\n\tinsteadOf = {url}\n",
            dir.display()
        );
    }
    std::fs::write(&gitconfig, config).unwrap();

    let mut go_env = support::hermetic_go_env("direct", &root.join("modcache"));
    go_env.extend(env.clone());
    for (key, value) in [
        ("GOPRIVATE", "*"),
        ("GONOSUMDB", "*"),
        ("GOVCS", "*:all"),
        ("GOPATH", &root.join("gopath").display().to_string()),
    ] {
        go_env.insert(key.to_owned(), value.to_owned());
    }
    let work = root.join("work");
    std::fs::create_dir(&work).unwrap();

    let mut compared = 0;
    let mut disagreements = Vec::new();
    for (module, dir, asked) in &cases {
        for hash in asked {
            let out = support::go(
                &work,
                &go_env,
                ["mod", "download", "-json", &format!("{module}@{hash}")],
            );
            let json: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("go mod download {module}@{hash}: {e}: {out:?}"));
            let theirs = json["Version"]
                .as_str()
                .unwrap_or_else(|| panic!("go mod download {module}@{hash}: {json}"));
            let ours = ours(dir, &env, module, hash);
            compared += 1;
            if ours != theirs {
                disagreements.push(format!("{module}@{hash}: go {theirs}, ours {ours}"));
            }
        }
    }
    println!("commit versions: {compared} commits compared with the go command");
    assert!(compared >= 15, "only {compared} commits compared");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// The repositories, each as (module path, directory, commits asked about).
fn repositories(
    root: &Path,
    env: &BTreeMap<String, String>,
) -> Vec<(String, PathBuf, Vec<String>)> {
    let mut cases = Vec::new();

    // Like Tyk: no /vN suffix, v5 tags that are not valid for the path.
    let module = "github.com/tykdeps-oracle/gw";
    let dir = root.join("gw");
    std::fs::create_dir(&dir).unwrap();
    let mut repo = Repo {
        dir: &dir,
        env,
        asked: Vec::new(),
    };
    repo.git(&["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("go.mod"), format!("module {module}\n\ngo 1.21\n")).unwrap();
    repo.commit("2019-11-09T03:19:31+01:00", &[]);
    repo.commit("2020-01-02T10:00:00Z", &["v0.3.0"]);
    let v191 = repo.commit("2021-02-03T23:30:00-05:00", &["v1.9.1"]);
    repo.commit("2021-03-01T00:00:00Z", &["v5.0.0", "v5.0.0-rc1", "v1.9"]);
    repo.commit("2022-04-01T12:00:00Z", &["v1.10.0-rc.1"]);
    let rc = repo.commit("2022-04-02T12:00:00Z", &[]);
    repo.commit("2022-05-01T12:00:00Z", &["v1.9.9", "v1.10.0", "v6.1.0"]);
    repo.commit("2024-09-24T12:54:26Z", &[]);
    let head = repo.commit("2024-09-25T12:54:26Z", &["v1.10.1+meta"]);
    // A side branch: a tag there is not reachable from main.
    repo.git(&["checkout", "-q", "-b", "side", &v191]);
    repo.commit("2021-02-04T00:00:00Z", &["v1.50.0"]);
    repo.git(&["checkout", "-q", "-b", "odd", &rc]);
    // A tag that names no version (`v1.11`) beside one that does.
    repo.commit("2022-04-03T00:00:00Z", &["v1.11", "v1.11.0+x"]);
    repo.commit("2022-04-04T00:00:00Z", &[]);
    repo.git(&["checkout", "-q", "main"]);
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    let asked = repo.asked;
    cases.push((module.to_owned(), dir, asked));

    // A /v2 path: v1 tags are not valid for it.
    let module = "github.com/tykdeps-oracle/gw2/v2";
    let dir = root.join("gw2");
    std::fs::create_dir(&dir).unwrap();
    let mut repo = Repo {
        dir: &dir,
        env,
        asked: Vec::new(),
    };
    repo.git(&["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("go.mod"), format!("module {module}\n\ngo 1.21\n")).unwrap();
    repo.commit("2023-01-01T00:00:00Z", &["v1.5.0"]);
    repo.commit("2023-01-02T00:00:00Z", &[]);
    repo.commit("2023-01-03T00:00:00Z", &["v2.1.0-beta.2"]);
    repo.commit("2023-01-04T00:00:00Z", &["v2.1.0", "v3.0.0"]);
    repo.commit("2023-01-05T00:00:00Z", &[]);
    let asked = repo.asked;
    cases.push((module.to_owned(), dir, asked));
    cases
}
