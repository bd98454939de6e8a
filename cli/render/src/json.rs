//! JSON: the report exactly as the contract in
//! book/src/reference/output-formats.md describes it, for scripts and bots.

use serde_json::Value;
use tykdeps_resolver::audit::engine::{Matrix, MatrixCell, OneBuild};
use tykdeps_resolver::audit::{Finding, Report, Verdict};

use super::rule_url;

/// The report as pretty-printed JSON, with a final newline. Each finding
/// also carries its `fingerprint` and, with a docs URL, `help_url` (its
/// rule's page).
pub(super) fn render(report: &Report, docs: Option<&str>) -> String {
    pretty(&value(report, docs), findings(report))
}

/// The matrix as pretty-printed JSON: the overall `verdict`, the `matrix`
/// (one entry per gateway: its `label` as given, then the fields of its
/// report as [`render`] writes them) and `one_build`.
pub(super) fn render_matrix(matrix: &Matrix, docs: Option<&str>) -> String {
    let findings = matrix.cells.iter().map(|c| findings(&c.audit.report)).sum();
    let json = MatrixJson {
        verdict: matrix.verdict,
        matrix: Entries {
            cells: &matrix.cells,
            docs,
        },
        one_build: &matrix.one_build,
    };
    pretty(&json, findings)
}

/// The matrix's JSON document.
#[derive(serde::Serialize)]
struct MatrixJson<'a> {
    verdict: Verdict,
    matrix: Entries<'a>,
    one_build: &'a OneBuild,
}

/// The matrix's entries, each built as a JSON tree only while it is
/// written: a matrix holds thousands of findings, and the trees of all of
/// them at once took tens of megabytes of fresh memory.
struct Entries<'a> {
    cells: &'a [MatrixCell],
    docs: Option<&'a str>,
}

impl serde::Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq as _;
        let mut seq = serializer.serialize_seq(Some(self.cells.len()))?;
        for cell in self.cells {
            let mut entry = serde_json::Map::new();
            entry.insert("label".to_owned(), cell.gateway.clone().into());
            if let Value::Object(fields) = value(&cell.audit.report, self.docs) {
                entry.extend(fields);
            }
            seq.serialize_element(&entry)?;
        }
        seq.end()
    }
}

/// How many findings `report` writes, each twice (flat, and in its plugin).
fn findings(report: &Report) -> usize {
    report.findings.len() * 2
}

/// `value` pretty-printed, into a buffer reserved for `findings` findings
/// at once: a matrix writes megabytes, and growing the buffer by doubling
/// copied it and faulted in fresh pages at every step (reserved pages that
/// are never written cost no memory).
fn pretty(value: &impl serde::Serialize, findings: usize) -> String {
    let mut text = Vec::with_capacity(4096 * (1 + findings));
    serde_json::to_writer_pretty(&mut text, value).expect("a report always serializes");
    text.push(b'\n');
    String::from_utf8(text).expect("serde_json writes UTF-8")
}

/// The report's JSON value, each finding with its extra fields.
fn value(report: &Report, docs: Option<&str>) -> Value {
    let mut value = serde_json::to_value(report).expect("a report always serializes");
    let extras = |finding: &Finding, fingerprint: String| {
        let mut extra = vec![("fingerprint", Value::from(fingerprint))];
        if let Some(url) = rule_url(docs, finding.rule) {
            extra.push(("help_url", url.into()));
        }
        extra
    };
    let flat = report
        .findings
        .iter()
        .zip(report.fingerprints())
        .map(|(f, fp)| extras(f, fp));
    add(&mut value["findings"], flat);
    for (i, plugin) in report.plugins.iter().enumerate() {
        let each = plugin
            .findings
            .iter()
            .map(|f| extras(f, f.fingerprint(Some(plugin.identity()))));
        add(&mut value["plugins"][i]["findings"], each);
    }
    value
}

/// Insert each finding's extra fields into the JSON array of findings.
fn add(findings: &mut Value, extras: impl Iterator<Item = Vec<(&'static str, Value)>>) {
    let Value::Array(findings) = findings else {
        return;
    };
    for (finding, extra) in findings.iter_mut().zip(extras) {
        if let Value::Object(map) = finding {
            for (key, value) in extra {
                map.insert(key.to_owned(), value);
            }
        }
    }
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
        insta::assert_snapshot!(super::render(&fixture::report(), None));
    }

    #[test]
    fn help_url_only_with_a_docs_url() {
        let plain = super::render(&fixture::report(), None);
        assert!(!plain.contains("help_url"), "{plain}");
        let linked: serde_json::Value = serde_json::from_str(&super::render(
            &fixture::report(),
            Some("https://docs.example.org/tykdeps"),
        ))
        .unwrap();
        let url = "https://docs.example.org/tykdeps/rules/version-conflict.html";
        assert_eq!(linked["plugins"][0]["findings"][0]["help_url"], url);
        assert_eq!(linked["findings"][1]["help_url"], url);
    }

    #[test]
    fn every_finding_carries_its_fingerprint_in_both_lists() {
        let report = fixture::report();
        let json: serde_json::Value = serde_json::from_str(&super::render(&report, None)).unwrap();
        let flat: Vec<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(flat, report.fingerprints());
        let conflict = &json["plugins"][0]["findings"][0];
        assert_eq!(conflict["fingerprint"], json["findings"][1]["fingerprint"]);
        assert_eq!(
            conflict["fingerprint"],
            report.plugins[0].findings[0].fingerprint(Some("example.com/plugin"))
        );
    }
}
