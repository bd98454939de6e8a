//! HTTP(S) GOPROXY access: the only code in the library that opens sockets
//! (feature `net`).
//!
//! One shared [`HttpClient`] (reqwest over rustls, HTTP/2 where the server
//! offers it) bounds how many requests run at once, times out connects and
//! stalled reads, and retries what may be transient (5xx, timeouts, broken
//! connections, short bodies) with exponential backoff, but never a 404 or 410,
//! which are answers. Credentials (URL userinfo or `.netrc`) go only over
//! https, as with the go command; messages carry the URL with its password
//! redacted and name it the way go does (`reading <url>: 404 Not Found`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::Semaphore;

use super::netrc::Netrc;
use super::proxy::{Transport, TransportError, percent_decode, status_kind};
use super::{BoxFuture, FetchErrorKind, modzip};
use crate::goenv::ProxyUrl;

/// Limits and timing of proxy requests.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Requests in flight at once, over all proxies.
    pub max_concurrency: usize,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed between two reads of a response.
    pub read_timeout: Duration,
    /// Extra attempts after a transient failure.
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// The system CA bundle the go command trusts, trusted besides the
    /// built-in Mozilla roots ([`system_roots`]), so proxies behind a
    /// TLS-inspecting gateway work as they do for go; none: only the
    /// built-in roots.
    pub system_roots: Option<SystemRoots>,
    /// The requests under way, so a caller whose deadline expires can say
    /// what did not answer.
    pub in_flight: Arc<InFlight>,
}

/// Where the system CA bundle is read from: `SSL_CERT_FILE` when set, else
/// the distributions' well-known files. It is read when the client is
/// built, at the first request, so a run that asks no proxy never reads it.
#[derive(Debug, Clone, Default)]
pub struct SystemRoots {
    /// `SSL_CERT_FILE`.
    pub ssl_cert_file: Option<PathBuf>,
}

/// The URLs (credentials removed) of the requests under way.
#[derive(Debug, Default)]
pub struct InFlight(std::sync::Mutex<BTreeMap<String, usize>>);

impl InFlight {
    /// The requests under way now, sorted.
    pub fn pending(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, usize>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Count `url` as under way until the returned guard is dropped.
    fn start<'a>(&'a self, url: &'a str) -> Finished<'a> {
        *self.lock().entry(url.to_owned()).or_default() += 1;
        Finished { flight: self, url }
    }
}

/// Ends a request's count when dropped.
struct Finished<'a> {
    flight: &'a InFlight,
    url: &'a str,
}

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        let mut pending = self.flight.lock();
        if let Some(n) = pending.get_mut(self.url) {
            *n -= 1;
            if *n == 0 {
                pending.remove(self.url);
            }
        }
    }
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            max_concurrency: 16,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_millis(250),
            system_roots: None,
            in_flight: Arc::default(),
        }
    }
}

/// The shared HTTP client of all proxies. The reqwest client (TLS setup and
/// the parsing of every trusted certificate) is built on the first request,
/// not before: a run the module cache answers completely never pays for it.
#[derive(Debug)]
pub struct HttpClient {
    client: OnceLock<Result<reqwest::Client, String>>,
    permits: Semaphore,
    options: HttpOptions,
    netrc: Netrc,
}

impl HttpClient {
    /// A client with `options`, sending `.netrc` credentials from `netrc`.
    pub fn new(options: HttpOptions, netrc: Netrc) -> Self {
        Self {
            client: OnceLock::new(),
            permits: Semaphore::new(options.max_concurrency.max(1)),
            options,
            netrc,
        }
    }

    /// The reqwest client, built once; a failure to build it is kept and
    /// reported by every request.
    fn client(&self) -> Result<&reqwest::Client, String> {
        self.client
            .get_or_init(|| build_client(&self.options).map_err(|e| error_chain(&e)))
            .as_ref()
            .map_err(|e| format!("building the HTTP client: {e}"))
    }

    /// GET `url` (userinfo already removed), retrying transient failures.
    async fn get(
        &self,
        url: &str,
        redacted: &str,
        auth: Option<&(String, String)>,
    ) -> Result<Vec<u8>, TransportError> {
        let _under_way = self.options.in_flight.start(redacted);
        let mut attempt = 0;
        loop {
            match self.get_once(url, redacted, auth).await {
                Err((_, true)) if attempt < self.options.retries => {
                    tokio::time::sleep(self.options.backoff * 2u32.saturating_pow(attempt)).await;
                    attempt += 1;
                }
                Err((e, _)) => return Err(e),
                Ok(body) => return Ok(body),
            }
        }
    }

    /// One attempt; the flag says whether the failure may be transient.
    async fn get_once(
        &self,
        url: &str,
        redacted: &str,
        auth: Option<&(String, String)>,
    ) -> Result<Vec<u8>, (TransportError, bool)> {
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("the semaphore is never closed");
        let failed = |detail: String, transient| {
            (
                TransportError {
                    kind: FetchErrorKind::Failed,
                    detail: format!("reading {redacted}: {detail}"),
                    status: None,
                },
                transient,
            )
        };
        let client = self.client().map_err(|e| failed(e, false))?;
        let mut request = client.get(url);
        if let Some((user, password)) = auth {
            request = request.basic_auth(user, Some(password));
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| failed(error_chain(&e), is_transient(&e)))?;
        let status = response.status();
        if let Some(kind) = status_kind(status.as_u16()) {
            let server = if is_plain_text(&response) {
                // Only the first lines are shown, so a huge body is not read.
                read_capped(&mut response, ERROR_BODY_CAP)
                    .await
                    .map(|(b, _)| error_detail(&b))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            let detail = match server {
                d if d.is_empty() => format!("reading {redacted}: {status}"),
                d if d.contains('\n') => {
                    format!("reading {redacted}: {status}\n\tserver response:\n\t{d}")
                }
                d => format!("reading {redacted}: {status}\n\tserver response: {d}"),
            };
            let error = TransportError {
                kind,
                detail,
                status: Some(status.as_u16()),
            };
            return Err((error, status.is_server_error()));
        }
        let expected = response.content_length();
        let too_large = || failed(modzip::response_too_large(), false);
        if expected.is_some_and(|n| n > modzip::MAX_ZIP_FILE) {
            return Err(too_large());
        }
        // A body longer than it said, or than any module file can be, is
        // cut off instead of filling memory.
        let (body, more) = read_capped(&mut response, modzip::MAX_ZIP_FILE)
            .await
            .map_err(|e| failed(error_chain(&e), true))?;
        if more {
            return Err(too_large());
        }
        match expected {
            Some(n) if n != body.len() as u64 => Err(failed(
                format!("truncated response: got {} of {n} bytes", body.len()),
                true,
            )),
            _ => Ok(body),
        }
    }
}

/// How much of an error response's plain-text body is read.
const ERROR_BODY_CAP: u64 = 64 << 10;

/// The body of `response`, read in chunks until `cap` bytes; whether more followed.
async fn read_capped(
    response: &mut reqwest::Response,
    cap: u64,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() as u64 > cap {
            return Ok((body, true));
        }
    }
    Ok((body, false))
}

fn build_client(options: &HttpOptions) -> Result<reqwest::Client, reqwest::Error> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(options.connect_timeout)
        .read_timeout(options.read_timeout)
        .redirect(redirect_policy())
        .user_agent(concat!("tykdeps/", env!("CARGO_PKG_VERSION")));
    let pem = options
        .system_roots
        .as_ref()
        .and_then(|r| system_roots(r.ssl_cert_file.as_deref()));
    if let Some(pem) = pem {
        for cert in reqwest::Certificate::from_pem_bundle(&pem)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build()
}

/// The CA bundle go's crypto/x509 would load on Linux: `SSL_CERT_FILE`, else
/// the first of the distributions' well-known bundle files that can be read.
pub fn system_roots(ssl_cert_file: Option<&Path>) -> Option<Vec<u8>> {
    const BUNDLES: [&str; 6] = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/pki/tls/cacert.pem",
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        "/etc/ssl/cert.pem",
    ];
    match ssl_cert_file {
        Some(file) => std::fs::read(file).ok(),
        None => BUNDLES.iter().find_map(|f| std::fs::read(f).ok()),
    }
}

/// Whether an error body is plain text go would quote (`text/plain`, charset
/// absent, `utf-8` or `us-ascii`).
fn is_plain_text(response: &reqwest::Response) -> bool {
    let Some(value) = response.headers().get(reqwest::header::CONTENT_TYPE) else {
        return false;
    };
    let value = value.to_str().unwrap_or_default().to_ascii_lowercase();
    let mut parts = value.split(';').map(str::trim);
    if parts.next() != Some("text/plain") {
        return false;
    }
    let charset = parts
        .filter_map(|p| p.strip_prefix("charset="))
        .map(|c| c.trim_matches('"'))
        .next()
        .unwrap_or("");
    matches!(charset, "" | "utf-8" | "us-ascii")
}

/// The server's explanation as go quotes it (`web.formatErrorDetail`): at
/// most 8 lines and 648 bytes of the first 9 lines, up to the first blank
/// line, and nothing at all if any of it is not printable UTF-8.
fn error_detail(body: &[u8]) -> String {
    const MAX_LINES: usize = 8;
    const MAX_BYTES: usize = MAX_LINES * 81;
    let kept: usize = body
        .split_inclusive(|&b| b == b'\n')
        .take(MAX_LINES + 1)
        .map(<[u8]>::len)
        .sum();
    let Ok(text) = std::str::from_utf8(&body[..kept]) else {
        return String::new();
    };
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return String::new();
    }
    let mut detail = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            break;
        }
        if i > 0 {
            detail.push_str("\n\t");
        }
        if i >= MAX_LINES {
            detail.push_str("[Truncated: too many lines.]");
            break;
        }
        if detail.len() + line.len() > MAX_BYTES {
            detail.push_str("[Truncated: too long.]");
            break;
        }
        detail.push_str(line);
    }
    detail
}

/// Follow at most 10 redirects and never from https to anything else
/// (cmd/go `web/http.go` `checkRedirect`).
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= 10 {
            return attempt.error("stopped after 10 redirects");
        }
        let from_https = attempt.previous().iter().any(|u| u.scheme() == "https");
        if from_https && attempt.url().scheme() != "https" {
            let error = format!(
                "redirected from secure URL to insecure URL {}",
                attempt.url()
            );
            return attempt.error(error);
        }
        attempt.follow()
    })
}

/// Failures worth another attempt: timeouts, refused or reset connections,
/// bodies cut short.
fn is_transient(e: &reqwest::Error) -> bool {
    e.is_timeout() || e.is_connect() || e.is_body() || e.is_request()
}

/// An error with its causes, without reqwest's copy of the URL (which would
/// repeat it, and could carry credentials).
fn error_chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(i) = text.find(" for url (") {
        text.truncate(i);
    }
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Fetches files below one `http(s)://` proxy base.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: Arc<HttpClient>,
    /// The base without userinfo, trailing `/` removed.
    url: String,
    /// The base with its password redacted, for messages.
    base: String,
    https: bool,
    userinfo: Option<(String, String)>,
}

impl HttpTransport {
    /// The credentials a request for `url` carries: the proxy URL's
    /// userinfo, else `.netrc`'s, over https only.
    fn credentials(&self, url: &str) -> Option<(String, String)> {
        if !self.https {
            return None;
        }
        self.userinfo.clone().or_else(|| {
            let c = self.client.netrc.for_url(url)?;
            Some((c.login.clone(), c.password.clone()))
        })
    }

    /// A transport for `proxy` over `client`.
    pub fn new(client: Arc<HttpClient>, proxy: &ProxyUrl) -> Self {
        let (url, userinfo) = split_userinfo(&proxy.url);
        Self {
            client,
            url: url.trim_end_matches('/').to_owned(),
            base: proxy.redacted.trim_end_matches('/').to_owned(),
            https: proxy.scheme == "https",
            userinfo,
        }
    }
}

impl Transport for HttpTransport {
    fn get<'a>(&'a self, rel: &'a str) -> BoxFuture<'a, Result<Vec<u8>, TransportError>> {
        Box::pin(async move {
            let rel = path_escape(rel);
            let url = format!("{}/{rel}", self.url);
            let redacted = format!("{}/{rel}", self.base);
            if !self.https && self.userinfo.is_some() {
                return Err(TransportError {
                    kind: FetchErrorKind::Failed,
                    detail: format!("refusing to pass credentials to insecure URL: {redacted}"),
                    status: None,
                });
            }
            let auth = self.credentials(&url);
            self.client.get(&url, &redacted, auth.as_ref()).await
        })
    }

    fn base(&self) -> &str {
        &self.base
    }

    fn sends_credentials(&self, rel: &str) -> bool {
        let url = format!("{}/{}", self.url, path_escape(rel));
        self.credentials(&url).is_some()
    }
}

/// Remove `user[:password]@` from a URL, returning it percent-decoded.
fn split_userinfo(url: &str) -> (String, Option<(String, String)>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return (url.to_owned(), None);
    };
    let (user, password) = rest[..at].split_once(':').unwrap_or((&rest[..at], ""));
    let info = (percent_decode(user), percent_decode(password));
    (format!("{scheme}://{}", &rest[at + 1..]), Some(info))
}

/// cmd/go `pathEscape`: Go's `url.PathEscape` with `/` kept, so `!` in an
/// escaped module path goes out as `%21`, as the go command sends it.
fn path_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-_.~$&+:=@/".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
