//! The gateway matrix: one plugin audited against several gateways, as a
//! rolling upgrade runs it (one bundle, old and new gateways side by side).
//! The plugin side is read once and shared ([`super::PluginSide`]); each
//! cell is exactly the single audit of that pair. Across the cells: the
//! overall verdict ([`Verdict::combine`], as for plugins in one report)
//! and whether one build of the plugin can load into all of them, from the
//! versions each gateway's cell needs the plugin to link.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use super::memo::{Memo, TreeStamps};
use super::{Audit, AuditError, GatewaySpec, Host, PluginSide, Request};
use crate::audit::Verdict;
use crate::gomod::Edit;
use crate::graph::discover::{Files, Mirror, Project};

/// One gateway of the matrix.
#[derive(Debug, Clone)]
pub struct MatrixGateway {
    /// How it is named in the reports: as the user gave it.
    pub label: String,
    /// Which gateway.
    pub spec: GatewaySpec,
}

/// The audit against one gateway of the matrix.
#[derive(Debug)]
pub struct MatrixCell {
    /// The gateway's label.
    pub gateway: String,
    /// The audit, as [`super::run`] gives it for this gateway alone.
    pub audit: Audit,
}

/// The matrix: one cell per gateway, in the order given.
#[derive(Debug)]
pub struct Matrix {
    /// The cells.
    pub cells: Vec<MatrixCell>,
    /// `fails` if any cell fails, else `unknown` if any is unknown, else `loads`.
    pub verdict: Verdict,
    /// Whether one build of the plugin can load into every gateway.
    pub one_build: OneBuild,
}

/// Whether one build of the plugin loads into every gateway: each gateway
/// needs the modules the plugin shares with it at its own versions (its
/// cell's bot ceilings and proven pins), so one build can only exist when
/// no two gateways need one module at different versions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OneBuild {
    /// No module is needed at two versions (gateways whose module data
    /// could not be had aside, see `unchecked`).
    pub possible: bool,
    /// The versions the one build must have, for the modules no two
    /// gateways disagree on (module path → version).
    pub pins: BTreeMap<String, String>,
    /// The modules two gateways need at different versions.
    pub conflicts: Vec<PinConflict>,
    /// The gateways whose needs are unknown (their module data could not
    /// be fetched), so `possible` does not account for them.
    pub unchecked: Vec<String>,
}

/// A module gateways need at different versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PinConflict {
    /// The module path.
    pub module: String,
    /// Each gateway needing it, with the version it needs, in matrix order.
    pub needs: Vec<PinNeed>,
}

/// The version one gateway needs a module at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PinNeed {
    /// The gateway's label.
    pub gateway: String,
    /// The version.
    pub version: String,
}

/// A gateway's audit that stopped the matrix (a gateway that cannot be
/// found or read, a request wrong for it).
#[derive(Debug)]
pub struct CellError {
    /// The gateway's label.
    pub gateway: String,
    /// Why.
    pub cause: AuditError,
}

/// The gateway whose snapshot `cause` says cannot be used, so that the
/// error names it and not the first gateway. Each file is read once:
/// asking again answers from memory.
fn unusable_snapshot(
    gateways: &[MatrixGateway],
    cause: &AuditError,
    files: &dyn Files,
) -> Option<String> {
    if !matches!(cause, AuditError::Snapshot(_)) {
        return None;
    }
    gateways
        .iter()
        .find(|g| matches!(&g.spec, GatewaySpec::Snapshot(file) if file.read(files).is_err()))
        .map(|g| g.label.clone())
}

/// Audit the plugin `request` names against each of `gateways` (whatever
/// `request.gateway` says), the plugin side read once.
///
/// # Errors
/// As [`super::run`], for the first gateway whose audit cannot run.
pub async fn run_matrix(
    request: &Request,
    gateways: Vec<MatrixGateway>,
    host: &dyn Host,
) -> Result<Matrix, CellError> {
    let first = |cause| CellError {
        gateway: gateways
            .first()
            .map(|g| g.label.clone())
            .unwrap_or_default(),
        cause,
    };
    let project = Project::find(&request.start, &request.env, Mirror::List, host.files())
        .map_err(|e| first(e.into()))?;
    let specs = || gateways.iter().map(|g| &g.spec);
    let stamps = TreeStamps::default();
    let memo = host
        .files_are_disk()
        .then(|| Memo::new(request, &project, specs(), host.now(), &stamps))
        .flatten();
    if let Some(audits) = memo.as_ref().and_then(Memo::audits)
        && audits.len() == gateways.len()
    {
        let cells = gateways
            .into_iter()
            .zip(audits)
            .map(|(g, audit)| MatrixCell {
                gateway: g.label,
                audit,
            })
            .collect();
        return Ok(matrix(cells));
    }
    let side = PluginSide::open(project, request, host, specs(), stamps).map_err(|cause| {
        match unusable_snapshot(&gateways, &cause, host.files()) {
            Some(gateway) => CellError { gateway, cause },
            None => first(cause),
        }
    })?;
    let audits = audit_cells(&side, request, &gateways, host).await;
    side.save().await;
    let mut cells = Vec::with_capacity(gateways.len());
    for (MatrixGateway { label, .. }, audit) in gateways.into_iter().zip(audits) {
        match audit {
            Ok(audit) => cells.push(MatrixCell {
                gateway: label,
                audit,
            }),
            Err(cause) => {
                return Err(CellError {
                    gateway: label,
                    cause,
                });
            }
        }
    }
    if let Some(memo) = &memo {
        memo.save(cells.iter().map(|c| &c.audit));
    }
    Ok(matrix(cells))
}

/// Each gateway's audit, in the order given. The cells are independent, so
/// they run on as many threads as there are cores, each with its own
/// runtime, taking the next gateway when done with one.
async fn audit_cells(
    side: &PluginSide,
    request: &Request,
    gateways: &[MatrixGateway],
    host: &dyn Host,
) -> Vec<Result<Audit, AuditError>> {
    let cell = |g: &MatrixGateway| {
        let request = Request {
            gateway: g.spec.clone(),
            ..request.clone()
        };
        async move { side.audit(&request, host).await }
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let workers = Workers::start(threads.min(gateways.len()));
    if workers.0.len() < 2 {
        let mut audits = Vec::with_capacity(gateways.len());
        for g in gateways {
            audits.push(cell(g).await);
        }
        return audits;
    }
    let next = AtomicUsize::new(0);
    let audits: Vec<OnceLock<Result<Audit, AuditError>>> =
        gateways.iter().map(|_| OnceLock::new()).collect();
    // A thread's runtime drives the connections opened on it, which the
    // shared HTTP client may hand to another thread: each keeps running
    // until every thread is done (or has panicked).
    let (finished, all_finished) = tokio::sync::watch::channel(0);
    let (cell, threads) = (&cell, workers.0.len());
    std::thread::scope(|scope| {
        for runtime in &workers.0 {
            let (next, audits, finished) = (&next, &audits, &finished);
            let mut all_finished = all_finished.clone();
            scope.spawn(move || {
                runtime.block_on(async {
                    {
                        let _finished = Finished(finished);
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(g) = gateways.get(i) else { break };
                            let _ = audits[i].set(cell(g).await);
                        }
                    }
                    let _ = all_finished.wait_for(|n| *n == threads).await;
                });
            });
        }
    });
    audits
        .into_iter()
        .map(|a| a.into_inner().expect("every cell was audited"))
        .collect()
}

/// Counts a matrix thread as finished when dropped, even by a panic.
struct Finished<'a>(&'a tokio::sync::watch::Sender<usize>);

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n += 1);
    }
}

/// The runtimes of the threads a matrix's cells run on (as many as could
/// be started, up to the number asked for).
struct Workers(Vec<tokio::runtime::Runtime>);

impl Workers {
    /// None for fewer than two threads: the caller's own thread does it.
    fn start(threads: usize) -> Self {
        if threads < 2 {
            return Self(Vec::new());
        }
        let start = || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()
        };
        Self((0..threads).map_while(|_| start()).collect())
    }
}

impl Drop for Workers {
    /// Dropping a runtime blocks, which the async context the matrix runs
    /// in must not: they are shut down in the background.
    fn drop(&mut self) {
        for runtime in self.0.drain(..) {
            runtime.shutdown_background();
        }
    }
}

/// The matrix of `cells`: their overall verdict and the one build.
fn matrix(cells: Vec<MatrixCell>) -> Matrix {
    Matrix {
        verdict: Verdict::combine(cells.iter().map(|c| c.audit.report.verdict)),
        one_build: one_build(&cells),
        cells,
    }
}

/// The versions `cell`'s gateway needs the plugin to link (module path →
/// version): the modules its plugins require that the gateway links, and
/// the pins proven for its version conflicts. The gateway module itself is
/// left out: a build against several gateways compiles against one of
/// them, and the gateway's own packages are each cell's finding.
fn needs(cell: &MatrixCell) -> BTreeMap<String, String> {
    let gateway_module = cell.audit.report.gateway.module.as_deref();
    let ceilings = cell
        .audit
        .ceilings
        .iter()
        .flatten()
        .map(|c| (c.module.clone(), c.version.clone()));
    let pins = cell
        .audit
        .report
        .findings
        .iter()
        .filter(|f| f.rule.is_version_conflict())
        .flat_map(|f| &f.suggestions)
        .filter(|s| s.kind == "pin-version")
        .flat_map(|s| &s.edits)
        .filter_map(|edit| match edit {
            Edit::SetRequire { path, version, .. } => Some((path.clone(), version.clone())),
            _ => None,
        });
    ceilings
        .chain(pins)
        .filter(|(module, _)| Some(module.as_str()) != gateway_module)
        .collect()
}

/// The one build across `cells`: the intersection of their needs, or the
/// modules they disagree on.
fn one_build(cells: &[MatrixCell]) -> OneBuild {
    let mut wanted: BTreeMap<String, Vec<PinNeed>> = BTreeMap::new();
    let mut unchecked = Vec::new();
    for cell in cells {
        // Ceilings are none when the module data could not be fetched.
        if cell.audit.ceilings.is_empty() && cell.audit.report.verdict == Verdict::Unknown {
            unchecked.push(cell.gateway.clone());
            continue;
        }
        for (module, version) in needs(cell) {
            wanted.entry(module).or_default().push(PinNeed {
                gateway: cell.gateway.clone(),
                version,
            });
        }
    }
    let (mut pins, mut conflicts) = (BTreeMap::new(), Vec::new());
    for (module, needs) in wanted {
        if needs.iter().all(|n| n.version == needs[0].version) {
            pins.insert(module, needs[0].version.clone());
        } else {
            conflicts.push(PinConflict { module, needs });
        }
    }
    OneBuild {
        possible: conflicts.is_empty(),
        pins,
        conflicts,
        unchecked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Gateway, Mode, PluginReport, Report};
    use crate::bots::Ceiling;

    fn cell(gateway: &str, verdict: Verdict, ceilings: &[(&str, &str)]) -> MatrixCell {
        let plugin = PluginReport {
            module: Some("example.com/plugin".to_owned()),
            dir: "plugin".to_owned(),
            verdict,
            loader_message: None,
            findings: Vec::new(),
        };
        let gw = Gateway {
            module: Some("example.com/gateway".to_owned()),
            ..Gateway::default()
        };
        MatrixCell {
            gateway: gateway.to_owned(),
            audit: Audit {
                report: Report::new(Mode::Standalone, gw, Vec::new(), vec![plugin]),
                plugin_go_mods: Vec::new(),
                ceilings: vec![
                    ceilings
                        .iter()
                        .map(|(module, version)| Ceiling {
                            module: (*module).to_owned(),
                            version: (*version).to_owned(),
                        })
                        .collect(),
                ],
                unfetched: None,
            },
        }
    }

    #[test]
    fn agreeing_gateways_give_the_intersection_and_the_gateway_module_is_left_out() {
        let cells = [
            cell(
                "a",
                Verdict::Loads,
                &[("x.com/m", "v1.0.0"), ("example.com/gateway", "v1.0.0")],
            ),
            cell(
                "b",
                Verdict::Loads,
                &[("x.com/m", "v1.0.0"), ("y.com/n", "v2.0.0")],
            ),
        ];
        let build = one_build(&cells);
        assert!(build.possible);
        assert_eq!(
            build.pins,
            BTreeMap::from([
                ("x.com/m".to_owned(), "v1.0.0".to_owned()),
                ("y.com/n".to_owned(), "v2.0.0".to_owned())
            ])
        );
    }

    #[test]
    fn a_module_needed_at_two_versions_is_the_named_conflict() {
        let mut unfetched = cell("c", Verdict::Unknown, &[]);
        unfetched.audit.ceilings.clear();
        let cells = [
            cell(
                "a",
                Verdict::Loads,
                &[("x.com/m", "v1.2.0"), ("y.com/n", "v1.0.0")],
            ),
            cell(
                "b",
                Verdict::Fails,
                &[("x.com/m", "v1.3.0"), ("y.com/n", "v1.0.0")],
            ),
            unfetched,
        ];
        let build = one_build(&cells);
        assert!(!build.possible);
        assert_eq!(build.pins.len(), 1);
        assert_eq!(build.unchecked, ["c"]);
        let need = |g: &str, v: &str| PinNeed {
            gateway: g.to_owned(),
            version: v.to_owned(),
        };
        assert_eq!(
            build.conflicts,
            [PinConflict {
                module: "x.com/m".to_owned(),
                needs: vec![need("a", "v1.2.0"), need("b", "v1.3.0")],
            }]
        );
    }
}
