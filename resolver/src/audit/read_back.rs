//! Reading a tykdeps JSON report back (the contract in
//! book/src/reference/output-formats.md), for the pull-request comment and
//! its baseline: only what a comment shows, each field checked, so a
//! damaged or foreign file is refused naming the field. Reports are read
//! from files a CI job hands over, so this is fuzzed.

use serde_json::{Map, Value};

use super::{Severity, Verdict};

/// One finding, as much of it as a comment shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Its rule id.
    pub rule: String,
    /// How serious it is.
    pub severity: Severity,
    /// The module it is about.
    pub module: Option<String>,
    /// The gateway's version of that module.
    pub gateway_version: Option<String>,
    /// The plugin's version of that module.
    pub plugin_version: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The go commands of its suggestions, best first.
    pub commands: Vec<String>,
    /// `file:line`, when it points at one.
    pub location: Option<String>,
    /// Its stable fingerprint (hexadecimal).
    pub fingerprint: String,
}

/// A report read back.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The report's verdict.
    pub verdict: Verdict,
    /// Its findings.
    pub findings: Vec<Finding>,
}

impl Loaded {
    /// Reports of several plugin directories as one: their findings, and
    /// the verdict one audit of them all would give. `None` for no report.
    pub fn merge(reports: Vec<Loaded>) -> Option<Loaded> {
        reports.into_iter().reduce(|mut all, next| {
            all.verdict = Verdict::combine([all.verdict, next.verdict]);
            all.findings.extend(next.findings);
            all
        })
    }
}

/// Why a report was refused: the field (`findings[2].severity`; empty for
/// the whole file) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The field.
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "field `{}`: {}", self.field, self.problem)
        }
    }
}

/// Check and read a report's text.
pub fn read(text: &str) -> Result<Loaded, Refused> {
    let value: Value = serde_json::from_str(text).map_err(|e| Refused {
        field: String::new(),
        problem: format!("not JSON ({e}); pass the output of `tykdeps audit --format json`"),
    })?;
    parse(&value).map_err(|(field, problem)| Refused { field, problem })
}

type Problem = (String, String);

fn parse(value: &Value) -> Result<Loaded, Problem> {
    let top = value.as_object().ok_or_else(|| {
        (
            String::new(),
            "not a tykdeps JSON report (expected an object with `verdict` and `findings`)"
                .to_owned(),
        )
    })?;
    let verdict = match string(top, "", "verdict")?.as_str() {
        "loads" => Verdict::Loads,
        "fails" => Verdict::Fails,
        "unknown" => Verdict::Unknown,
        other => {
            return Err((
                "verdict".to_owned(),
                format!("`{other}` is not loads, fails or unknown"),
            ));
        }
    };
    let list = top
        .get("findings")
        .ok_or_else(|| missing("findings"))?
        .as_array()
        .ok_or_else(|| ("findings".to_owned(), "not an array".to_owned()))?;
    let findings = list
        .iter()
        .enumerate()
        .map(|(i, f)| finding(&format!("findings[{i}]"), f))
        .collect::<Result<_, _>>()?;
    Ok(Loaded { verdict, findings })
}

fn missing(field: &str) -> Problem {
    (
        field.to_owned(),
        "missing (not a tykdeps JSON report, or one from another version)".to_owned(),
    )
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

fn string(map: &Map<String, Value>, at: &str, key: &str) -> Result<String, Problem> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err((join(at, key), format!("expected a string, found {other}"))),
        None => Err(missing(&join(at, key))),
    }
}

fn optional(map: &Map<String, Value>, at: &str, key: &str) -> Result<Option<String>, Problem> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(Some(s.clone())),
        None | Some(Value::Null) => Ok(None),
        Some(other) => Err((
            join(at, key),
            format!("expected a string or null, found {other}"),
        )),
    }
}

fn finding(at: &str, value: &Value) -> Result<Finding, Problem> {
    let map = value
        .as_object()
        .ok_or_else(|| (at.to_owned(), "not an object".to_owned()))?;
    let severity = match string(map, at, "severity")?.as_str() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "note" => Severity::Note,
        other => {
            return Err((
                join(at, "severity"),
                format!("`{other}` is not error, warning or note"),
            ));
        }
    };
    let fingerprint = string(map, at, "fingerprint")?;
    if fingerprint.is_empty() || !fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err((
            join(at, "fingerprint"),
            format!("`{fingerprint}` is not a hexadecimal fingerprint"),
        ));
    }
    let mut commands = Vec::new();
    match map.get("suggestions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for (i, s) in list.iter().enumerate() {
                let here = join(at, &format!("suggestions[{i}]"));
                let s = s
                    .as_object()
                    .ok_or_else(|| (here.clone(), "not an object".to_owned()))?;
                commands.extend(optional(s, &here, "go_command")?);
            }
        }
        Some(_) => return Err((join(at, "suggestions"), "not an array".to_owned())),
    }
    let location = match map.get("location") {
        None | Some(Value::Null) => None,
        Some(Value::Object(l)) => {
            let here = join(at, "location");
            let file = string(l, &here, "file")?;
            match l.get("line") {
                Some(Value::Number(n)) if n.as_u64().is_some() => {
                    Some(format!("{file}:{}", n.as_u64().unwrap_or_default()))
                }
                None | Some(Value::Null) => Some(file),
                Some(other) => {
                    return Err((
                        join(&here, "line"),
                        format!("expected a line number or null, found {other}"),
                    ));
                }
            }
        }
        Some(_) => return Err((join(at, "location"), "not an object or null".to_owned())),
    };
    Ok(Finding {
        rule: string(map, at, "rule")?,
        severity,
        module: optional(map, at, "module")?,
        gateway_version: optional(map, at, "gateway_version")?,
        plugin_version: optional(map, at, "plugin_version")?,
        message: string(map, at, "message")?,
        commands,
        location,
        fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn problem(value: &serde_json::Value) -> (String, String) {
        super::parse(value).expect_err("refused")
    }

    #[test]
    fn damaged_reports_name_the_field() {
        let good = json!({"rule": "deprecated", "severity": "warning", "module": null,
            "gateway_version": null, "plugin_version": null, "message": "m",
            "suggestions": [], "location": null, "fingerprint": "ab12"});
        assert!(super::parse(&json!({"verdict": "loads", "findings": [good]})).is_ok());
        assert_eq!(problem(&json!([])).0, "");
        assert_eq!(problem(&json!({"findings": []})).0, "verdict");
        assert_eq!(
            problem(&json!({"verdict": "fine", "findings": []})).0,
            "verdict"
        );
        assert_eq!(problem(&json!({"verdict": "loads"})).0, "findings");
        let mut bad = good.clone();
        bad["severity"] = "fatal".into();
        assert_eq!(
            problem(&json!({"verdict": "loads", "findings": [good, bad]})).0,
            "findings[1].severity"
        );
        let mut bad = good.clone();
        bad.as_object_mut().unwrap().remove("fingerprint");
        assert_eq!(
            problem(&json!({"verdict": "loads", "findings": [bad]})).0,
            "findings[0].fingerprint"
        );
        let mut bad = good.clone();
        bad["suggestions"] = json!([{"go_command": 3}]);
        assert_eq!(
            problem(&json!({"verdict": "loads", "findings": [bad]})).0,
            "findings[0].suggestions[0].go_command"
        );
        let mut bad = good;
        bad["location"] = json!({"file": "go.mod", "line": "7"});
        assert_eq!(
            problem(&json!({"verdict": "loads", "findings": [bad]})).0,
            "findings[0].location.line"
        );
    }
}
