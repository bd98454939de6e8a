//! The two builds the audit compares, as configurations: the gateway as
//! Tyk's releases are built, the plugin as `go build` builds it here, and
//! the assumed build every report states. Kept apart so what is assumed
//! about a build is decided in one place.

use std::path::PathBuf;

use crate::audit::AssumedBuild;
use crate::packages::BuildConfig;

/// The build target of `go build`: GOOS, GOARCH and CGO_ENABLED, GOFLAGS'
/// `-tags`, and the toolchain that builds.
#[derive(Debug, Clone)]
pub struct BuildTarget {
    /// GOOS.
    pub goos: String,
    /// GOARCH.
    pub goarch: String,
    /// CGO_ENABLED (true unless `0`).
    pub cgo_enabled: bool,
    /// GOFLAGS' `-tags`.
    pub tags: Vec<String>,
    /// The toolchain `go build` would run, when found.
    pub toolchain: Option<Toolchain>,
    /// `GOTOOLCHAIN` as the go command reads it (the environment, then the
    /// `go env -w` file, then `$GOROOT/go.env`); empty when none sets it.
    pub gotoolchain: String,
}

/// A Go toolchain: its GOROOT, which alone says which import paths are the
/// standard library, and its release.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// GOROOT.
    pub goroot: PathBuf,
    /// Its release, from `$GOROOT/VERSION` (`go1.26.8`), when it says.
    pub version: Option<String>,
}

pub(super) fn build_config(
    target: &BuildTarget,
    mut tags: Vec<String>,
    go: Option<&str>,
) -> BuildConfig {
    if target.goarch == "amd64" {
        tags.push("amd64.v1".to_owned());
    }
    let go_minor = go
        .and_then(|g| g.split('.').nth(1))
        .and_then(|m| m.parse().ok())
        .unwrap_or(26);
    BuildConfig {
        goos: target.goos.clone(),
        goarch: target.goarch.clone(),
        cgo_enabled: target.cgo_enabled,
        tags,
        go_minor,
    }
}

/// The tags Tyk builds its releases with: `goplugin` turns plugin loading on.
pub(super) const GATEWAY_TAGS: &[&str] = &["goplugin"];

/// The gateway as its releases are built; the user's GOFLAGS tags are for
/// the plugin's build, not the release's.
pub(super) fn gateway_config(target: &BuildTarget, go: Option<&str>) -> BuildConfig {
    let tags = GATEWAY_TAGS.iter().map(|t| (*t).to_owned()).collect();
    build_config(target, tags, go)
}

/// The build both configurations stand for, as every report states it.
pub(super) fn assumed_build(target: &BuildTarget) -> AssumedBuild {
    AssumedBuild {
        toolchain: target.toolchain.as_ref().and_then(|t| t.version.clone()),
        trimpath: true,
        gateway_tags: GATEWAY_TAGS.iter().map(|t| (*t).to_owned()).collect(),
        plugin_tags: target.tags.clone(),
        goos: target.goos.clone(),
        goarch: target.goarch.clone(),
        cgo_enabled: target.cgo_enabled,
    }
}

/// The build configurations of the gateway and the plugins.
pub(super) struct Configs {
    pub(super) gateway: BuildConfig,
    pub(super) plugin: BuildConfig,
}

/// The plugin is built as `go build` builds it here (GOOS, GOARCH,
/// CGO_ENABLED, GOFLAGS' `-tags`).
pub(super) fn plugin_config(target: &BuildTarget, go: Option<&str>) -> BuildConfig {
    build_config(target, target.tags.clone(), go)
}
