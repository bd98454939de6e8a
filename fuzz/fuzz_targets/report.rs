//! A JSON report read back (`comment`, `--baseline`) never panics, and a
//! report it accepts keeps every finding's fingerprint hexadecimal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tykdeps_resolver::audit::read_back;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(report) = read_back::read(text) else {
        return;
    };
    for finding in &report.findings {
        assert!(!finding.fingerprint.is_empty());
        assert!(finding.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
    }
});
