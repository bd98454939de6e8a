//! The gateway's build as its binary records it, for auditing plugin
//! sources against a gateway that is already built.
//!
//! A gateway binary says more than its go.mod: its build info lists the
//! modules it was really built from (versions and replacements), its
//! package-hash symbols name every package it links, and its Go version is
//! the toolchain a plugin must match. So when the binary is at hand it
//! replaces the reconstructed gateway build: nothing is guessed about how the
//! release was built.

use std::fmt::Write as _;

use super::compare::{Build, ModuleUse};
use crate::buildinfo::BuildInfo;
use crate::buildinfo::elf::PackageHashes;
use crate::buildinfo::gateway::{GatewayBuild, from_build_info};
use crate::packages::{Linked, Owner};

/// The build the binary records: its modules, and every package it links
/// mapped to the module providing it (the standard library as such).
#[must_use]
pub fn build(info: &BuildInfo, hashes: &PackageHashes, binary: &str) -> Build {
    let recorded = from_build_info(info);
    let main = ModuleUse {
        path: recorded.main.path,
        version: String::new(),
        replacement: None,
        main_dir: Some(binary.to_owned()),
    };
    let deps = recorded
        .build_list
        .into_iter()
        .map(|(m, replacement)| ModuleUse {
            path: m.path,
            version: m.version,
            replacement,
            main_dir: None,
        });
    let modules = std::iter::once(main)
        .chain(deps)
        .filter(|m| !m.path.is_empty())
        .map(|m| (m.path.clone(), m))
        .collect();
    let linked: Linked = hashes
        .by_package
        .keys()
        .map(|package| (package.clone(), owner(info, package)))
        .collect();
    Build {
        modules,
        linked: (!linked.is_empty()).then_some(linked),
    }
}

/// Who provides `package` in the binary: a module its build info records
/// (module paths may lack a dot), else the standard library.
fn owner(info: &BuildInfo, package: &str) -> Owner {
    info.module_of(package)
        .map_or(Owner::Std, |m| Owner::Module(m.path.clone()))
}

/// A go.mod equivalent to what the binary records, for the rules that read
/// the gateway's go.mod: its `go` and `toolchain` lines are the Go release
/// that built it, its requirements and replacements the modules it holds.
#[must_use]
pub fn go_mod_text(info: &BuildInfo) -> String {
    let recorded: GatewayBuild = from_build_info(info);
    let go = recorded.go_version.trim_start_matches("go");
    let release: String = go
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()
        .unwrap_or(go)
        .to_owned();
    let mut text = format!(
        "module {}\n\ngo {release}\n\ntoolchain go{release}\n",
        recorded.main.path
    );
    for (m, replacement) in &recorded.build_list {
        let _ = writeln!(text, "require {} {}", m.path, m.version);
        if let Some(r) = replacement {
            let target = match &r.version {
                Some(v) => format!("{} {v}", r.path),
                None => r.path.clone(),
            };
            let _ = writeln!(text, "replace {} {} => {target}", m.path, m.version);
        }
    }
    text
}
