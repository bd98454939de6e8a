//! The `tykdeps` command: tells a Tyk Gateway Go-plugin author, before anything is
//! built, whether the plugin will load into a given gateway.

mod commands;
mod diff;
mod exit;
mod load;
mod memo;
mod printer;
mod render;
mod repo_paths;
mod settings;

use std::process::ExitCode;

use clap::Parser;
// What the user typed (the commands name it `crate::args`).
use tykdeps_args as args;
// Where the commands ask git (source_audit names it `crate::vcs`).
use tykdeps_resolver::source::git as vcs;

/// mimalloc rather than the system allocator: a graph run allocates and
/// frees tens of thousands of small strings, which it does in a fraction of
/// the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// With transparent huge pages, the first touch of any 2 MB region zeroes all
/// of it: a run that lives tens of milliseconds spent a fifth of its CPU
/// (`graph`) zeroing memory it never used. mimalloc is built not to ask for
/// them (`no_thp`); this refuses them where the system hands them out
/// unasked (`enabled=always`). The `git` and `go` processes tykdeps starts
/// inherit the setting, which changes nothing but their page size. Best
/// effort: a kernel without the switch leaves things as they were.
fn refuse_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// The one place an error is printed: a command returns its outcome, or
/// the error with the exit status it carries.
fn main() -> ExitCode {
    refuse_huge_pages();
    let cli = args::Cli::parse();
    let status = commands::run(cli).unwrap_or_else(|e| {
        printer::diagnostic(&e.report);
        e.status
    });
    ExitCode::from(status as u8)
}
