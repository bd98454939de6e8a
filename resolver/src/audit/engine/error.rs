//! Why an audit stopped, as a typed value with a code and help: the front
//! end decides the exit status ([`AuditError::could_not_check`]) and prints
//! it, the engine never does.

use crate::graph::discover::InputError;
use crate::graph::{GraphError, LoadError};
use crate::source::FetchError;

/// Why an audit could not give a report.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum AuditError {
    /// The main modules could not be found, read or parsed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(#[from] InputError),
    /// A module graph could not be resolved.
    #[error("{0}")]
    #[diagnostic(code(tykdeps::graph))]
    Graph(GraphError),
    /// The request does not fit the inputs (no gateway, a `--plugin` the
    /// workspace does not use, a gateway binary without build info).
    #[error("{0}")]
    #[diagnostic(code(tykdeps::usage))]
    Usage(String),
    /// The module sources named by the environment cannot be used.
    #[error("{0}")]
    #[diagnostic(code(tykdeps::environment))]
    Sources(String),
    /// The published gateway's go.mod could not be fetched.
    #[error("fetching the gateway's go.mod: {0}")]
    #[diagnostic(code(tykdeps::fetch))]
    GatewayGoMod(FetchError),
    /// A gateway snapshot cannot be read or is no valid snapshot.
    #[error(transparent)]
    #[diagnostic(code(tykdeps::snapshot))]
    Snapshot(#[from] crate::snapshot::SnapshotError),
    /// A Tyk release or commit could not be resolved to a version.
    #[error("{0}")]
    #[diagnostic(code(tykdeps::gateway))]
    Gateway(String),
    /// Fetched zips disagreed with go.sum.
    #[error("{}", .0.join("\n"))]
    #[diagnostic(code(tykdeps::checksum))]
    Tampered(Vec<String>),
    /// The deadline passed.
    #[error("the module data did not arrive within the deadline of {seconds}s{waiting}")]
    #[diagnostic(
        code(tykdeps::deadline),
        help("raise it with --timeout or TYKDEPS_TIMEOUT, or check the module proxy (GOPROXY)")
    )]
    Deadline {
        /// The deadline.
        seconds: u64,
        /// The requests still under way, as a sentence tail.
        waiting: String,
    },
}

impl AuditError {
    /// Whether module data could not be had (else the input or request is wrong).
    pub fn could_not_check(&self) -> bool {
        match self {
            Self::Graph(GraphError::Load {
                cause: LoadError::Fetch(_),
                ..
            })
            | Self::GatewayGoMod(_)
            | Self::Gateway(_)
            | Self::Tampered(_)
            | Self::Deadline { .. } => true,
            Self::Input(_)
            | Self::Graph(_)
            | Self::Usage(_)
            | Self::Sources(_)
            | Self::Snapshot(_) => false,
        }
    }
}
