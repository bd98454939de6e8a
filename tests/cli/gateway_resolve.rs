//! `tykdeps gateway resolve` against a git repository made here with tags
//! like Tyk's (v1 tags valid for the module path, v5 tags that are not,
//! annotated and lightweight, a release branch) and `file://` proxies: every
//! name form of every release, and commit hashes, must resolve to the
//! commit and to the version the go command gives that commit. One proxy
//! serves the `.info` files the go command wrote, under the commit hashes
//! (as a proxy's query endpoint answers); the other serves nothing, so the
//! version is computed from a clone of the repository.

// Oracle tests report what they compared.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use tykdeps_resolver::version::escape::escape_path;

use crate::support;
use crate::support::gitrepo::{Repo, git_env, go_versions, have_git};

const MODULE: &str = "github.com/tykdeps-oracle/tyk";

fn tykdeps(env: &BTreeMap<String, String>, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(args)
        .envs(env)
        .output()
        .expect("tykdeps runs")
}

/// (release tag, commit) pairs, and untagged commits, of a repository like Tyk's.
fn tyk_like(repo: &mut Repo<'_>) -> (Vec<(&'static str, String)>, Vec<String>) {
    let mut releases = Vec::new();
    repo.commit("2019-11-09T03:19:31+01:00", &["v0.3.0"]);
    let c = repo.commit("2021-02-03T23:30:00-05:00", &["v1.9.1"]);
    releases.push(("v1.9.1", c));
    let c = repo.commit("2021-03-01T00:00:00Z", &["v5.0.0-rc1"]);
    repo.annotate("v5.0.0");
    releases.push(("v5.0.0", c.clone()));
    releases.push(("v5.0.0-rc1", c));
    let fork = repo.commit("2022-04-02T12:00:00Z", &[]);
    let c = repo.commit("2024-09-24T15:54:26+03:00", &["v5.3.6-rc4"]);
    repo.annotate("v5.3.6");
    releases.push(("v5.3.6", c.clone()));
    releases.push(("v5.3.6-rc4", c));
    let c = repo.commit("2024-10-01T08:00:00Z", &["v5.3.7"]);
    releases.push(("v5.3.7", c));
    let head = repo.commit("2024-11-01T08:00:00Z", &[]);
    // A release branch off an older commit, with an annotated release.
    repo.git(&["checkout", "-q", "-b", "release-5.2", &fork]);
    let c = repo.commit("2023-05-05T05:05:05Z", &[]);
    repo.annotate("v5.2.4");
    releases.push(("v5.2.4", c));
    repo.git(&["checkout", "-q", "main"]);
    (releases, vec![fork, head])
}

/// `<proxy>/<module>/@v/<commit>.info` holding what the go command wrote.
fn answering_proxy(root: &Path, answers: &[(String, Vec<u8>)]) -> String {
    let dir = root
        .join("proxy")
        .join(escape_path(MODULE).unwrap())
        .join("@v");
    std::fs::create_dir_all(&dir).unwrap();
    for (hash, info) in answers {
        std::fs::write(dir.join(format!("{hash}.info")), info).unwrap();
    }
    format!("file://{}", root.join("proxy").display())
}

fn resolve_json(env: &BTreeMap<String, String>, reference: &str, repo: &str) -> Value {
    let out = tykdeps(
        env,
        &[
            "gateway",
            "resolve",
            reference,
            "--json",
            "--gateway-module",
            MODULE,
            "--gateway-repo",
            repo,
        ],
    );
    assert!(
        out.status.success(),
        "gateway resolve {reference}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn every_release_name_form_resolves_as_the_go_command_names_the_commit() {
    if !support::have_go() || !have_git() {
        println!("skipped: the go command or git is not on PATH");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let env = git_env(root);
    let mut repo = Repo::init(root.join("tyk"), &env, MODULE);
    let (releases, untagged) = tyk_like(&mut repo);
    let dir = repo.dir.clone();
    let mut commits: Vec<String> = releases.iter().map(|(_, c)| c.clone()).collect();
    commits.extend(untagged.iter().cloned());
    commits.dedup();
    let asked: Vec<(&str, &str)> = commits.iter().map(|c| (MODULE, c.as_str())).collect();
    let go = go_versions(root, &env, &[(MODULE, &dir)], &asked);
    let version_of = |commit: &str| {
        let i = commits.iter().position(|c| c == commit).unwrap();
        go[i].version.clone()
    };
    // The go command gives a v5 release commit a v1 pseudo-version.
    let v536 = &releases.iter().find(|(t, _)| *t == "v5.3.6").unwrap().1;
    assert!(
        version_of(v536).starts_with("v1.9.2-0.20240924125426-"),
        "{}",
        version_of(v536)
    );

    let proxy = answering_proxy(
        root,
        &commits
            .iter()
            .zip(&go)
            .map(|(c, a)| (c.clone(), a.info.clone()))
            .collect::<Vec<_>>(),
    );
    let empty = root.join("empty-proxy");
    std::fs::create_dir(&empty).unwrap();
    let repo_url = format!("file://{}", dir.display());
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for (proxy, via) in [
        (proxy.as_str(), "module proxy"),
        (&*format!("file://{}", empty.display()), "git clone"),
    ] {
        let mut run_env = support::hermetic_go_env(proxy, &root.join(format!("modcache-{via}")));
        run_env.extend(env.clone());
        let mut check = |reference: &str, commit: &str, release: Option<&str>| {
            let json = resolve_json(&run_env, reference, &repo_url);
            let want = version_of(commit);
            compared += 1;
            let got = (
                json["commit"].as_str().unwrap_or_default(),
                json["version"].as_str().unwrap_or_default(),
            );
            if got != (commit, want.as_str()) || !json["via"].as_str().unwrap().starts_with(via) {
                disagreements.push(format!(
                    "{reference} via {via}: want {commit} {want}, got {json}"
                ));
            }
            if let Some(release) = release {
                let releases = json["releases"].as_array().unwrap();
                if !releases.iter().any(|r| r == release) {
                    disagreements.push(format!("{reference}: {release} not in {json}"));
                }
            }
        };
        for (tag, commit) in &releases {
            let bare = &tag[1..];
            for form in [tag.to_string(), bare.to_owned(), format!("release-{bare}")] {
                check(&form, commit, Some(tag));
            }
        }
        for commit in &commits {
            check(commit, commit, None);
        }
        // A short hash of a tagged commit: the tags expand it.
        check(&v536[..12], v536, Some("v5.3.6"));
    }
    // An untagged commit's short hash: only the clone expands it.
    let mut run_env =
        support::hermetic_go_env(&format!("file://{}", empty.display()), &root.join("mc"));
    run_env.extend(env.clone());
    let json = resolve_json(&run_env, &untagged[0][..7], &repo_url);
    compared += 1;
    assert_eq!(
        json["version"].as_str(),
        Some(version_of(&untagged[0]).as_str())
    );
    assert_eq!(json["commit"].as_str(), Some(untagged[0].as_str()));

    println!(
        "gateway resolve: {compared} references ({} releases x 3 name forms, {} commits, x 2 proxies) equal to the go command",
        releases.len(),
        commits.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert_eq!(compared, 2 * (releases.len() * 3 + commits.len() + 1) + 1);

    human_form_names_all_four_facts(&run_env, &repo_url, v536, &version_of(v536));
}

/// The human form of `gateway resolve 5.3.6`.
fn human_form_names_all_four_facts(
    run_env: &BTreeMap<String, String>,
    repo_url: &str,
    v536: &str,
    version: &str,
) {
    let out = tykdeps(
        run_env,
        &[
            "gateway",
            "resolve",
            "5.3.6",
            "--gateway-module",
            MODULE,
            "--gateway-repo",
            repo_url,
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "release:     v5.3.6".to_owned(),
        format!("commit:      {v536}"),
        "commit time: 2024-09-24T12:54:26Z".to_owned(),
        format!("module:      {MODULE}@{version}"),
    ] {
        assert!(text.contains(&needle), "{needle:?} not in:\n{text}");
    }
}

#[test]
fn failures_name_each_way_tried_with_exit_codes() {
    if !have_git() {
        println!("skipped: git is not on PATH");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let env = git_env(root);
    let mut repo = Repo::init(root.join("tyk"), &env, MODULE);
    tyk_like(&mut repo);
    let mut run_env = support::hermetic_go_env("off", &root.join("modcache"));
    run_env.extend(env.clone());
    let repo_url = format!("file://{}", repo.dir.display());
    let run = |reference: &str, repo: &str| {
        let out = tykdeps(
            &run_env,
            &[
                "gateway",
                "resolve",
                reference,
                "--gateway-module",
                MODULE,
                "--gateway-repo",
                repo,
            ],
        );
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).replace('\n', " "),
        )
    };

    // Malformed: exit 2, the forms named.
    let (code, err) = run("5.3", &repo_url);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("release-5.3.6"), "{err}");

    // No such tag: exit 3, the listing named.
    let (code, err) = run("v9.9.9", &repo_url);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("no tag v9.9.9"), "{err}");

    // A repository that cannot be reached, and GOPROXY=off: every way named.
    let (code, err) = run("0123456789abcdef", "https://127.0.0.1:9/tyk");
    assert_eq!(code, Some(3), "{err}");
    for way in [
        "git ls-remote",
        "module proxy",
        "GOPROXY=off",
        "not a repository on this machine",
    ] {
        assert!(err.contains(way), "{way:?} not in {err}");
    }

    // --gateway takes the same names: a malformed one is a usage error.
    let plugin = root.join("plugin");
    std::fs::create_dir(&plugin).unwrap();
    std::fs::write(plugin.join("go.mod"), "module example.com/p\n\ngo 1.21\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .args(["audit", "--gateway", "release-5.3", "--format", "json"])
        .current_dir(&plugin)
        .envs(&run_env)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--gateway release-5.3"), "{err}");
}

/// A real Tyk release through the network: skipped, with the reason, when
/// GitHub or the module proxy cannot be reached or refuses.
#[test]
fn a_real_tyk_release_resolves_to_its_recorded_pseudo_version() {
    let Some(corpus) = support::shared_corpus() else {
        return;
    };
    let Ok(revision) = std::fs::read_to_string(corpus.join("gateway/v5.3.6/REVISION")) else {
        println!("skipped: the corpus has no gateway/v5.3.6/REVISION");
        return;
    };
    let field = |key: &str| {
        revision
            .lines()
            .find_map(|l| Some(l.strip_prefix(key)?.strip_prefix(':')?.trim().to_owned()))
            .unwrap_or_else(|| panic!("REVISION has no {key}:"))
    };
    let tmp = tempfile::tempdir().unwrap();
    let env = BTreeMap::from([
        ("GOMODCACHE".to_owned(), tmp.path().display().to_string()),
        ("GOTOOLCHAIN".to_owned(), "local".to_owned()),
    ]);
    let out = tykdeps(&env, &["gateway", "resolve", "v5.3.6", "--json"]);
    if out.status.code() == Some(3) {
        println!(
            "skipped: the network or module proxy refused: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["commit"].as_str(), Some(field("commit").as_str()));
    assert_eq!(json["version"].as_str(), Some(field("pseudo").as_str()));
}
