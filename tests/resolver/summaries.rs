//! The summary cache file: what is recorded reads back the same, go.sum
//! overrules an entry whose go.mod hash it does not list, and no damage to
//! the file — any truncation, any flipped byte, another format — ever makes
//! it answer something that was not recorded.

use tykdeps_resolver::graph::{GoModId, ModKey, Summary};
use tykdeps_resolver::source::Info;
use tykdeps_resolver::source::summaries::SummaryCache;
use tykdeps_resolver::source::verify::{GoModSums, go_mod_hash};

const A_MOD: &str = "module x.test/a\n\ngo 1.21\n\nrequire (\n\tx.test/b v1.2.0\n\tx.test/c v0.3.0 // indirect\n)\n";
const B_MOD: &str = "module x.test/b\n\nrequire x.test/c v0.1.0\n";

fn key(path: &str, version: &str) -> ModKey {
    ModKey::new(path, version)
}

fn summary(m: &ModKey, text: &str) -> Summary {
    Summary::parse(&GoModId::Remote(m.clone()), text.as_bytes()).expect("a valid go.mod")
}

/// A cache holding a's and b's go.mod and a's `.info`, as bytes.
fn recorded() -> Vec<u8> {
    let mut cache = SummaryCache::disabled();
    let (a, b) = (key("x.test/a", "v1.0.0"), key("x.test/b", "v1.2.0"));
    cache.record_go_mod(&a, go_mod_hash(A_MOD.as_bytes()), summary(&a, A_MOD));
    cache.record_go_mod(&b, go_mod_hash(B_MOD.as_bytes()), summary(&b, B_MOD));
    cache.record_info(
        &a,
        Info {
            version: "v1.0.0".to_owned(),
            time: Some("2024-01-02T03:04:05Z".to_owned()),
        },
    );
    cache.to_bytes()
}

/// Every answer `cache` gives is what was recorded (a miss is allowed).
fn answers_nothing_false(cache: &SummaryCache) -> usize {
    let (a, b) = (key("x.test/a", "v1.0.0"), key("x.test/b", "v1.2.0"));
    let mut hits = 0;
    for (m, text) in [(&a, A_MOD), (&b, B_MOD)] {
        if let Some(s) = cache.go_mod(m) {
            assert_eq!(s, summary(m, text), "{m}: a damaged cache answered wrong");
            hits += 1;
        }
    }
    if let Some(info) = cache.info(&a) {
        assert_eq!(info.time.as_deref(), Some("2024-01-02T03:04:05Z"));
        hits += 1;
    }
    assert!(cache.info(&b).is_none(), "b's .info was never recorded");
    hits
}

#[test]
fn what_is_recorded_reads_back() {
    let cache = SummaryCache::from_bytes(recorded(), GoModSums::new());
    assert_eq!(answers_nothing_false(&cache), 3);
    let a = cache
        .go_mod(&key("x.test/a", "v1.0.0"))
        .expect("a is cached");
    assert_eq!(a.go_version.as_deref(), Some("1.21"));
    assert_eq!(
        a.require.keys(),
        [
            key("x.test/b", "v1.2.0"),
            key("x.test/c", "v0.3.0"),
            key("go", "1.21")
        ]
    );
    assert!(a.pruned);
    // Rewriting a loaded file keeps every entry.
    let again = SummaryCache::from_bytes(cache.to_bytes(), GoModSums::new());
    assert_eq!(answers_nothing_false(&again), 3);
}

#[test]
fn go_sum_overrules_an_entry_it_does_not_list() {
    let a = key("x.test/a", "v1.0.0");
    let other = go_mod_hash(b"module x.test/a\n");
    let mut sums = GoModSums::new();
    sums.insert("x.test/a", "v1.0.0", &other);
    let cache = SummaryCache::from_bytes(recorded(), sums);
    assert!(cache.go_mod(&a).is_none(), "go.sum names another go.mod");
    assert!(cache.go_mod(&key("x.test/b", "v1.2.0")).is_some());

    let mut sums = GoModSums::new();
    sums.insert("x.test/a", "v1.0.0", &other);
    sums.insert("x.test/a", "v1.0.0", &go_mod_hash(A_MOD.as_bytes()));
    let cache = SummaryCache::from_bytes(recorded(), sums);
    assert!(cache.go_mod(&a).is_some(), "one of go.sum's hashes matches");
}

#[test]
fn a_truncated_file_never_answers_wrong() {
    let bytes = recorded();
    for len in 0..bytes.len() {
        let cache = SummaryCache::from_bytes(bytes[..len].to_vec(), GoModSums::new());
        answers_nothing_false(&cache);
    }
}

#[test]
fn a_flipped_byte_never_answers_wrong() {
    let bytes = recorded();
    let mut still_answering = 0;
    for at in 0..bytes.len() {
        for bit in [0x01, 0x80] {
            let mut damaged = bytes.clone();
            damaged[at] ^= bit;
            let cache = SummaryCache::from_bytes(damaged, GoModSums::new());
            still_answering += answers_nothing_false(&cache);
        }
    }
    // Undamaged entries next to a damaged one stay usable.
    assert!(still_answering > 0);
}

#[test]
fn another_format_is_ignored_and_replaced() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("cache/tykdeps/summaries-v3");
    std::fs::create_dir_all(file.parent().expect("a parent")).expect("mkdir");
    let mut other = b"tykdeps go.mod summaries v2\n".to_vec();
    other.extend_from_slice(&recorded()[28..]);
    for junk in [other, b"garbage".to_vec(), Vec::new()] {
        std::fs::write(&file, &junk).expect("write");
        let mut cache = SummaryCache::open(&file, GoModSums::new());
        assert_eq!(
            answers_nothing_false(&cache),
            0,
            "nothing is read from {junk:?}"
        );
        let b = key("x.test/b", "v1.2.0");
        cache.record_go_mod(&b, go_mod_hash(B_MOD.as_bytes()), summary(&b, B_MOD));
        cache.save().expect("the cache is written");
        let reread = SummaryCache::open(&file, GoModSums::new());
        assert_eq!(reread.go_mod(&b), Some(summary(&b, B_MOD)));
    }
    assert!(
        std::fs::read_dir(file.parent().expect("a parent"))
            .expect("list")
            .count()
            == 1,
        "no temporary file is left behind"
    );
}

#[test]
fn an_entry_learns_its_info_without_losing_its_go_mod() {
    let b = key("x.test/b", "v1.2.0");
    let mut cache = SummaryCache::from_bytes(recorded(), GoModSums::new());
    let info = Info {
        version: "v1.2.0".to_owned(),
        time: None,
    };
    cache.record_info(&b, info.clone());
    let reread = SummaryCache::from_bytes(cache.to_bytes(), GoModSums::new());
    assert_eq!(reread.info(&b), Some(info));
    assert_eq!(reread.go_mod(&b), Some(summary(&b, B_MOD)));
}
