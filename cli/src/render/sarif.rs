//! SARIF 2.1.0: the format code-scanning services (GitHub, GitLab, Azure)
//! ingest, so findings show up as annotations on the go.mod line in a pull
//! request. Only the subset those services read is written: the rules (with
//! their pages), and results with level, message and location.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};
use tykdeps_resolver::audit::{Finding, Report, RuleId, Severity};

use super::{rule_url, verdict_word};

/// The report as a SARIF 2.1.0 log with one run.
pub(super) fn render(report: &Report) -> String {
    let rules: Vec<Value> = RuleId::ALL
        .iter()
        .map(|&rule| {
            json!({
                "id": rule.id(),
                "shortDescription": { "text": rule.description() },
                "helpUri": rule_url(rule),
            })
        })
        .collect();
    let gateway_dir = report.gateway.dir.as_deref();
    let results: Vec<Value> = report
        .gateway_findings()
        .iter()
        .map(|f| result(f, gateway_dir))
        .chain(
            report
                .plugins
                .iter()
                .flat_map(|p| p.findings.iter().map(|f| result(f, Some(&p.dir)))),
        )
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tykdeps",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "results": results,
            "properties": {
                "verdict": verdict_word(report.verdict),
                "mode": report.mode,
            },
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).expect("a SARIF log always serializes");
    text.push('\n');
    text
}

/// One result. A finding without a file location is placed on the file or
/// directory it is about (`fallback`), since code-scanning services drop
/// results without a location.
fn result(finding: &Finding, fallback: Option<&str>) -> Value {
    let index = RuleId::ALL
        .iter()
        .position(|&r| r == finding.rule)
        .expect("every rule is in ALL");
    let level = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let mut result = json!({
        "ruleId": finding.rule.id(),
        "ruleIndex": index,
        "level": level,
        "message": { "text": finding.message },
    });
    let location = match &finding.location {
        Some(l) => Some(physical_location(&l.file, l.line, l.column)),
        None => fallback.map(|file| physical_location(file, None, None)),
    };
    if let Some(location) = location {
        result["locations"] = json!([{ "physicalLocation": location }]);
    }
    result["properties"] = properties(finding);
    result
}

fn physical_location(file: &str, line: Option<usize>, column: Option<usize>) -> Value {
    let mut location = json!({ "artifactLocation": { "uri": uri_reference(file) } });
    if let Some(line) = line {
        let mut region = Map::new();
        region.insert("startLine".to_owned(), line.into());
        if let Some(column) = column {
            region.insert("startColumn".to_owned(), column.into());
        }
        location["region"] = Value::Object(region);
    }
    location
}

/// The finding's facts beyond the message, for tools that read them.
fn properties(finding: &Finding) -> Value {
    let mut bag = Map::new();
    let mut put = |key: &str, value: Value| {
        if !value.is_null() {
            bag.insert(key.to_owned(), value);
        }
    };
    put("module", json!(finding.module));
    put("gatewayVersion", json!(finding.gateway_version));
    put("pluginVersion", json!(finding.plugin_version));
    if !finding.packages.is_empty() {
        put("packages", json!(finding.packages));
    }
    put("why", json!(finding.why));
    if !finding.suggestions.is_empty() {
        put("suggestions", json!(finding.suggestions));
    }
    Value::Object(bag)
}

/// A file path as a URI reference: bytes outside RFC 3986's unreserved and
/// path characters are percent-encoded (a path may hold spaces).
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(super::render(&fixture::report()));
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(super::uri_reference("a b/go.mod"), "a%20b/go.mod");
        assert_eq!(super::uri_reference("/tmp/é"), "/tmp/%C3%A9");
    }
}
