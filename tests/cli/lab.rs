//! The load lab's outcomes are facts about the go command and `plugin.Open`,
//! recorded by running the lab: this test rebuilds every scenario in both
//! modes and checks that the recorded outcomes still hold. `record_lab`
//! (ignored by default) re-records them.

// Lab tests report what they compared.
#![allow(clippy::print_stdout)]

use serde::Deserialize;

use crate::support;
use crate::support::lab::{self, Lab, Record};

/// What `scenario.toml` says about a scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioMeta {
    covers: String,
    description: String,
}

#[test]
fn every_scenario_says_what_it_covers() {
    let names = lab::scenarios();
    assert!(names.len() >= 20, "only {} lab scenarios", names.len());
    for name in &names {
        let path = lab::lab_dir()
            .join("scenarios")
            .join(name)
            .join("scenario.toml");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let meta: ScenarioMeta =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !meta.covers.is_empty() && !meta.description.trim().is_empty(),
            "{}: covers and description must say something",
            path.display()
        );
    }
}

#[test]
fn load_lab_reproduces_recorded_outcomes() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let text = std::fs::read_to_string(lab::record_path()).expect("corpus/lab/outcomes.json");
    let recorded: Record = serde_json::from_str(&text).expect("outcomes.json parses");
    let now = Lab::new().run_all();
    assert_eq!(
        (&now.host_modules, &now.host_linked),
        (&recorded.host_modules, &recorded.host_linked),
        "the host's build changed"
    );
    let keys = |r: &Record| -> Vec<(String, lab::Mode)> {
        r.outcomes
            .iter()
            .map(|o| (o.scenario.clone(), o.mode))
            .collect()
    };
    assert_eq!(
        keys(&now),
        keys(&recorded),
        "scenarios were added or removed: re-record"
    );
    let differ: Vec<String> = now
        .outcomes
        .iter()
        .zip(&recorded.outcomes)
        .filter(|(n, r)| n != r)
        .map(|(n, r)| {
            format!(
                "recorded ({}): {r:#?}\nnow ({}): {n:#?}",
                recorded.go, now.go
            )
        })
        .collect();
    let total = now.outcomes.len();
    println!(
        "load lab: {}/{total} outcomes reproduced",
        total - differ.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
}

/// The README's outcome table is a hand-written reading of the record: it
/// must name every scenario once and agree with every recorded outcome.
#[test]
fn readme_table_agrees_with_the_record() {
    let readme = std::fs::read_to_string(lab::lab_dir().join("README.md")).expect("README.md");
    let text = std::fs::read_to_string(lab::record_path()).expect("corpus/lab/outcomes.json");
    let recorded: Record = serde_json::from_str(&text).expect("outcomes.json parses");
    let rows: Vec<Vec<&str>> = readme
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| scenario "))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    let mut named: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    named.sort_unstable();
    assert_eq!(
        named,
        lab::scenarios(),
        "the README table must list every scenario once"
    );
    for row in &rows {
        for (cell, mode) in row[2..].iter().zip(lab::Mode::ALL) {
            let outcome = recorded
                .outcomes
                .iter()
                .find(|o| o.scenario == row[0] && o.mode == mode)
                .unwrap_or_else(|| panic!("no recorded outcome for {} {mode:?}", row[0]));
            assert!(
                reads(cell, outcome),
                "README says {cell:?} for {} {mode:?}, the record: {outcome:#?}",
                row[0]
            );
        }
    }
}

/// Whether a README cell (`loads`, `DIFF <package>`, `build error`) says
/// what the outcome records.
fn reads(cell: &str, outcome: &lab::Outcome) -> bool {
    let load = outcome.load.as_deref().unwrap_or_default();
    if cell.starts_with("loads") {
        load.starts_with("loads: ")
    } else if let Some(rest) = cell.strip_prefix("DIFF ") {
        let package = rest.split_whitespace().next().unwrap_or_default();
        load == format!(
            "error: plugin.Open(\"PLUGIN\"): plugin was built with a different version of package lab.example/{package}"
        )
    } else {
        cell.starts_with("build error") && outcome.build_error.is_some()
    }
}

/// Re-record `corpus/lab/outcomes.json`:
/// `cargo test -p tykdeps --test cli lab::record_lab -- --ignored`.
#[test]
#[ignore = "writes corpus/lab/outcomes.json; run by hand to re-record"]
fn record_lab() {
    assert!(support::have_go(), "recording needs the go command");
    let record = Lab::new().run_all();
    let mut json = serde_json::to_string_pretty(&record).expect("the record serialises");
    json.push('\n');
    std::fs::write(lab::record_path(), json).expect("outcomes.json is writable");
    println!("recorded {} outcomes", record.outcomes.len());
}
