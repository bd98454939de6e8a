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

/// A command's end: its output on stdout (exit 0), or its diagnostic on
/// stderr and the exit status it carries.
pub(crate) fn finish(result: Result<String, crate::load::Failure>) -> crate::exit::ExitStatus {
    match result {
        Ok(text) => {
            out(&text);
            crate::exit::ExitStatus::Ok
        }
        Err((report, status)) => {
            diagnostic(&report);
            status
        }
    }
}
