//! The composite action (action.yml). actionlint checks workflows, not an
//! action's own metadata: it only reads action.yml to check the `with:` of a
//! workflow that uses it. So this test checks what actionlint does not:
//! every `inputs.X` and `steps.ID` an expression names exists, every input is
//! used, every `run` step names its shell, and every tykdeps flag the steps
//! pass is one `--help` lists. Then it turns the action's steps into a
//! reusable workflow (the inputs become `workflow_call` inputs) and runs
//! actionlint on it, which type-checks the expressions and runs shellcheck
//! on each `run` script. .ci/run installs both tools; without them this
//! part is skipped outside CI and fails in CI.

#![allow(clippy::print_stdout, reason = "a skipped check says so")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::support;

/// Flags the action passes that this build may not know yet: each is
/// passed only when its input is set. `--gateway-snapshot` comes with
/// offline gateway snapshots.
const PENDING_FLAGS: &[&str] = &["--gateway-snapshot"];

fn action() -> Value {
    let path = support::repo_root().join("action.yml");
    let text = std::fs::read_to_string(&path).expect("action.yml");
    serde_norway::from_str(&text).expect("action.yml is YAML")
}

fn steps(action: &Value) -> &Vec<Value> {
    assert_eq!(action["runs"]["using"], "composite");
    action["runs"]["steps"].as_array().expect("runs.steps")
}

/// Every `${{ ... }}` expression in the action's text.
fn expressions(text: &str) -> Vec<&str> {
    text.split("${{")
        .skip(1)
        .map(|rest| rest.split("}}").next().expect("a closed expression").trim())
        .collect()
}

/// The names after `prefix` in `expression` (`inputs.` gives input names).
fn names_after<'a>(expression: &'a str, prefix: &str) -> Vec<&'a str> {
    expression
        .match_indices(prefix)
        .filter(|(at, _)| {
            *at == 0
                || !expression.as_bytes()[at - 1].is_ascii_alphanumeric()
                    && expression.as_bytes()[at - 1] != b'.'
        })
        .map(|(at, _)| {
            let rest = &expression[at + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn every_input_and_step_named_exists_and_every_input_is_used() {
    let action = action();
    let text = std::fs::read_to_string(support::repo_root().join("action.yml")).unwrap();
    let declared: BTreeSet<&str> = action["inputs"]
        .as_object()
        .expect("inputs")
        .keys()
        .map(String::as_str)
        .collect();
    let mut used = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for step in steps(&action) {
        // A step may only name steps before it.
        let step_text = serde_json::to_string(step).unwrap();
        for expression in expressions(&step_text) {
            for step_id in names_after(expression, "steps.") {
                assert!(
                    ids.contains(step_id),
                    "`{expression}` names step {step_id}, not defined before {}",
                    step["name"]
                );
            }
        }
        if let Some(id) = step["id"].as_str() {
            ids.insert(id.to_owned());
        }
        if step.get("run").is_some() {
            assert_eq!(
                step["shell"], "bash",
                "{}: a run step names its shell",
                step["name"]
            );
        }
    }
    for expression in expressions(&text) {
        for input in names_after(expression, "inputs.") {
            assert!(
                declared.contains(input),
                "`{expression}` names an undeclared input {input}"
            );
            used.insert(input);
        }
    }
    let unused: Vec<_> = declared.difference(&used).collect();
    assert!(unused.is_empty(), "inputs never used: {unused:?}");
    for wanted in [
        "working-directory",
        "directories",
        "gateway",
        "gateway-snapshot",
        "config",
        "fail-on",
        "sarif",
        "comment",
        "github-token",
    ] {
        assert!(declared.contains(wanted), "input {wanted}");
    }
}

#[test]
fn the_tykdeps_flags_the_action_passes_exist() {
    let action = action();
    let scripts: String = steps(&action)
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for command in ["audit", "comment"] {
        let help = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
            .args([command, "--help"])
            .output()
            .expect("tykdeps runs");
        let help = String::from_utf8_lossy(&help.stdout).into_owned();
        // The flags on the lines (and the option arrays) of this command.
        let flags: BTreeSet<&str> = scripts
            .lines()
            .filter(|l| {
                l.contains(&format!("tykdeps {command}"))
                    || (command == "audit" && l.contains("options+=("))
                    || (command == "comment" && l.contains("args"))
            })
            .flat_map(|l| l.split(|c: char| c.is_whitespace() || c == '('))
            .filter(|w| w.starts_with("--") && w.len() > 2)
            .collect();
        assert!(!flags.is_empty(), "tykdeps {command} is run with flags");
        for flag in flags {
            let known = help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n"));
            assert!(
                known || PENDING_FLAGS.contains(&flag),
                "tykdeps {command} has no {flag}:\n{help}"
            );
        }
    }
}

/// A tool on PATH, for the actionlint check.
fn tool(name: &str) -> Option<PathBuf> {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
        || Command::new(name)
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success());
    found.then(|| PathBuf::from(name))
}

/// The action as a reusable workflow: its inputs as `workflow_call`
/// inputs, its steps as the one job's. Composite-only contexts are
/// valid in a job too (`github.action_path`, `runner.temp`).
fn as_workflow(action: &Value) -> Value {
    let inputs: serde_json::Map<String, Value> = action["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, input)| {
            let mut spec = json!({ "type": "string", "required": false });
            if let Some(description) = input.get("description") {
                spec["description"] = description.clone();
            }
            (name.clone(), spec)
        })
        .collect();
    json!({
        "name": "action.yml as a workflow",
        "on": { "workflow_call": { "inputs": inputs } },
        "jobs": { "action": { "runs-on": "ubuntu-latest", "steps": action["runs"]["steps"] } },
    })
}

#[test]
fn actionlint_and_shellcheck_pass_on_the_actions_steps() {
    let (Some(actionlint), Some(shellcheck)) = (tool("actionlint"), tool("shellcheck")) else {
        assert!(
            !support::in_ci(),
            "CI installs actionlint and shellcheck (.ci/run)"
        );
        println!("skipped: actionlint or shellcheck is not on PATH");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    let workflow = workflows.join("action.yml");
    // JSON is YAML; actionlint reads the steps as a workflow's.
    let lint = |steps: &serde_json::Value| {
        std::fs::write(
            &workflow,
            serde_json::to_string_pretty(&as_workflow(steps)).unwrap(),
        )
        .unwrap();
        Command::new(&actionlint)
            .arg("-no-color")
            .arg(format!("-shellcheck={}", shellcheck.display()))
            .arg(Path::new(".github/workflows/action.yml"))
            .current_dir(dir.path())
            .output()
            .expect("actionlint runs")
    };
    let out = lint(&action());
    assert!(
        out.status.success(),
        "actionlint on action.yml's steps:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The check has teeth: an unquoted expansion is shellcheck's SC2086.
    let mut broken = action();
    broken["runs"]["steps"][0]["run"] = json!("cd $RUNNER_TEMP\n");
    let out = lint(&broken);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success() && said.contains("SC2086"), "{said}");
}
