//! `tykdeps cache dir` and `tykdeps cache clean`: tykdeps keeps what it
//! learns between runs below the module cache, in `$GOMODCACHE/cache/tykdeps`
//! (go.mod summaries, package facts, graph outputs, the proxy's metadata);
//! these show where, and remove it. Module files fetched in the go command's
//! own layout (`cache/download`) belong to the go command's cache and are
//! left alone (`go clean -modcache` removes those).

use std::fmt::Write as _;
use std::path::Path;

use miette::miette;
use tykdeps_resolver::source::tykdeps_cache_dir;

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
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(format!(
                "nothing to remove: {} does not exist\n",
                dir.display()
            ));
        }
        Err(e) => return Err(cannot(dir, &e)),
    };
    let mut stores: Vec<(String, u64, u64)> = entries
        .filter_map(Result::ok)
        .map(|e| {
            let (files, bytes) = tally(&e.path());
            (e.file_name().to_string_lossy().into_owned(), files, bytes)
        })
        .collect();
    stores.sort();
    std::fs::remove_dir_all(dir).map_err(|e| cannot(dir, &e))?;
    let mut text = format!("removed {}\n", dir.display());
    for (name, files, bytes) in stores {
        let s = if files == 1 { "" } else { "s" };
        let _ = writeln!(text, "  {name}: {files} file{s}, {bytes} bytes");
    }
    Ok(text)
}

fn cannot(dir: &Path, e: &std::io::Error) -> CommandError {
    CommandError::invalid(miette!("cannot remove {}: {e}", dir.display()))
}

/// Files and bytes below `path` (a file counts itself).
fn tally(path: &Path) -> (u64, u64) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return (0, 0);
    };
    if !meta.is_dir() {
        return (1, meta.len());
    }
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| tally(&e.path()))
        .fold((0, 0), |(f, b), (f2, b2)| (f + f2, b + b2))
}
