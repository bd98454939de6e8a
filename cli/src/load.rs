//! What the graph commands and the audit share before the library runs:
//! the module sources of this environment, the async runtime, the
//! progress bar, and the graph commands' own run (the library finds the
//! main modules and resolves; this gives it the disk and the terminal).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressStyle};
use miette::{Report, miette};
use tykdeps_resolver::graph::discover::{Disk, InputError, Mirror, Project};
use tykdeps_resolver::graph::driver::{self, DirRead, ListForm, Progress};
use tykdeps_resolver::graph::{GraphError, LoadError, ModuleGraph};
use tykdeps_resolver::source::cached::CachedSource;
use tykdeps_resolver::source::http::HttpOptions;
use tykdeps_resolver::source::{self, ModuleSource};

use crate::exit::{CommandError, ExitStatus};
use crate::settings::Settings;

/// Load the graph of the module or workspace at `dir`, as `mirror` would
/// (completed for `go list -m -json all` when that is the mirror), in the
/// environment the process was started with.
pub(crate) fn graph_at(dir: Option<&Path>, mirror: Mirror) -> Result<ModuleGraph, CommandError> {
    let settings = &Settings::from_env()?;
    let start = start_dir(dir)?;
    graph_in(settings, &start, mirror, ListForm::Json).map(|(graph, _)| graph)
}

/// The absolute directory a graph command starts from.
pub(crate) fn start_dir(dir: Option<&Path>) -> Result<PathBuf, CommandError> {
    absolute(dir.unwrap_or(Path::new(".")))
}

/// Load the graph of the module or workspace at `start` as [`graph_at`]
/// does, completed for printing `form` when `mirror` is `go list`; also
/// returning the directory replacements' go.mod files it read.
pub(crate) fn graph_in(
    settings: &Settings,
    start: &Path,
    mirror: Mirror,
    form: ListForm,
) -> Result<(ModuleGraph, Vec<DirRead>), CommandError> {
    let project = Project::find(start, &settings.env, mirror, &Disk).map_err(input_failure)?;
    let mut cache = project.summary_cache(settings.env.gomodcache().ok());
    let source: Arc<dyn ModuleSource> =
        cached_source(settings, Some(&project), HttpOptions::default())?;
    let bar = Bar::default();
    let result = runtime()?.block_on(async {
        let (resolved, fetched) =
            driver::resolve_in(&project.inputs, &source, &cache, &Disk, &bar).await;
        fetched.record_in(&mut cache);
        let (mut graph, dirs) = resolved.map_err(|e| graph_failure(&e))?;
        if mirror == Mirror::List {
            driver::complete_listed(&mut graph, source, &mut cache, form)
                .await
                .map_err(|e| graph_failure(&e))?;
        }
        Ok((graph, dirs))
    });
    // The cache is a shortcut only: failing to write it (a read-only module
    // cache) changes nothing about this run's answer.
    let _ = cache.save();
    kept_until_exit(cache);
    kept_until_exit(project);
    result
}

/// Leave `value` to the end of the process instead of freeing it now: a
/// command loads one graph, and freeing its tens of thousands of small
/// allocations one by one cost a `graph` run 6% of its time, where the
/// process's exit returns the memory at once.
pub(crate) fn kept_until_exit<T>(value: T) {
    std::mem::forget(value);
}

/// The module cache in front of the GOPROXY chain of `settings`, checking
/// fetched go.mod files against `project`'s go.sum (when there is one).
pub(crate) fn cached_source(
    settings: &Settings,
    project: Option<&Project>,
    options: HttpOptions,
) -> Result<Arc<CachedSource>, CommandError> {
    let sums = project.map(|p| p.go_mod_sums.clone()).unwrap_or_default();
    let source = source::from_env(
        &settings.env,
        sums,
        options,
        settings.netrc.as_deref(),
        None,
    )
    .map_err(|e| CommandError::invalid(miette!("{e}")))?;
    Ok(Arc::new(source))
}

/// One thread: a warm run is ~2,000 small cache reads that finish at once,
/// where handing tasks between worker threads costs more than the work;
/// network fetches still overlap, since they wait on sockets.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            CommandError::new(
                ExitStatus::CouldNotCheck,
                miette!("cannot start the async runtime: {e}"),
            )
        })
}

fn graph_failure(e: &GraphError) -> CommandError {
    let status = match &e {
        GraphError::Load {
            cause: LoadError::Fetch(_),
            ..
        } => ExitStatus::CouldNotCheck,
        _ => ExitStatus::Invalid,
    };
    CommandError::new(status, miette!("{e}"))
}

fn input_failure(e: InputError) -> CommandError {
    CommandError::invalid(Report::new(e))
}

/// The fetching progress bar, on a terminal only; one per resolution.
#[derive(Default)]
pub(crate) struct Bar(Mutex<Option<ProgressBar>>);

impl Progress for Bar {
    fn fetched(&self, done: usize, requested: usize) {
        if !std::io::stderr().is_terminal() {
            return;
        }
        let mut bar = self.0.lock().expect("no panics while holding the lock");
        let bar = bar.get_or_insert_with(|| {
            let bar = ProgressBar::new(0);
            if let Ok(style) =
                ProgressStyle::with_template("fetching go.mod files {bar:30} {pos}/{len}")
            {
                bar.set_style(style);
            }
            bar
        });
        bar.set_length(requested as u64);
        bar.set_position(done as u64);
    }

    fn finished(&self) {
        if let Some(bar) = self
            .0
            .lock()
            .expect("no panics while holding the lock")
            .take()
        {
            bar.finish_and_clear();
        }
    }
}

pub(crate) fn absolute(p: &Path) -> Result<PathBuf, CommandError> {
    std::path::absolute(p).map_err(|e| CommandError::invalid(miette!("{}: {e}", p.display())))
}
