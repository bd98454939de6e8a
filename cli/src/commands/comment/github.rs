//! Posting the comment through GitHub's REST API: one comment per pull
//! request, found by its marker across every page of the comments
//! and updated in place, else created. The token goes only into the
//! `Authorization` header; every message is scrubbed of it all the same.

use std::time::Duration;

use miette::miette;
use reqwest::{Method, StatusCode, header};
use serde_json::Value;

use crate::exit::CommandError;
use crate::exit::ExitStatus;
use tykdeps_render::comment::MARKER;

/// Where the comment goes.
pub(crate) struct Target {
    /// `GITHUB_API_URL`, without a trailing `/`.
    pub(crate) api: String,
    /// `owner/name`.
    pub(crate) repository: String,
    /// The pull request (an issue, to the comments API).
    pub(crate) number: u64,
    pub(crate) token: String,
}

/// What was done.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Posted {
    Created { id: u64, url: String },
    Updated { id: u64, url: String },
}

/// Pages of comments followed at most (100 comments each).
const MAX_PAGES: usize = 100;

/// Create or update tykdeps' comment on the pull request.
pub(crate) async fn post(target: &Target, body: &str) -> Result<Posted, CommandError> {
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("tykdeps/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| could_not(target, &format!("cannot build the HTTP client: {e}")))?;
    let api = Api { client, target };
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
}

impl Api<'_> {
    /// The id of the first comment carrying the marker, searching every page.
    async fn find(&self) -> Result<Option<u64>, CommandError> {
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
                    .is_some_and(|b| b.trim_start().starts_with(MARKER))
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
    ) -> Result<(header::HeaderMap, Value), CommandError> {
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

/// Exit 3 with `message`, never showing the token.
fn could_not(target: &Target, message: &str) -> CommandError {
    let message = if target.token.is_empty() {
        message.to_owned()
    } else {
        message.replace(&target.token, "***")
    };
    CommandError::new(
        ExitStatus::CouldNotCheck,
        miette!(
            code = "tykdeps::github",
            "could not post the comment on {}#{}: {message}",
            target.repository,
            target.number
        ),
    )
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
