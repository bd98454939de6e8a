//! Build lists as the go command computes them: minimal version selection with
//! graph pruning, replace, exclude and workspaces, over a petgraph graph.
