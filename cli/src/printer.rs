//! The one place that writes to the terminal: data goes to stdout, messages and
//! progress to stderr. A closed pipe (`tykdeps graph | head`) is not an error.
// Stdout is written with `write_all` (so a closed pipe can be ignored), which
// `print_stdout` does not flag; only the stderr macros need the exemption.
#![expect(clippy::print_stderr, reason = "this module is the printer")]

use std::io::Write;

/// Write data to stdout, ignoring a closed pipe.
pub(crate) fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Render a diagnostic with miette's graphical handler to stderr.
pub(crate) fn diagnostic(report: &miette::Report) {
    eprintln!("{report:?}");
}

/// A command's end: its output on stdout (exit 0), or its error for `main`.
pub(crate) fn finish(
    result: Result<String, crate::exit::CommandError>,
) -> Result<crate::exit::ExitStatus, crate::exit::CommandError> {
    out(&result?);
    Ok(crate::exit::ExitStatus::Ok)
}
