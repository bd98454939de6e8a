//! Reports that leave the machine (JSON, SARIF, Markdown, the comment) name
//! files relative to the repository root, never by the runner's absolute
//! path; the human format keeps the path the user can open.

use std::path::Path;
use std::process::Command;

use crate::audit_source::Example;
use crate::support::gitrepo::{git_env, have_git};

/// Every machine format of the example's audit, with `env` added.
fn outputs(example: &Example, env: &[(&str, &Path)]) -> Vec<(&'static str, String)> {
    ["json", "sarif", "markdown"]
        .into_iter()
        .map(|format| {
            let out = example
                .command(&["audit", "--format", format])
                .envs(env.iter().copied())
                .output()
                .expect("tykdeps runs");
            assert_eq!(
                out.status.code(),
                Some(1),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            (format, String::from_utf8(out.stdout).expect("UTF-8"))
        })
        .collect()
}

fn assert_relative(outputs: &[(&str, String)], root: &Path, plugin: &str) {
    let root = root.canonicalize().unwrap().display().to_string();
    for (format, text) in outputs {
        assert!(!text.contains(&root), "{format} names {root}:\n{text}");
    }
    let json: serde_json::Value = serde_json::from_str(&outputs[0].1).unwrap();
    assert_eq!(json["plugins"][0]["dir"], plugin);
    let located: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["file"].as_str())
        .collect();
    assert!(!located.is_empty());
    for file in located {
        assert_eq!(file, format!("{plugin}/go.mod"));
    }
    let sarif: serde_json::Value = serde_json::from_str(&outputs[1].1).unwrap();
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with(plugin), "{uri}");
    }
    assert!(
        outputs[2].1.contains(&format!("(`{plugin}`)")),
        "{}",
        outputs[2].1
    );
}

#[test]
fn paths_are_relative_to_the_git_top_level() {
    if !have_git() {
        assert!(!crate::support::in_ci(), "CI needs git");
        return;
    }
    let example = Example::new();
    let root = example.plugin.parent().unwrap();
    let init = Command::new("git")
        .args(["init", "-q"])
        .current_dir(root)
        .envs(git_env(root))
        .status()
        .unwrap();
    assert!(init.success());
    assert_relative(&outputs(&example, &[]), root, "plugin");
    // The human format keeps the absolute path, which a terminal can open.
    let human = example.tykdeps(&["audit"]);
    let plugin = example.plugin.canonicalize().unwrap();
    assert!(
        String::from_utf8_lossy(&human.stdout).contains(&plugin.display().to_string()),
        "{}",
        String::from_utf8_lossy(&human.stdout)
    );
}

#[test]
fn outside_git_paths_are_relative_to_github_workspace() {
    let example = Example::new();
    let root = example.plugin.parent().unwrap().to_path_buf();
    assert_relative(
        &outputs(&example, &[("GITHUB_WORKSPACE", &root)]),
        &root,
        "plugin",
    );
    // Without either, there is no root to be relative to.
    let json = &outputs(&example, &[])[0].1;
    assert!(json.contains(&root.canonicalize().unwrap().display().to_string()));
}
