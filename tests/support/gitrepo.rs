//! Git repositories made in a test, and the go command asked what version it
//! gives their commits (`go mod download -json MODULE@COMMIT` with
//! `GOPROXY=direct`, the module's `https://` URL rewritten to the local
//! repository by git's `insteadOf` in a private git config).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether git runs.
pub fn have_git() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A git environment below `root`: no system or user config (the global
/// config is `root/gitconfig`, written by [`go_versions`]), a fixed author.
pub fn git_env(root: &Path) -> BTreeMap<String, String> {
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
    env.insert(
        "GIT_CONFIG_GLOBAL".into(),
        root.join("gitconfig").display().to_string(),
    );
    env.insert("HOME".into(), root.display().to_string());
    env
}

/// `git -C dir args...` with `env`; its trimmed output (panics on failure).
pub fn git(dir: &Path, env: &BTreeMap<String, String>, args: &[&str]) -> String {
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

/// A repository under construction, and the commits to ask about.
pub struct Repo<'a> {
    pub dir: PathBuf,
    pub env: &'a BTreeMap<String, String>,
    pub asked: Vec<String>,
}

impl<'a> Repo<'a> {
    /// A new repository at `dir` (branch `main`) whose go.mod names `module`.
    pub fn init(dir: PathBuf, env: &'a BTreeMap<String, String>, module: &str) -> Self {
        std::fs::create_dir_all(&dir).unwrap();
        let repo = Repo {
            dir,
            env,
            asked: Vec::new(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        std::fs::write(
            repo.dir.join("go.mod"),
            format!("module {module}\n\ngo 1.21\n"),
        )
        .unwrap();
        repo
    }

    pub fn git(&self, args: &[&str]) -> String {
        git(&self.dir, self.env, args)
    }

    /// Commit at `date` (any RFC 3339 offset) with lightweight `tags`; asked about.
    pub fn commit(&mut self, date: &str, tags: &[&str]) -> String {
        let n = self.asked.len();
        std::fs::write(self.dir.join(format!("f{n}.go")), "package gw\n").unwrap();
        self.git(&["add", "."]);
        let mut env = self.env.clone();
        env.insert("GIT_AUTHOR_DATE".into(), date.into());
        env.insert("GIT_COMMITTER_DATE".into(), date.into());
        git(&self.dir, &env, &["commit", "-q", "-m", &format!("c{n}")]);
        for tag in tags {
            self.git(&["tag", tag]);
        }
        let hash = self.git(&["rev-parse", "HEAD"]);
        self.asked.push(hash.clone());
        hash
    }

    /// An annotated tag `tag` on HEAD.
    pub fn annotate(&self, tag: &str) {
        self.git(&["tag", "-a", "-m", &format!("release {tag}"), tag]);
    }
}

/// What the go command says of one commit: its version, and the `.info`
/// file it wrote (what a module proxy serves for the version).
pub struct GoAnswer {
    pub version: String,
    pub info: Vec<u8>,
}

/// Ask the go command about each `(module, commit)` of `asked`, where each
/// `(module, dir)` of `repos` is served from the local repository `dir`.
/// `env` is [`git_env`]`(root)`; the git config it names is (re)written.
pub fn go_versions(
    root: &Path,
    env: &BTreeMap<String, String>,
    repos: &[(&str, &Path)],
    asked: &[(&str, &str)],
) -> Vec<GoAnswer> {
    let mut config = String::new();
    for (module, dir) in repos {
        let (repo_path, _) = tykdeps_resolver::version::module::split_path_version(module)
            .expect("a valid module path");
        let url = format!("https://{repo_path}");
        let _ = write!(
            config,
            "[url \"file://{}\"]\n\tinsteadOf = {url}\n",
            dir.display()
        );
    }
    std::fs::write(root.join("gitconfig"), config).unwrap();

    let mut go_env = super::hermetic_go_env("direct", &root.join("go-modcache"));
    go_env.extend(env.clone());
    for (key, value) in [
        ("GOPRIVATE", "*"),
        ("GONOSUMDB", "*"),
        ("GOVCS", "*:all"),
        ("GOPATH", &root.join("gopath").display().to_string()),
    ] {
        go_env.insert(key.to_owned(), value.to_owned());
    }
    let work = root.join("go-work");
    std::fs::create_dir_all(&work).unwrap();
    asked
        .iter()
        .map(|(module, hash)| {
            let out = super::go(
                &work,
                &go_env,
                ["mod", "download", "-json", &format!("{module}@{hash}")],
            );
            let json: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("go mod download {module}@{hash}: {e}: {out:?}"));
            let version = json["Version"]
                .as_str()
                .unwrap_or_else(|| panic!("go mod download {module}@{hash}: {json}"))
                .to_owned();
            let info = json["Info"]
                .as_str()
                .map(|f| std::fs::read(f).expect("the .info file go wrote"))
                .unwrap_or_default();
            GoAnswer { version, info }
        })
        .collect()
}
