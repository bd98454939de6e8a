//! go.work parsing never panics, and an accepted file survives
//! parse → format → parse with the same tree and the same meaning.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tykdeps_resolver::gomod;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = gomod::parse_work("go.work", text) else {
        return;
    };
    let printed = gomod::format(&file.syntax);
    let again = gomod::parse_work("go.work", &printed).expect("formatted go.work parses");
    assert_eq!(gomod::format(&again.syntax), printed);
    assert_eq!(gomod::work_json(&again), gomod::work_json(&file));
});
