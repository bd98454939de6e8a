//! `tykdeps comment` without `--dry-run`, against a fake GitHub API on
//! 127.0.0.1: the first run creates the comment, the next updates the same
//! one (found across pages of comments), the token is sent only in the
//! Authorization header, and every refusal exits 3 naming its cause.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;

use crate::support::github_api::{FakeGitHub, PR, REPOSITORY, Refusal};

const TOKEN: &str = "ghs_tykdepsTestToken0123456789";

struct Setup {
    _rt: tokio::runtime::Runtime,
    api: FakeGitHub,
    dir: tempfile::TempDir,
    report: PathBuf,
    event: PathBuf,
}

fn setup(per_page: usize) -> Setup {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let api = rt.block_on(FakeGitHub::start(per_page));
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let finding = json!({"rule": "version-conflict", "severity": "error",
        "module": "example.com/shared", "gateway_version": "v1.2.0", "plugin_version": "v1.3.0",
        "packages": [], "message": "the plugin builds example.com/shared v1.3.0", "why": "",
        "suggestions": [{"kind": "pin-version", "description": "pin",
            "go_command": "go mod edit -require=example.com/shared@v1.2.0", "edit": null}],
        "location": {"file": "go.mod", "line": 7, "column": 2},
        "fingerprint": "0123abcd"});
    std::fs::write(
        &report,
        json!({"verdict": "fails", "findings": [finding]}).to_string(),
    )
    .unwrap();
    let event = dir.path().join("event.json");
    std::fs::write(&event, json!({"pull_request": {"number": PR}}).to_string()).unwrap();
    Setup {
        _rt: rt,
        api,
        dir,
        report,
        event,
    }
}

impl Setup {
    fn run(&self, extra: &[&str]) -> Output {
        self.run_with(extra, Some(&self.event))
    }

    fn run_with(&self, extra: &[&str], event: Option<&Path>) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tykdeps"));
        command
            .arg("comment")
            .arg(&self.report)
            .args(extra)
            .current_dir(self.dir.path())
            .env("GITHUB_TOKEN", TOKEN)
            .env("GITHUB_REPOSITORY", REPOSITORY)
            .env("GITHUB_API_URL", &self.api.url)
            .env_remove("GITHUB_RUN_ID")
            .env_remove("GITHUB_EVENT_PATH");
        if let Some(event) = event {
            command.env("GITHUB_EVENT_PATH", event);
        }
        command.output().expect("tykdeps runs")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_token(out: &Output) {
    assert!(!text(&out.stdout).contains(TOKEN), "token in stdout");
    assert!(!text(&out.stderr).contains(TOKEN), "token in stderr");
}

#[test]
fn the_first_run_creates_and_the_next_updates_the_same_comment_across_pages() {
    let s = setup(2);
    for i in 0..5 {
        s.api.seed(&format!("a reviewer's comment {i}"));
    }
    let first = s.run(&["--fail-on", "none"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert_no_token(&first);
    let list = format!("/repos/{REPOSITORY}/issues/{PR}/comments");
    let requests = s.api.requests();
    let calls: Vec<(String, String)> = requests
        .iter()
        .map(|r| (r.method.clone(), r.target.clone()))
        .collect();
    assert_eq!(
        calls,
        [
            ("GET".to_owned(), format!("{list}?per_page=100")),
            ("GET".to_owned(), format!("{list}?per_page=100&page=2")),
            ("GET".to_owned(), format!("{list}?per_page=100&page=3")),
            ("POST".to_owned(), list.clone()),
        ]
    );
    let comments = s.api.comments();
    assert_eq!(comments.len(), 6);
    let (id, body) = comments.last().unwrap().clone();
    assert!(body.starts_with("<!-- tykdeps-comment -->\n"), "{body}");
    assert!(body.contains("version-conflict"), "{body}");
    assert!(
        text(&first.stdout).contains(&format!("created comment {id}")),
        "{}",
        text(&first.stdout)
    );

    // Again, with another pull-request number source (--pr) and exit 1 for the new error.
    let second = s.run_with(&["--pr", &PR.to_string()], None);
    assert_eq!(second.status.code(), Some(1), "{}", text(&second.stderr));
    assert_no_token(&second);
    let requests = s.api.requests();
    let again: Vec<(String, String)> = requests[4..]
        .iter()
        .map(|r| (r.method.clone(), r.target.clone()))
        .collect();
    assert_eq!(
        again,
        [
            ("GET".to_owned(), format!("{list}?per_page=100")),
            ("GET".to_owned(), format!("{list}?per_page=100&page=2")),
            ("GET".to_owned(), format!("{list}?per_page=100&page=3")),
            (
                "PATCH".to_owned(),
                format!("/repos/{REPOSITORY}/issues/comments/{id}")
            ),
        ]
    );
    assert_eq!(s.api.comments().len(), 6, "one comment per pull request");
    assert!(text(&second.stdout).contains(&format!("updated comment {id}")));

    // The token is in the Authorization header of every request, and nowhere else.
    for r in &requests {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {TOKEN}")),
            "{r:?}"
        );
        let elsewhere = r
            .headers
            .iter()
            .filter(|h| !h.to_ascii_lowercase().starts_with("authorization:"))
            .any(|h| h.contains(TOKEN));
        assert!(
            !elsewhere && !r.target.contains(TOKEN) && !r.body.contains(TOKEN),
            "{r:?}"
        );
        assert_eq!(
            r.header("accept").as_deref(),
            Some("application/vnd.github+json")
        );
        assert!(
            r.header("user-agent")
                .is_some_and(|u| u.starts_with("tykdeps/"))
        );
    }
}

#[test]
fn every_refusal_exits_3_with_its_cause_and_never_the_token() {
    let rate = |status: u16, headers: &[(&str, &str)]| Refusal {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        message: "API rate limit exceeded".to_owned(),
    };
    let plain = |status: u16, message: &str| Refusal {
        status,
        headers: Vec::new(),
        message: format!("{message} (token {TOKEN})"),
    };
    let cases = [
        (plain(401, "Bad credentials"), "the token was refused"),
        (
            plain(403, "Resource not accessible by integration"),
            "pull-requests: write",
        ),
        (plain(404, "Not Found"), "was not found"),
        (plain(422, "Validation Failed"), "refused the comment"),
        (plain(500, "Server Error"), "GitHub is failing"),
        (plain(502, "Bad Gateway"), "GitHub is failing"),
        (
            rate(
                403,
                &[
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "1798761600"),
                ],
            ),
            "rate limited",
        ),
        (rate(429, &[("retry-after", "60")]), "retry after 60 s"),
    ];
    let s = setup(100);
    for (refusal, cause) in cases {
        let status = refusal.status;
        s.api.refuse_next(refusal);
        let out = s.run(&["--fail-on", "none"]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{status}: {stderr}");
        assert!(stderr.contains(cause), "{status}: {cause} in {stderr}");
        assert!(stderr.contains(&status.to_string()), "{stderr}");
        assert_no_token(&out);
    }
    // A refused update is refused too (the list answered, the PATCH not).
    let id = s.api.seed("<!-- tykdeps-comment -->\nold");
    let out = s.run(&["--fail-on", "none"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(s.api.comments().iter().filter(|(i, _)| *i == id).count(), 1);
    assert!(s.api.comments().iter().all(|(_, b)| !b.ends_with("\nold")));
    assert_eq!(s.api.comments().len(), 1, "updated, not added");
}

#[test]
fn nothing_to_post_to_exits_2_naming_what_is_missing() {
    let s = setup(100);
    let out = s.run_with(&[], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--pr N"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(&s.event, json!({"issue": {"number": 3}}).to_string()).unwrap();
    let out = s.run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("pull_request.number"));
    let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
        .arg("comment")
        .arg(&s.report)
        .args(["--pr", "7"])
        .env_remove("GITHUB_TOKEN")
        .env("GITHUB_REPOSITORY", REPOSITORY)
        .env("GITHUB_API_URL", &s.api.url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("GITHUB_TOKEN is not set"));
    assert!(s.api.requests().is_empty(), "nothing was sent");
}
