//! `version::commit::commit_version` against the go command: git
//! repositories made here, with tags valid and invalid for the module path,
//! prereleases and untagged commits, are fetched by `go mod download -json
//! MODULE@COMMIT` (`GOPROXY=direct`, the module's https URL rewritten to the
//! local repository by git's `insteadOf`), and the version it names each
//! commit must be the one we compute from git's answers.

// Oracle tests report what they compared.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tykdeps_resolver::version::commit::{Commit, commit_version};
use tykdeps_resolver::version::pseudo::Timestamp;

use crate::support;
use crate::support::gitrepo::{Repo, git, git_env, go_versions, have_git};

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
    if !support::have_go() || !have_git() {
        println!("skipped: the go command or git is not on PATH");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let env = git_env(root);
    let cases = repositories(root, &env);
    let repos: Vec<(&str, &Path)> = cases
        .iter()
        .map(|(module, dir, _)| (module.as_str(), dir.as_path()))
        .collect();
    let asked: Vec<(&str, &str)> = cases
        .iter()
        .flat_map(|(module, _, asked)| asked.iter().map(|h| (module.as_str(), h.as_str())))
        .collect();
    let answers = go_versions(root, &env, &repos, &asked);
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for ((module, hash), theirs) in asked.iter().zip(&answers) {
        let dir = repos.iter().find(|(m, _)| m == module).unwrap().1;
        let ours = ours(dir, &env, module, hash);
        compared += 1;
        if ours != theirs.version {
            disagreements.push(format!(
                "{module}@{hash}: go {}, ours {ours}",
                theirs.version
            ));
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
    let mut repo = Repo::init(root.join("gw"), env, module);
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
    cases.push((module.to_owned(), repo.dir, repo.asked));

    // A /v2 path: v1 tags are not valid for it.
    let module = "github.com/tykdeps-oracle/gw2/v2";
    let mut repo = Repo::init(root.join("gw2"), env, module);
    repo.commit("2023-01-01T00:00:00Z", &["v1.5.0"]);
    repo.commit("2023-01-02T00:00:00Z", &[]);
    repo.commit("2023-01-03T00:00:00Z", &["v2.1.0-beta.2"]);
    repo.commit("2023-01-04T00:00:00Z", &["v2.1.0", "v3.0.0"]);
    repo.commit("2023-01-05T00:00:00Z", &[]);
    cases.push((module.to_owned(), repo.dir, repo.asked));
    cases
}
