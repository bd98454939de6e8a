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
