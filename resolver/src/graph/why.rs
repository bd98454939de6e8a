//! Why a module is in the build list: requirement chains from a main module
//! to it. Module-level, unlike `go mod why -m`, which walks the package
//! import graph; here every link is a `require` line of a loaded go.mod.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, Walker};

use super::{ModKey, ModuleGraph};

/// A requirement chain: main module first, then each module as the previous
/// one requires it (its version is the one that go.mod asks for).
pub type Chain = Vec<ModKey>;

impl ModuleGraph {
    /// The loaded requirement edges as a petgraph graph, with a node index per module.
    fn petgraph(&self) -> (DiGraph<&ModKey, ()>, HashMap<&ModKey, NodeIndex>) {
        fn node<'k>(
            g: &mut DiGraph<&'k ModKey, ()>,
            index: &mut HashMap<&'k ModKey, NodeIndex>,
            m: &'k ModKey,
        ) -> NodeIndex {
            *index.entry(m).or_insert_with(|| g.add_node(m))
        }
        let mut g = DiGraph::new();
        let mut index = HashMap::new();
        for root in &self.roots {
            node(&mut g, &mut index, root);
        }
        for (from, reqs) in &self.required {
            let a = node(&mut g, &mut index, from);
            for r in reqs.iter() {
                let b = node(&mut g, &mut index, r);
                g.add_edge(a, b, ());
            }
        }
        (g, index)
    }

    /// Every chain that ends in a requirement on the selected version of
    /// `path`: for each module requiring that version, its shortest chain
    /// from a main module. Shortest chains first. Empty if `path` is not in
    /// the build list.
    pub fn why(&self, path: &str) -> Vec<Chain> {
        WhyIndex::new(self).why(path)
    }
    /// Breadth-first parents from the main modules, over the loaded edges.
    fn bfs_parents(
        &self,
        g: &DiGraph<&ModKey, ()>,
        index: &HashMap<&ModKey, NodeIndex>,
    ) -> HashMap<NodeIndex, Option<NodeIndex>> {
        let mut parents: HashMap<NodeIndex, Option<NodeIndex>> = HashMap::new();
        for root in self.roots.iter().filter(|r| r.version.is_empty()) {
            let start = index[root];
            parents.entry(start).or_insert(None);
            for n in Bfs::new(g, start).iter(g) {
                for m in g.neighbors(n).collect::<Vec<_>>().into_iter().rev() {
                    parents.entry(m).or_insert(Some(n));
                }
            }
        }
        parents
    }
}

/// The graph's requirement edges and shortest-chain parents, built once to
/// answer [`ModuleGraph::why`] for many modules.
pub struct WhyIndex<'g> {
    graph: &'g ModuleGraph,
    g: DiGraph<&'g ModKey, ()>,
    index: HashMap<&'g ModKey, NodeIndex>,
    parents: HashMap<NodeIndex, Option<NodeIndex>>,
}

impl<'g> WhyIndex<'g> {
    /// Index `graph`.
    #[must_use]
    pub fn new(graph: &'g ModuleGraph) -> Self {
        let (g, index) = graph.petgraph();
        let parents = graph.bfs_parents(&g, &index);
        Self {
            graph,
            g,
            index,
            parents,
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
            .graph
            .required
            .iter()
            .filter(|(_, reqs)| reqs.contains(&target))
            .filter_map(|(from, _)| {
                let mut chain = chain_to(&self.g, &self.parents, *self.index.get(from)?)?;
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

fn chain_to(
    g: &DiGraph<&ModKey, ()>,
    parents: &HashMap<NodeIndex, Option<NodeIndex>>,
    end: NodeIndex,
) -> Option<Chain> {
    let mut chain = vec![g[end].clone()];
    let mut cur = end;
    while let Some(p) = *parents.get(&cur)? {
        chain.push(g[p].clone());
        cur = p;
    }
    chain.reverse();
    Some(chain)
}
