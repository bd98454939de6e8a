//! Why a module is in the build list: requirement chains from a main module
//! to it. Module-level, unlike `go mod why -m`, which walks the package
//! import graph; here every link is a `require` line of a loaded go.mod.
//!
//! The one shortest-chain search of the graph is here ([`first_requires`]):
//! cmd/go `mvs.Graph.FindPath`'s breadth-first walk from the roots, which
//! also names the chain of a go.mod that failed to load.

use std::collections::VecDeque;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::{ModKey, ModuleGraph};

/// A requirement chain: main module first, then each module as the previous
/// one requires it (its version is the one that go.mod asks for).
pub type Chain = Vec<ModKey>;

/// The module that first requires each module reached from `roots` (`None`
/// for a root) in cmd/go `mvs.Graph.FindPath`'s walk: breadth-first from
/// every root at once, in order, each go.mod's requirements in file order.
/// The walk ends early once `until` is reached.
pub(crate) fn first_requires<'a>(
    roots: &'a [ModKey],
    required: impl Fn(&ModKey) -> Option<&'a Arc<[ModKey]>>,
    until: Option<&ModKey>,
) -> HashMap<&'a ModKey, Option<&'a ModKey>> {
    let mut parents: HashMap<&ModKey, Option<&ModKey>> = HashMap::default();
    let mut queue: VecDeque<&ModKey> = VecDeque::new();
    for r in roots {
        if parents.insert(r, None).is_none() {
            queue.push_back(r);
        }
    }
    while let Some(m) = queue.pop_front() {
        if until == Some(m) {
            break;
        }
        for r in required(m).map(|r| r.iter()).into_iter().flatten() {
            parents.entry(r).or_insert_with(|| {
                queue.push_back(r);
                Some(m)
            });
        }
    }
    parents
}

/// The chain from a root to `end` through [`first_requires`]' answer;
/// `None` when `end` was not reached.
pub(crate) fn chain_to(parents: &HashMap<&ModKey, Option<&ModKey>>, end: &ModKey) -> Option<Chain> {
    let mut chain = vec![end.clone()];
    let mut cur = end;
    while let Some(p) = *parents.get(cur)? {
        chain.push(p.clone());
        cur = p;
    }
    chain.reverse();
    Some(chain)
}

impl ModuleGraph {
    /// Every chain that ends in a requirement on the selected version of
    /// `path`: for each module requiring that version, its shortest chain
    /// from a main module. Shortest chains first. Empty if `path` is not in
    /// the build list.
    pub fn why(&self, path: &str) -> Vec<Chain> {
        WhyIndex::new(self).why(path)
    }
}

/// The graph's shortest-chain parents, built once to answer
/// [`ModuleGraph::why`] for many modules.
pub struct WhyIndex<'g> {
    graph: &'g ModuleGraph,
    parents: HashMap<&'g ModKey, Option<&'g ModKey>>,
    /// The modules whose go.mod requires each module version: an audit asks
    /// about a hundred modules or more, and scanning every go.mod for each
    /// was most of its rules' time.
    required_by: HashMap<&'g ModKey, Vec<&'g ModKey>>,
}

impl<'g> WhyIndex<'g> {
    /// Index `graph`.
    #[must_use]
    pub fn new(graph: &'g ModuleGraph) -> Self {
        let mut required_by: HashMap<&ModKey, Vec<&ModKey>> = HashMap::default();
        for (from, reqs) in graph.loaded.by_key() {
            for r in reqs.iter() {
                let by = required_by.entry(r).or_default();
                // A go.mod may list a requirement twice; it is one chain.
                if by.last() != Some(&from) {
                    by.push(from);
                }
            }
        }
        Self {
            graph,
            parents: first_requires(&graph.roots, |m| graph.loaded.required_by(m), None),
            required_by,
        }
    }

    /// As [`ModuleGraph::why`].
    #[must_use]
    pub fn why(&self, path: &str) -> Vec<Chain> {
        let Some(version) = self.graph.selected(path) else {
            return Vec::new();
        };
        let target = ModKey::new(path, version);
        let mut chains: Vec<Chain> = self
            .required_by
            .get(&target)
            .into_iter()
            .flatten()
            .filter_map(|from| {
                let mut chain = chain_to(&self.parents, from)?;
                chain.push(target.clone());
                Some(chain)
            })
            .collect();
        if chains.is_empty() && self.graph.roots.contains(&target) {
            chains.push(vec![target]);
        }
        chains.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        chains
    }
}
