//! JSON: the report exactly as the contract in
//! book/src/reference/output-formats.md describes it, for scripts and bots.

use serde_json::Value;
use tykdeps_resolver::audit::Report;

use super::rule_url;

/// The report as pretty-printed JSON, with a final newline. With a docs URL
/// each finding also carries `help_url`, its rule's page.
pub(super) fn render(report: &Report, docs: Option<&str>) -> String {
    let mut value = serde_json::to_value(report).expect("a report always serializes");
    let mut findings: Vec<&mut Value> = Vec::new();
    if let Value::Object(top) = &mut value {
        for (key, field) in top.iter_mut() {
            match (key.as_str(), field) {
                ("findings", Value::Array(list)) => findings.extend(list.iter_mut()),
                ("plugins", Value::Array(plugins)) => {
                    for plugin in plugins {
                        if let Some(Value::Array(list)) = plugin.get_mut("findings") {
                            findings.extend(list.iter_mut());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for finding in findings {
        let rule = finding["rule"]
            .as_str()
            .and_then(tykdeps_resolver::audit::RuleId::from_id);
        if let (Some(url), Value::Object(map)) = (rule.and_then(|r| rule_url(docs, r)), finding) {
            map.insert("help_url".to_owned(), url.into());
        }
    }
    let mut text = serde_json::to_string_pretty(&value).expect("a report always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::super::fixture;

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
}
