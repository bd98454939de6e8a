//! The async loop around the pure step: run [`step`], fetch every go.mod it
//! names concurrently through a [`ModuleSource`], and run it again until the
//! graph is finished. Directory replacements are read through a callback so
//! the caller decides how the disk is touched.

use std::sync::Arc;

use tokio::task::JoinSet;

use super::{GoModId, GoModStore, GraphError, Inputs, LoadError, ModKey, ModuleGraph, Step, step};
use crate::source::ModuleSource;

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
        requested += missing.len();
        fetch_all(missing, &source, read_dir, &mut store, |done| {
            progress(requested - done, requested);
        })
        .await;
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

/// Check that every listed module version exists, as `go list -m all` does
/// before printing: it resolves each one (or its versioned replacement)
/// through the proxy's `.info`, and fails when one cannot be resolved — even
/// a pruned leaf whose go.mod the graph never needed.
pub async fn check_listed(graph: &ModuleGraph, source: Arc<dyn ModuleSource>) -> Result<(), GraphError> {
    let mut tasks: JoinSet<Result<(), (ModKey, LoadError)>> = JoinSet::new();
    let mut pending = graph.build_list().into_iter().filter_map(|m| listed_version(graph, m));
    let spawn_info = |tasks: &mut JoinSet<_>, (shown, asked): (ModKey, ModKey)| {
        let source = Arc::clone(&source);
        tasks.spawn(async move {
            source.info(&asked.path, &asked.version).await.map(|_| ()).map_err(|e| (shown, LoadError::from(e)))
        });
    };
    for m in pending.by_ref().take(CONCURRENCY) {
        spawn_info(&mut tasks, m);
    }
    let mut failed: Option<(ModKey, LoadError)> = None;
    while let Some(joined) = tasks.join_next().await {
        if let Err((m, e)) = joined.expect("an info task does not panic") {
            if failed.as_ref().is_none_or(|(f, _)| m < *f) {
                failed = Some((m, e));
            }
        }
        if let Some(next) = pending.next() {
            spawn_info(&mut tasks, next);
        }
    }
    match failed {
        None => Ok(()),
        Some((m, cause)) => {
            let chain = graph.why(&m.path).into_iter().next().unwrap_or_else(|| vec![m]);
            Err(GraphError::Load { chain, cause })
        }
    }
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
        Some(r) => r.version.as_ref().map(|v| (m.clone(), ModKey::new(&r.path, v))),
    }
}
