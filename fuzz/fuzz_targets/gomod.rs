//! go.mod parsing never panics, a file it accepts prints to a file it
//! accepts again, and that survives parse → format → parse with the same
//! meaning and the same tree unless a token spans lines: x/mod's own
//! `Format` moves a comment after such a line on every pass, which can
//! also make it a retraction's rationale (see gomod::format's tests of both).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tykdeps_resolver::gomod::{self, Mode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for mode in [Mode::Strict, Mode::Lax] {
        let Ok(file) = gomod::parse_mod("go.mod", text, mode) else {
            continue;
        };
        let printed = gomod::format(&file.syntax);
        let again = gomod::parse_mod("go.mod", &printed, mode).expect("formatted go.mod parses");
        if !printed.contains("\\\n") {
            assert_eq!(gomod::format(&again.syntax), printed);
            assert_eq!(gomod::mod_json(&again), gomod::mod_json(&file));
        }
    }
});
