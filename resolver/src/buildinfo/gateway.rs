//! A built gateway's own account of what it was built from, in the shapes the
//! static audit uses for a gateway it has to reconstruct from source.
//!
//! Given the gateway binary, the static audit need not guess: the binary's
//! build info names every module that provided a linked package, at the version
//! and with the replacement really used, and the settings the packages were
//! compiled with. [`from_build_info`] turns that into a build list of
//! [`ModKey`]s with [`Replacement`]s, the linked module set, the Go version and
//! the build settings that decide which files count.

use std::collections::BTreeSet;

use super::modinfo::{BuildInfo, Module};
use crate::graph::{ModKey, Replacement};

/// What a gateway binary was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayBuild {
    /// The toolchain, e.g. `go1.26.8`.
    pub go_version: String,
    /// The main module, with an empty version as in [`ModKey`]'s convention.
    pub main: ModKey,
    /// The modules linked into the binary as the build list selected them,
    /// sorted by path, each with its replacement. Build info records only
    /// modules that provide a linked package, so this is the linked part of
    /// the build list, which is all `plugin.Open` can compare.
    pub build_list: Vec<(ModKey, Option<Replacement>)>,
    /// The paths of the modules that provide linked packages, main included.
    pub linked: BTreeSet<String>,
    /// The settings that change which files are compiled and how.
    pub settings: BuildSettings,
}

/// The build settings of [`GatewayBuild`], read from the `build` lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSettings {
    /// `GOOS`.
    pub goos: String,
    /// `GOARCH`.
    pub goarch: String,
    /// `CGO_ENABLED=1`.
    pub cgo_enabled: bool,
    /// `-tags`, split at commas.
    pub tags: Vec<String>,
    /// `-trimpath`.
    pub trimpath: bool,
    /// `-race`.
    pub race: bool,
    /// `-buildmode`, `exe` when not recorded.
    pub buildmode: String,
    /// `GOEXPERIMENT` as recorded: only the experiments that differ from the
    /// toolchain's defaults (`noX` for a default turned off).
    pub goexperiment: Vec<String>,
    /// The architecture level (`GOAMD64`, `GOARM64`, ...), when recorded.
    pub arch_level: Option<(String, String)>,
}

/// The gateway build that `info` (a gateway binary's build info) records.
pub fn from_build_info(info: &BuildInfo) -> GatewayBuild {
    let mut build_list: Vec<(ModKey, Option<Replacement>)> = info
        .deps
        .iter()
        .map(|m| {
            (
                ModKey::new(&m.path, &m.version),
                m.replace.as_deref().map(replacement),
            )
        })
        .collect();
    build_list.sort_by(|a, b| a.0.cmp(&b.0));
    let linked = std::iter::once(&info.main.path)
        .filter(|p| !p.is_empty())
        .chain(info.deps.iter().map(|m| &m.path))
        .cloned()
        .collect();
    GatewayBuild {
        go_version: info.go_version.clone(),
        main: ModKey::new(&info.main.path, ""),
        build_list,
        linked,
        settings: settings(info),
    }
}

/// A `=>` line: a module path with a version, or a directory, recorded
/// `(devel)` and as written in go.mod (so its absolute location is unknown).
fn replacement(to: &Module) -> Replacement {
    let versioned = !to.version.is_empty() && to.version != "(devel)";
    Replacement {
        path: to.path.clone(),
        version: versioned.then(|| to.version.clone()),
        dir: None,
    }
}

fn settings(info: &BuildInfo) -> BuildSettings {
    let get = |key: &str| info.setting(key).unwrap_or_default();
    let list = |key: &str| -> Vec<String> {
        get(key)
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let goarch = get("GOARCH").to_owned();
    let level_key = format!("GO{}", goarch.to_uppercase());
    BuildSettings {
        goos: get("GOOS").to_owned(),
        cgo_enabled: get("CGO_ENABLED") == "1",
        tags: list("-tags"),
        trimpath: get("-trimpath") == "true",
        race: get("-race") == "true",
        buildmode: info.setting("-buildmode").unwrap_or("exe").to_owned(),
        goexperiment: list("GOEXPERIMENT"),
        arch_level: info
            .setting(&level_key)
            .map(|level| (level_key.clone(), level.to_owned())),
        goarch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buildinfo::parse_modinfo;

    const TEXT: &str = "path\tgw\nmod\tgw\t(devel)\t\n\
        dep\tex.com/b\tv1.2.0\th1:b=\n\
        dep\tex.com/a\tv1.0.0\t\n=>\tex.com/a-fork\tv1.0.1\th1:f=\n\
        dep\tex.com/d\tv0.1.0\t\n=>\t../d\t(devel)\t\n\
        build\t-buildmode=exe\nbuild\t-tags=goplugin,x\nbuild\t-trimpath=true\n\
        build\tCGO_ENABLED=1\nbuild\tGOARCH=amd64\nbuild\tGOEXPERIMENT=nogreenteagc\n\
        build\tGOOS=linux\nbuild\tGOAMD64=v1\n";

    #[test]
    fn build_list_keeps_versions_and_replacements() {
        let info = parse_modinfo("go1.26.8", TEXT.as_bytes()).expect("valid modinfo");
        let build = from_build_info(&info);
        assert_eq!(build.main, ModKey::new("gw", ""));
        let keys: Vec<String> = build
            .build_list
            .iter()
            .map(|(k, r)| match r {
                Some(r) => format!("{}@{} => {} {:?}", k.path, k.version, r.path, r.version),
                None => format!("{}@{}", k.path, k.version),
            })
            .collect();
        assert_eq!(
            keys,
            [
                "ex.com/a@v1.0.0 => ex.com/a-fork Some(\"v1.0.1\")",
                "ex.com/b@v1.2.0",
                "ex.com/d@v0.1.0 => ../d None",
            ]
        );
        assert_eq!(
            build.linked.iter().collect::<Vec<_>>(),
            ["ex.com/a", "ex.com/b", "ex.com/d", "gw"]
        );
    }

    #[test]
    fn settings_are_read_from_build_lines() {
        let info = parse_modinfo("go1.26.8", TEXT.as_bytes()).expect("valid modinfo");
        let s = from_build_info(&info).settings;
        assert_eq!((s.goos.as_str(), s.goarch.as_str()), ("linux", "amd64"));
        assert!(s.cgo_enabled && s.trimpath && !s.race);
        assert_eq!(s.tags, ["goplugin", "x"]);
        assert_eq!(s.goexperiment, ["nogreenteagc"]);
        assert_eq!(s.arch_level, Some(("GOAMD64".to_owned(), "v1".to_owned())));
        assert_eq!(s.buildmode, "exe");
    }
}
