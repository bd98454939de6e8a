//! The memos' file keys: what makes a memo of one file's contents answer
//! for another's.

use tykdeps_resolver::memo_key::MemoKey;

/// The key of `file` alone.
fn key_of(file: &std::path::Path) -> String {
    let mut key = MemoKey::default();
    let meta = std::fs::metadata(file).expect("stat");
    key.file(file, &meta).expect("readable");
    key.hex()
}

/// A file written in the last second is keyed by its bytes, not its stamp:
/// two writes of one size in one clock tick share a stamp ("racily clean"),
/// so a stamp taken then could later stand for other contents. Two files of
/// the same bytes (other inodes, so other stamps) then share a key, and a
/// byte changed at the same size changes it.
#[test]
fn a_file_written_just_now_is_keyed_by_its_bytes() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    std::fs::write(&one, "module testplugin\n").expect("writable");
    std::fs::write(&two, "module testplugin\n").expect("writable");
    assert_eq!(key_of(&one), key_of(&two), "same bytes, same key");
    std::fs::write(&two, "module testplugiN\n").expect("writable");
    assert_ne!(
        key_of(&one),
        key_of(&two),
        "a byte changed at the same size"
    );
}
