//! The build-list algorithm on in-memory module data: the pure step's
//! contract (it asks for what it needs, nothing more), `why` chains, and
//! invariants under property testing. Agreement with the go command itself
//! is checked by the CLI's graph oracle over `corpus/scenarios/`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use proptest::prelude::*;
use tykdeps_resolver::gomod::{self, Mode};
use tykdeps_resolver::graph::{
    self, GoModId, GoModStore, Inputs, LoadError, MainModule, ModKey, ModMode, ModuleGraph, Step,
};
use tykdeps_resolver::source::memory::MemorySource;
use tykdeps_resolver::source::summaries::SummaryCache;

fn main_module(text: &str) -> Inputs {
    let go_mod = gomod::parse_mod("go.mod", text, Mode::Strict).expect("a valid main go.mod");
    let path = go_mod.module.as_ref().expect("a module line").path.clone();
    Inputs {
        mains: vec![MainModule {
            path,
            dir: "/m".to_owned(),
            go_mod,
        }],
        work: None,
        mode: ModMode::Mod,
    }
}

fn resolve(inputs: &Inputs, source: MemorySource) -> Result<ModuleGraph, graph::GraphError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let no_dirs = |d: &str| Err(LoadError::Invalid(format!("no directory {d} in this test")));
    runtime.block_on(graph::driver::resolve(
        inputs,
        Arc::new(source),
        &mut SummaryCache::disabled(),
        &no_dirs,
        &|_, _| {},
    ))
}

fn gomod_text(path: &str, go: &str, reqs: &[(&str, &str)]) -> String {
    let mut text = format!("module {path}\n\ngo {go}\n");
    for (p, v) in reqs {
        let _ = writeln!(text, "require {p} {v}");
    }
    text
}

fn pruning_source() -> MemorySource {
    MemorySource::new()
        .with(
            "x.test/a",
            "v1.0.0",
            &gomod_text("x.test/a", "1.21", &[("x.test/c", "v1.0.0")]),
        )
        .with(
            "x.test/c",
            "v1.0.0",
            &gomod_text("x.test/c", "1.20", &[("x.test/d", "v1.0.0")]),
        )
        .with("x.test/d", "v1.0.0", &gomod_text("x.test/d", "1.20", &[]))
        .with(
            "x.test/b",
            "v1.0.0",
            &gomod_text("x.test/b", "1.16", &[("x.test/e", "v1.0.0")]),
        )
        .with("x.test/e", "v1.0.0", &gomod_text("x.test/e", "1.20", &[]))
}

#[test]
fn the_step_asks_only_for_the_roots_first() {
    let inputs = main_module(
        "module x.test/m\n\ngo 1.22\n\nrequire (\n\tx.test/a v1.0.0\n\tx.test/b v1.0.0\n)\n",
    );
    let Step::Missing(missing) = graph::step(&inputs, &GoModStore::new()).expect("no error") else {
        panic!("nothing is known yet, so go.mod files must be missing");
    };
    let expected: BTreeSet<GoModId> = [("x.test/a", "v1.0.0"), ("x.test/b", "v1.0.0")]
        .map(|(p, v)| GoModId::Remote(ModKey::new(p, v)))
        .into();
    assert_eq!(missing.ids(), expected);
}

#[test]
fn go_mods_that_fail_are_reported_as_the_next_step_would() {
    // Two failures below a module whose go.mod is known, a third at the root
    // level, a replaced one, and a go.mod that loads.
    let inputs = main_module(
        "module x.test/m\n\ngo 1.22\n\nrequire (\n\tx.test/a v1.0.0\n\tx.test/z v1.0.0\n\tx.test/r v1.0.0\n)\n\nreplace x.test/r => x.test/q v1.1.0\n",
    );
    let mut store = GoModStore::new();
    let a = GoModId::Remote(ModKey::new("x.test/a", "v1.0.0"));
    let a_text = gomod_text(
        "x.test/a",
        "1.16",
        &[("x.test/y", "v1.0.0"), ("x.test/b", "v1.0.0")],
    );
    store.insert_bytes(a, a_text.as_bytes());
    let b = GoModId::Remote(ModKey::new("x.test/b", "v1.0.0"));
    store.insert_bytes(b, gomod_text("x.test/b", "1.16", &[]).as_bytes());
    let Step::Missing(missing) = graph::step(&inputs, &store).expect("no error yet") else {
        panic!("y, z and q are not known");
    };
    assert_eq!(missing.ids().len(), 3);
    for id in missing.ids() {
        store.insert_error(id, LoadError::Invalid("refused".to_owned()));
    }
    let reported = missing
        .failure(&store)
        .expect("every missing go.mod failed");
    let Err(stepped) = graph::step(&inputs, &store) else {
        panic!("the next step fails");
    };
    assert_eq!(reported.to_string(), stepped.to_string());
}

#[test]
fn a_failure_is_not_reported_while_a_missing_go_mod_may_load() {
    let inputs = main_module(
        "module x.test/m\n\ngo 1.22\n\nrequire (\n\tx.test/a v1.0.0\n\tx.test/z v1.0.0\n)\n",
    );
    let mut store = GoModStore::new();
    let Step::Missing(missing) = graph::step(&inputs, &store).expect("no error yet") else {
        panic!("nothing is known");
    };
    store.insert_error(
        GoModId::Remote(ModKey::new("x.test/z", "v1.0.0")),
        LoadError::Invalid("refused".to_owned()),
    );
    assert!(missing.failure(&store).is_none());
}

#[test]
fn pruned_roots_stop_at_their_own_requirements() {
    let inputs = main_module(
        "module x.test/m\n\ngo 1.22\n\nrequire (\n\tx.test/a v1.0.0\n\tx.test/b v1.0.0\n)\n",
    );
    let g = resolve(&inputs, pruning_source()).expect("resolves");
    assert_eq!(
        g.list_text(),
        "x.test/m\nx.test/a v1.0.0\nx.test/b v1.0.0\nx.test/c v1.0.0\nx.test/e v1.0.0\n",
        "d sits below the pruned go 1.21 module a; b (go 1.16) brings its whole closure"
    );
    assert_eq!(g.required_by(&ModKey::new("x.test/c", "v1.0.0")), None);
}

#[test]
fn a_missing_module_names_the_requirement_chain() {
    let inputs = main_module("module x.test/m\n\ngo 1.16\n\nrequire x.test/a v1.0.0\n");
    let source = MemorySource::new().with(
        "x.test/a",
        "v1.0.0",
        &gomod_text("x.test/a", "1.16", &[("x.test/zz", "v1.0.0")]),
    );
    let err = resolve(&inputs, source).expect_err("zz is not in the source");
    let text = err.to_string();
    assert!(
        text.starts_with("x.test/m requires x.test/a@v1.0.0 requires x.test/zz@v1.0.0: "),
        "{text}"
    );
}

#[test]
fn why_lists_a_chain_per_module_requiring_the_selected_version() {
    let inputs = main_module(
        "module x.test/m\n\ngo 1.16\n\nrequire (\n\tx.test/a v1.0.0\n\tx.test/b v1.0.0\n)\n",
    );
    let source = pruning_source().with(
        "x.test/b",
        "v1.0.0",
        &gomod_text("x.test/b", "1.16", &[("x.test/d", "v1.0.0")]),
    );
    let g = resolve(&inputs, source).expect("resolves");
    let chains: Vec<String> = g
        .why("x.test/d")
        .iter()
        .map(|c| {
            c.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" -> ")
        })
        .collect();
    assert_eq!(
        chains,
        [
            "x.test/m -> x.test/b@v1.0.0 -> x.test/d@v1.0.0",
            "x.test/m -> x.test/a@v1.0.0 -> x.test/c@v1.0.0 -> x.test/d@v1.0.0"
        ]
    );
}

/// One module version of a random world: module, version, whether its go
/// line prunes, and its requirements (module, version).
type WorldVersion = (usize, usize, bool, Vec<(usize, usize)>);

/// A random module world: modules `x.test/m0..5` at v1.0.0..v1.2.0, some
/// versions requiring others, with random go lines; and the main module's
/// requirements.
fn world() -> impl Strategy<Value = (Vec<WorldVersion>, Vec<(usize, usize)>)> {
    let version = (
        0usize..6,
        0usize..3,
        any::<bool>(),
        prop::collection::vec((0usize..6, 0usize..3), 0..4),
    );
    (
        prop::collection::vec(version, 0..30),
        prop::collection::vec((0usize..6, 0usize..3), 1..4),
    )
}

fn build_world(
    versions: &[WorldVersion],
    roots: &[(usize, usize)],
    reverse: bool,
) -> (Inputs, MemorySource) {
    let name = |m: usize| format!("x.test/m{m}");
    let ver = |v: usize| format!("v1.{v}.0");
    let mut source = MemorySource::new();
    for m in 0..6 {
        for v in 0..3 {
            source.insert(&name(m), &ver(v), &gomod_text(&name(m), "1.16", &[]));
        }
    }
    for (m, v, pruned, reqs) in versions {
        let mut reqs: Vec<(String, String)> =
            reqs.iter().map(|(r, rv)| (name(*r), ver(*rv))).collect();
        if reverse {
            reqs.reverse();
        }
        let reqs: Vec<(&str, &str)> = reqs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        source.insert(
            &name(*m),
            &ver(*v),
            &gomod_text(&name(*m), if *pruned { "1.20" } else { "1.16" }, &reqs),
        );
    }
    let mut main = "module x.test/main\n\ngo 1.22\n".to_owned();
    let mut roots: Vec<_> = roots.to_vec();
    if reverse {
        roots.reverse();
    }
    for (m, v) in roots {
        let _ = writeln!(main, "require {} {}", name(m), ver(v));
    }
    (main_module(&main), source)
}

proptest! {
    #[test]
    fn builds_are_deterministic_and_order_independent((versions, roots) in world()) {
        let (inputs, source) = build_world(&versions, &roots, false);
        let first = resolve(&inputs, source.clone()).expect("resolves").list_text();
        prop_assert_eq!(&first, &resolve(&inputs, source).expect("resolves").list_text());
        let (inputs, source) = build_world(&versions, &roots, true);
        prop_assert_eq!(&first, &resolve(&inputs, source).expect("resolves").list_text());
    }

    #[test]
    fn selected_versions_are_never_below_a_loaded_requirement((versions, roots) in world()) {
        let (inputs, source) = build_world(&versions, &roots, false);
        let g = resolve(&inputs, source).expect("resolves");
        for m in g.build_list() {
            for r in g.required_by(m).unwrap_or_default() {
                let selected = g.selected(&r.path).expect("every requirement is in the build list");
                prop_assert!(tykdeps_resolver::version::gover::mod_compare(&r.path, selected, &r.version).is_ge());
            }
        }
    }
}
