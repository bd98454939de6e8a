//! Reading a gateway snapshot never panics, whatever the bytes; and any
//! snapshot that deserialises, once sealed by the library, reads back
//! without an integrity complaint (a format it does not know aside) and prints the same bytes again. Sealing
//! here is what lets the fuzzer get past the hashes into the fields' checks
//! and the go.mod and build views an audit takes from the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tykdeps_resolver::snapshot::{FORMAT, Snapshot, SnapshotError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(snapshot) = Snapshot::parse("gateway.snapshot.json", text) {
        read_views(&snapshot);
    }
    let Ok(unsealed) = serde_json::from_str::<Snapshot>(text) else {
        return;
    };
    let known_format = unsealed.format == FORMAT;
    let printed = unsealed.seal().to_json();
    let printed_text = std::str::from_utf8(&printed).expect("snapshots print UTF-8");
    match Snapshot::parse("gateway.snapshot.json", printed_text) {
        Ok(again) => {
            assert_eq!(
                again.to_json(),
                printed,
                "a sealed snapshot reprints the same"
            );
            read_views(&again);
        }
        Err(e @ SnapshotError::Invalid { .. }) => assert!(!e.to_string().is_empty()),
        Err(SnapshotError::Format { .. }) if !known_format => {}
        Err(e) => panic!("a sealed snapshot is refused for something but a field: {e}"),
    }
});

fn read_views(snapshot: &Snapshot) {
    for key in snapshot.graph.keys() {
        if let Some((path, version)) = key.split_once('@') {
            assert!(
                snapshot.go_mod(path, version).is_some(),
                "{key} is in the graph"
            );
        }
    }
    let _ = snapshot.build.build("/gateway");
}
