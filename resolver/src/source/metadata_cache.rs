//! The module proxy's answers that change over time (a module's version
//! list, its `@latest`, its refusal to serve a file of an exact version),
//! kept for a time to live below the module cache
//! (`$GOMODCACHE/cache/tykdeps/metadata-v2`), so that the audit's
//! `retracted`, `deprecated`, `no-go-mod` and `version-conflict` questions,
//! and the go.mod files a proxy will not serve, do not ask the proxy on
//! every run.
//!
//! What a proxy does serve of an exact version (`.info`, go.mod, zip)
//! never changes and is kept in the module cache by
//! [`CachedSource`](super::cached::CachedSource). Version lists are asked of
//! the GOPROXY chain itself, never of the module cache's `@v/list` (which
//! names only the versions downloaded here, so its "latest" would be wrong),
//! and the chain never sends a GOPRIVATE/GONOPROXY path to a proxy.
//!
//! A refusal (HTTP 403, 404 or 410 for an exact version's file: proxies
//! answer 403 for versions they will not fetch) is kept by the URL asked,
//! which names the GOPROXY entry that answered ([`KeepRefusals`] sits on
//! each HTTP proxy of the chain, behind the module cache and the GOPRIVATE
//! routing): another GOPROXY asks again. Within the time to live it is
//! current, as a kept version list is, and answered in the proxy's own
//! words, so the report is the live one's; past it, it is asked again and
//! never stands in for an answer the proxy could not give. Network errors
//! and other statuses are not kept, nor is the answer to a request that
//! carries credentials, which may be the credentials' (a `.netrc` entry
//! added later must be tried at once).
//!
//! The file format and the freshness decision are pure ([`MetadataStore`],
//! [`is_fresh`]); the time comes in as a value. An answer older than the
//! time to live is asked again; if the proxy cannot answer then (offline,
//! network error), an old version list or `@latest` is used and
//! [`KeptAnswers::take_stale`] says so (an old refusal is not: the error
//! is). A 404 or 410 is an answer and is kept; other failures are not.
//!
//! Layout: a magic line, the hex SHA-256 of the body, a newline, then the
//! body (JSON). A file that is missing, damaged, or of another layout reads
//! as empty and is replaced on the next save; nothing here is an error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::proxy::{Transport, TransportError, status_kind};
use super::{BoxFuture, FetchError, FetchErrorKind, Info, ModuleSource};
use crate::atomic::{self, Durability};
use crate::buildinfo::elf::hex;

/// The cache file's name; the version changes whenever the layout does.
pub const FILE_NAME: &str = "metadata-v2";
/// The first line of the file.
const MAGIC: &[u8] = b"tykdeps proxy metadata v2\n";

/// `$GOMODCACHE/cache/tykdeps/metadata-v2`.
pub fn cache_file(gomodcache: &Path) -> PathBuf {
    super::tykdeps_cache_dir(gomodcache).join(FILE_NAME)
}

/// Whether an answer fetched at `fetched` (seconds since the Unix epoch) is
/// still fresh at `now` under a time to live of `ttl` seconds. An answer
/// from the future (the clock went back) is not.
pub fn is_fresh(fetched: u64, now: u64, ttl: u64) -> bool {
    now >= fetched && now - fetched < ttl
}

/// Which question an answer is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Question {
    /// `@v/list`.
    Versions,
    /// `@latest`.
    Latest,
    /// A file of an exact version (`@v/<version>.mod`, `.info`, `.zip`) of
    /// one proxy, by its URL.
    File,
}

/// A kept answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// The version list, as [`ModuleSource::versions`] returns it.
    Versions(Vec<String>),
    /// The `@latest` version and its time.
    Latest {
        /// Canonical version.
        version: String,
        /// Commit time, RFC 3339.
        time: Option<String>,
    },
    /// 404: the module (or its `@latest`) does not exist.
    NotFound,
    /// 410.
    Gone,
    /// A proxy's refusal of a [`Question::File`]: its HTTP status and the
    /// error it made of it (`reading <url>: 403 Forbidden ...`).
    Refused {
        /// 403, 404 or 410.
        status: u16,
        /// The error text, as the live answer gave it.
        detail: String,
    },
}

/// One kept answer and when it was fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    question: Question,
    /// The module path, or the URL of a [`Question::File`].
    subject: String,
    /// Seconds since the Unix epoch.
    fetched: u64,
    answer: Answer,
}

/// What the store holds for a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// An answer within the time to live.
    Fresh(Answer),
    /// An older answer, fetched at this time.
    Stale(Answer, u64),
    /// None.
    Absent,
}

/// The kept answers: loaded from bytes, added to, written back as bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataStore {
    entries: BTreeMap<(Question, String), (u64, Answer)>,
    changed: bool,
}

impl MetadataStore {
    /// The store in a cache file's bytes; empty when they are not one.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let entries = parse(bytes)
            .unwrap_or_default()
            .into_iter()
            .map(|e| ((e.question, e.subject), (e.fetched, e.answer)))
            .collect();
        Self {
            entries,
            changed: false,
        }
    }

    /// The cache file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let entries: Vec<Entry> = self
            .entries
            .iter()
            .map(|((question, subject), (fetched, answer))| Entry {
                question: *question,
                subject: subject.clone(),
                fetched: *fetched,
                answer: answer.clone(),
            })
            .collect();
        let body = serde_json::to_vec(&entries).expect("entries serialize");
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(hex(&Sha256::digest(&body)).as_bytes());
        out.push(b'\n');
        out.extend_from_slice(&body);
        out
    }

    /// The answer to `question` about `subject` at `now` with time to live `ttl`.
    pub fn lookup(&self, question: Question, subject: &str, now: u64, ttl: u64) -> Lookup {
        match self.entries.get(&(question, subject.to_owned())) {
            Some((fetched, answer)) if is_fresh(*fetched, now, ttl) => {
                Lookup::Fresh(answer.clone())
            }
            Some((fetched, answer)) => Lookup::Stale(answer.clone(), *fetched),
            None => Lookup::Absent,
        }
    }

    /// Keep `answer`, fetched at `now`.
    pub fn record(&mut self, question: Question, subject: &str, now: u64, answer: Answer) {
        self.entries
            .insert((question, subject.to_owned()), (now, answer));
        self.changed = true;
    }

    /// Drop the answer to `question` about `subject`, if one is kept.
    pub fn forget(&mut self, question: Question, subject: &str) {
        if self
            .entries
            .remove(&(question, subject.to_owned()))
            .is_some()
        {
            self.changed = true;
        }
    }

    /// Whether anything was recorded since loading.
    pub fn changed(&self) -> bool {
        self.changed
    }
}

fn parse(bytes: &[u8]) -> Option<Vec<Entry>> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let newline = rest.iter().position(|b| *b == b'\n')?;
    let (check, body) = (&rest[..newline], &rest[newline + 1..]);
    if check != hex(&Sha256::digest(body)).as_bytes() {
        return None;
    }
    serde_json::from_slice(body).ok()
}

/// How a run uses the store: the time now, the time to live, and whether
/// to ask again whatever the store holds (`--refresh`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Seconds since the Unix epoch.
    pub now: u64,
    /// Seconds an answer stays fresh.
    pub ttl: u64,
    /// Ask the proxy even for fresh answers (they are replaced).
    pub refresh: bool,
}

/// An answer older than the time to live that was used because the proxy
/// could not be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleUse {
    /// The module path.
    pub path: String,
    /// When the answer was fetched (seconds since the Unix epoch).
    pub fetched: u64,
    /// Why the proxy could not answer.
    pub error: FetchError,
}

/// One run's kept answers: the store read from the cache file, used as
/// `freshness` says, written back by [`KeptAnswers::save`]. Shared by the
/// [`MetadataSource`] and the [`KeepRefusals`] on the chain's proxies, so
/// one file is read and written once.
pub struct KeptAnswers {
    freshness: Freshness,
    file: Option<PathBuf>,
    store: Mutex<MetadataStore>,
    /// The questions this run has asked the chain: their answers are
    /// current whatever the time to live or `refresh` say.
    asked: Mutex<BTreeSet<(Question, String)>>,
    stale: Mutex<Vec<StaleUse>>,
}

impl KeptAnswers {
    /// Answers kept in `file` (none and never saved when `None`), fresh as
    /// `freshness` says.
    pub fn open(file: Option<PathBuf>, freshness: Freshness) -> Self {
        let bytes = file
            .as_deref()
            .and_then(|f| std::fs::read(f).ok())
            .unwrap_or_default();
        Self {
            freshness,
            file,
            store: Mutex::new(MetadataStore::from_bytes(&bytes)),
            asked: Mutex::new(BTreeSet::new()),
            stale: Mutex::new(Vec::new()),
        }
    }

    /// Write the file (atomically) if this run fetched anything.
    ///
    /// # Errors
    /// The I/O error that stopped the write; the old file is left as it was.
    pub fn save(&self) -> std::io::Result<()> {
        let store = self.lock_store();
        match &self.file {
            Some(file) if store.changed() => {
                atomic::write(file, &store.to_bytes(), Durability::OwnCache)
            }
            _ => Ok(()),
        }
    }

    /// How this run uses the kept answers.
    pub fn freshness(&self) -> Freshness {
        self.freshness
    }

    /// The stale answers used since the last call, each once.
    pub fn take_stale(&self) -> Vec<StaleUse> {
        let mut stale = std::mem::take(&mut *self.stale.lock().expect("no panics while locked"));
        stale.sort_by(|a, b| a.path.cmp(&b.path));
        stale.dedup_by(|a, b| a.path == b.path);
        stale
    }

    fn lock_asked(&self) -> std::sync::MutexGuard<'_, BTreeSet<(Question, String)>> {
        self.asked.lock().expect("no panics while locked")
    }

    fn lock_store(&self) -> std::sync::MutexGuard<'_, MetadataStore> {
        self.store.lock().expect("no panics while locked")
    }

    /// Answer `question` about `path` from the store when fresh, else from
    /// `fetch` (recording the answer), else from a stale entry.
    async fn answer(
        &self,
        question: Question,
        path: &str,
        fetch: impl Future<Output = Result<Answer, FetchError>>,
    ) -> Result<Answer, FetchError> {
        let Freshness { now, ttl, refresh } = self.freshness;
        let key = (question, path.to_owned());
        let kept = self.lock_store().lookup(question, path, now, ttl);
        let current = !refresh || self.lock_asked().contains(&key);
        match &kept {
            Lookup::Fresh(answer) if current => return Ok(answer.clone()),
            Lookup::Stale(answer, _) if self.lock_asked().contains(&key) => {
                return Ok(answer.clone());
            }
            _ => {}
        }
        let answer = match fetch.await {
            Ok(answer) => answer,
            Err(e) if e.kind == FetchErrorKind::NotFound => Answer::NotFound,
            Err(e) if e.kind == FetchErrorKind::Gone => Answer::Gone,
            Err(error) => {
                return match kept {
                    Lookup::Fresh(answer) => Ok(answer),
                    Lookup::Stale(answer, fetched) => {
                        self.stale
                            .lock()
                            .expect("no panics while locked")
                            .push(StaleUse {
                                path: path.to_owned(),
                                fetched,
                                error,
                            });
                        Ok(answer)
                    }
                    Lookup::Absent => Err(error),
                };
            }
        };
        self.lock_store()
            .record(question, path, now, answer.clone());
        self.lock_asked().insert(key);
        Ok(answer)
    }

    /// The file at `url` (of an exact version), through `fetch` unless a
    /// refusal of it is kept; a refusal `fetch` gives is kept.
    async fn file<F>(&self, url: &str, fetch: impl FnOnce() -> F) -> Result<Vec<u8>, TransportError>
    where
        F: Future<Output = Result<Vec<u8>, TransportError>>,
    {
        let Freshness { now, ttl, refresh } = self.freshness;
        let key = (Question::File, url.to_owned());
        let asked = self.lock_asked().contains(&key);
        let kept = self.lock_store().lookup(Question::File, url, now, ttl);
        // Within the time to live a kept answer is current, as a kept
        // version list is: the same words, so the same report.
        if let Lookup::Fresh(Answer::Refused { status, detail }) = kept
            && (asked || !refresh)
        {
            return Err(TransportError {
                kind: status_kind(status).unwrap_or(FetchErrorKind::Failed),
                detail,
                status: Some(status),
            });
        }
        let answer = fetch().await;
        match &answer {
            Err(TransportError {
                status: Some(status @ (403 | 404 | 410)),
                detail,
                ..
            }) => {
                let refused = Answer::Refused {
                    status: *status,
                    detail: detail.clone(),
                };
                self.lock_store().record(Question::File, url, now, refused);
                self.lock_asked().insert(key);
            }
            Ok(_) => self.lock_store().forget(Question::File, url),
            Err(_) => {}
        }
        answer
    }
}

/// A proxy's [`Transport`] whose refusals of exact versions' files are kept
/// in the run's [`KeptAnswers`], by URL. Version lists and `@latest` pass
/// through: the [`MetadataSource`] keeps those, by module path.
pub struct KeepRefusals<T> {
    transport: T,
    kept: Arc<KeptAnswers>,
}

impl<T: Transport> KeepRefusals<T> {
    /// `transport`, its refusals kept in `kept`.
    pub fn new(transport: T, kept: Arc<KeptAnswers>) -> Self {
        Self { transport, kept }
    }
}

impl<T: Transport> Transport for KeepRefusals<T> {
    fn get<'a>(&'a self, rel: &'a str) -> BoxFuture<'a, Result<Vec<u8>, TransportError>> {
        Box::pin(async move {
            let exact_version = rel
                .rsplit_once("/@v/")
                .is_some_and(|(_, file)| file != "list");
            if !exact_version || self.transport.sends_credentials(rel) {
                return self.transport.get(rel).await;
            }
            let url = format!("{}/{rel}", self.transport.base());
            self.kept.file(&url, || self.transport.get(rel)).await
        })
    }

    fn base(&self) -> &str {
        self.transport.base()
    }

    fn sends_credentials(&self, rel: &str) -> bool {
        self.transport.sends_credentials(rel)
    }
}

/// A source for the metadata questions: version lists and `@latest` from
/// the kept answers or `lists` (the GOPROXY chain), recorded in them;
/// `.info`, go.mod and zips from `files` (the module cache in front of it).
pub struct MetadataSource {
    lists: Arc<dyn ModuleSource>,
    files: Arc<dyn ModuleSource>,
    kept: Arc<KeptAnswers>,
}

impl MetadataSource {
    /// Ask `lists` and `files`, keeping the answers in `kept`.
    pub fn new(
        lists: Arc<dyn ModuleSource>,
        files: Arc<dyn ModuleSource>,
        kept: Arc<KeptAnswers>,
    ) -> Self {
        Self { lists, files, kept }
    }

    /// The answers this source keeps.
    pub fn kept(&self) -> &KeptAnswers {
        &self.kept
    }
}

/// The error a kept 404 or 410 stands for.
fn missing(path: &str, kind: FetchErrorKind) -> FetchError {
    FetchError {
        module: path.to_owned(),
        kind,
        detail: "as the module proxy answered earlier (kept in the tykdeps metadata cache)"
            .to_owned(),
    }
}

impl ModuleSource for MetadataSource {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        Box::pin(async move {
            let fetch = async { self.lists.versions(path).await.map(Answer::Versions) };
            match self.kept.answer(Question::Versions, path, fetch).await? {
                Answer::Versions(list) => Ok(list),
                Answer::Gone => Err(missing(path, FetchErrorKind::Gone)),
                _ => Err(missing(path, FetchErrorKind::NotFound)),
            }
        })
    }

    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move {
            let fetch = async {
                let info = self.lists.latest(path).await?;
                Ok(Answer::Latest {
                    version: info.version,
                    time: info.time,
                })
            };
            match self.kept.answer(Question::Latest, path, fetch).await? {
                Answer::Latest { version, time } => Ok(Info { version, time }),
                Answer::Gone => Err(missing(path, FetchErrorKind::Gone)),
                _ => Err(missing(path, FetchErrorKind::NotFound)),
            }
        })
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        self.files.info(path, version)
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        self.files.go_mod(path, version)
    }

    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        self.files.zip(path, version)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::goenv::GoEnv;
    use crate::source::chain::Chain;
    use crate::source::proxy::ProxySource;

    /// A proxy that answers every request with `status` (or a network
    /// error when `None`), counting the requests.
    struct Refusing {
        base: String,
        status: Option<u16>,
        credentials: bool,
        requests: Arc<AtomicUsize>,
    }

    impl Transport for Refusing {
        fn get<'a>(&'a self, rel: &'a str) -> BoxFuture<'a, Result<Vec<u8>, TransportError>> {
            self.requests.fetch_add(1, Ordering::SeqCst);
            let url = format!("{}/{rel}", self.base);
            let error = match self.status {
                Some(status) => TransportError {
                    kind: status_kind(status).expect("not 200"),
                    detail: format!("reading {url}: {status} Refused\n\tserver response: no"),
                    status: Some(status),
                },
                None => TransportError {
                    kind: FetchErrorKind::Failed,
                    detail: format!("reading {url}: connection refused"),
                    status: None,
                },
            };
            Box::pin(async move { Err(error) })
        }

        fn base(&self) -> &str {
            &self.base
        }

        fn sends_credentials(&self, _: &str) -> bool {
            self.credentials
        }
    }

    /// One run: `proxy` answering `status`, its refusals kept in `file`.
    struct Run {
        kept: Arc<KeptAnswers>,
        source: ProxySource<KeepRefusals<Refusing>>,
        requests: Arc<AtomicUsize>,
    }

    impl Run {
        fn new(file: &Path, proxy: &str, status: Option<u16>, freshness: Freshness) -> Self {
            Self::sending(file, proxy, status, freshness, false)
        }

        /// A run whose requests carry credentials when `credentials`.
        fn sending(
            file: &Path,
            proxy: &str,
            status: Option<u16>,
            freshness: Freshness,
            credentials: bool,
        ) -> Self {
            let kept = Arc::new(KeptAnswers::open(Some(file.to_owned()), freshness));
            let requests = Arc::new(AtomicUsize::new(0));
            let transport = Refusing {
                base: proxy.to_owned(),
                status,
                credentials,
                requests: Arc::clone(&requests),
            };
            let source = ProxySource::new(KeepRefusals::new(transport, Arc::clone(&kept)));
            Self {
                kept,
                source,
                requests,
            }
        }

        /// The go.mod error and the requests it took; the file saved.
        async fn go_mod(&self, path: &str) -> (FetchError, usize) {
            let before = self.requests.load(Ordering::SeqCst);
            let error = self.source.go_mod(path, "v1.0.0").await.unwrap_err();
            self.kept.save().unwrap();
            (error, self.requests.load(Ordering::SeqCst) - before)
        }
    }

    const PROXY: &str = "https://proxy.example";
    const TTL: u64 = 3600;

    fn at(now: u64) -> Freshness {
        Freshness {
            now,
            ttl: TTL,
            refresh: false,
        }
    }

    #[tokio::test]
    async fn a_refusal_is_kept_for_the_ttl_by_the_proxy_that_gave_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        let (live, asked) = Run::new(&file, PROXY, Some(403), at(1000))
            .go_mod("example.com/m")
            .await;
        assert_eq!(asked, 1);
        assert_eq!(live.kind, FetchErrorKind::Failed, "a 403 stops a `,` chain");
        assert!(live.detail.contains("403 Refused"), "{}", live.detail);

        let later = Run::new(&file, PROXY, Some(403), at(1000 + TTL - 1));
        let (kept, asked) = later.go_mod("example.com/m").await;
        assert_eq!(asked, 0, "within the time to live the proxy is not asked");
        assert_eq!(kept, live, "the same error, word for word");
        assert_eq!(
            later.go_mod("example.com/other").await.1,
            1,
            "another module is asked"
        );

        for (why, run) in [
            (
                "past the time to live",
                Run::new(&file, PROXY, Some(403), at(1000 + TTL)),
            ),
            (
                "with --refresh",
                Run::new(
                    &file,
                    PROXY,
                    Some(403),
                    Freshness {
                        refresh: true,
                        ..at(1001)
                    },
                ),
            ),
            (
                "through another proxy",
                Run::new(&file, "https://other.example", Some(403), at(1001)),
            ),
        ] {
            let (error, asked) = run.go_mod("example.com/m").await;
            assert_eq!(asked, 1, "{why} the proxy is asked again");
            let (again, asked) = run.go_mod("example.com/m").await;
            assert_eq!(asked, 0, "{why}, once per run");
            assert_eq!(again, error);
        }
    }

    #[tokio::test]
    async fn not_found_and_gone_are_kept_network_errors_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        for (status, kind) in [
            (Some(404), FetchErrorKind::NotFound),
            (Some(410), FetchErrorKind::Gone),
            (None, FetchErrorKind::Failed),
        ] {
            let path = format!("example.com/m{}", status.unwrap_or(0));
            Run::new(&file, PROXY, status, at(1000)).go_mod(&path).await;
            let (error, asked) = Run::new(&file, PROXY, status, at(1001)).go_mod(&path).await;
            assert_eq!(
                error.kind, kind,
                "{status:?}: the kind decides the chain's walk"
            );
            assert_eq!(asked, usize::from(status.is_none()), "{status:?}");
        }
    }

    #[tokio::test]
    async fn a_refusal_of_a_request_with_credentials_is_not_kept_nor_answered() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        let with = |now| Run::sending(&file, PROXY, Some(403), at(now), true);
        with(1000).go_mod("example.com/m").await;
        assert!(!file.exists(), "nothing was kept");
        Run::new(&file, PROXY, Some(403), at(1000))
            .go_mod("example.com/m")
            .await;
        let (_, asked) = with(1001).go_mod("example.com/m").await;
        assert_eq!(
            asked, 1,
            "a refusal without credentials does not answer one with them"
        );
    }

    #[tokio::test]
    async fn a_private_modules_refusal_is_never_kept_under_a_proxy() {
        let dir = tempfile::tempdir().unwrap();
        let vars: BTreeMap<String, String> = [
            ("GOPROXY", format!("{PROXY},direct")),
            ("GOPRIVATE", "corp.example".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let env = GoEnv::new(&vars, &BTreeMap::new()).unwrap();
        let kept = Arc::new(KeptAnswers::open(
            Some(dir.path().join(FILE_NAME)),
            at(1000),
        ));
        let requests = Arc::new(AtomicUsize::new(0));
        let chain = Chain::new(&env, &|url| {
            let transport = Refusing {
                base: url.redacted.clone(),
                status: Some(403),
                credentials: false,
                requests: Arc::clone(&requests),
            };
            Box::new(ProxySource::new(KeepRefusals::new(
                transport,
                Arc::clone(&kept),
            )))
        })
        .unwrap();
        let error = chain.go_mod("corp.example/m", "v1.0.0").await.unwrap_err();
        assert_eq!(error.kind, FetchErrorKind::Private);
        assert_eq!(requests.load(Ordering::SeqCst), 0);
        assert!(!kept.lock_store().changed(), "nothing was kept");
    }

    #[test]
    fn freshness_is_decided_by_age_alone() {
        assert!(is_fresh(100, 100, 10) && is_fresh(100, 109, 10));
        assert!(!is_fresh(100, 110, 10), "the time to live is exclusive");
        assert!(
            !is_fresh(100, 99, 10),
            "an answer from the future is not fresh"
        );
        assert!(!is_fresh(100, 100, 0), "a zero time to live always asks");
    }

    #[test]
    fn the_store_round_trips_and_damage_reads_as_empty() {
        let mut store = MetadataStore::default();
        store.record(
            Question::Versions,
            "example.com/m",
            1000,
            Answer::Versions(vec!["v1.0.0".to_owned()]),
        );
        store.record(Question::Latest, "example.com/m/v2", 1000, Answer::NotFound);
        let bytes = store.to_bytes();
        let loaded = MetadataStore::from_bytes(&bytes);
        assert_eq!(
            loaded.lookup(Question::Versions, "example.com/m", 1005, 10),
            Lookup::Fresh(Answer::Versions(vec!["v1.0.0".to_owned()]))
        );
        assert_eq!(
            loaded.lookup(Question::Latest, "example.com/m/v2", 2000, 10),
            Lookup::Stale(Answer::NotFound, 1000)
        );
        assert_eq!(
            loaded.lookup(Question::Latest, "example.com/m", 1000, 10),
            Lookup::Absent
        );
        assert!(!loaded.changed());
        let mut flipped = bytes.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x01;
        for damaged in [&bytes[..bytes.len() - 1], &flipped[..], b"junk"] {
            assert_eq!(MetadataStore::from_bytes(damaged), MetadataStore::default());
        }
    }
}
