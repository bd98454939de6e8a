//! `tykdeps gateway resolve`'s answer: the release, commit, commit time,
//! module version and the way that answered, as lines or as JSON.

use std::fmt::Write as _;

use tykdeps_resolver::source::release::Resolved;

/// `resolved` as aligned lines, or as pretty JSON when `json`.
pub fn resolved(resolved: &Resolved, json: bool) -> String {
    if json {
        let mut text = serde_json::to_string_pretty(resolved).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let releases = if resolved.releases.is_empty() {
        "(no release tag on this commit)".to_owned()
    } else {
        resolved.releases.join(", ")
    };
    let mut text = String::new();
    let _ = writeln!(text, "release:     {releases}");
    let _ = writeln!(text, "commit:      {}", resolved.commit);
    let _ = writeln!(
        text,
        "commit time: {}",
        resolved.commit_time.as_deref().unwrap_or("(unknown)")
    );
    let _ = writeln!(
        text,
        "module:      {}@{}",
        resolved.module, resolved.version
    );
    let _ = writeln!(text, "via:         {}", resolved.via);
    text
}
