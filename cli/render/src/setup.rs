//! `tykdeps setup`'s plan in words: what it does (or would do), its notes,
//! and the commands that build and load the plugin.

use std::fmt::Write as _;

use tykdeps_resolver::setup::Plan;

/// The actions and notes of `plan` (as what setup would do when `dry_run`).
pub fn actions(plan: &Plan, dry_run: bool) -> String {
    let mut text = String::new();
    if plan.actions.is_empty() {
        text.push_str("setup: everything is in place\n");
    } else {
        text.push_str(if dry_run {
            "setup would:\n"
        } else {
            "setup:\n"
        });
        for action in &plan.actions {
            let _ = writeln!(text, "  {}", action.describe());
        }
    }
    for note in &plan.notes {
        let _ = writeln!(text, "  note: {note}");
    }
    text
}

/// The commands that build the plugin and load it into the gateway.
pub fn commands(plan: &Plan) -> String {
    let mut commands = String::from(
        "\nbuild and load (the gateway as its releases are built, outside the workspace):\n",
    );
    for command in &plan.commands {
        let _ = writeln!(commands, "  {command}");
    }
    commands
}
