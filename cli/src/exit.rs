//! Exit codes are API: scripts and CI branch on them, so each has one meaning
//! (documented in book/src/reference/exit-codes.md).

/// The process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum ExitStatus {
    /// Success: the plugin loads, or the command did what was asked.
    Ok = 0,
    /// The check ran and found an error-level problem (the plugin will not load).
    Fails = 1,
    /// Invalid input or usage: a malformed file, a bad flag, a bad config.
    Invalid = 2,
    /// Could not check: module data could not be fetched.
    CouldNotCheck = 3,
}

/// A command that could not do what was asked: its diagnostic and the exit
/// status it carries. Commands return it; `main` alone prints it.
#[derive(Debug)]
pub(crate) struct CommandError {
    /// What went wrong, rendered by miette.
    pub(crate) report: miette::Report,
    /// The exit status it maps to.
    pub(crate) status: ExitStatus,
}

impl CommandError {
    /// A failure with exit status `status`.
    pub(crate) fn new(status: ExitStatus, report: miette::Report) -> Self {
        Self { report, status }
    }

    /// Invalid input or usage (exit 2).
    pub(crate) fn invalid(report: miette::Report) -> Self {
        Self::new(ExitStatus::Invalid, report)
    }
}

/// An audit's error: exit 3 when module data could not be had, else 2.
impl From<tykdeps_resolver::audit::engine::AuditError> for CommandError {
    fn from(e: tykdeps_resolver::audit::engine::AuditError) -> Self {
        let status = if e.could_not_check() {
            ExitStatus::CouldNotCheck
        } else {
            ExitStatus::Invalid
        };
        Self::new(status, miette::Report::new(e))
    }
}
