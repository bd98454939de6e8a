//! go.sum parsing never panics, and every line it keeps points at its own bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tykdeps_resolver::gomod;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = gomod::parse_sum("go.sum", text) else {
        return;
    };
    for line in &file.lines {
        let bytes = &text[line.span.start..line.span.end];
        assert!(bytes.contains(line.path.as_str()) && bytes.contains(line.hash.as_str()));
    }
});
