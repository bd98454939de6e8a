//! `tykdeps cache dir` and `tykdeps cache clean`: tykdeps keeps what it
//! learns between runs below the module cache, in `$GOMODCACHE/cache/tykdeps`
//! (go.mod summaries, package facts, graph outputs, the proxy's metadata);
//! these show where, and remove it. Module files fetched in the go command's
//! own layout (`cache/download`) belong to the go command's cache and are
//! left alone (`go clean -modcache` removes those).

use std::path::Path;

use miette::miette;
use tykdeps_resolver::source::{cache_clean, tykdeps_cache_dir};

use crate::args::{CacheAction, CacheArgs};
use crate::exit::{CommandError, ExitStatus};
use crate::printer;
use crate::settings::Settings;

pub(crate) fn run(args: &CacheArgs) -> Result<ExitStatus, CommandError> {
    printer::finish(cache(args.action))
}

fn cache(action: CacheAction) -> Result<String, CommandError> {
    let settings = Settings::from_env()?;
    let gomodcache = settings
        .env
        .gomodcache()
        .map_err(|e| CommandError::invalid(miette!("GOMODCACHE: {e}")))?;
    let dir = tykdeps_cache_dir(gomodcache);
    match action {
        CacheAction::Dir => Ok(format!("{}\n", dir.display())),
        CacheAction::Clean => clean(&dir),
    }
}

/// Remove `dir`, and say what each store in it held.
fn clean(dir: &Path) -> Result<String, CommandError> {
    let removed = cache_clean::clean(dir)
        .map_err(|e| CommandError::invalid(miette!("cannot remove {}: {e}", dir.display())))?;
    Ok(tykdeps_render::cache::cleaned(dir, removed.as_deref()))
}
