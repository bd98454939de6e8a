//! `tykdeps inspect`'s listing of what `plugin.Open` reads from a Go binary
//! beyond its build info: ELF class and machine, plugin path, whether the
//! loader is linked, needed libraries, glibc, and every package hash.

use std::fmt::Write as _;

use tykdeps_resolver::buildinfo::ElfFacts;
use tykdeps_resolver::buildinfo::elf::hex;

/// The facts, one tab-separated line each.
pub fn symbols(facts: &ElfFacts) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "elf\tclass={} machine={} type={:?}",
        facts.class,
        facts.machine_name(),
        facts.object_type
    );
    if let Some(path) = &facts.plugin_path {
        let _ = writeln!(out, "pluginpath\t{path}");
    }
    let _ = writeln!(
        out,
        "loader\t{}",
        if facts.links_plugin_open {
            "package plugin linked"
        } else {
            "package plugin not linked"
        }
    );
    for lib in &facts.needed {
        let _ = writeln!(out, "needed\t{lib}");
    }
    if let Some(glibc) = facts.max_glibc {
        let _ = writeln!(out, "glibc\t{glibc}");
    }
    let _ = writeln!(
        out,
        "pkghash\t{} packages from {:?}",
        facts.hashes.by_package.len(),
        facts.hashes.source
    );
    for (package, hash) in &facts.hashes.by_package {
        let _ = writeln!(out, "\t{package}\t{}", hex(hash));
    }
    out
}
