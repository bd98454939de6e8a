//! action.yml's steps run as GitHub would run them on a pull request to a
//! plugin repository: the example plugin in a git repository whose pull
//! request adds a version conflict, cloned shallow as actions/checkout does,
//! the `run` steps executed by bash with the variables and files the runner
//! gives (`GITHUB_OUTPUT`, `GITHUB_PATH`, `GITHUB_STEP_SUMMARY`), expressions
//! and `if:` conditions evaluated, the comment posted to a fake GitHub API.
//! The `uses:` steps are stood in for: actions/cache reports a hit (the test's
//! tykdeps is put where the cache would restore it; `cargo install` is not
//! run), upload-sarif records the file it is given.
//!
//! Expressions are evaluated by a small evaluator that knows the forms the
//! action uses (context paths, string literals, `==`, `!=`, `&&`, `||`);
//! anything else fails the test, so the action cannot outgrow it unnoticed.
//! Like GitHub's runners, it needs bash, git and jq.

#![allow(clippy::print_stdout, reason = "each step's output, for a failing run")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::github_api::{FakeGitHub, PR, REPOSITORY};
use crate::support::gitrepo::{git, git_env, have_git};
use crate::support::{self, hermetic_go_env};

/// A value of an expression: GitHub's strings and booleans.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Str(String),
    Bool(bool),
}

impl Val {
    fn truthy(&self) -> bool {
        match self {
            Val::Str(s) => !s.is_empty(),
            Val::Bool(b) => *b,
        }
    }

    fn text(&self) -> String {
        match self {
            Val::Str(s) => s.clone(),
            Val::Bool(b) => b.to_string(),
        }
    }
}

/// Evaluate `expr` with `context` (dotted paths; a missing one is `''`).
fn eval(expr: &str, context: &BTreeMap<String, String>) -> Val {
    let mut tokens = Vec::new();
    let mut rest = expr.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('\'') {
            let end = r.find('\'').expect("a closed string");
            tokens.push(format!("'{}", &r[..end]));
            rest = &r[end + 1..];
        } else if let Some(op) = ["==", "!=", "&&", "||"]
            .iter()
            .find(|op| rest.starts_with(**op))
        {
            tokens.push((*op).to_owned());
            rest = &rest[2..];
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
                .unwrap_or(rest.len());
            assert!(end > 0, "the test's evaluator cannot read `{expr}`");
            tokens.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
        rest = rest.trim_start();
    }
    let atom = |t: &str| match t.strip_prefix('\'') {
        Some(s) => Val::Str(s.to_owned()),
        None => Val::Str(context.get(t).cloned().unwrap_or_default()),
    };
    // || of && of comparisons, as GitHub (and JavaScript) evaluate them.
    let compare = |part: &[String]| match part {
        [a] => atom(a),
        [a, op, b] if op == "==" => Val::Bool(atom(a) == atom(b)),
        [a, op, b] if op == "!=" => Val::Bool(atom(a) != atom(b)),
        _ => panic!("the test's evaluator cannot read `{expr}`"),
    };
    let and = |part: &[String]| {
        let mut value = Val::Bool(true);
        for side in part.split(|t| t == "&&") {
            value = compare(side);
            if !value.truthy() {
                break;
            }
        }
        value
    };
    let mut value = Val::Bool(false);
    for side in tokens.split(|t| t == "||") {
        value = and(side);
        if value.truthy() {
            break;
        }
    }
    value
}

/// `text` with every `${{ expr }}` replaced by its value.
fn interpolate(text: &str, context: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("a closed expression") + start;
        out.push_str(&eval(&rest[start + 3..end], context).text());
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// What a run of the action did.
struct Run {
    /// (step name, what happened: `ran`, `skipped`, `failed N`, `stood in`).
    steps: Vec<(String, String)>,
    summary: String,
    /// The SARIF file handed to upload-sarif.
    sarif: Option<PathBuf>,
    context: BTreeMap<String, String>,
}

/// The runner: the job's workspace, temporary directory, environment and
/// PATH (which `GITHUB_PATH` lines extend), and the job summary file.
struct Runner<'a> {
    workspace: &'a Path,
    temp: &'a Path,
    env: &'a BTreeMap<String, String>,
    path: Vec<PathBuf>,
    summary: PathBuf,
}

/// The test's PATH, the runner's to start with.
#[allow(
    clippy::disallowed_methods,
    reason = "the runner's PATH is the test's own"
)]
fn test_path() -> Vec<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect()
}

impl Runner<'_> {
    /// Run `step`'s script as the runner does: bash with `-eo pipefail`, the
    /// runner's variables and the step's `env`. Returns its exit status and
    /// the outputs it wrote.
    fn script(
        &mut self,
        i: usize,
        step: &Value,
        context: &BTreeMap<String, String>,
    ) -> (Option<i32>, BTreeMap<String, String>) {
        let name = step["name"].as_str().unwrap_or("?");
        let output = self.temp.join(format!("output-{i}"));
        let path_file = self.temp.join(format!("path-{i}"));
        std::fs::write(&output, "").unwrap();
        std::fs::write(&path_file, "").unwrap();
        let dir = step["working-directory"]
            .as_str()
            .map_or(self.workspace.to_path_buf(), |d| {
                self.workspace.join(interpolate(d, context))
            });
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(step["run"].as_str().expect("a run step"))
            .current_dir(dir)
            .env_clear()
            .envs(self.env)
            .env("PATH", std::env::join_paths(&self.path).unwrap())
            .env("HOME", self.temp)
            .env("RUNNER_TEMP", self.temp)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_WORKSPACE", self.workspace)
            .env("GITHUB_ACTION_PATH", support::repo_root())
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_STEP_SUMMARY", &self.summary);
        for (key, value) in step["env"].as_object().into_iter().flatten() {
            command.env(
                key,
                interpolate(value.as_str().unwrap_or_default(), context),
            );
        }
        let out = command.output().expect("bash runs");
        println!(
            "-- {name}: {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let outputs = std::fs::read_to_string(&output)
            .unwrap()
            .lines()
            .map(|line| {
                let (key, value) = line.split_once('=').expect("key=value");
                (key.to_owned(), value.to_owned())
            })
            .collect();
        for line in std::fs::read_to_string(&path_file).unwrap().lines().rev() {
            self.path.insert(0, PathBuf::from(line));
        }
        (out.status.code(), outputs)
    }
}

/// What a `uses:` step's stand-in does: actions/cache restores tykdeps
/// where the install would put it (a hit); upload-sarif records its file.
fn stand_in(
    step: &Value,
    context: &BTreeMap<String, String>,
    run: &mut Run,
) -> BTreeMap<String, String> {
    let uses = step["uses"].as_str().unwrap();
    let with = |key: &str| interpolate(step["with"][key].as_str().unwrap_or_default(), context);
    let mut outputs = BTreeMap::new();
    if uses.starts_with("actions/cache@") {
        let bin = PathBuf::from(with("path")).join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_tykdeps"), bin.join("tykdeps")).unwrap();
        outputs.insert("cache-hit".to_owned(), "true".to_owned());
    } else if uses.starts_with("github/codeql-action/upload-sarif@") {
        run.sarif = Some(PathBuf::from(with("sarif_file")));
    } else {
        panic!("no stand-in for {uses}");
    }
    outputs
}

/// Run action.yml's steps in `workspace` with `inputs` (over the defaults),
/// the `github` context and `env` (the job's), as the runner would; steps
/// after a failure are skipped, as GitHub's default `success()` does.
fn run_action(
    workspace: &Path,
    runner_temp: &Path,
    inputs: &[(&str, &str)],
    github: &[(&str, &str)],
    env: &BTreeMap<String, String>,
) -> Run {
    let action: Value = serde_norway::from_str(
        &std::fs::read_to_string(support::repo_root().join("action.yml")).unwrap(),
    )
    .unwrap();
    let mut context: BTreeMap<String, String> = github
        .iter()
        .map(|(k, v)| (format!("github.{k}"), (*v).to_owned()))
        .collect();
    context.insert(
        "github.action_path".into(),
        support::repo_root().display().to_string(),
    );
    context.insert("runner.temp".into(), runner_temp.display().to_string());
    for (name, input) in action["inputs"].as_object().unwrap() {
        let default = interpolate(input["default"].as_str().unwrap_or_default(), &context);
        context.insert(format!("inputs.{name}"), default);
    }
    for (name, value) in inputs {
        context.insert(format!("inputs.{name}"), (*value).to_owned());
    }
    let mut runner = Runner {
        workspace,
        temp: runner_temp,
        env,
        path: test_path(),
        summary: runner_temp.join("step-summary.md"),
    };
    std::fs::write(&runner.summary, "").unwrap();
    let mut run = Run {
        steps: Vec::new(),
        summary: String::new(),
        sarif: None,
        context: BTreeMap::new(),
    };
    let mut failed = false;
    for (i, step) in action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let name = step["name"].as_str().unwrap_or("?").to_owned();
        let wanted = step["if"]
            .as_str()
            .is_none_or(|condition| eval(condition, &context).truthy());
        if failed || !wanted {
            run.steps.push((name, "skipped".into()));
            continue;
        }
        let outputs = if step.get("uses").is_some() {
            run.steps.push((name, "stood in".into()));
            stand_in(step, &context, &mut run)
        } else {
            let (status, outputs) = runner.script(i, step, &context);
            if status == Some(0) {
                run.steps.push((name, "ran".into()));
            } else {
                failed = true;
                run.steps
                    .push((name, format!("failed {}", status.unwrap_or(-1))));
            }
            outputs
        };
        if let Some(id) = step["id"].as_str() {
            for (key, value) in outputs {
                context.insert(format!("steps.{id}.outputs.{key}"), value);
            }
        }
    }
    run.summary = std::fs::read_to_string(&runner.summary).unwrap();
    run.context = context;
    run
}

/// A plugin repository (`plugins/example` holds the example plugin, at
/// example.com/shared v1.2.0 on the base branch) whose pull request changes
/// what `change` changes; cloned shallow at the pull request's commit.
/// Returns (dir, the workspace, the base commit, git's environment).
fn repository(
    change: impl Fn(&Path),
) -> (tempfile::TempDir, PathBuf, String, BTreeMap<String, String>) {
    let dir = tempfile::tempdir().unwrap();
    let env = git_env(dir.path());
    let origin = dir.path().join("origin");
    let plugin = origin.join("plugins/example");
    std::fs::create_dir_all(&plugin).unwrap();
    let example = support::own_corpus().join("examples/audit/plugin");
    for name in ["go.mod", "plugin.go"] {
        std::fs::copy(example.join(name), plugin.join(name)).unwrap();
    }
    let go_mod = std::fs::read_to_string(plugin.join("go.mod")).unwrap();
    assert!(go_mod.contains("example.com/shared v1.3.0"));
    std::fs::write(
        plugin.join("go.mod"),
        go_mod.replace("example.com/shared v1.3.0", "example.com/shared v1.2.0"),
    )
    .unwrap();
    std::fs::write(origin.join("README.md"), "plugins\n").unwrap();
    git(&origin, &env, &["init", "-q", "-b", "main"]);
    git(&origin, &env, &["add", "-A"]);
    git(&origin, &env, &["commit", "-qm", "base"]);
    let base = git(&origin, &env, &["rev-parse", "HEAD"]);
    change(&origin);
    git(&origin, &env, &["commit", "-qam", "the pull request"]);
    // GitHub serves any reachable commit to a fetch by id.
    git(
        &origin,
        &env,
        &["config", "uploadpack.allowReachableSHA1InWant", "true"],
    );
    let url = format!("file://{}", origin.display());
    git(
        dir.path(),
        &env,
        &["clone", "-q", "--depth=1", &url, "workspace"],
    );
    let workspace = dir.path().join("workspace");
    (dir, workspace, base, env)
}

#[test]
fn on_a_pull_request_it_audits_the_changed_plugin_against_its_base_and_comments() {
    if !have_git() {
        assert!(!support::in_ci(), "CI needs git");
        return;
    }
    let (dir, workspace, base, mut env) = repository(|origin| {
        let go_mod = origin.join("plugins/example/go.mod");
        let text = std::fs::read_to_string(&go_mod).unwrap();
        std::fs::write(
            &go_mod,
            text.replace("example.com/shared v1.2.0", "example.com/shared v1.3.0"),
        )
        .unwrap();
    });
    let proxy = format!(
        "file://{}",
        support::own_corpus().join("examples/audit/proxy").display()
    );
    env.extend(hermetic_go_env(&proxy, &dir.path().join("modcache")));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let api = rt.block_on(FakeGitHub::start(30));
    let event = dir.path().join("event.json");
    std::fs::write(
        &event,
        serde_json::json!({"pull_request": {"number": PR}}).to_string(),
    )
    .unwrap();
    env.insert("GITHUB_API_URL".into(), api.url.clone());
    env.insert("GITHUB_REPOSITORY".into(), REPOSITORY.into());
    env.insert("GITHUB_EVENT_PATH".into(), event.display().to_string());
    let temp = dir.path().join("runner-temp");
    std::fs::create_dir(&temp).unwrap();
    let run = run_action(
        &workspace,
        &temp,
        &[
            ("gateway-module", "example.com/gateway"),
            ("sarif", "true"),
            ("github-token", "ghs_actionTestToken"),
        ],
        &[
            ("event_name", "pull_request"),
            ("event.pull_request.base.sha", &base),
            ("token", "ghs_defaultToken"),
        ],
        &env,
    );
    let happened: Vec<(&str, &str)> = run
        .steps
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        happened,
        [
            ("tykdeps version key", "ran"),
            ("Restore tykdeps", "stood in"),
            ("Install tykdeps", "skipped"),
            ("Put tykdeps on PATH", "ran"),
            ("Fetch the base commit", "ran"),
            ("Plugin directories", "ran"),
            ("Audit", "ran"),
            ("Merge SARIF", "ran"),
            ("Upload SARIF", "stood in"),
            ("Audit the base branch", "ran"),
            // The pull request adds an error: fail-on new fails the job.
            ("Comment", "failed 1"),
        ]
    );
    assert_eq!(
        run.context["steps.dirs.outputs.directories"],
        "plugins/example"
    );
    assert_eq!(run.context["steps.audit.outputs.verdict"], "fails");
    // Nothing names the runner's directories.
    let root = dir.path().display().to_string();
    assert!(
        run.summary.starts_with("### tykdeps audit: ❌ fails"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("(`plugins/example`)"),
        "{}",
        run.summary
    );
    assert!(!run.summary.contains(&root), "{}", run.summary);
    let sarif_text = std::fs::read_to_string(run.sarif.expect("SARIF uploaded")).unwrap();
    assert!(!sarif_text.contains(&root));
    let sarif: Value = serde_json::from_str(&sarif_text).unwrap();
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 8);
    for result in results {
        let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert_eq!(uri, "plugins/example/go.mod");
    }
    assert_one_comment(&api, &root);
    drop(rt);
}

/// One comment, posted with the action's token: what the pull request did,
/// naming files as the repository does.
fn assert_one_comment(api: &FakeGitHub, root: &str) {
    let comments = api.comments();
    assert_eq!(comments.len(), 1, "{comments:?}");
    let body = &comments[0].1;
    assert!(
        body.contains("**1 new error** · 1 fixed · 7 unchanged"),
        "{body}"
    );
    assert!(
        body.contains("Compared with the base report `plugins-example.json`"),
        "{body}"
    );
    assert!(!body.contains(root), "{body}");
    let new = body.lines().find(|l| l.starts_with("- **new**")).unwrap();
    assert!(
        new.contains("`version-conflict`") && new.contains("`plugins/example/go.mod:"),
        "{new}"
    );
    for request in api.requests() {
        assert_eq!(
            request.header("authorization").as_deref(),
            Some("Bearer ghs_actionTestToken")
        );
    }
}

#[test]
fn a_pull_request_that_touches_no_plugin_audits_nothing() {
    if !have_git() {
        assert!(!support::in_ci(), "CI needs git");
        return;
    }
    let (dir, workspace, base, env) = repository(|origin| {
        std::fs::write(origin.join("README.md"), "plugins, documented\n").unwrap();
    });
    let temp = dir.path().join("runner-temp");
    std::fs::create_dir(&temp).unwrap();
    let run = run_action(
        &workspace,
        &temp,
        &[],
        &[
            ("event_name", "pull_request"),
            ("event.pull_request.base.sha", &base),
        ],
        &env,
    );
    assert_eq!(run.context["steps.dirs.outputs.count"], "0");
    let skipped: Vec<&str> = run
        .steps
        .iter()
        .filter(|(_, s)| s == "skipped")
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        skipped,
        [
            "Install tykdeps",
            "Audit",
            "Merge SARIF",
            "Upload SARIF",
            "Audit the base branch",
            "Comment"
        ]
    );
    assert!(run.steps.iter().all(|(_, s)| !s.starts_with("failed")));
    assert!(run.summary.is_empty());
}
