//! The one place that writes to the terminal: data goes to stdout, messages and
//! progress to stderr. A closed pipe (`tykdeps graph | head`) is not an error.
#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "this module is the printer"
)]

use std::io::Write;

/// Write data to stdout, ignoring a closed pipe.
pub(crate) fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Write a message to stderr.
pub(crate) fn err(text: &str) {
    eprint!("{text}");
}

/// Render a diagnostic with miette's graphical handler to stderr.
pub(crate) fn diagnostic(report: &miette::Report) {
    eprintln!("{report:?}");
}
