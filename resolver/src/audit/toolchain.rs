//! The toolchain rule, statically: the Go toolchain the go command will run
//! to build the plugin (`GOTOOLCHAIN` and the `go`/`toolchain` lines of the
//! go.work or go.mod it finds, as [`version::toolchain::select`] decides)
//! against the toolchain that built, or will build, the gateway.
//!
//! A plugin loads only when exactly the gateway's Go release compiled it;
//! the `go` on PATH is often not the one that builds, so the choice is
//! computed, not assumed.
//!
//! [`version::toolchain::select`]: crate::version::toolchain::select

use super::{Finding, Location, RuleId, Severity, Suggestion};
use crate::gomod::{ModFile, VersionDecl, WorkFile};
use crate::version::gover;
use crate::version::toolchain::{FileLines, Reason, Selection, ToolchainError, select};

/// What is known of the gateway's toolchain, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayToolchain {
    /// The binary's build info names the toolchain that built it, exactly.
    BuildInfo(String),
    /// The gateway's go.mod has a `toolchain` line: a release built by the
    /// go command from that go.mod runs at least this one.
    ToolchainLine(String),
    /// Only a `go` line: the oldest Go that builds the gateway.
    GoLine(String),
}

impl GatewayToolchain {
    /// From the gateway's go.mod, or (when `from_binary`) the go.mod its
    /// build info stands for, whose toolchain line is the one that built it.
    #[must_use]
    pub fn of(go_mod: &ModFile, from_binary: bool) -> Option<Self> {
        let toolchain = go_mod
            .toolchain
            .as_ref()
            .map(|t| t.version.clone())
            .filter(|t| gover::from_toolchain(t).is_some());
        let go = go_mod.go.as_ref().map(|g| format!("go{}", g.version));
        if from_binary {
            return toolchain.or(go).map(Self::BuildInfo);
        }
        toolchain.map(Self::ToolchainLine).or(go.map(Self::GoLine))
    }

    fn name(&self) -> &str {
        match self {
            Self::BuildInfo(t) | Self::ToolchainLine(t) | Self::GoLine(t) => t,
        }
    }

    fn said(&self) -> String {
        match self {
            Self::BuildInfo(t) => format!("{t} built the gateway (its build info)"),
            Self::ToolchainLine(t) => format!(
                "the gateway's go.mod names {t} (its toolchain line; the release is assumed to be built by it)"
            ),
            Self::GoLine(t) => format!(
                "the gateway's go.mod asks for at least {t} (its go line; no toolchain line says which release builds it)"
            ),
        }
    }
}

/// The toolchain the go command runs to build the plugin: `gotoolchain`
/// as the go command reads it, `local` the go command's own release, and
/// the lines of the go.work (in a workspace) or else the plugin's go.mod.
/// `None` when the local release is unknown.
///
/// # Errors
/// A `GOTOOLCHAIN` or `toolchain` line the go command refuses.
pub fn plugin_toolchain(
    gotoolchain: &str,
    local: Option<&str>,
    work: Option<(&str, &WorkFile)>,
    go_mod: (&str, &ModFile),
) -> Option<Result<Selection, ToolchainError>> {
    let local = local?;
    let lines = match work {
        Some((file, w)) => FileLines {
            file,
            go: version(w.go.as_ref()),
            toolchain: version(w.toolchain.as_ref()),
        },
        None => FileLines {
            file: go_mod.0,
            go: version(go_mod.1.go.as_ref()),
            toolchain: version(go_mod.1.toolchain.as_ref()),
        },
    };
    Some(select(gotoolchain, local, Some(lines)))
}

/// A directive's value, `""` without the line.
fn version(line: Option<&VersionDecl>) -> &str {
    line.map_or("", |d| d.version.as_str())
}

/// `toolchain-mismatch`, statically: the toolchain that will build the
/// plugin is not the gateway's. Exact against a build info or a toolchain
/// line; against a go line alone only a toolchain older than it is certain.
#[must_use]
pub fn toolchain_mismatch(
    plugin: &Selection,
    gateway: &GatewayToolchain,
    location: Location,
) -> Option<Finding> {
    let (Some(ours), Some(theirs)) = (
        gover::from_toolchain(&plugin.toolchain),
        gover::from_toolchain(gateway.name()),
    ) else {
        return None;
    };
    let differs = match gateway {
        GatewayToolchain::BuildInfo(_) | GatewayToolchain::ToolchainLine(_) => ours != theirs,
        GatewayToolchain::GoLine(_) => gover::compare(ours, theirs).is_lt(),
    };
    if !differs {
        return None;
    }
    let why_ours = match plugin.reason {
        Reason::Local => "the local go command, which GOTOOLCHAIN and the lines let run",
        Reason::Gotoolchain => "named by GOTOOLCHAIN",
        Reason::ToolchainLine => "the plugin's toolchain line asks for it",
        Reason::GoLine => "the plugin's go line asks for it",
    };
    let fix = gateway.name();
    Some(Finding {
        rule: RuleId::ToolchainMismatch,
        severity: Severity::Error,
        module: None,
        gateway_version: Some(gateway.name().to_owned()),
        plugin_version: Some(plugin.toolchain.clone()),
        packages: Vec::new(),
        message: format!(
            "the go command will build the plugin with {} ({why_ours}); {}",
            plugin.toolchain,
            gateway.said()
        ),
        why: "a plugin loads only when the gateway's own Go release compiled it: the runtime and standard library packages of another release differ (\"plugin was built with a different version of package internal/...\", or the gateway dies in the runtime)".to_owned(),
        suggestions: vec![Suggestion {
            kind: "set-toolchain",
            description: format!(
                "build the plugin with the gateway's toolchain: GOTOOLCHAIN={fix} (the go command fetches it through the module proxy)"
            ),
            go_command: Some(format!(
                "GOTOOLCHAIN={fix} go build -buildmode=plugin -trimpath"
            )),
            edit: None,
            edits: Vec::new(),
        }],
        location: Some(location),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(toolchain: &str, reason: Reason) -> Selection {
        Selection {
            toolchain: toolchain.to_owned(),
            reason,
            switches: true,
        }
    }

    fn at() -> Location {
        Location {
            file: "go.mod".to_owned(),
            line: None,
            column: None,
            span: None,
        }
    }

    #[test]
    fn exact_sides_must_be_equal() {
        let gateway = GatewayToolchain::BuildInfo("go1.26.8".to_owned());
        let found = toolchain_mismatch(&selection("go1.27.3", Reason::Gotoolchain), &gateway, at())
            .expect("another release");
        assert_eq!(
            found.suggestions[0].go_command.as_deref(),
            Some("GOTOOLCHAIN=go1.26.8 go build -buildmode=plugin -trimpath")
        );
        assert!(
            found.message.contains("named by GOTOOLCHAIN"),
            "{}",
            found.message
        );
        assert!(found.message.contains("build info"), "{}", found.message);
        // Another patch release is another toolchain too.
        assert!(
            toolchain_mismatch(&selection("go1.26.7", Reason::GoLine), &gateway, at()).is_some()
        );
        assert!(
            toolchain_mismatch(&selection("go1.26.8", Reason::Local), &gateway, at()).is_none()
        );
    }

    #[test]
    fn a_go_line_is_only_a_minimum() {
        let gateway = GatewayToolchain::GoLine("go1.25.0".to_owned());
        assert!(
            toolchain_mismatch(&selection("go1.26.8", Reason::Local), &gateway, at()).is_none()
        );
        let older = toolchain_mismatch(&selection("go1.24.2", Reason::Gotoolchain), &gateway, at())
            .expect("older than the gateway's minimum");
        assert!(older.message.contains("its go line"), "{}", older.message);
    }
}
