//! Fuzz the ELF reader (build-info blob search, symbol tables, hashes, version
//! needs) and the predictor over whatever it reads: never panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tykdeps_resolver::buildinfo::predict::{Binary, Target, predict};
use tykdeps_resolver::buildinfo::read_elf;

fuzz_target!(|data: &[u8]| {
    if let Ok(facts) = read_elf(data) {
        let binary = Binary {
            name: "fuzz.so".to_owned(),
            real_path: "/fuzz.so".to_owned(),
            facts,
        };
        let _ = predict(
            &binary,
            &[binary.clone(), binary.clone()],
            Target::default(),
        );
    }
});
