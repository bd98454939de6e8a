//! A fake of the GitHub REST endpoints `tykdeps comment` uses, on
//! 127.0.0.1: an issue's comments (listed a few per page, with `Link:
//! rel="next"`), creating and updating one. Every request is recorded
//! (method, target, headers, body), and the next requests can be answered
//! with an error status instead.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// Every header line, as sent (`name: value`).
    pub headers: Vec<String>,
    pub body: String,
}

impl Request {
    /// The value of header `name` (case-insensitive), if sent.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find_map(|h| {
            let (n, v) = h.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// An answer forced onto the next request: status, extra headers, message.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub message: String,
}

#[derive(Default)]
struct State {
    /// (id, body) of the issue's comments, oldest first.
    comments: Vec<(u64, String)>,
    next_id: u64,
    per_page: usize,
    refusals: VecDeque<Refusal>,
    requests: Vec<Request>,
}

/// A running fake API for repository `o/r`, pull request 7.
#[derive(Clone)]
pub struct FakeGitHub {
    /// `http://127.0.0.1:<port>`: the `GITHUB_API_URL`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

/// The repository and pull request the fake serves.
pub const REPOSITORY: &str = "o/r";
pub const PR: u64 = 7;

impl FakeGitHub {
    /// Start serving, `per_page` comments per page.
    pub async fn start(per_page: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let state = Arc::new(Mutex::new(State {
            next_id: 1000,
            per_page,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let base = url.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&shared), base.clone()));
            }
        });
        Self { url, state }
    }

    /// Add a comment someone else wrote.
    pub fn seed(&self, body: &str) -> u64 {
        let mut state = self.state.lock().unwrap();
        state.next_id += 1;
        let id = state.next_id;
        state.comments.push((id, body.to_owned()));
        id
    }

    /// Answer the next request with this refusal.
    pub fn refuse_next(&self, refusal: Refusal) {
        self.state.lock().unwrap().refusals.push_back(refusal);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn comments(&self) -> Vec<(u64, String)> {
        self.state.lock().unwrap().comments.clone()
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>, base: String) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let (status, headers, body) = answer(&state, &request, &base);
    let mut response = format!(
        "HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        let _ = write!(response, "{name}: {value}\r\n");
    }
    response.push_str("\r\n");
    response.push_str(&body);
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn answer(
    state: &Mutex<State>,
    request: &Request,
    base: &str,
) -> (u16, Vec<(String, String)>, String) {
    let mut state = state.lock().unwrap();
    state.requests.push(request.clone());
    if let Some(refusal) = state.refusals.pop_front() {
        let body = json!({ "message": refusal.message }).to_string();
        return (refusal.status, refusal.headers, body);
    }
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    let list = format!("/repos/{REPOSITORY}/issues/{PR}/comments");
    let comment = |id: u64, body: &str| json!({ "id": id, "body": body, "html_url": format!("https://github.example/{REPOSITORY}/pull/{PR}#issuecomment-{id}") });
    match (request.method.as_str(), path) {
        ("GET", p) if p == list => {
            let page: usize = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("page="))
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let per = state.per_page;
            let items: Vec<Value> = state
                .comments
                .iter()
                .skip((page - 1) * per)
                .take(per)
                .map(|(id, body)| comment(*id, body))
                .collect();
            let mut headers = Vec::new();
            if page * per < state.comments.len() {
                headers.push((
                    "Link".to_owned(),
                    format!(
                        "<{base}{list}?per_page=100&page={}>; rel=\"next\", <{base}{list}?per_page=100&page=1>; rel=\"first\"",
                        page + 1
                    ),
                ));
            }
            (200, headers, Value::Array(items).to_string())
        }
        ("POST", p) if p == list => {
            let body: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
            let Some(text) = body["body"].as_str() else {
                return (
                    422,
                    Vec::new(),
                    json!({"message": "body is missing"}).to_string(),
                );
            };
            state.next_id += 1;
            let id = state.next_id;
            state.comments.push((id, text.to_owned()));
            (201, Vec::new(), comment(id, text).to_string())
        }
        ("PATCH", p) if p.starts_with(&format!("/repos/{REPOSITORY}/issues/comments/")) => {
            let id: u64 = p
                .rsplit('/')
                .next()
                .and_then(|i| i.parse().ok())
                .unwrap_or(0);
            let body: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
            let text = body["body"].as_str().unwrap_or_default().to_owned();
            match state.comments.iter_mut().find(|(i, _)| *i == id) {
                Some(entry) => {
                    entry.1.clone_from(&text);
                    (200, Vec::new(), comment(id, &text).to_string())
                }
                None => (404, Vec::new(), json!({"message": "Not Found"}).to_string()),
            }
        }
        _ => (404, Vec::new(), json!({"message": "Not Found"}).to_string()),
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<String> = lines.filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let length: usize = headers
        .iter()
        .find_map(|h| {
            let (n, v) = h.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..head_end + length]).into_owned();
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}
