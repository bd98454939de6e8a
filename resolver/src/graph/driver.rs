//! The async loop around the pure step: run [`step`], fetch every go.mod it
//! names concurrently through a [`ModuleSource`], and run it again until the
//! graph is finished. Directory replacements are read through a callback so
//! the caller decides how the disk is touched.

use std::sync::Arc;

use tokio::task::JoinSet;

use super::{
    GoModId, GoModStore, GraphError, Inputs, LoadError, ModKey, ModuleGraph, Step, lookahead, step,
};
use crate::source::{Info, ModuleSource};

/// How many go.mod requests are in flight at once.
const CONCURRENCY: usize = 32;

/// Reads `<dir>/go.mod` for a directory replacement.
pub type ReadDir<'a> = dyn Fn(&str) -> Result<Vec<u8>, LoadError> + Sync + 'a;

/// Compute the graph of `inputs`, fetching go.mod files from `source`.
/// `progress(done, requested)` is called after every fetched file.
pub async fn resolve(
    inputs: &Inputs,
    source: Arc<dyn ModuleSource>,
    read_dir: &ReadDir<'_>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ModuleGraph, GraphError> {
    let mut store = GoModStore::new();
    let mut requested = 0;
    loop {
        let missing = match step(inputs, &store)? {
            Step::Done(graph) => return Ok(graph),
            Step::Missing(missing) => missing,
        };
        let mut batch = missing;
        while !batch.is_empty() {
            requested += batch.len();
            fetch_all(batch.clone(), &source, read_dir, &mut store, |done| {
                progress(requested - done, requested);
            })
            .await;
            batch = lookahead(inputs, &store, &batch)?;
        }
    }
}

async fn fetch_all(
    missing: impl IntoIterator<Item = GoModId>,
    source: &Arc<dyn ModuleSource>,
    read_dir: &ReadDir<'_>,
    store: &mut GoModStore,
    progress: impl Fn(usize),
) {
    let mut remote: Vec<GoModId> = Vec::new();
    for id in missing {
        match &id {
            GoModId::Dir(dir) => match read_dir(dir) {
                Ok(bytes) => store.insert_bytes(id, &bytes),
                Err(e) => store.insert_error(id, e),
            },
            GoModId::Remote(_) => remote.push(id),
        }
    }
    let mut left = remote.len();
    let mut tasks: JoinSet<(GoModId, Result<Vec<u8>, LoadError>)> = JoinSet::new();
    let mut pending = remote.into_iter();
    for id in pending.by_ref().take(CONCURRENCY) {
        spawn(&mut tasks, source, id);
    }
    while let Some(joined) = tasks.join_next().await {
        let (id, answer) = joined.expect("a go.mod fetch task does not panic");
        match answer {
            Ok(bytes) => store.insert_bytes(id, &bytes),
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

/// Resolve every listed module version as `go list -m all` does before
/// printing (cmd/go `completeFromModCache`): its `.info` (or its versioned
/// replacement's) must exist — even for a pruned leaf whose go.mod the graph
/// never needed — and gives its `Time`; its go.mod gives its `GoVersion`
/// when the graph did not load it (a failure there is ignored, as go does).
pub async fn complete_listed(
    graph: &mut ModuleGraph,
    source: Arc<dyn ModuleSource>,
) -> Result<(), GraphError> {
    type Answer = (ModKey, Result<(Info, Option<String>), LoadError>);
    let mut tasks: JoinSet<Answer> = JoinSet::new();
    let listed: Vec<(ModKey, ModKey, bool)> = graph
        .build_list()
        .into_iter()
        .filter_map(|m| listed_version(graph, m))
        .map(|(shown, asked)| {
            let need_go = !graph.go_versions.contains_key(&shown);
            (shown, asked, need_go)
        })
        .collect();
    let mut pending = listed.into_iter();
    let spawn_one = |tasks: &mut JoinSet<Answer>,
                     (shown, asked, need_go): (ModKey, ModKey, bool)| {
        let source = Arc::clone(&source);
        tasks.spawn(async move {
            let info = match source.info(&asked.path, &asked.version).await {
                Ok(info) => info,
                Err(e) => return (shown, Err(LoadError::from(e))),
            };
            let go = if need_go {
                go_line(&*source, &asked).await
            } else {
                None
            };
            (shown, Ok((info, go)))
        });
    };
    for m in pending.by_ref().take(CONCURRENCY) {
        spawn_one(&mut tasks, m);
    }
    let mut failed: Option<(ModKey, LoadError)> = None;
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("an info task does not panic") {
            (m, Ok((info, go))) => {
                if let Some(time) = info.time {
                    graph.times.insert(m.clone(), time);
                }
                if let Some(go) = go {
                    graph.go_versions.insert(m, go);
                }
            }
            (m, Err(e)) => {
                if failed.as_ref().is_none_or(|(f, _)| m < *f) {
                    failed = Some((m, e));
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

/// The `go` line of `m`'s go.mod, if it can be fetched and read.
async fn go_line(source: &dyn ModuleSource, m: &ModKey) -> Option<String> {
    let bytes = source.go_mod(&m.path, &m.version).await.ok()?;
    let f = crate::gomod::parse_mod(
        "go.mod",
        &String::from_utf8_lossy(&bytes),
        crate::gomod::Mode::Lax,
    )
    .ok()?;
    f.go.map(|g| g.version)
}

/// The version `go list -m` resolves for a build-list entry: the module's
/// own, or its versioned replacement's; nothing for main modules, the
/// `go`/`toolchain` pseudo-modules and directory replacements.
fn listed_version(graph: &ModuleGraph, m: ModKey) -> Option<(ModKey, ModKey)> {
    if m.version.is_empty() || m.path == "go" || m.path == "toolchain" {
        return None;
    }
    match graph.replacement(&m) {
        None => Some((m.clone(), m)),
        Some(r) => r
            .version
            .as_ref()
            .map(|v| (m.clone(), ModKey::new(&r.path, v))),
    }
}
