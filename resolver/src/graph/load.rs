//! The pure MVS step: cmd/go's `readModGraph` (pruned, unpruned and workspace
//! loading), `mvs.Graph` selection and the root fix-up of `expandGraph`
//! (`updatePrunedRoots`, `updateUnprunedRoots`), over the go.mod files known
//! so far. A go.mod that is not known yet is recorded as missing and its
//! requirements are not followed; the caller fetches the missing files and
//! runs the step again, until nothing is missing.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, OnceLock};

use rustc_hash::{FxBuildHasher, FxHashMap as HashMap, FxHashSet as HashSet};

use super::names::{Name, Names};
use super::replace::Replacer;
use super::store::{GO_STRICT, is_pruned_go};
use super::why::{chain_to, first_requires};
use super::{
    GoModId, GoModStore, GraphError, Inputs, LoadError, MainInfo, ModKey, ModMode, ModuleGraph,
    Replacement, Requirements, Step, Summary,
};
use crate::source::verify::GoModSums;
use crate::version::gover;

/// How requirements below a module are followed (cmd/go `modPruning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Pruning {
    /// Only an unpruned go.mod's requirements are followed.
    Pruned,
    /// Every requirement is followed.
    Unpruned,
    /// A workspace module's requirements are followed, pruned below.
    Workspace,
}

impl Pruning {
    /// Whether a go.mod met under this pruning (itself `pruned` or not) has
    /// its requirements loaded, and under which pruning (`readModGraph`'s
    /// enqueue rule).
    fn below(self, pruned: bool) -> Option<Self> {
        let follow = self != Self::Pruned || !pruned;
        let next = if self == Self::Unpruned || !pruned {
            Self::Unpruned
        } else {
            Self::Pruned
        };
        follow.then_some(next)
    }
}

/// cmd/go `gover.ModSort` order: path, then version.
pub(crate) fn mod_sort(a: &ModKey, b: &ModKey) -> Ordering {
    a.path
        .cmp(&b.path)
        .then_with(|| gover::mod_compare(&a.path, &a.version, &b.version))
}

/// cmd/go `cmpVersion`: a main module (`""`) beats every version.
fn cmp_version(path: &str, v1: &str, v2: &str) -> Ordering {
    match (v1.is_empty(), v2.is_empty()) {
        (true, true) => Ordering::Equal,
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        (false, false) => gover::mod_compare(path, v1, v2),
    }
}

/// The go.mod files certainly needed once `known` are loaded, found
/// without running the whole step: every requirement of an unpruned go.mod
/// (go < 1.17, or no go line) is loaded whatever led to it (`readModGraph`'s
/// enqueue rule), so a driver can fetch a chain of old modules in one go
/// instead of one step per link. Excluded requirements are left out, and
/// replacements applied, exactly as the step will.
pub fn lookahead<'a>(
    inputs: &Inputs,
    store: &GoModStore<'_>,
    known: impl IntoIterator<Item = &'a GoModId>,
) -> Result<BTreeSet<GoModId>, GraphError> {
    let cx = Context::new(inputs, store)?;
    let mut next = BTreeSet::new();
    for id in known {
        if let Some(Ok(summary)) = store.get(id)
            && !summary.pruned
        {
            next.extend(cx.unknown_requirements(summary)?);
        }
    }
    Ok(next)
}

/// Run the step: finish the graph, or name the go.mod files still needed.
pub fn step(inputs: &Inputs, store: &GoModStore<'_>) -> Result<Step, GraphError> {
    let cx = Context::new(inputs, store)?;
    let (pruning, mut roots) = cx.initial_roots();
    let mut g = cx.read_graph(pruning, &roots)?;
    if !g.awaiting.is_empty() {
        return Ok(Step::Missing(Missing { graph: g }));
    }
    Context::check_errors(&g)?;
    if !cx.all_roots_selected(&g, &roots) {
        if let Some(dirty) = cx.readonly_dirty(pruning, &roots, &g) {
            return Err(dirty);
        }
        roots = match pruning {
            Pruning::Pruned => match cx.update_pruned_roots(&roots, g)? {
                Ok(r) => r,
                Err(graph) => return Ok(Step::Missing(Missing { graph })),
            },
            Pruning::Unpruned => cx.update_unpruned_roots(&g),
            Pruning::Workspace => roots,
        };
        g = cx.read_graph(pruning, &roots)?;
        if !g.awaiting.is_empty() {
            return Ok(Step::Missing(Missing { graph: g }));
        }
    }
    Context::check_errors(&g)?;
    Ok(Step::Done(cx.finish(g)))
}

/// What a step could not load yet: the go.mod files it needs, and the
/// graph it loaded without them.
#[derive(Debug)]
pub struct Missing {
    graph: Graph,
}

impl Missing {
    /// The go.mod files needed.
    pub fn ids(&self) -> BTreeSet<GoModId> {
        self.graph
            .awaiting
            .iter()
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// The resolution's failure once `store` holds an error for every
    /// file needed: the next step would load this very graph again only to
    /// report it (the files add no requirements), so it is reported from
    /// here. `None` while any of them is still to be had.
    pub fn failure(mut self, store: &GoModStore<'_>) -> Option<GraphError> {
        for (m, id) in std::mem::take(&mut self.graph.awaiting) {
            let Some(Err(e)) = store.get(&id) else {
                return None;
            };
            self.graph.errors.push((m, e.clone()));
        }
        Context::check_errors(&self.graph).err()
    }
}

/// `mvs.Graph` plus what loading it left behind, keyed by [`Node`].
#[derive(Debug, Default)]
struct Graph {
    names: Names,
    roots: Vec<ModKey>,
    /// The requirements of each module version loaded.
    required: HashMap<Node, Arc<[Node]>>,
    /// By path: the selected version, or [`UNSELECTED`].
    selected: Vec<Name>,
    /// Every module version [`bump`](Self::bump) has met.
    bumped: HashSet<Node>,
    /// The `go` line of each module version loaded that has one.
    go_versions: Vec<(Node, String)>,
    /// The modules whose go.mod is not known yet, with that go.mod.
    awaiting: Vec<(ModKey, GoModId)>,
    errors: Vec<(ModKey, LoadError)>,
}

/// A module version as the graph numbers it: its path and version.
type Node = (Name, Name);

/// `m`'s node, if `names` has both its strings.
fn find_node(names: &Names, m: &ModKey) -> Option<Node> {
    Some((names.find(&m.path)?, names.find(&m.version)?))
}

/// The module version numbered `node` in `names`.
fn key_of(names: &Names, (path, version): Node) -> ModKey {
    ModKey::new(names.name(path), names.name(version))
}

/// The version of `path` in `selected` (by path: the selected version, or
/// [`UNSELECTED`]), if one is selected.
fn selected_in<'a>(names: &'a Names, selected: &[Name], path: &str) -> Option<&'a str> {
    let v = *selected.get(names.find(path)? as usize)?;
    (v != UNSELECTED).then(|| names.name(v))
}

/// `required`, by module version.
fn keyed(names: &Names, required: &HashMap<Node, Arc<[Node]>>) -> BTreeMap<ModKey, Arc<[ModKey]>> {
    required
        .iter()
        .map(|(node, nodes)| {
            let reqs = nodes.iter().map(|n| key_of(names, *n)).collect();
            (key_of(names, *node), reqs)
        })
        .collect()
}

/// The (path, version) pairs of `selected` (by path: the selected version,
/// or [`UNSELECTED`]), in no order.
fn selections<'a>(
    names: &'a Names,
    selected: &'a [Name],
) -> impl Iterator<Item = (&'a str, &'a str)> {
    selected
        .iter()
        .enumerate()
        .filter(|(_, v)| **v != UNSELECTED)
        .map(|(p, v)| {
            let p = Name::try_from(p).expect("paths are names");
            (names.name(p), names.name(*v))
        })
}

/// No version of a path is selected.
const UNSELECTED: Name = Name::MAX;

impl Graph {
    /// A graph of `roots`, sized for `modules` module versions.
    fn new(roots: Vec<ModKey>, modules: usize) -> Self {
        let mut g = Self {
            names: Names::with_capacity(2 * modules),
            required: HashMap::with_capacity_and_hasher(modules, FxBuildHasher),
            bumped: HashSet::with_capacity_and_hasher(modules, FxBuildHasher),
            ..Self::default()
        };
        for m in &roots {
            g.bump(&m.path, &m.version);
        }
        g.roots = roots;
        g
    }

    fn node(&mut self, m: &ModKey) -> Node {
        (self.names.id(&m.path), self.names.id(&m.version))
    }

    fn key(&self, node: Node) -> ModKey {
        key_of(&self.names, node)
    }

    /// `m`'s node, if the graph has met both its strings.
    fn find(&self, m: &ModKey) -> Option<Node> {
        find_node(&self.names, m)
    }

    fn selected(&self, path: &str) -> &str {
        selected_in(&self.names, &self.selected, path).unwrap_or("none")
    }

    /// Every selected (path, version), in no order.
    fn selections(&self) -> impl Iterator<Item = (&str, &str)> {
        selections(&self.names, &self.selected)
    }

    /// Select `version` of `path` if it is above the path's; its node.
    fn bump(&mut self, path_text: &str, version_text: &str) -> Node {
        let node @ (path, version) = (self.names.id(path_text), self.names.id(version_text));
        if self.selected.len() < self.names.len() {
            self.selected.resize(self.names.len(), UNSELECTED);
        }
        let current = self.selected[path as usize];
        // A version met before is at or below the selection, which only
        // rises (the order is a total preorder): only a new one is compared.
        if current != version && self.bumped.insert(node) {
            let current = match current {
                UNSELECTED => "none",
                v => self.names.name(v),
            };
            if cmp_version(path_text, current, version_text).is_lt() {
                self.selected[path as usize] = version;
            }
        }
        node
    }

    /// `mvs.Graph.Require`; the nodes of `reqs`.
    fn require<'r>(
        &mut self,
        node: Node,
        reqs: impl ExactSizeIterator<Item = (&'r str, &'r str)>,
    ) -> Arc<[Node]> {
        let nodes: Arc<[Node]> = reqs.map(|(p, v)| self.bump(p, v)).collect();
        self.required.insert(node, Arc::clone(&nodes));
        nodes
    }

    /// The requirements loaded for `m`.
    fn requirements(&self, m: &ModKey) -> Option<&Arc<[Node]>> {
        self.required.get(&self.find(m)?)
    }

    /// The requirements loaded for `m`, as module versions.
    fn requirement_keys(&self, m: &ModKey) -> Option<Vec<ModKey>> {
        let nodes = self.requirements(m)?;
        Some(nodes.iter().map(|n| key_of(&self.names, *n)).collect())
    }
}

/// The selection and what one load read of each go.mod, kept as the loader
/// numbered them: commands look a few up, and only `why` walks them all, so
/// the map by [`ModKey`] (two strings a module version, then sorted) is
/// built when first asked.
#[derive(Debug, Clone)]
pub(super) struct LoadedGraph {
    names: Arc<Names>,
    /// By path: the selected version, or [`UNSELECTED`].
    selected: Vec<Name>,
    required: HashMap<Node, Arc<[Node]>>,
    go_versions: HashMap<Node, String>,
    by_key: OnceLock<BTreeMap<ModKey, Arc<[ModKey]>>>,
}

impl LoadedGraph {
    /// The selected version of `path`, if it is in the graph.
    pub(super) fn selected(&self, path: &str) -> Option<&str> {
        selected_in(&self.names, &self.selected, path)
    }

    /// Every selected (path, version), in no order.
    pub(super) fn selections(&self) -> impl Iterator<Item = (&str, &str)> {
        selections(&self.names, &self.selected)
    }

    /// The requirements loaded for `m`, in go.mod order.
    pub(super) fn required_by(&self, m: &ModKey) -> Option<&Arc<[ModKey]>> {
        self.by_key().get(m)
    }

    /// The `go` line of `m`'s go.mod, when it was loaded and has one.
    pub(super) fn go_version(&self, m: &ModKey) -> Option<&str> {
        self.go_versions
            .get(&find_node(&self.names, m)?)
            .map(String::as_str)
    }

    /// Every module version's requirements, in `ModKey` order.
    pub(super) fn by_key(&self) -> &BTreeMap<ModKey, Arc<[ModKey]>> {
        self.by_key
            .get_or_init(|| keyed(&self.names, &self.required))
    }
}

struct Context<'a> {
    inputs: &'a Inputs,
    store: &'a GoModStore<'a>,
    replacer: Replacer,
    excluded: hashbrown::HashSet<ModKey, FxBuildHasher>,
    main_paths: HashSet<String>,
}

/// A module's summary (borrowed from the store when nothing in it is
/// excluded), or why there is none yet.
enum Answer<'a> {
    Ready(Cow<'a, Summary>),
    Missing(GoModId),
    Failed(LoadError),
}

impl<'a> Context<'a> {
    fn new(inputs: &'a Inputs, store: &'a GoModStore<'a>) -> Result<Self, GraphError> {
        let excluded = inputs
            .mains
            .iter()
            .flat_map(|m| &m.go_mod.exclude)
            .map(|e| ModKey::new(&e.path, &e.version))
            .collect();
        Ok(Self {
            inputs,
            store,
            replacer: Replacer::new(inputs)?,
            excluded,
            main_paths: inputs.mains.iter().map(|m| m.path.clone()).collect(),
        })
    }

    fn workspace(&self) -> bool {
        self.inputs.work.is_some()
    }

    /// cmd/go `requirementsFromModFiles`: the pruning mode and sorted roots.
    fn initial_roots(&self) -> (Pruning, Vec<ModKey>) {
        let (pruning, mut roots) = if let Some(w) = &self.inputs.work {
            let mut roots: Vec<ModKey> = self
                .inputs
                .mains
                .iter()
                .map(|m| ModKey::new(&m.path, ""))
                .collect();
            let go = w.file.go.as_ref().map_or("1.18", |g| g.version.as_str());
            roots.push(ModKey::new("go", go));
            if let Some(t) = &w.file.toolchain {
                roots.push(ModKey::new("toolchain", &t.version));
            }
            (Pruning::Workspace, roots)
        } else {
            let main = &self.inputs.mains[0];
            let go = main_go_version(main);
            let mut roots: Vec<ModKey> = main
                .go_mod
                .require
                .iter()
                .map(|r| ModKey::new(&r.path, &r.version))
                .filter(|r| !self.excluded.contains(r))
                .collect();
            roots.push(ModKey::new("go", &go));
            if let Some(t) = &main.go_mod.toolchain {
                roots.push(ModKey::new("toolchain", &t.version));
            }
            let pruning = if is_pruned_go(&go) {
                Pruning::Pruned
            } else {
                Pruning::Unpruned
            };
            (pruning, roots)
        };
        roots.sort_by(mod_sort);
        (pruning, roots)
    }

    /// cmd/go `readModGraph`.
    fn read_graph(&self, pruning: Pruning, roots: &[ModKey]) -> Result<Graph, GraphError> {
        // A pruned main module lists most of its build list: a graph is some
        // times its roots (a guess that only spares the maps' growth).
        let modules = 4 * roots.len();
        let mut g = if self.workspace() {
            Graph::new(roots.to_vec(), modules)
        } else {
            let main = ModKey::new(&self.inputs.mains[0].path, "");
            let mut g = Graph::new(vec![main.clone()], modules);
            let node = g.node(&main);
            g.require(
                node,
                roots.iter().map(|r| (r.path.as_str(), r.version.as_str())),
            );
            g
        };
        let mut queue = Queue::with_capacity(modules);
        let mut loaded: HashMap<Node, Option<Loaded>> =
            HashMap::with_capacity_and_hasher(modules, FxBuildHasher);
        for r in roots {
            let node = g.node(r);
            queue.push(&r.version, node, pruning);
        }
        loop {
            while let Some((node, p)) = queue.pending.pop_front() {
                let m = g.key(node);
                let Some(summary) = self.load_one(&mut g, &mut loaded, &m, node)? else {
                    continue;
                };
                if let Some(next) = p.below(summary.pruned) {
                    for n in summary.nodes.iter() {
                        queue.push(g.names.name(n.1), *n, next);
                    }
                }
            }
            if pruning != Pruning::Workspace || !Self::workspace_round(&mut g, &mut queue) {
                return Ok(g);
            }
        }
    }

    /// One round of the workspace loop of `readModGraph`: load the selected
    /// version of every path that may provide packages, when it is higher
    /// than what was loaded. Returns whether anything was enqueued.
    fn workspace_round(g: &mut Graph, queue: &mut Queue) -> bool {
        let seen: HashSet<Node> = queue
            .enqueued
            .iter()
            .filter(|(_, bits)| **bits & bit(Pruning::Workspace) != 0)
            .map(|(n, _)| *n)
            .collect();
        let mut needs: BTreeSet<ModKey> = BTreeSet::new();
        {
            let is_seen = |m: &ModKey| g.find(m).is_some_and(|n| seen.contains(&n));
            let mut paths: BTreeSet<&str> = g.roots.iter().map(|r| r.path.as_str()).collect();
            paths.extend(seen.iter().map(|(p, _)| g.names.name(*p)));
            for p in &paths {
                let m = ModKey::new(p, g.selected(p));
                if !is_seen(&m) {
                    needs.insert(m);
                    continue;
                }
                for r in g.requirements(&m).map(|r| r.iter()).into_iter().flatten() {
                    let (path, version) = (g.names.name(r.0), g.names.name(r.1));
                    let s = ModKey::new(path, g.selected(path));
                    if gover::mod_compare(path, &s.version, version).is_gt() && !is_seen(&s) {
                        needs.insert(s);
                    }
                }
            }
        }
        let any = !needs.is_empty();
        for m in needs {
            let node = g.node(&m);
            queue.push(&m.version, node, Pruning::Workspace);
        }
        any
    }

    /// `loadOne`: the summary of `m` (cached), adding its edges to the graph.
    fn load_one(
        &self,
        g: &mut Graph,
        loaded: &mut HashMap<Node, Option<Loaded>>,
        m: &ModKey,
        node: Node,
    ) -> Result<Option<Loaded>, GraphError> {
        if let Some(s) = loaded.get(&node) {
            return Ok(s.clone());
        }
        let summary = match self.summary(m)? {
            Answer::Ready(s) => {
                if let Some(go) = s.go_version.as_ref().filter(|_| !m.version.is_empty()) {
                    g.go_versions.push((node, go.clone()));
                }
                Some(Loaded {
                    nodes: g.require(node, s.require.iter()),
                    pruned: s.pruned,
                })
            }
            Answer::Missing(id) => {
                g.awaiting.push((m.clone(), id));
                None
            }
            Answer::Failed(e) => {
                g.errors.push((m.clone(), e));
                None
            }
        };
        loaded.insert(node, summary.clone());
        Ok(summary)
    }

    /// cmd/go `goModSummary`.
    fn summary(&self, m: &ModKey) -> Result<Answer<'a>, GraphError> {
        if m.path == "go" || m.path == "toolchain" {
            let mut require = Requirements::default();
            if m.path == "go" && gover::compare(&m.version, GO_STRICT).is_ge() {
                require.push("toolchain", &format!("go{}", m.version));
            }
            return Ok(Answer::Ready(Cow::Owned(Summary {
                module: Some(m.path.clone()),
                go_version: None,
                require,
                pruned: true,
            })));
        }
        if let Some(main) = self
            .inputs
            .mains
            .iter()
            .find(|x| m.version.is_empty() && x.path == m.path)
        {
            return Ok(Answer::Ready(
                self.drop_excluded(Cow::Owned(Summary::from_mod_file(&main.go_mod))),
            ));
        }
        let Some(id) = self.go_mod_id(m)? else {
            unreachable!("main modules and go/toolchain are answered above")
        };
        if let (GoModId::Remote(actual), Some(sums)) = (&id, self.required_sums())
            && !sums.has(&actual.path, &actual.version)
        {
            return Ok(Answer::Failed(LoadError::Invalid(format!(
                "{actual}: missing go.sum entry for go.mod file; to add it:\n\tgo mod download {}",
                m.path
            ))));
        }
        let summary = match self.store.get(&id) {
            None => return Ok(Answer::Missing(id)),
            Some(Err(e)) => return Ok(Answer::Failed(e.clone())),
            Some(Ok(s)) => s,
        };
        if let GoModId::Remote(actual) = &id
            && let Err(e) = check_module_line(m, actual, summary)
        {
            return Ok(Answer::Failed(e));
        }
        Ok(Answer::Ready(self.drop_excluded(Cow::Borrowed(summary))))
    }

    /// The go.mod files of `summary`'s requirements the step would load that
    /// the store does not hold yet: excluded requirements left out,
    /// replacements applied, and (with go.sum's go.mod hashes required) a
    /// version go.sum does not name left to the step, as it will.
    fn unknown_requirements(&self, summary: &Summary) -> Result<Vec<GoModId>, GraphError> {
        let mut unknown = Vec::new();
        for (path, version) in summary.require.iter() {
            let r = &ModKey::new(path, version);
            if r.version == "none" || self.excluded.contains(r) || self.is_own_and_known(r)? {
                continue;
            }
            match self.go_mod_id(r)? {
                Some(GoModId::Remote(actual))
                    if self
                        .required_sums()
                        .is_some_and(|s| !s.has(&actual.path, &actual.version)) => {}
                Some(id) if self.store.get(&id).is_none() => unknown.push(id),
                _ => {}
            }
        }
        Ok(unknown)
    }

    /// Whether `m` is described by its own go.mod (not replaced) and that is
    /// in the store already: the common case, answered without allocating.
    fn is_own_and_known(&self, m: &ModKey) -> Result<bool, GraphError> {
        Ok(self.store.get_remote(m).is_some() && self.replacer.replacement(m)?.is_none())
    }

    /// Which go.mod file describes `m` (its replacement's, if replaced);
    /// `None` for main modules and the `go`/`toolchain` pseudo-modules.
    fn go_mod_id(&self, m: &ModKey) -> Result<Option<GoModId>, GraphError> {
        if m.path == "go"
            || m.path == "toolchain"
            || (m.version.is_empty() && self.main_paths.contains(&m.path))
        {
            return Ok(None);
        }
        Ok(Some(match self.replacer.replacement(m)? {
            Some(Replacement { dir: Some(dir), .. }) => GoModId::Dir(dir),
            Some(Replacement {
                path,
                version: Some(v),
                ..
            }) => GoModId::Remote(ModKey::new(&path, &v)),
            _ => GoModId::Remote(m.clone()),
        }))
    }

    /// cmd/go `mustHaveSums`: in readonly single-module mode, the go.mod
    /// lines go.sum must hold.
    fn required_sums(&self) -> Option<&GoModSums> {
        match &self.inputs.mode {
            ModMode::Readonly { go_mod_sums, .. } if !self.workspace() => Some(go_mod_sums),
            _ => None,
        }
    }

    /// cmd/go `errGoModDirty`: readonly single-module mode may not raise a
    /// root.
    fn readonly_dirty(&self, pruning: Pruning, roots: &[ModKey], g: &Graph) -> Option<GraphError> {
        let ModMode::Readonly { explicit, .. } = &self.inputs.mode else {
            return None;
        };
        if pruning == Pruning::Workspace {
            return None;
        }
        let upgraded = roots
            .iter()
            .any(|r| !self.main_paths.contains(&r.path) && g.selected(&r.path) != r.version);
        upgraded.then(|| {
            GraphError::Dirty(if *explicit {
                "updates to go.mod needed, disabled by -mod=readonly; to update it:\n\tgo mod tidy"
                    .to_owned()
            } else {
                "updates to go.mod needed; to update it:\n\tgo mod tidy".to_owned()
            })
        })
    }

    fn drop_excluded<'s>(&self, s: Cow<'s, Summary>) -> Cow<'s, Summary> {
        if self.excluded.is_empty() || !s.require.iter().any(|r| self.is_excluded(r)) {
            return s;
        }
        let mut s = s.into_owned();
        s.require = s.require.iter().filter(|r| !self.is_excluded(*r)).collect();
        Cow::Owned(s)
    }

    /// Whether a main module excludes `path` at `version`.
    fn is_excluded(&self, requirement: (&str, &str)) -> bool {
        self.excluded.contains(&requirement)
    }

    /// `allRootsSelected`.
    fn all_roots_selected(&self, g: &Graph, roots: &[ModKey]) -> bool {
        if self.workspace() {
            return true;
        }
        roots.iter().all(|r| g.selected(&r.path) == r.version)
    }

    /// `updatePrunedRoots` without packages: raise every root to its selected
    /// version and reload, until the roots stop moving (or a reload misses
    /// go.mod files: that graph).
    fn update_pruned_roots(
        &self,
        roots: &[ModKey],
        mut g: Graph,
    ) -> Result<Result<Vec<ModKey>, Graph>, GraphError> {
        let mut roots = roots.to_vec();
        loop {
            let mut next = Vec::with_capacity(roots.len());
            let mut seen: HashSet<String> = self.main_paths.clone();
            let mut upgraded = false;
            for r in &roots {
                if !seen.insert(r.path.clone()) {
                    continue;
                }
                let v = g.selected(&r.path).to_owned();
                upgraded |= v != r.version;
                next.push(ModKey::new(&r.path, &v));
            }
            roots = next;
            if !upgraded {
                return Ok(Ok(roots));
            }
            g = self.read_graph(Pruning::Pruned, &roots)?;
            if !g.awaiting.is_empty() {
                return Ok(Err(g));
            }
            Self::check_errors(&g)?;
        }
    }

    /// `updateUnprunedRoots` without additions: `mvs.Req` keeping the roots
    /// that are already selected and the direct requirements.
    fn update_unpruned_roots(&self, g: &Graph) -> Vec<ModKey> {
        let main = &self.inputs.mains[0];
        let mut base: Vec<String> = Vec::new();
        let roots = g
            .requirement_keys(&ModKey::new(&main.path, ""))
            .unwrap_or_default();
        for r in &roots {
            if !base.contains(&r.path) && g.selected(&r.path) == r.version {
                base.push(r.path.clone());
            }
        }
        let list = build_list(g);
        let keep: Vec<ModKey> = list[1..].to_vec();
        let direct = direct_paths(self.inputs);
        for m in &keep {
            if (direct.contains(&m.path) || m.path == "go") && !base.contains(&m.path) {
                base.push(m.path.clone());
            }
        }
        mvs_req(g, &list, &base, &keep)
    }

    fn check_errors(g: &Graph) -> Result<(), GraphError> {
        let Some((m, cause)) = g.errors.iter().min_by(|a, b| a.0.cmp(&b.0)) else {
            return Ok(());
        };
        Err(GraphError::Load {
            chain: shortest_chain(g, m),
            cause: cause.clone(),
        })
    }

    fn finish(&self, g: Graph) -> ModuleGraph {
        let mut replaced = BTreeMap::new();
        for (path, version) in g.selections().filter(|(p, _)| self.replacer.names(p)) {
            let m = ModKey::new(path, version);
            if let Ok(Some(r)) = self.replacer.replacement(&m) {
                replaced.insert(m, r);
            }
        }
        let mains = self
            .inputs
            .mains
            .iter()
            .map(|m| {
                (
                    m.path.clone(),
                    MainInfo {
                        dir: m.dir.clone(),
                        go_version: main_go_version(m),
                    },
                )
            })
            .collect();
        ModuleGraph {
            roots: g.roots,
            mains,
            direct: direct_paths(self.inputs),
            replaced,
            // Go versions only of what was loaded, as go records them while loading.
            loaded: LoadedGraph {
                names: Arc::new(g.names),
                selected: g.selected,
                required: g.required,
                go_versions: g.go_versions.into_iter().collect(),
                by_key: OnceLock::new(),
            },
            listed_go_versions: BTreeMap::new(),
            build_list: OnceLock::new(),
            times: BTreeMap::new(),
        }
    }
}

/// What the loading loop keeps of a loaded summary (cheap to clone).
#[derive(Clone)]
struct Loaded {
    /// Its requirements.
    nodes: Arc<[Node]>,
    pruned: bool,
}

/// `readModGraph`'s work queue: the module versions still to load, each
/// with the pruning it was met under, and the (module, pruning) pairs ever
/// enqueued (a bit per pruning by node).
#[derive(Default)]
struct Queue {
    pending: VecDeque<(Node, Pruning)>,
    enqueued: HashMap<Node, u8>,
}

impl Queue {
    fn with_capacity(modules: usize) -> Self {
        Self {
            pending: VecDeque::with_capacity(modules),
            enqueued: HashMap::with_capacity_and_hasher(modules, FxBuildHasher),
        }
    }

    /// Enqueue `node`, whose version is `version`, under `p`.
    fn push(&mut self, version: &str, node: Node, p: Pruning) {
        if version == "none" {
            return;
        }
        let bits = self.enqueued.entry(node).or_default();
        if *bits & bit(p) != 0 {
            return;
        }
        *bits |= bit(p);
        self.pending.push_back((node, p));
    }
}

fn bit(p: Pruning) -> u8 {
    match p {
        Pruning::Pruned => 1,
        Pruning::Unpruned => 2,
        Pruning::Workspace => 4,
    }
}

/// The `go` version of a main module (`gover.FromGoMod`: 1.16 without a go line).
fn main_go_version(m: &super::MainModule) -> String {
    m.go_mod
        .go
        .as_ref()
        .map_or_else(|| "1.16".to_owned(), |g| g.version.clone())
}

/// Paths required without `// indirect` by any main module.
fn direct_paths(inputs: &Inputs) -> BTreeSet<String> {
    inputs
        .mains
        .iter()
        .flat_map(|m| &m.go_mod.require)
        .filter(|r| !r.indirect)
        .map(|r| r.path.clone())
        .collect()
}

/// A fetched go.mod must declare the path it was required as, or its
/// replacement's path.
fn check_module_line(m: &ModKey, actual: &ModKey, s: &Summary) -> Result<(), LoadError> {
    match s.module.as_deref() {
        None | Some("") => Err(LoadError::Invalid(format!(
            "{actual}: parsing go.mod: missing module line"
        ))),
        Some(p) if p != m.path && p != actual.path => Err(LoadError::Invalid(format!(
            "{actual}: parsing go.mod:\n\tmodule declares its path as: {p}\n\t        but was required as: {}",
            m.path
        ))),
        Some(_) => Ok(()),
    }
}

/// `mvs.Graph.BuildList`.
fn build_list(g: &Graph) -> Vec<ModKey> {
    let mut seen = HashSet::default();
    let mut list = Vec::new();
    for r in &g.roots {
        if seen.insert(r.path.clone()) && g.selected(&r.path) != "none" {
            list.push(ModKey::new(&r.path, g.selected(&r.path)));
        }
    }
    let head = list.len();
    list.extend(
        g.selections()
            .filter(|(p, _)| !seen.contains(*p))
            .map(|(p, v)| ModKey::new(p, v)),
    );
    list[head..].sort_by(mod_sort);
    list
}

/// `mvs.Req`: the minimal roots that keep `base` and imply the build list.
fn mvs_req(g: &Graph, list: &[ModKey], base: &[String], keep: &[ModKey]) -> Vec<ModKey> {
    let main = &list[0];
    let max: HashMap<&str, &str> = list
        .iter()
        .map(|m| (m.path.as_str(), m.version.as_str()))
        .collect();
    let reqs = |m: &ModKey| -> Vec<ModKey> {
        if m == main {
            keep.to_vec()
        } else {
            g.requirement_keys(m).unwrap_or_default()
        }
    };
    let mut postorder = Vec::new();
    let mut visited: HashSet<ModKey> = std::iter::once(main.clone()).collect();
    for m in list {
        post_walk(m, &reqs, &mut visited, &mut postorder);
    }
    let mut have: HashSet<ModKey> = HashSet::default();
    let mut min = Vec::new();
    let mut base_seen = HashSet::default();
    for path in base {
        if base_seen.insert(path) {
            let m = ModKey::new(path, max.get(path.as_str()).copied().unwrap_or("none"));
            mark(&m, &reqs, &mut have);
            min.push(m);
        }
    }
    for m in postorder.iter().rev() {
        if max.get(m.path.as_str()) == Some(&m.version.as_str()) && !have.contains(m) {
            mark(m, &reqs, &mut have);
            min.push(m.clone());
        }
    }
    min.sort_by(|a, b| a.path.cmp(&b.path));
    min
}

fn post_walk(
    m: &ModKey,
    reqs: &dyn Fn(&ModKey) -> Vec<ModKey>,
    visited: &mut HashSet<ModKey>,
    out: &mut Vec<ModKey>,
) {
    if !visited.insert(m.clone()) {
        return;
    }
    for r in reqs(m) {
        post_walk(&r, reqs, visited, out);
    }
    out.push(m.clone());
}

fn mark(m: &ModKey, reqs: &dyn Fn(&ModKey) -> Vec<ModKey>, have: &mut HashSet<ModKey>) {
    if have.insert(m.clone()) {
        for r in reqs(m) {
            mark(&r, reqs, have);
        }
    }
}

/// The shortest requirement chain from a graph root to `target` (cmd/go
/// `mvs.Graph.FindPath`).
fn shortest_chain(g: &Graph, target: &ModKey) -> Vec<ModKey> {
    let required = keyed(&g.names, &g.required);
    let parents = first_requires(&g.roots, |m| required.get(m), Some(target));
    chain_to(&parents, target).unwrap_or_else(|| vec![target.clone()])
}
