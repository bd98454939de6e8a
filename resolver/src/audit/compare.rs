//! Which packages the gateway and a plugin both link, and whether each side
//! built them from the same code under the same name.
//!
//! `plugin.Open` compares a fingerprint of every package both binaries hold.
//! The load lab shows what goes into it: the package's code and the
//! directory name `-trimpath` writes into its export data, which is
//! `path@version` of the module as the build list names it (even when a
//! `replace` supplies the code) and the bare module path for a main module
//! (cmd/go `Action.trimpath`). So the same code under another version fails,
//! a byte-identical directory replacement of the same version loads, and the
//! gateway's own packages fetched as a dependency never equal the gateway's
//! main module.

use std::collections::{BTreeMap, BTreeSet};

use crate::graph::Replacement;
use crate::packages::{BuildConfig, Linked, Owner, PackageFacts, selected_files};

/// A module as one build uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleUse {
    /// The module path.
    pub path: String,
    /// The version the build uses; empty for a main module.
    pub version: String,
    /// What supplies its code, when a `replace` does.
    pub replacement: Option<Replacement>,
    /// A main module's directory.
    pub main_dir: Option<String>,
}

/// Where a module's code is read from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A module version from the proxy: `path@version`.
    Version(String),
    /// A directory on disk (a main module or a directory replacement).
    Dir(String),
}

impl ModuleUse {
    /// The directory name `-trimpath` gives the module's files.
    #[must_use]
    pub fn trimmed_name(&self) -> String {
        if self.version.is_empty() {
            self.path.clone()
        } else {
            format!("{}@{}", self.path, self.version)
        }
    }

    /// Where its code comes from.
    #[must_use]
    pub fn code(&self) -> Code {
        match (&self.replacement, &self.main_dir) {
            (Some(r), _) => match (&r.version, &r.dir) {
                (Some(v), _) => Code::Version(format!("{}@{v}", r.path)),
                (None, dir) => Code::Dir(dir.clone().unwrap_or_else(|| r.path.clone())),
            },
            (None, Some(dir)) => Code::Dir(dir.clone()),
            (None, None) => Code::Version(self.trimmed_name()),
        }
    }
}

/// One build: the modules it uses and, when known, the packages it links.
#[derive(Debug, Clone, Default)]
pub struct Build {
    /// Every module of the build list, by path, at the version the build uses.
    pub modules: BTreeMap<String, ModuleUse>,
    /// The linked packages; `None` when only the module list is known.
    pub linked: Option<Linked>,
}

impl Build {
    /// The modules that provide a linked package; every module of the
    /// build list when only the module list is known.
    #[must_use]
    pub fn linking_modules(&self) -> BTreeSet<&str> {
        match self.packages_by_module() {
            Some(by_module) => by_module.into_keys().collect(),
            None => self.modules.keys().map(String::as_str).collect(),
        }
    }

    /// Linked packages by providing module (sources known or not).
    fn packages_by_module(&self) -> Option<BTreeMap<&str, BTreeSet<&str>>> {
        let linked = self.linked.as_ref()?;
        let mut by_module: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (package, owner) in linked {
            if let Owner::Module(m) | Owner::Unknown(m) = owner {
                by_module.entry(m).or_default().insert(package);
            }
        }
        Some(by_module)
    }

    /// Modules whose sources could not be read, so their packages' imports are unknown.
    #[must_use]
    pub fn unknown_sources(&self) -> BTreeSet<&str> {
        self.linked
            .iter()
            .flatten()
            .filter_map(|(_, owner)| match owner {
                Owner::Unknown(m) => Some(m.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// How a module both sides link differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    /// Same name and code: its packages match.
    None,
    /// Another version of the module.
    Version,
    /// Same version, other name: one side builds it as a main module, the
    /// other as a dependency (the gateway's own packages in a standalone build).
    MainVersusDependency,
    /// Same name, other code (a `replace` on one side only, or another fork).
    Code,
    /// Same name and code, but the two builds compile other files of some
    /// packages (build tags, see [`with_build_files`]).
    Files,
    /// Same name, and the code could not be compared.
    Unknown,
}

/// A module whose packages both sides link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    /// The module as the gateway uses it.
    pub gateway: ModuleUse,
    /// The module as the plugin uses it.
    pub plugin: ModuleUse,
    /// The packages both link; empty when compared at module level.
    pub packages: Vec<String>,
    /// Whether the packages were known on both sides.
    pub package_level: bool,
    /// How the two differ.
    pub difference: Difference,
    /// With [`Difference::Files`]: the packages whose compiled files differ.
    pub files_differ: Vec<String>,
}

/// Compares the files of `packages` as two modules supply them: `Some(true)`
/// when identical, `None` when either side cannot be read.
pub type SameFiles<'a> = dyn Fn(&ModuleUse, &ModuleUse, &[String]) -> Option<bool> + 'a;

/// Every module both builds link, compared. At package level when both
/// linked sets are known, else at module level (every module of both build lists).
#[must_use]
pub fn shared(gateway: &Build, plugin: &Build, same_files: &SameFiles<'_>) -> Vec<Shared> {
    let candidates: Vec<(&str, Vec<String>, bool)> =
        match (gateway.packages_by_module(), plugin.packages_by_module()) {
            (Some(g), Some(p)) => g
                .iter()
                .filter_map(|(module, g_pkgs)| {
                    let p_pkgs = p.get(module)?;
                    let both: Vec<String> = g_pkgs
                        .intersection(p_pkgs)
                        .map(|s| (*s).to_owned())
                        .collect();
                    (!both.is_empty()).then_some((*module, both, true))
                })
                .collect(),
            // At module level a main module is left out: whether the other
            // side imports its packages is exactly what is unknown.
            _ => gateway
                .modules
                .iter()
                .filter(|(m, g)| {
                    plugin
                        .modules
                        .get(*m)
                        .is_some_and(|p| !p.version.is_empty())
                        && !g.version.is_empty()
                        && !is_pseudo_module(m)
                })
                .map(|(m, _)| (m.as_str(), Vec::new(), false))
                .collect(),
        };
    candidates
        .into_iter()
        .filter_map(|(module, packages, package_level)| {
            let g = gateway.modules.get(module)?;
            let p = plugin.modules.get(module)?;
            let difference = difference(g, p, &packages, same_files);
            Some(Shared {
                gateway: g.clone(),
                plugin: p.clone(),
                packages,
                package_level,
                difference,
                files_differ: Vec::new(),
            })
        })
        .collect()
}

/// The facts of a package of a module as a build uses it, when known.
pub type FactsOf<'a> = dyn Fn(&ModuleUse, &str) -> Option<PackageFacts> + 'a;

/// Mark each shared module whose code is the same on both sides but whose
/// packages compile other files under the two builds' configurations
/// ([`Difference::Files`]): a build tag, GOOS, GOARCH or CGO_ENABLED that
/// selects a file of a package both link changes that package's
/// fingerprint, and a tag that selects none changes nothing.
pub fn with_build_files(
    shared: &mut [Shared],
    gateway: &BuildConfig,
    plugin: &BuildConfig,
    facts: &FactsOf<'_>,
) {
    for s in shared
        .iter_mut()
        .filter(|s| s.difference == Difference::None && s.package_level)
    {
        s.files_differ = s
            .packages
            .iter()
            .filter(|package| {
                facts(&s.gateway, package)
                    .is_some_and(|f| compiled_files(&f, gateway) != compiled_files(&f, plugin))
            })
            .cloned()
            .collect();
        if !s.files_differ.is_empty() {
            s.difference = Difference::Files;
        }
    }
}

/// Standard-library packages both builds link whose compiled files differ
/// under the two configurations: a tag such as `netgo` selects other files
/// of `net`. `facts` gives a standard package's facts.
pub fn std_files_differ(
    gateway: &Build,
    plugin: &Build,
    gateway_config: &BuildConfig,
    plugin_config: &BuildConfig,
    facts: &dyn Fn(&str) -> Option<PackageFacts>,
) -> Vec<String> {
    let (Some(g), Some(p)) = (&gateway.linked, &plugin.linked) else {
        return Vec::new();
    };
    g.iter()
        .filter(|(package, owner)| **owner == Owner::Std && p.get(*package) == Some(&Owner::Std))
        .filter(|(package, _)| {
            facts(package).is_some_and(|f| {
                compiled_files(&f, gateway_config) != compiled_files(&f, plugin_config)
            })
        })
        .map(|(package, _)| package.clone())
        .collect()
}

/// The names of a package's files a build under `config` compiles.
fn compiled_files(facts: &PackageFacts, config: &BuildConfig) -> Vec<String> {
    selected_files(facts, config)
        .map(|f| f.name.clone())
        .collect()
}

fn is_pseudo_module(path: &str) -> bool {
    path == "go" || path == "toolchain"
}

fn difference(
    g: &ModuleUse,
    p: &ModuleUse,
    packages: &[String],
    same_files: &SameFiles<'_>,
) -> Difference {
    if g.trimmed_name() != p.trimmed_name() {
        return if g.version.is_empty() || p.version.is_empty() {
            Difference::MainVersusDependency
        } else {
            Difference::Version
        };
    }
    match (g.code(), p.code()) {
        (a, b) if a == b => Difference::None,
        (Code::Version(_), Code::Version(_)) => Difference::Code,
        _ => match same_files(g, p, packages) {
            Some(true) => Difference::None,
            Some(false) => Difference::Code,
            None => Difference::Unknown,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(path: &str, version: &str) -> ModuleUse {
        ModuleUse {
            path: path.to_owned(),
            version: version.to_owned(),
            replacement: None,
            main_dir: None,
        }
    }

    fn build(modules: &[ModuleUse], packages: &[(&str, &str)]) -> Build {
        Build {
            modules: modules
                .iter()
                .map(|m| (m.path.clone(), m.clone()))
                .collect(),
            linked: Some(
                packages
                    .iter()
                    .map(|(p, m)| ((*p).to_owned(), Owner::Module((*m).to_owned())))
                    .collect(),
            ),
        }
    }

    #[test]
    fn only_packages_both_link_count() {
        let g = build(
            &[dep("a.example/m", "v1.0.0")],
            &[("a.example/m", "a.example/m")],
        );
        let p = build(
            &[dep("a.example/m", "v1.1.0")],
            &[("a.example/m/extra", "a.example/m")],
        );
        assert!(shared(&g, &p, &|_, _, _| None).is_empty());
    }

    #[test]
    fn version_main_and_code_differences() {
        let mut main = dep("gw.example/gw", "");
        main.main_dir = Some("/src/gw".to_owned());
        let mut forked = dep("a.example/m", "v1.0.0");
        forked.replacement = Some(Replacement {
            path: "a.example/fork".to_owned(),
            version: Some("v1.0.0".to_owned()),
            dir: None,
        });
        let g = build(
            &[
                main,
                dep("a.example/m", "v1.0.0"),
                dep("b.example/m", "v1.0.0"),
            ],
            &[
                ("gw.example/gw/api", "gw.example/gw"),
                ("a.example/m", "a.example/m"),
                ("b.example/m", "b.example/m"),
            ],
        );
        let p = build(
            &[
                dep("gw.example/gw", "v1.0.0"),
                forked,
                dep("b.example/m", "v1.0.1"),
            ],
            &[
                ("gw.example/gw/api", "gw.example/gw"),
                ("a.example/m", "a.example/m"),
                ("b.example/m", "b.example/m"),
            ],
        );
        let found: Vec<(String, Difference)> = shared(&g, &p, &|_, _, _| None)
            .into_iter()
            .map(|s| (s.gateway.path, s.difference))
            .collect();
        assert_eq!(
            found,
            [
                ("a.example/m".to_owned(), Difference::Code),
                ("b.example/m".to_owned(), Difference::Version),
                ("gw.example/gw".to_owned(), Difference::MainVersusDependency),
            ]
        );
    }

    #[test]
    fn a_directory_replacement_is_compared_by_its_files() {
        let mut copy = dep("a.example/m", "v1.0.0");
        copy.replacement = Some(Replacement {
            path: "./third_party/m".to_owned(),
            version: None,
            dir: Some("/p/third_party/m".to_owned()),
        });
        let g = build(
            &[dep("a.example/m", "v1.0.0")],
            &[("a.example/m", "a.example/m")],
        );
        let p = build(&[copy], &[("a.example/m", "a.example/m")]);
        let same = shared(&g, &p, &|_, _, _| Some(true));
        assert_eq!(same[0].difference, Difference::None);
        let other = shared(&g, &p, &|_, _, _| Some(false));
        assert_eq!(other[0].difference, Difference::Code);
    }
}
