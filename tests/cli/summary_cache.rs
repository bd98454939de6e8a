//! The caches below GOMODCACHE as the binary uses them. The summary cache: a
//! second run answered from it prints byte for byte what the first run and
//! `go list -m all` print; an entry whose go.mod hash go.sum does not list is
//! not used (and one whose hash it lists is, which is what makes that check
//! matter); a corrupt cache file is ignored and rewritten. The output memo:
//! used while nothing it was computed from changes, and recomputed after any
//! change to go.mod, go.sum, a replacement directory's go.mod or the
//! environment.
#![expect(
    clippy::print_stdout,
    reason = "oracle tests report what they compared"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tykdeps_resolver::graph::{ModKey, Requirements, Summary};
use tykdeps_resolver::source::summaries::{SummaryCache, cache_file};
use tykdeps_resolver::source::verify::GoModSums;

use crate::support;

const SCENARIOS: [&str; 4] = ["diamond", "pruning", "unpruned", "replace-version"];

/// A scenario copy with the go.sum a `-mod=mod` go run writes (and the
/// scenario's own go.mod back), a fresh module cache, and the environment.
struct Setup {
    scenario: PathBuf,
    dir: tempfile::TempDir,
    modcache: tempfile::TempDir,
    env: BTreeMap<String, String>,
}

impl Setup {
    fn new(scenario: &str) -> Self {
        let from = support::own_corpus().join("scenarios").join(scenario);
        let dir = tempfile::tempdir().expect("a temp dir");
        let modcache = tempfile::tempdir().expect("a temp module cache");
        support::copy_dir(&from, dir.path());
        let proxy = format!("file://{}", support::own_corpus().join("proxy").display());
        let env = support::hermetic_go_env(&proxy, modcache.path());
        let out = support::go(dir.path(), &env, ["list", "-m", "all"]);
        assert!(out.status.success(), "go list -m all fails on {scenario}");
        let setup = Self {
            scenario: from,
            dir,
            modcache,
            env,
        };
        setup.restore_go_mod();
        setup
    }

    /// go rewrites go.mod under `-mod=mod`; every run starts from the
    /// scenario's own.
    fn restore_go_mod(&self) {
        std::fs::copy(self.scenario.join("go.mod"), self.dir.path().join("go.mod"))
            .expect("restore go.mod");
    }

    fn cache(&self) -> PathBuf {
        cache_file(self.modcache.path())
    }

    /// `tykdeps graph` without its output memo, so the summary cache answers.
    fn tykdeps(&self) -> String {
        let memos = self.cache().with_file_name("graphs-v1");
        if memos.exists() {
            std::fs::remove_dir_all(memos).expect("remove the memos");
        }
        self.tykdeps_with(&[])
    }

    /// `tykdeps graph` as a user runs it, with `env` added.
    fn tykdeps_with(&self, env: &[(&str, &str)]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_tykdeps"))
            .arg("graph")
            .current_dir(self.dir.path())
            .envs(&self.env)
            .envs(env.iter().copied())
            .output()
            .expect("tykdeps runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    fn go_list(&self) -> String {
        let out = support::go(self.dir.path(), &self.env, ["list", "-m", "all"]);
        self.restore_go_mod();
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }
}

#[test]
fn a_cached_run_prints_what_the_first_run_and_go_print() {
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    for name in SCENARIOS {
        let s = Setup::new(name);
        let first = s.tykdeps();
        let written = std::fs::read(s.cache()).expect("the first run writes the cache");
        let second = s.tykdeps();
        assert_eq!(
            std::fs::read(s.cache()).expect("still there"),
            written,
            "{name}: a fully cached run has nothing to add"
        );
        assert_eq!(first, second, "{name}: the cached run differs");
        assert_eq!(first, s.go_list(), "{name}: differs from go list -m all");
    }
    println!(
        "summary cache: {n}/{n} scenarios identical on the first run, the cached run and go list -m all",
        n = SCENARIOS.len()
    );
}

/// Replace the output kept in every memo with `text`, keeping its header.
fn plant_memo(s: &Setup, text: &str) {
    let dir = s.cache().with_file_name("graphs-v1");
    let memos = std::fs::read_dir(&dir).expect("a memo was written");
    for memo in memos {
        let file = memo.expect("an entry").path();
        let old = std::fs::read_to_string(&file).expect("a memo");
        let mut lines = old.split_inclusive('\n');
        let key = lines.next().expect("a key line");
        let count = lines.next().expect("a count line");
        let n: usize = count.trim().parse().expect("a count");
        let dirs: String = lines.take(n).collect();
        std::fs::write(&file, format!("{key}{count}{dirs}{text}")).expect("write the memo");
    }
}

#[test]
fn the_memo_is_used_until_an_input_changes() {
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    let s = Setup::new("replace-dir");
    let go = s.go_list();
    assert_eq!(s.tykdeps_with(&[]), go);
    plant_memo(&s, "planted\n");
    assert_eq!(
        s.tykdeps_with(&[]),
        "planted\n",
        "an unchanged module prints its memo"
    );
    let append = |file: &Path, text: &str| {
        let mut bytes = std::fs::read(file).expect("read");
        bytes.extend_from_slice(text.as_bytes());
        std::fs::write(file, bytes).expect("write");
    };
    let root = s.dir.path().to_path_buf();
    let changes = [
        ("go.sum", "go.sum", "\n"),
        (
            "the replacement directory's go.mod",
            "local/c/go.mod",
            "// touched\n",
        ),
        ("go.mod", "go.mod", "// touched\n"),
    ];
    let mut recomputed = 0;
    for (what, file, text) in changes {
        plant_memo(&s, "planted\n");
        append(&root.join(file), text);
        let ours = s.tykdeps_with(&[]);
        assert_ne!(
            ours, "planted\n",
            "a changed {what} is not answered from the memo"
        );
        assert_eq!(ours, go, "after changing {what}");
        recomputed += 1;
    }
    // Files older than a second are keyed by stamp, not bytes: still, any
    // write changes the key, even one that keeps the size and puts the old
    // modification time back.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let age = |file: &str| {
        let f = std::fs::File::options()
            .append(true)
            .open(root.join(file))
            .expect("open");
        f.set_modified(old).expect("set the modification time");
    };
    age("go.mod");
    age("go.sum");
    assert_eq!(s.tykdeps_with(&[]), go);
    plant_memo(&s, "planted\n");
    assert_eq!(
        s.tykdeps_with(&[]),
        "planted\n",
        "an unchanged old module prints its memo"
    );
    let text = std::fs::read_to_string(root.join("go.mod")).expect("read");
    std::fs::write(
        root.join("go.mod"),
        text.replace("// touched", "// patched"),
    )
    .expect("write");
    age("go.mod");
    assert_eq!(
        s.tykdeps_with(&[]),
        go,
        "a go.mod rewritten at its size and old time is not answered from the memo"
    );
    recomputed += 1;
    plant_memo(&s, "planted\n");
    let offline = s.tykdeps_with(&[("GOPROXY", "off")]);
    assert_eq!(
        offline, go,
        "another environment is not answered from the memo"
    );
    println!(
        "graph memo: used while unchanged; recomputed after {recomputed} input changes and an environment change"
    );
}

/// Plant, for `m`, a summary without requirements under go.mod hash `h1`.
fn plant(file: &Path, m: &ModKey, h1: &str) {
    let mut cache =
        SummaryCache::from_bytes(std::fs::read(file).expect("a cache"), GoModSums::new());
    let real = cache.go_mod(m).expect("m is cached");
    let altered = Summary {
        require: Requirements::default(),
        ..real
    };
    cache.record_go_mod(m, h1.to_owned(), altered);
    std::fs::write(file, cache.to_bytes()).expect("write the cache");
}

#[test]
fn go_sum_decides_whether_a_cache_entry_is_used() {
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    let s = Setup::new("diamond");
    let go = s.go_list();
    assert_eq!(s.tykdeps(), go);
    let c = ModKey::new("example.com/c", "v1.1.0");
    let sum = std::fs::read_to_string(s.dir.path().join("go.sum")).expect("go.sum");
    let listed = sum
        .lines()
        .find_map(|l| l.strip_prefix("example.com/c v1.1.0/go.mod "))
        .expect("go.sum lists c's go.mod");

    plant(&s.cache(), &c, "h1:not-the-go.sum-hash=");
    assert_eq!(
        s.tykdeps(),
        go,
        "an entry go.sum disagrees with is not used"
    );

    plant(&s.cache(), &c, listed);
    let altered = s.tykdeps();
    assert_ne!(
        altered, go,
        "an entry go.sum agrees with is used (c's requirement on d is gone)"
    );
    assert!(!altered.contains("example.com/d "), "{altered}");
    println!("summary cache: a planted entry is used only when go.sum lists its hash");
}

#[test]
fn a_corrupt_cache_file_is_ignored_and_rewritten() {
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    let s = Setup::new("unpruned");
    let go = s.go_list();
    let first = s.tykdeps();
    let good = std::fs::read(s.cache()).expect("the first run writes the cache");
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    for damaged in [
        good[..good.len() - 3].to_vec(),
        flipped,
        b"junk".to_vec(),
        Vec::new(),
    ] {
        std::fs::write(s.cache(), &damaged).expect("damage the cache");
        assert_eq!(s.tykdeps(), first);
        assert_ne!(
            std::fs::read(s.cache()).expect("rewritten"),
            damaged,
            "the damaged file is replaced"
        );
        assert_eq!(s.tykdeps(), go);
    }
    println!(
        "summary cache: 4/4 damaged cache files (truncated, flipped, junk, empty) ignored and rewritten"
    );
}

#[test]
fn concurrent_first_runs_leave_one_whole_cache_file() {
    const RUNS: usize = 6;
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    let s = Setup::new("unpruned");
    let go = s.go_list();
    assert!(!s.cache().exists(), "no run has written the cache yet");
    // Spawned all before any is waited for, so the runs overlap and race
    // to write the file.
    let spawned: Vec<_> = (0..RUNS)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_tykdeps"))
                .arg("graph")
                .current_dir(s.dir.path())
                .envs(&s.env)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("tykdeps starts")
        })
        .collect();
    for child in spawned {
        let out = child.wait_with_output().expect("tykdeps runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), go);
    }
    let written = std::fs::read(s.cache()).expect("the runs wrote the cache");
    assert_eq!(s.tykdeps(), go);
    assert_eq!(
        std::fs::read(s.cache()).expect("still there"),
        written,
        "the file the concurrent runs left is whole: a later run has nothing to add"
    );
    println!("summary cache: {RUNS} concurrent runs, one whole cache file, every output go's");
}
