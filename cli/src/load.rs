//! Everything the graph commands do before printing: find the main module or
//! workspace as the go command does (go.work upward unless GOWORK says
//! otherwise, else the nearest go.mod), read and parse those files, then run
//! the resolver's driver with a progress bar.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use miette::{Report, miette};
use tykdeps_resolver::gomod::{self, Mode};

use tykdeps_resolver::goenv::{self, Work};
use tykdeps_resolver::gomod::SumLine;
use tykdeps_resolver::graph::{
    self, GraphError, Inputs, LoadError, MainModule, ModKey, ModMode, ModuleGraph, Workspace,
};
use tykdeps_resolver::source::cached::CachedSource;
use tykdeps_resolver::source::http::{HttpOptions, InFlight};
use tykdeps_resolver::source::summaries::{self, SummaryCache};
use tykdeps_resolver::source::verify::GoModSums;
use tykdeps_resolver::source::{self, ModuleSource};

use crate::exit::ExitStatus;
use crate::settings::Settings;

/// A failure with the exit status it maps to.
pub(crate) type Failure = (Report, ExitStatus);

/// Which go command a graph command mirrors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mirror {
    /// `go list -m all`: GOFLAGS `-mod` applies (readonly by default) and
    /// every listed version is resolved.
    List,
    /// `go mod graph` (and `go mod why`): always `-mod=mod`, never writing.
    ModGraph,
}

/// A directory replacement's go.mod as the run read it (`None`: unreadable).
pub(crate) struct DirRead {
    /// The replacement directory.
    pub(crate) dir: String,
    /// The bytes of its go.mod.
    pub(crate) bytes: Option<Vec<u8>>,
}

/// Load the graph of the module or workspace at `dir`, as `mirror` would,
/// in the environment the process was started with.
pub(crate) fn graph_at(dir: Option<&Path>, mirror: Mirror) -> Result<ModuleGraph, Failure> {
    let settings = &Settings::from_env()?;
    let start = start_dir(dir)?;
    graph_in(settings, &start, mirror).map(|(graph, _)| graph)
}

/// The absolute directory a graph command starts from.
pub(crate) fn start_dir(dir: Option<&Path>) -> Result<PathBuf, Failure> {
    absolute(dir.unwrap_or(Path::new(".")))
}

/// Load the graph of the module or workspace at `start` as [`graph_at`]
/// does, also returning the directory replacements' go.mod files it read.
pub(crate) fn graph_in(
    settings: &Settings,
    start: &Path,
    mirror: Mirror,
) -> Result<(ModuleGraph, Vec<DirRead>), Failure> {
    let (inputs, sums) = inputs(start, settings, mirror)?;
    let mut cache = summary_cache(settings, &sums);
    let source = source(settings, sums)?;
    let result = runtime()?.block_on(async {
        let (mut graph, dirs) = resolve(&inputs, &source, &mut cache).await?;
        if mirror == Mirror::List {
            graph::driver::complete_listed(&mut graph, source, &mut cache)
                .await
                .map_err(|e| graph_failure(&e))?;
        }
        Ok((graph, dirs))
    });
    // The cache is a shortcut only: failing to write it (a read-only module
    // cache) changes nothing about this run's answer.
    let _ = cache.save();
    result
}

/// The module source the go command would use in `settings`, checking
/// fetched go.mod files against `sums`.
pub(crate) fn source(
    settings: &Settings,
    sums: GoModSums,
) -> Result<Arc<dyn ModuleSource>, Failure> {
    Ok(cached_source(settings, sums, HttpOptions::default())?)
}

/// [`source`], as the module cache in front of the GOPROXY chain, whose
/// chain the audit's metadata questions ask directly.
pub(crate) fn cached_source(
    settings: &Settings,
    sums: GoModSums,
    options: HttpOptions,
) -> Result<Arc<CachedSource>, Failure> {
    let source = source::from_env(&settings.env, sums, options, settings.netrc.as_deref())
        .map_err(|e| (miette!("{e}"), ExitStatus::Invalid))?;
    Ok(Arc::new(source))
}

/// Run `work` within `deadline` (none when zero); past it, the run is over:
/// exit 3, naming the requests still under way.
pub(crate) async fn within<T>(
    deadline: Duration,
    in_flight: &InFlight,
    work: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    if deadline.is_zero() {
        return work.await;
    }
    // Polled by reference, so the requests still under way are still
    // counted when the deadline passes.
    let mut work = std::pin::pin!(work);
    tokio::time::timeout(deadline, work.as_mut()).await.unwrap_or_else(|_| {
        let pending = in_flight.pending();
        let waiting = if pending.is_empty() {
            String::new()
        } else {
            format!("; no answer yet from:\n\t{}", pending.join("\n\t"))
        };
        Err((
            miette!(
                help = "raise it with --timeout or TYKDEPS_TIMEOUT, or check the module proxy (GOPROXY)",
                "the module data did not arrive within the deadline of {}s{waiting}",
                deadline.as_secs()
            ),
            ExitStatus::CouldNotCheck,
        ))
    })
}

/// One thread: a warm run is ~2,000 small cache reads that finish at once,
/// where handing tasks between worker threads costs more than the work;
/// network fetches still overlap, since they wait on sockets.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            (
                miette!("cannot start the async runtime: {e}"),
                ExitStatus::CouldNotCheck,
            )
        })
}

/// The module graph of `inputs`, with a progress bar on a terminal, and the
/// directory replacements' go.mod files it read.
pub(crate) async fn resolve(
    inputs: &Inputs,
    source: &Arc<dyn ModuleSource>,
    cache: &mut SummaryCache,
) -> Result<(ModuleGraph, Vec<DirRead>), Failure> {
    let bar = progress_bar();
    let dirs_read = std::sync::Mutex::new(Vec::new());
    let read_dir = |d: &str| {
        let file = Path::new(d).join("go.mod");
        let read = std::fs::read(&file);
        dirs_read
            .lock()
            .expect("no panics while holding the lock")
            .push(DirRead {
                dir: d.to_owned(),
                bytes: read.as_ref().ok().cloned(),
            });
        read.map_err(|e| LoadError::Invalid(format!("reading {}: {e}", file.display())))
    };
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let result =
        graph::driver::resolve(inputs, Arc::clone(source), cache, &read_dir, &progress).await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let dirs_read = dirs_read
        .into_inner()
        .expect("no panics while holding the lock");
    result
        .map(|graph| (graph, dirs_read))
        .map_err(|e| graph_failure(&e))
}

fn graph_failure(e: &GraphError) -> Failure {
    let status = match &e {
        GraphError::Load {
            cause: LoadError::Fetch(_),
            ..
        } => ExitStatus::CouldNotCheck,
        _ => ExitStatus::Invalid,
    };
    (miette!("{e}"), status)
}

/// The summary cache below GOMODCACHE, checked against the main module's
/// go.sum (disabled when GOMODCACHE is unusable: the source setup reports
/// that).
pub(crate) fn summary_cache(settings: &Settings, sums: &GoModSums) -> SummaryCache {
    match settings.env.gomodcache() {
        Ok(dir) => SummaryCache::open(&summaries::cache_file(dir), sums.clone()),
        Err(_) => SummaryCache::disabled(),
    }
}

fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    bar.set_style(ProgressStyle::with_template("fetching go.mod files {bar:30} {pos}/{len}").ok()?);
    Some(bar)
}

pub(crate) fn absolute(p: &Path) -> Result<PathBuf, Failure> {
    std::path::absolute(p).map_err(|e| (miette!("{}: {e}", p.display()), ExitStatus::Invalid))
}

/// The main module(s) and mode, and the go.mod hashes of the main module's
/// go.sum (fetched go.mod files are checked against them, as go checks).
pub(crate) fn inputs(
    start: &Path,
    settings: &Settings,
    mirror: Mirror,
) -> Result<(Inputs, GoModSums), Failure> {
    let work = settings
        .env
        .work()
        .map_err(|e| (miette!("GOWORK: {e}"), ExitStatus::Invalid))?;
    let work_file = match work {
        Work::Off => None,
        Work::File(path) => Some(path.clone()),
        Work::Search => find_upward(start, "go.work"),
    };
    // GOFLAGS' -mod is read, and any other value refused, by goenv.
    let flag = settings.env.goflags.mod_mode;
    match (flag, &work_file) {
        (Some(goenv::ModMode::Vendor), _) => {
            return Err((
                miette!("-mod=vendor is not supported: tykdeps does not read vendor directories"),
                ExitStatus::Invalid,
            ));
        }
        (Some(goenv::ModMode::Mod), Some(_)) => {
            return Err((
                miette!(
                    "-mod may only be set to readonly or vendor when in workspace mode, but it is set to \"mod\"\n\tRemove the -mod flag to use the default readonly value, \n\tor set GOWORK=off to disable workspace mode."
                ),
                ExitStatus::Invalid,
            ));
        }
        _ => {}
    }
    if let Some(work_file) = work_file {
        return Ok((workspace(&work_file)?, GoModSums::new()));
    }
    let Some(go_mod) = find_upward(start, "go.mod") else {
        return Err((
            miette!(
                "go.mod file not found in {} or any parent directory",
                start.display()
            ),
            ExitStatus::Invalid,
        ));
    };
    let dir = go_mod.parent().expect("a file has a directory");
    let go_mod_lines = go_mod_sum_lines(dir)?;
    let mode = if mirror == Mirror::ModGraph || flag == Some(goenv::ModMode::Mod) {
        ModMode::Mod
    } else {
        ModMode::Readonly {
            explicit: flag == Some(goenv::ModMode::Readonly),
            go_mod_sums: go_mod_lines
                .iter()
                .map(|l| ModKey::new(&l.path, &l.version))
                .collect(),
        }
    };
    let sums = go_mod_lines
        .into_iter()
        .map(|l| (l.path, l.version, l.hash))
        .collect();
    let inputs = Inputs {
        mains: vec![main_module(dir)?],
        work: None,
        mode,
    };
    Ok((inputs, sums))
}

/// The `path version/go.mod` lines of `dir/go.sum` (none if it is absent).
fn go_mod_sum_lines(dir: &Path) -> Result<Vec<SumLine>, Failure> {
    let file = dir.join("go.sum");
    if !file.is_file() {
        return Ok(Vec::new());
    }
    let name = file.display().to_string();
    let sums = gomod::parse_sum(&name, &read(&file)?)
        .map_err(|e| (Report::new(e), ExitStatus::Invalid))?;
    Ok(sums.lines.into_iter().filter(|l| l.go_mod).collect())
}

fn workspace(work_file: &Path) -> Result<Inputs, Failure> {
    let name = work_file.display().to_string();
    let text = read(work_file)?;
    let file =
        gomod::parse_work(&name, &text).map_err(|e| (Report::new(e), ExitStatus::Invalid))?;
    let dir = work_file.parent().expect("a file has a directory");
    let mains = file
        .uses
        .iter()
        .map(|u| main_module(&clean(&dir.join(&u.disk_path))))
        .collect::<Result<_, _>>()?;
    Ok(Inputs {
        mains,
        mode: ModMode::Mod,
        work: Some(Workspace {
            dir: dir.display().to_string(),
            file,
        }),
    })
}

pub(crate) fn main_module(dir: &Path) -> Result<MainModule, Failure> {
    let file = dir.join("go.mod");
    let name = file.display().to_string();
    let text = read(&file)?;
    let go_mod = gomod::parse_mod(&name, &text, Mode::Strict)
        .map_err(|e| (Report::new(e), ExitStatus::Invalid))?;
    let Some(module) = &go_mod.module else {
        return Err((
            miette!("{name}: no module declaration in go.mod"),
            ExitStatus::Invalid,
        ));
    };
    Ok(MainModule {
        path: module.path.clone(),
        dir: dir.display().to_string(),
        go_mod,
    })
}

pub(crate) fn read(file: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(file).map_err(|e| {
        (
            miette!("cannot read {}: {e}", file.display()),
            ExitStatus::Invalid,
        )
    })
}

/// The nearest `name` in `start` or a parent directory, as go searches.
pub(crate) fn find_upward(start: &Path, name: &str) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(name))
        .find(|f| f.is_file())
}

/// Lexical clean (Go's `filepath.Clean`, as the resolver does it), so
/// `use ./a` gives `/w/a` as go reports it.
pub(crate) fn clean(p: &Path) -> PathBuf {
    PathBuf::from(graph::paths::clean(&p.to_string_lossy()))
}
