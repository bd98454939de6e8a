//! The module proxy's answers that change over time (a module's version
//! list, its `@latest`), kept for a time to live below the module cache
//! (`$GOMODCACHE/cache/tykdeps/metadata-v1`), so that the audit's
//! `retracted`, `deprecated`, `no-go-mod` and `version-conflict` questions
//! do not ask the proxy on every run.
//!
//! Everything else those questions read (`.info` and go.mod files of exact
//! versions) never changes and is already kept in the module cache by
//! [`CachedSource`](super::cached::CachedSource). Version lists are asked of
//! the GOPROXY chain itself, never of the module cache's `@v/list` (which
//! names only the versions downloaded here, so its "latest" would be wrong),
//! and the chain never sends a GOPRIVATE/GONOPROXY path to a proxy.
//!
//! The file format and the freshness decision are pure ([`MetadataStore`],
//! [`is_fresh`]); the time comes in as a value. An answer older than the
//! time to live is asked again; if the proxy cannot answer then (offline,
//! network error), the old answer is used and [`MetadataSource::stale`]
//! says so. A 404 or 410 is an answer and is kept; other failures are not.
//!
//! Layout: a magic line, the hex SHA-256 of the body, a newline, then the
//! body (JSON). A file that is missing, damaged, or of another layout reads
//! as empty and is replaced on the next save; nothing here is an error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{BoxFuture, FetchError, FetchErrorKind, Info, ModuleSource};
use crate::atomic::{self, Durability};
use crate::buildinfo::elf::hex;

/// The cache file's name; the version changes whenever the layout does.
pub const FILE_NAME: &str = "metadata-v1";
/// The first line of the file.
const MAGIC: &[u8] = b"tykdeps proxy metadata v1\n";

/// `$GOMODCACHE/cache/tykdeps/metadata-v1`.
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
}

/// One kept answer and when it was fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    question: Question,
    path: String,
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
            .map(|e| ((e.question, e.path), (e.fetched, e.answer)))
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
            .map(|((question, path), (fetched, answer))| Entry {
                question: *question,
                path: path.clone(),
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

    /// The answer to `question` about `path` at `now` with time to live `ttl`.
    pub fn lookup(&self, question: Question, path: &str, now: u64, ttl: u64) -> Lookup {
        match self.entries.get(&(question, path.to_owned())) {
            Some((fetched, answer)) if is_fresh(*fetched, now, ttl) => {
                Lookup::Fresh(answer.clone())
            }
            Some((fetched, answer)) => Lookup::Stale(answer.clone(), *fetched),
            None => Lookup::Absent,
        }
    }

    /// Keep `answer`, fetched at `now`.
    pub fn record(&mut self, question: Question, path: &str, now: u64, answer: Answer) {
        self.entries
            .insert((question, path.to_owned()), (now, answer));
        self.changed = true;
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

/// A source for the metadata questions: version lists and `@latest` from
/// the store or `lists` (the GOPROXY chain), recorded in the store;
/// `.info`, go.mod and zips from `files` (the module cache in front of it).
pub struct MetadataSource {
    lists: Arc<dyn ModuleSource>,
    files: Arc<dyn ModuleSource>,
    freshness: Freshness,
    file: Option<PathBuf>,
    store: Mutex<MetadataStore>,
    /// The questions this run has asked the chain: their answers are
    /// current whatever the time to live or `refresh` say.
    asked: Mutex<BTreeSet<(Question, String)>>,
    stale: Mutex<Vec<StaleUse>>,
}

impl MetadataSource {
    /// Answers kept in `file` (none and never saved when `None`), fresh as
    /// `freshness` says.
    pub fn open(
        lists: Arc<dyn ModuleSource>,
        files: Arc<dyn ModuleSource>,
        file: Option<PathBuf>,
        freshness: Freshness,
    ) -> Self {
        let bytes = file
            .as_deref()
            .and_then(|f| std::fs::read(f).ok())
            .unwrap_or_default();
        Self {
            lists,
            files,
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
                atomic::write(file, &store.to_bytes(), Durability::Cache)
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
    /// the chain (recording the answer), else from a stale entry.
    async fn ask(&self, question: Question, path: &str) -> Result<Answer, FetchError> {
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
        let fetched = match question {
            Question::Versions => self.lists.versions(path).await.map(Answer::Versions),
            Question::Latest => self.lists.latest(path).await.map(|i| Answer::Latest {
                version: i.version,
                time: i.time,
            }),
        };
        let answer = match fetched {
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
            match self.ask(Question::Versions, path).await? {
                Answer::Versions(list) => Ok(list),
                Answer::Gone => Err(missing(path, FetchErrorKind::Gone)),
                _ => Err(missing(path, FetchErrorKind::NotFound)),
            }
        })
    }

    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        Box::pin(async move {
            match self.ask(Question::Latest, path).await? {
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
    use super::*;

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
