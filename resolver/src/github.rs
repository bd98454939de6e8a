//! Posting the pull-request comment through GitHub's REST API: one comment per pull
//! request, found by its marker across every page of the comments
//! and updated in place, else created. The token goes only into the
//! `Authorization` header; every message is scrubbed of it all the same.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::{Method, StatusCode, header};
use serde_json::Value;

/// What GitHub Actions tells a job about itself (its `GITHUB_*` variables,
/// read by the front end); the token is kept only to be sent in the
/// `Authorization` header.
#[derive(Clone, Default)]
pub struct Env {
    /// `GITHUB_TOKEN`.
    pub token: Option<String>,
    /// `GITHUB_REPOSITORY`: `owner/name`.
    pub repository: Option<String>,
    /// `GITHUB_API_URL` (default `https://api.github.com`).
    pub api_url: String,
    /// `GITHUB_EVENT_PATH`: the event's JSON, which names the pull request.
    pub event_path: Option<PathBuf>,
    /// The run's page (`GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID`),
    /// whose job summary holds the whole report.
    pub run_url: Option<String>,
    /// `GITHUB_WORKSPACE`: the checkout, when git cannot say where it is.
    pub workspace: Option<PathBuf>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHub")
            .field("token", &self.token.as_ref().map(|_| "(set)"))
            .field("repository", &self.repository)
            .field("api_url", &self.api_url)
            .field("event_path", &self.event_path)
            .field("run_url", &self.run_url)
            .field("workspace", &self.workspace)
            .finish()
    }
}

/// Where to post: the repository, the pull request (`pr`, else the event
/// file's) and the token, from what the job was told; what is missing is named.
pub fn target(pr: Option<u64>, github: &Env) -> Result<Target, String> {
    let token = github
        .token
        .clone()
        .ok_or("GITHUB_TOKEN is not set (or use --dry-run to print the comment)")?;
    let repository = github
        .repository
        .clone()
        .filter(|r| {
            r.split_once('/')
                .is_some_and(|(o, n)| !o.is_empty() && !n.is_empty() && !n.contains('/'))
        })
        .ok_or("GITHUB_REPOSITORY is not set to owner/name")?;
    let number = match pr {
        Some(n) => n,
        None => event_number(github.event_path.as_deref())?,
    };
    Ok(Target {
        api: github.api_url.clone(),
        repository,
        number,
        token,
    })
}

/// `.pull_request.number` of the event file GitHub Actions names.
fn event_number(path: Option<&std::path::Path>) -> Result<u64, String> {
    let path = path.ok_or(
        "no pull request: pass --pr N, or run on a pull_request event (GITHUB_EVENT_PATH)",
    )?;
    let name = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the event file {name}: {e}"))?;
    let event: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("the event file {name} is not JSON: {e}"))?;
    event["pull_request"]["number"].as_u64().ok_or_else(|| {
        format!(
            "the event file {name} has no `pull_request.number`: not a pull_request event; pass --pr N"
        )
    })
}

/// Where the comment goes.
pub struct Target {
    /// `GITHUB_API_URL`, without a trailing `/`.
    pub api: String,
    /// `owner/name`.
    pub repository: String,
    /// The pull request (an issue, to the comments API).
    pub number: u64,
    /// `GITHUB_TOKEN`.
    pub token: String,
}

/// What was done.
#[derive(Debug, PartialEq, Eq)]
pub enum Posted {
    /// A new comment, `id` at `url`.
    Created {
        /// The comment's id.
        id: u64,
        /// Its page.
        url: String,
    },
    /// The existing comment, replaced.
    Updated {
        /// The comment's id.
        id: u64,
        /// Its page.
        url: String,
    },
}

/// Pages of comments followed at most (100 comments each).
const MAX_PAGES: usize = 100;

/// Create or update tykdeps' comment on the pull request: the one whose
/// body starts with `marker`.
pub async fn post(target: &Target, body: &str, marker: &str) -> Result<Posted, PostError> {
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("tykdeps/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| could_not(target, &format!("cannot build the HTTP client: {e}")))?;
    let api = Api {
        client,
        target,
        marker,
    };
    let payload = serde_json::json!({ "body": body });
    if let Some(id) = api.find().await? {
        let url = format!(
            "{}/repos/{}/issues/comments/{id}",
            target.api, target.repository
        );
        let answer = api.send(Method::PATCH, &url, Some(&payload)).await?.1;
        return Ok(Posted::Updated {
            id,
            url: html_url(&answer),
        });
    }
    let url = format!(
        "{}/repos/{}/issues/{}/comments",
        target.api, target.repository, target.number
    );
    let answer = api.send(Method::POST, &url, Some(&payload)).await?.1;
    let id = answer["id"].as_u64().unwrap_or_default();
    Ok(Posted::Created {
        id,
        url: html_url(&answer),
    })
}

fn html_url(answer: &Value) -> String {
    answer["html_url"].as_str().unwrap_or_default().to_owned()
}

struct Api<'a> {
    client: reqwest::Client,
    target: &'a Target,
    marker: &'a str,
}

impl Api<'_> {
    /// The id of the first comment carrying the marker, searching every page.
    async fn find(&self) -> Result<Option<u64>, PostError> {
        let t = self.target;
        let mut next = Some(format!(
            "{}/repos/{}/issues/{}/comments?per_page=100",
            t.api, t.repository, t.number
        ));
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(could_not(
                    t,
                    &format!("more than {MAX_PAGES} pages of comments"),
                ));
            }
            let (headers, answer) = self.send(Method::GET, &url, None).await?;
            let comments = answer.as_array().ok_or_else(|| {
                could_not(
                    t,
                    &format!("GET {url}: the answer is not a list of comments"),
                )
            })?;
            let found = comments.iter().find(|c| {
                c["body"]
                    .as_str()
                    .is_some_and(|b| b.trim_start().starts_with(self.marker))
            });
            if let Some(comment) = found {
                return comment["id"].as_u64().map(Some).ok_or_else(|| {
                    could_not(t, &format!("GET {url}: the marked comment has no id"))
                });
            }
            next = headers
                .get_all(header::LINK)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(next_link);
        }
        Ok(None)
    }

    /// One request; a status other than 2xx is the failure GitHub's answer
    /// explains.
    async fn send(
        &self,
        method: Method,
        url: &str,
        payload: Option<&Value>,
    ) -> Result<(header::HeaderMap, Value), PostError> {
        let t = self.target;
        let mut request = self
            .client
            .request(method.clone(), url)
            .bearer_auth(&t.token)
            .header(header::ACCEPT, "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28");
        if let Some(payload) = payload {
            request = request
                .header(header::CONTENT_TYPE, "application/json")
                .body(serde_json::to_vec(payload).expect("JSON serializes"));
        }
        let response = request
            .send()
            .await
            .map_err(|e| could_not(t, &format!("{method} {url}: {}", chain(&e))))?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| could_not(t, &format!("{method} {url}: {}", chain(&e))))?;
        let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if status.is_success() {
            return Ok((headers, answer));
        }
        let said = answer["message"]
            .as_str()
            .map_or_else(String::new, |m| format!(": GitHub says \"{m}\""));
        let cause = refusal(status, &headers, &t.repository, t.number);
        Err(could_not(
            t,
            &format!("{method} {url}: {status}{said}; {cause}"),
        ))
    }
}

/// What a refused request means, for the person reading the CI log.
fn refusal(status: StatusCode, headers: &header::HeaderMap, repository: &str, n: u64) -> String {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let limited = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN
            && (header("x-ratelimit-remaining") == Some("0") || header("retry-after").is_some()));
    if limited {
        let when = header("retry-after")
            .map(|s| format!("retry after {s} s"))
            .or_else(|| {
                header("x-ratelimit-reset").map(|r| format!("the limit resets at {r} (Unix time)"))
            })
            .unwrap_or_else(|| "retry later".to_owned());
        return format!("rate limited by GitHub; {when}");
    }
    match status.as_u16() {
        401 => "the token was refused: GITHUB_TOKEN is missing, expired or wrong".to_owned(),
        403 => "the token may not comment here: give the job `permissions: pull-requests: write` (or issues: write)".to_owned(),
        404 => format!("{repository} or its pull request #{n} was not found, or the token cannot see it"),
        422 => "GitHub refused the comment's content".to_owned(),
        500..=599 => "GitHub is failing; try again later".to_owned(),
        _ => "unexpected answer".to_owned(),
    }
}

/// The `rel="next"` URL of a `Link` header.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        params
            .split(';')
            .any(|p| {
                let p = p.trim().replace(' ', "");
                p == "rel=\"next\"" || p == "rel=next"
            })
            .then(|| url.to_owned())
    })
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Why the comment could not be posted; it never shows the token.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("could not post the comment on {repository}#{number}: {message}")]
#[diagnostic(code(tykdeps::github))]
pub struct PostError {
    repository: String,
    number: u64,
    message: String,
}

/// `message` about `target`, the token scrubbed.
fn could_not(target: &Target, message: &str) -> PostError {
    let message = if target.token.is_empty() {
        message.to_owned()
    } else {
        message.replace(&target.token, "***")
    };
    PostError {
        repository: target.repository.clone(),
        number: target.number,
        message,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_next_page_is_read_from_the_link_header() {
        let link = "<https://api.github.com/repositories/1/issues/2/comments?page=2>; rel=\"next\", <https://api.github.com/repositories/1/issues/2/comments?page=5>; rel=\"last\"";
        assert_eq!(
            super::next_link(link).as_deref(),
            Some("https://api.github.com/repositories/1/issues/2/comments?page=2")
        );
        let last = "<https://x/c?page=1>; rel=\"prev\", <https://x/c?page=1>; rel=\"first\"";
        assert_eq!(super::next_link(last), None);
    }
}
