//! The async loop around the pure step: run [`step`], fetch every go.mod it
//! names concurrently through a [`ModuleSource`], and run it again until the
//! graph is finished. Directory replacements are read through a callback so
//! the caller decides how the disk is touched. A [`SummaryCache`] answers
//! first: what it holds is never fetched, and what is fetched is recorded
//! in it for the next run.

use std::sync::Arc;

use tokio::task::JoinSet;

use super::{
    GoModId, GoModStore, GraphError, Inputs, LoadError, ModKey, ModuleGraph, Step, Summary,
    lookahead, step,
};
use crate::source::summaries::SummaryCache;
use crate::source::verify::go_mod_hash;
use crate::source::{Info, ModuleSource};

/// How many go.mod requests are in flight at once.
const CONCURRENCY: usize = 32;

/// Reads `<dir>/go.mod` for a directory replacement.
pub type ReadDir<'a> = dyn Fn(&str) -> Result<Vec<u8>, LoadError> + Sync + 'a;

/// Compute the graph of `inputs`, taking go.mod summaries from `cache` or
/// else fetching go.mod files from `source` (and recording them in `cache`).
/// `progress(done, requested)` is called after every fetched file.
pub async fn resolve(
    inputs: &Inputs,
    source: Arc<dyn ModuleSource>,
    cache: &mut SummaryCache,
    read_dir: &ReadDir<'_>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ModuleGraph, GraphError> {
    let (graph, fetched) = resolve_reading(inputs, &source, cache, read_dir, progress).await;
    fetched.record_in(cache);
    graph
}

/// [`resolve`], only reading `cache`: what was fetched is returned for the
/// caller to record, so resolutions on several threads can share one cache.
async fn resolve_reading(
    inputs: &Inputs,
    source: &Arc<dyn ModuleSource>,
    cache: &SummaryCache,
    read_dir: &ReadDir<'_>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Result<ModuleGraph, GraphError>, FetchedGoMods) {
    let loaders = Loaders { source, read_dir };
    let mut fetched = FetchedGoMods(Vec::new());
    let graph = resolve_over(inputs, &loaders, cache, &mut fetched.0, progress).await;
    (graph, fetched)
}

/// A go.mod fetched during a resolution: its module version, `h1:` hash
/// and summary.
type FetchedGoMod = (ModKey, String, Summary);

/// The go.mod files a resolution fetched, for the summary cache.
#[must_use = "what was fetched is kept only once recorded"]
pub struct FetchedGoMods(Vec<FetchedGoMod>);

impl FetchedGoMods {
    /// Whether nothing was fetched (everything came from the cache).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Record them in `cache`, for the next resolution and run.
    pub fn record_in(self, cache: &mut SummaryCache) {
        for (m, h1, summary) in self.0 {
            cache.record_go_mod(&m, h1, summary);
        }
    }
}

/// [`resolve`], the store answering from `cache` (which is read, not
/// written, while the store borrows it: what is fetched goes to `fetched`).
async fn resolve_over(
    inputs: &Inputs,
    loaders: &Loaders<'_, '_>,
    cache: &SummaryCache,
    fetched: &mut Vec<FetchedGoMod>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ModuleGraph, GraphError> {
    let mut store = GoModStore::over(cache);
    let mut requested = 0;
    loop {
        let missing = match step(inputs, &store)? {
            Step::Done(graph) => return Ok(graph),
            Step::Missing(missing) => missing,
        };
        let mut batch = missing.ids();
        while !batch.is_empty() {
            requested += batch.len();
            fetch_all(
                batch.iter().cloned(),
                loaders,
                fetched,
                &mut store,
                |done| {
                    progress(requested - done, requested);
                },
            )
            .await;
            batch = lookahead(inputs, &store, &batch)?;
        }
        if let Some(failure) = missing.failure(&store) {
            return Err(failure);
        }
    }
}

/// Where go.mod files not in the summary cache come from.
struct Loaders<'s, 'r> {
    source: &'s Arc<dyn ModuleSource>,
    read_dir: &'s ReadDir<'r>,
}

async fn fetch_all(
    missing: impl IntoIterator<Item = GoModId>,
    loaders: &Loaders<'_, '_>,
    fetched: &mut Vec<FetchedGoMod>,
    store: &mut GoModStore<'_>,
    progress: impl Fn(usize),
) {
    let mut remote: Vec<GoModId> = Vec::new();
    for id in missing {
        match &id {
            GoModId::Dir(dir) => match (loaders.read_dir)(dir) {
                Ok(bytes) => {
                    store.insert_bytes(id, &bytes);
                }
                Err(e) => store.insert_error(id, e),
            },
            GoModId::Remote(_) => remote.push(id),
        }
    }
    let source = loaders.source;
    let mut left = remote.len();
    let mut tasks: JoinSet<(GoModId, Result<Vec<u8>, LoadError>)> = JoinSet::new();
    let mut pending = remote.into_iter();
    for id in pending.by_ref().take(CONCURRENCY) {
        spawn(&mut tasks, source, id);
    }
    while let Some(joined) = tasks.join_next().await {
        let (id, answer) = joined.expect("a go.mod fetch task does not panic");
        match answer {
            Ok(bytes) => {
                let GoModId::Remote(m) = &id else {
                    unreachable!("only module versions are fetched")
                };
                let m = m.clone();
                if let Ok(summary) = store.insert_bytes(id, &bytes) {
                    fetched.push((m, go_mod_hash(&bytes), summary.clone()));
                }
            }
            Err(e) => store.insert_error(id, e),
        }
        left -= 1;
        progress(left);
        if let Some(next) = pending.next() {
            spawn(&mut tasks, source, next);
        }
    }
}

fn spawn(
    tasks: &mut JoinSet<(GoModId, Result<Vec<u8>, LoadError>)>,
    source: &Arc<dyn ModuleSource>,
    id: GoModId,
) {
    let source = Arc::clone(source);
    tasks.spawn(async move {
        let GoModId::Remote(m) = &id else {
            unreachable!("directories are read synchronously")
        };
        let answer = source
            .go_mod(&m.path, &m.version)
            .await
            .map_err(LoadError::from);
        (id, answer)
    });
}

/// Which `go list -m all` output a completion is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListForm {
    /// The text lines: only whether each `.info` exists matters.
    Text,
    /// `-json`: also each module's `Time` and `GoVersion`.
    Json,
}

/// Resolve every listed module version as `go list -m all` does before
/// printing (cmd/go `completeFromModCache`): its `.info` (or its versioned
/// replacement's) must exist — even for a pruned leaf whose go.mod the graph
/// never needed — and, for [`ListForm::Json`], gives its `Time`; its go.mod
/// gives its `GoVersion` when the graph did not load it (a failure there is
/// ignored, as go does). `cache` answers first; what is fetched is recorded
/// in it.
pub async fn complete_listed(
    graph: &mut ModuleGraph,
    source: Arc<dyn ModuleSource>,
    cache: &mut SummaryCache,
    form: ListForm,
) -> Result<(), GraphError> {
    let mut to_fetch = Vec::new();
    let build_list = graph.build_list();
    let mut listed: Vec<(ModKey, Option<ModKey>)> = Vec::with_capacity(build_list.len());
    listed.extend(
        build_list
            .iter()
            .filter_map(|m| listed_version(graph, m.clone())),
    );
    for (shown, replacement) in listed {
        let asked = replacement.as_ref().unwrap_or(&shown);
        let (info, go) = if form == ListForm::Text {
            if cache.has_info(asked) {
                continue;
            }
            (None, Some(None))
        } else {
            let go = if graph.go_version(&shown).is_some() {
                Some(None)
            } else {
                cache.go_mod(asked).map(|s| s.go_version)
            };
            (cache.info(asked), go)
        };
        match (info, go) {
            (Some(info), Some(go)) => complete(graph, shown, &info, go),
            (info, go) => to_fetch.push(Wanted {
                asked: replacement.unwrap_or_else(|| shown.clone()),
                shown,
                info,
                want_go: go.is_none(),
            }),
        }
    }
    let mut tasks: JoinSet<(Wanted, Result<Fetched, LoadError>)> = JoinSet::new();
    let mut pending = to_fetch.into_iter();
    let spawn_one = |tasks: &mut JoinSet<_>, w: Wanted| {
        let source = Arc::clone(&source);
        tasks.spawn(async move {
            let answer = fetch_listed(&*source, &w).await;
            (w, answer)
        });
    };
    for w in pending.by_ref().take(CONCURRENCY) {
        spawn_one(&mut tasks, w);
    }
    let mut failed: Option<(ModKey, LoadError)> = None;
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("an info task does not panic") {
            (w, Ok(fetched)) => {
                let go = learn(cache, &w, &fetched);
                let info = w.info.as_ref().or(fetched.info.as_ref());
                complete(graph, w.shown, info.expect("fetched when not cached"), go);
            }
            (w, Err(e)) => {
                if failed.as_ref().is_none_or(|(f, _)| w.shown < *f) {
                    failed = Some((w.shown, e));
                }
            }
        }
        if let Some(next) = pending.next() {
            spawn_one(&mut tasks, next);
        }
    }
    match failed {
        None => Ok(()),
        Some((m, cause)) => {
            let chain = graph
                .why(&m.path)
                .into_iter()
                .next()
                .unwrap_or_else(|| vec![m]);
            Err(GraphError::Load { chain, cause })
        }
    }
}

/// Record what `go list -m` adds about a listed module from outside the
/// graph: its `.info` time and, when the graph did not load its go.mod, that
/// go.mod's `go` line.
fn complete(graph: &mut ModuleGraph, m: ModKey, info: &Info, go: Option<String>) {
    if let Some(time) = &info.time {
        graph.times.insert(m.clone(), time.clone());
    }
    if let Some(go) = go {
        graph.listed_go_versions.insert(m, go);
    }
}

/// A listed module the summary cache could not complete: its `.info` if
/// cached, and whether its go.mod's `go` line is still wanted.
struct Wanted {
    shown: ModKey,
    asked: ModKey,
    info: Option<Info>,
    want_go: bool,
}

/// What a [`Wanted`] fetch brought: the `.info` when it was not cached, the
/// go.mod bytes when wanted and available.
struct Fetched {
    info: Option<Info>,
    go_mod: Option<Vec<u8>>,
}

async fn fetch_listed(source: &dyn ModuleSource, w: &Wanted) -> Result<Fetched, LoadError> {
    let (path, version) = (&w.asked.path, &w.asked.version);
    let info = match &w.info {
        Some(_) => None,
        None => Some(source.info(path, version).await?),
    };
    let go_mod = if w.want_go {
        source.go_mod(path, version).await.ok()
    } else {
        None
    };
    Ok(Fetched { info, go_mod })
}

/// Record what was fetched for `w` in `cache`; returns the `go` line when
/// it was wanted and the go.mod parses (`None` otherwise, as go ignores it).
fn learn(cache: &mut SummaryCache, w: &Wanted, fetched: &Fetched) -> Option<String> {
    if let Some(info) = &fetched.info {
        cache.record_info(&w.asked, info.clone());
    }
    let bytes = fetched.go_mod.as_ref()?;
    let summary = Summary::parse(&GoModId::Remote(w.asked.clone()), bytes).ok()?;
    let go = summary.go_version.clone();
    cache.record_go_mod(&w.asked, go_mod_hash(bytes), summary);
    go
}

/// The version `go list -m` resolves for a build-list entry: its versioned
/// replacement (`None`: the entry itself); nothing for main modules, the
/// `go`/`toolchain` pseudo-modules and directory replacements.
fn listed_version(graph: &ModuleGraph, m: ModKey) -> Option<(ModKey, Option<ModKey>)> {
    if m.version.is_empty() || m.path == "go" || m.path == "toolchain" {
        return None;
    }
    match graph.replacement(&m) {
        None => Some((m, None)),
        Some(r) => {
            let asked = ModKey::new(&r.path, r.version.as_ref()?);
            Some((m, Some(asked)))
        }
    }
}

/// How far a resolution's fetching is, for a front end to show.
pub trait Progress: Sync {
    /// `done` of `requested` go.mod files fetched so far.
    fn fetched(&self, done: usize, requested: usize);
    /// The resolution is over.
    fn finished(&self);
}

/// No progress shown.
impl Progress for () {
    fn fetched(&self, _: usize, _: usize) {}
    fn finished(&self) {}
}

/// A directory replacement's go.mod as a resolution read it (`None`: unreadable).
#[derive(Debug, Clone)]
pub struct DirRead {
    /// The replacement directory.
    pub dir: String,
    /// The bytes of its go.mod.
    pub bytes: Option<Vec<u8>>,
}

/// [`resolve`], reading directory replacements' go.mod files through
/// `files` and reporting to `progress`; also the go.mod files it read. The
/// cache is only read: what was fetched comes back to be recorded, beside
/// the resolution's result (its error as [`resolve`]'s).
pub async fn resolve_in(
    inputs: &Inputs,
    source: &Arc<dyn ModuleSource>,
    cache: &SummaryCache,
    files: &dyn super::discover::Files,
    progress: &dyn Progress,
) -> (
    Result<(ModuleGraph, Vec<DirRead>), GraphError>,
    FetchedGoMods,
) {
    let dirs_read = std::sync::Mutex::new(Vec::new());
    let read_dir = |d: &str| {
        let file = std::path::Path::new(d).join("go.mod");
        let read = files.read(&file);
        dirs_read
            .lock()
            .expect("no panics while holding the lock")
            .push(DirRead {
                dir: d.to_owned(),
                bytes: read.as_ref().ok().cloned(),
            });
        read.map_err(|e| LoadError::Invalid(format!("reading {}: {e}", file.display())))
    };
    let report = |done: usize, total: usize| progress.fetched(done, total);
    let (result, fetched) = resolve_reading(inputs, source, cache, &read_dir, &report).await;
    progress.finished();
    let dirs_read = dirs_read
        .into_inner()
        .expect("no panics while holding the lock");
    (result.map(|graph| (graph, dirs_read)), fetched)
}
