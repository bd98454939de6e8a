//! Which versions `go build` really loads packages from, which is not always
//! what `go list -m all` prints.
//!
//! A main module with a pruned graph (`go 1.17` or later, outside a
//! workspace) loads each package from the version its own go.mod requires,
//! without reading the whole module graph, as long as two checks pass
//! (cmd/go `loadFromRoots`, `updatePrunedRoots`, `spotCheckRoots`): every
//! linked package comes from a module the go.mod requires, and the go.mod
//! files of those modules ask for nothing newer than the go.mod requires.
//! Otherwise the go command loads the full graph and builds with its
//! selection. The load lab shows the difference: an untidy go.mod requiring
//! `alpha v1.1.0`, where the graph selects the gateway's `v1.2.0`, links
//! `v1.1.0`.

use std::collections::{BTreeMap, BTreeSet};

use crate::gomod::ModFile;
use crate::graph::ModKey;
use crate::version::semver;

/// The versions the main go.mod requires (the highest per path), leaving out
/// excluded ones: the go command never loads from an excluded version.
#[must_use]
pub fn root_versions(main: &ModFile) -> BTreeMap<String, String> {
    let excluded: BTreeSet<(&str, &str)> = main
        .exclude
        .iter()
        .map(|e| (e.path.as_str(), e.version.as_str()))
        .collect();
    let mut roots: BTreeMap<String, String> = BTreeMap::new();
    for r in &main.require {
        if excluded.contains(&(r.path.as_str(), r.version.as_str())) {
            continue;
        }
        let entry = roots
            .entry(r.path.clone())
            .or_insert_with(|| r.version.clone());
        if semver::compare(&r.version, entry).is_gt() {
            entry.clone_from(&r.version);
        }
    }
    roots
}

/// Whether a pruned main module's build keeps the root versions for the
/// modules in `owners` (those providing linked packages): every owner is a
/// root, and no owner's go.mod requires a root at a higher version.
/// `requirements(path, version)` gives a module version's requirements; a
/// go.mod that cannot be had fails the check, so the answer falls back to the
/// full graph's selection.
#[must_use]
pub fn roots_suffice(
    roots: &BTreeMap<String, String>,
    owners: &BTreeSet<String>,
    requirements: &dyn Fn(&str, &str) -> Option<Vec<ModKey>>,
) -> bool {
    owners.iter().all(|owner| {
        let Some(version) = roots.get(owner) else {
            return false;
        };
        let Some(required) = requirements(owner, version) else {
            return false;
        };
        required.iter().all(|r| {
            roots
                .get(&r.path)
                .is_none_or(|root| !semver::compare(root, &r.version).is_lt())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gomod::{Mode, parse_mod};

    #[test]
    fn roots_take_the_highest_requirement_and_skip_excluded_ones() {
        let text = "module m\n\ngo 1.21\n\nrequire (\n\ta.example/x v1.1.0\n\ta.example/x v1.2.0\n\tb.example/y v1.0.0\n)\n\nexclude b.example/y v1.0.0\n";
        let file = parse_mod("go.mod", text, Mode::Strict).unwrap();
        let roots = root_versions(&file);
        assert_eq!(roots.get("a.example/x").map(String::as_str), Some("v1.2.0"));
        assert!(!roots.contains_key("b.example/y"));
    }
}
