//! A tiny GOPROXY for tests, on 127.0.0.1: serves an in-memory tree, logs
//! every request target, and misbehaves on demand (status codes, a connection
//! that never answers, a body shorter than its Content-Length, other bytes).
//!
//! It runs on the test's tokio runtime and stops with it; each connection
//! answers one request and closes, so nothing outlives the test.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the server answers one request for a path.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this status and a short text body.
    Status(u16),
    /// Accept the request and never answer.
    Hang,
    /// Promise more bytes than are sent, then close.
    Truncate,
    /// Serve these bytes instead of the file.
    Body(Vec<u8>),
    /// Close the connection without answering.
    Reset,
    /// Serve the file (or 404) a few bytes at a time, slowly.
    Drip,
}

#[derive(Default)]
struct State {
    files: BTreeMap<String, Vec<u8>>,
    faults: BTreeMap<String, VecDeque<Fault>>,
    always: BTreeMap<String, Fault>,
    log: Vec<String>,
    authorizations: Vec<String>,
}

/// A running test proxy.
#[derive(Clone)]
pub struct TestProxy {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl TestProxy {
    /// Start serving on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("bound address"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
        });
        Self { url, state }
    }

    /// Serve `body` at `/<path>` (`example.com/m/@v/v1.0.0.mod`).
    pub fn file(&self, path: &str, body: impl Into<Vec<u8>>) -> &Self {
        self.state
            .lock()
            .unwrap()
            .files
            .insert(format!("/{path}"), body.into());
        self
    }

    /// Serve every file below `dir` at its path relative to `dir` (a
    /// `file://` proxy's tree served over HTTP).
    pub fn serve_dir(&self, dir: &std::path::Path) -> &Self {
        for file in super::files_where(dir, &|_| true) {
            let relative = file.strip_prefix(dir).expect("found below dir");
            let body = std::fs::read(&file).expect("a proxy file is readable");
            self.file(&relative.to_string_lossy(), body);
        }
        self
    }

    /// Serve a module version: `.info`, `.mod` and a `list` entry.
    pub fn module(&self, path: &str, version: &str, go_mod: &str) -> &Self {
        self.module_escaped(path, version, version, go_mod)
    }

    /// [`Self::module`] for a path or version with upper-case letters, given
    /// also in their escaped forms (`example.com/!upper`, `v1.0.0-!r!c1`).
    pub fn module_escaped(
        &self,
        path: &str,
        escaped_version: &str,
        version: &str,
        go_mod: &str,
    ) -> &Self {
        let info = format!(r#"{{"Version":"{version}","Time":"2024-01-02T03:04:05Z"}}"#);
        self.file(&format!("{path}/@v/{escaped_version}.info"), info);
        self.file(&format!("{path}/@v/{escaped_version}.mod"), go_mod);
        let list_path = format!("/{path}/@v/list");
        let mut state = self.state.lock().unwrap();
        let list = state.files.entry(list_path).or_default();
        list.extend_from_slice(format!("{version}\n").as_bytes());
        self
    }

    /// Misbehave with `fault` for the next `times` requests of `/<path>`.
    pub fn fault(&self, path: &str, fault: Fault, times: usize) -> &Self {
        let mut state = self.state.lock().unwrap();
        let queue = state.faults.entry(format!("/{path}")).or_default();
        queue.extend(std::iter::repeat_n(fault, times));
        self
    }

    /// Misbehave with `fault` for every request of `/<path>`.
    pub fn always(&self, path: &str, fault: Fault) -> &Self {
        self.state
            .lock()
            .unwrap()
            .always
            .insert(format!("/{path}"), fault);
        self
    }

    /// Every request target received so far, as sent (percent-encoded).
    pub fn log(&self) -> Vec<String> {
        self.state.lock().unwrap().log.clone()
    }

    /// Every Authorization header received so far.
    pub fn authorizations(&self) -> Vec<String> {
        self.state.lock().unwrap().authorizations.clone()
    }

    /// How many requests asked for `/<path>` (compared decoded).
    pub fn hits(&self, path: &str) -> usize {
        let target = format!("/{path}");
        self.log()
            .iter()
            .filter(|t| percent_decode(t) == target)
            .count()
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let Some((target, authorization)) = read_request(&mut stream).await else {
        return;
    };
    let mut drip = false;
    let answer = {
        let mut state = state.lock().unwrap();
        state.log.push(target.clone());
        state.authorizations.extend(authorization);
        let target = percent_decode(&target);
        let queued = state.faults.get_mut(&target).and_then(VecDeque::pop_front);
        let fault = queued.or_else(|| state.always.get(&target).cloned());
        let file = || match state.files.get(&target) {
            Some(body) => Fault::Body(body.clone()),
            None => Fault::Status(404),
        };
        match fault {
            Some(Fault::Drip) => {
                drip = true;
                file()
            }
            Some(f) => f,
            None => file(),
        }
    };
    let response = match answer {
        Fault::Hang => {
            std::future::pending::<()>().await;
            return;
        }
        Fault::Status(code) => {
            let body = format!("status {code}\n");
            format!("HTTP/1.1 {code} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", reason(code), body.len()).into_bytes()
        }
        Fault::Reset => return,
        Fault::Drip => unreachable!("a drip serves the file"),
        Fault::Truncate => {
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nmodule cut"
                .to_vec()
        }
        Fault::Body(body) => {
            let mut r = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(&body);
            r
        }
    };
    if drip {
        for piece in response.chunks(16) {
            if stream.write_all(piece).await.is_err() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    } else {
        let _ = stream.write_all(&response).await;
    }
    let _ = stream.shutdown().await;
}

/// The request target of the request line and any Authorization header,
/// once the headers are in.
async fn read_request(stream: &mut TcpStream) -> Option<(String, Option<String>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let target = text.lines().next()?.split(' ').nth(1)?.to_owned();
    let authorization = text.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("authorization")
            .then(|| value.trim().to_owned())
    });
    Some((target, authorization))
}

fn reason(code: u16) -> &'static str {
    match code {
        404 => "Not Found",
        410 => "Gone",
        403 => "Forbidden",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A request target as the path it names (`%21` → `!`).
pub fn percent_decode(target: &str) -> String {
    let mut out = Vec::new();
    let mut bytes = target.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex: String = bytes.by_ref().take(2).map(char::from).collect();
            out.push(u8::from_str_radix(&hex, 16).expect("well-formed percent escape"));
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).expect("UTF-8 request path")
}
