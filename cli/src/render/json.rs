//! JSON: the report exactly as the contract in
//! book/src/reference/output-formats.md describes it, for scripts and bots.

use tykdeps_resolver::audit::Report;

/// The report as pretty-printed JSON, with a final newline.
pub(super) fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::super::fixture;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(super::render(&fixture::report()));
    }
}
