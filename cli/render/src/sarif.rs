//! SARIF 2.1.0: the format code-scanning services (GitHub, GitLab, Azure)
//! ingest, so findings show up as annotations on the go.mod line in a pull
//! request. Only the subset those services read is written: the rules (with
//! their pages), and results with level, message and location.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};
use tykdeps_resolver::audit::engine::Matrix;
use tykdeps_resolver::audit::{FINGERPRINT_VERSION, Finding, Report, RuleId, Severity};

use super::{rule_url, verdict_word};

/// The report as a SARIF 2.1.0 log with one run.
pub(super) fn render(report: &Report, docs: Option<&str>) -> String {
    let gateway_dir = report.gateway.dir.as_deref();
    let results: Vec<Value> = report
        .gateway_findings()
        .iter()
        .map(|f| result(f, gateway_dir, &f.fingerprint(None)))
        .chain(report.plugins.iter().flat_map(|p| {
            p.findings
                .iter()
                .map(|f| result(f, Some(&p.dir), &f.fingerprint(Some(p.identity()))))
        }))
        .collect();
    let mut log = log(&results, docs);
    log["runs"][0]["properties"] = json!({
        "verdict": verdict_word(report.verdict),
        "mode": report.mode,
    });
    if let Some(build) = &report.assumed_build {
        log["runs"][0]["properties"]["assumedBuild"] = json!(build);
    }
    let gateway = &report.gateway;
    for (key, value) in [
        ("gatewayModule", json!(gateway.module)),
        ("gatewayVersion", json!(gateway.shown_version())),
        ("gatewayCommit", json!(gateway.commit)),
        ("gatewayCommitTime", json!(gateway.commit_time)),
        ("gatewayModified", json!(gateway.modified)),
    ] {
        if !value.is_null() {
            log["runs"][0]["properties"][key] = value;
        }
    }
    text(&log)
}

/// The matrix as one SARIF run: every gateway's results, each naming its
/// gateway in the message (`[gateway v5.3.6] ...`) and in its properties
/// (`gateway`); its fingerprint counts the gateway in, so the same finding
/// against two gateways stays two results. The run's properties carry the
/// overall verdict, each gateway's, and `oneBuild`.
pub(super) fn render_matrix(matrix: &Matrix, docs: Option<&str>) -> String {
    let mut results = Vec::new();
    for cell in &matrix.cells {
        let report = &cell.audit.report;
        let label = cell.gateway.as_str();
        let mut add = |f: &Finding, fallback: Option<&str>, plugin: Option<&str>| {
            let of = format!("{} @ gateway {label}", plugin.unwrap_or("gateway"));
            let mut result = result(f, fallback, &f.fingerprint(Some(&of)));
            result["message"]["text"] = format!("[gateway {label}] {}", f.message).into();
            result["properties"]["gateway"] = label.into();
            results.push(result);
        };
        for f in report.gateway_findings() {
            add(f, report.gateway.dir.as_deref(), None);
        }
        for p in &report.plugins {
            for f in &p.findings {
                add(f, Some(&p.dir), Some(p.identity()));
            }
        }
    }
    let mut log = log(&results, docs);
    let gateways: Vec<Value> = matrix
        .cells
        .iter()
        .map(|c| {
            json!({
                "gateway": c.gateway,
                "verdict": verdict_word(c.audit.report.verdict),
                "gatewayVersion": c.audit.report.gateway.shown_version(),
            })
        })
        .collect();
    log["runs"][0]["properties"] = json!({
        "verdict": verdict_word(matrix.verdict),
        "gateways": gateways,
        "oneBuild": matrix.one_build,
    });
    text(&log)
}

/// A SARIF 2.1.0 log of one run with every rule and `results`.
fn log(results: &[Value], docs: Option<&str>) -> Value {
    let rules: Vec<Value> = RuleId::ALL
        .iter()
        .map(|&rule| {
            let mut descriptor = json!({
                "id": rule.id(),
                "shortDescription": { "text": rule.description() },
            });
            if let Some(url) = rule_url(docs, rule) {
                descriptor["helpUri"] = url.into();
            }
            descriptor
        })
        .collect();
    let mut log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tykdeps",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    if let Some(docs) = docs {
        log["runs"][0]["tool"]["driver"]["informationUri"] = docs.into();
    }
    log
}

fn text(log: &Value) -> String {
    let mut text = serde_json::to_string_pretty(log).expect("a SARIF log always serializes");
    text.push('\n');
    text
}

/// One result. A finding without a file location is placed on the file or
/// directory it is about (`fallback`), since code-scanning services drop
/// results without a location.
fn result(finding: &Finding, fallback: Option<&str>, fingerprint: &str) -> Value {
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
        "partialFingerprints": { FINGERPRINT_VERSION: fingerprint },
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
    fn matrix_snapshot() {
        insta::assert_snapshot!(super::render_matrix(&fixture::matrix(), None));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(super::render(
            &fixture::report(),
            Some("https://docs.example.org/tykdeps")
        ));
    }

    #[test]
    fn help_uri_only_with_a_docs_url() {
        let plain: serde_json::Value =
            serde_json::from_str(&super::render(&fixture::report(), None)).unwrap();
        let driver = &plain["runs"][0]["tool"]["driver"];
        assert!(driver.get("informationUri").is_none());
        assert!(driver["rules"][0].get("helpUri").is_none());
        let linked: serde_json::Value = serde_json::from_str(&super::render(
            &fixture::report(),
            Some("https://docs.example.org/tykdeps"),
        ))
        .unwrap();
        let driver = &linked["runs"][0]["tool"]["driver"];
        assert_eq!(driver["informationUri"], "https://docs.example.org/tykdeps");
        assert_eq!(
            driver["rules"][0]["helpUri"],
            "https://docs.example.org/tykdeps/rules/no-go-mod.html"
        );
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(super::uri_reference("a b/go.mod"), "a%20b/go.mod");
        assert_eq!(super::uri_reference("/tmp/é"), "/tmp/%C3%A9");
    }
}

/// The output checked against the official SARIF 2.1.0 JSON schema, read
/// from the `serde-sarif` package (a dev-dependency for exactly this).
#[cfg(test)]
mod schema {
    use std::path::PathBuf;
    use std::process::Command;

    use serde_json::Value;

    use super::super::fixture;

    fn schema_path() -> PathBuf {
        let out = Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1", "--manifest-path"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .output()
            .expect("cargo metadata runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let metadata: Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
        let manifest = metadata["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .find(|p| p["name"] == "serde-sarif")
            .and_then(|p| p["manifest_path"].as_str())
            .expect("serde-sarif is a dev-dependency");
        PathBuf::from(manifest).with_file_name("src/schema.json")
    }

    fn validate(log: &Value) -> Vec<String> {
        let path = schema_path();
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut schema: Value = serde_json::from_str(&text).expect("schema JSON");
        assert_eq!(
            schema["title"],
            "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
        );
        // The validator first checks the schema against the draft-07
        // meta-schema, and the `language` pattern of the official file has a
        // stray `]`, a literal only in ECMA-262's lenient Annex B syntax,
        // which the validator's strict check refuses. It is escaped (same
        // meaning) after checking it is the known one; tykdeps never writes
        // `language`.
        let repaired = escape_stray_bracket(&mut schema);
        assert_eq!(repaired, 2, "run.language and toolComponent.language");
        // Formats (uri, uri-reference, ...) are asserted too.
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the schema compiles");
        validator
            .iter_errors(log)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    }

    fn escape_stray_bracket(schema: &mut Value) -> usize {
        const STRAY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match schema {
            Value::String(s) if s == STRAY => {
                *s = STRAY.replace("}]", "}\\]");
                1
            }
            Value::Array(items) => items.iter_mut().map(escape_stray_bracket).sum(),
            Value::Object(map) => map.values_mut().map(escape_stray_bracket).sum(),
            _ => 0,
        }
    }

    #[test]
    #[expect(clippy::print_stdout, reason = "the test reports what it validated")]
    fn output_is_valid_sarif_2_1_0() {
        let mut report = fixture::report();
        let log: Value = serde_json::from_str(&super::render(
            &report,
            Some("https://docs.example.org/tykdeps"),
        ))
        .expect("SARIF is JSON");
        assert_eq!(validate(&log), Vec::<String>::new());
        let results = log["runs"][0]["results"].as_array().unwrap().len();
        report.plugins.clear();
        report.findings.clear();
        let empty: Value = serde_json::from_str(&super::render(&report, None)).unwrap();
        assert_eq!(validate(&empty), Vec::<String>::new());
        println!("SARIF: 2/2 logs valid against the 2.1.0 schema ({results} results)");
    }

    #[test]
    fn the_schema_catches_a_broken_log() {
        let mut log: Value = serde_json::from_str(&super::render(
            &fixture::report(),
            Some("https://docs.example.org/tykdeps"),
        ))
        .unwrap();
        log["runs"][0]["results"][0]["level"] = "fatal".into();
        log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            0.into();
        log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "not a uri".into();
        log["runs"][0]["tool"]["driver"]["rules"][1]["unknownKey"] = true.into();
        assert_eq!(validate(&log).len(), 4, "{:?}", validate(&log));
    }
}
