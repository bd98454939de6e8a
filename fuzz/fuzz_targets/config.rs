//! `tykdeps.toml` parsing never panics, and a refusal points inside the file:
//! its line and column exist and its labelled span is within the text (the
//! diagnostic renderer slices the text there).
#![no_main]

use libfuzzer_sys::fuzz_target;
use miette::Diagnostic;
use tykdeps_resolver::audit::config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Err(e) = config::parse("tykdeps.toml", text) else {
        return;
    };
    assert!(
        e.line() >= 1 && e.line() <= text.lines().count().max(1) + 1,
        "{e}"
    );
    assert!(e.column() >= 1, "{e}");
    assert!(!e.message().is_empty());
    for label in e.labels().into_iter().flatten() {
        let end = label.offset() + label.len();
        assert!(
            end <= text.len(),
            "{e}: span {}..{end} of {} bytes",
            label.offset(),
            text.len()
        );
        assert!(
            text.is_char_boundary(label.offset()) && text.is_char_boundary(end),
            "{e}"
        );
    }
});
