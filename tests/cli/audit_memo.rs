//! The audit output memo (`$GOMODCACHE/cache/tykdeps/audits-v1`): an
//! unchanged audit is answered from it, and after any change of an input
//! (the plugin's go.mod, its Go files, tykdeps.toml, GOFLAGS, a gateway
//! snapshot, a gateway checkout's files) the output is exactly that of a
//! run without any memo. A damaged memo is a fresh run, never an error.
//! The same holds for the gateway build memo (`gateway-builds-v1`), which a
//! plugin edit leaves valid.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::audit_source::Example;
use crate::support;

/// The memo directory of `example`'s module cache.
fn memo_dir(example: &Example) -> PathBuf {
    tykdeps_cache(example).join("audits-v1")
}

/// The gateway build memo directory of `example`'s module cache.
fn gateway_memo_dir(example: &Example) -> PathBuf {
    tykdeps_cache(example).join("gateway-builds-v1")
}

fn tykdeps_cache(example: &Example) -> PathBuf {
    example
        .plugin
        .parent()
        .expect("the plugin has a scratch parent")
        .join("modcache/cache/tykdeps")
}

/// The one memo file, and its inode (a hit leaves it as it is).
fn memo_file(example: &Example) -> (PathBuf, u64) {
    use std::os::unix::fs::MetadataExt as _;
    let files = support::sorted_entries(&memo_dir(example));
    assert_eq!(files.len(), 1, "one memo: {files:?}");
    let inode = std::fs::metadata(&files[0]).expect("memo stat").ino();
    (files[0].clone(), inode)
}

/// What a run shows: exit status, stdout.
fn shown(output: &Output) -> (Option<i32>, String) {
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// Run `command` (made afresh by `make`) with the memos as they are, then
/// with none at all: the two outputs must agree. The first is returned.
fn same_as_fresh(
    example: &Example,
    make: &dyn Fn() -> Command,
    what: &str,
) -> (Option<i32>, String) {
    let memoized = shown(&make().output().expect("tykdeps runs"));
    std::fs::remove_dir_all(memo_dir(example)).expect("the memo directory exists");
    if gateway_memo_dir(example).exists() {
        std::fs::remove_dir_all(gateway_memo_dir(example)).expect("removable");
    }
    let fresh = shown(&make().output().expect("tykdeps runs"));
    assert_eq!(
        memoized, fresh,
        "after {what}, the memo's answer differs from a fresh run"
    );
    memoized
}

/// A checkout of the example's gateway beside its plugin.
fn gateway_checkout(example: &Example) -> PathBuf {
    let gateway = example
        .plugin
        .parent()
        .expect("a scratch parent")
        .join("gateway");
    support::copy_dir(
        &support::repo_root().join("corpus/examples/audit/modules/example.com/gateway@v1.0.0"),
        &gateway,
    );
    gateway
}

/// `tykdeps audit --format json --gateway GATEWAY` of the example's plugin.
fn against(example: &Example, gateway: &Path) -> Command {
    example.command(&[
        "audit",
        "--format",
        "json",
        "--gateway",
        &gateway.display().to_string(),
    ])
}

/// Make the gateway's `main.go` stop linking `example.com/logger`.
fn unlink_logger(main: &Path) {
    edit(main, "\t\"example.com/logger\"\n", "");
    edit(main, ", logger.Name()", "");
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("readable");
    assert!(text.contains(from), "{} holds {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("writable");
}

#[test]
fn an_unchanged_audit_is_answered_from_the_memo_and_each_plugin_input_is_seen() {
    let example = Example::new();
    let audit = || example.command(&["audit", "--format", "json"]);
    let first = shown(&audit().output().expect("tykdeps runs"));
    assert_eq!(first.0, Some(1), "the example fails to load: {}", first.1);
    let (file, inode) = memo_file(&example);
    let again = shown(&audit().output().expect("tykdeps runs"));
    assert_eq!(again, first, "an unchanged audit answers the same");
    assert_eq!(memo_file(&example), (file, inode), "and from the memo");

    // go.mod: the conflicting requirement moved to the gateway's version.
    edit(
        &example.plugin.join("go.mod"),
        "example.com/shared v1.3.0",
        "example.com/shared v1.2.0",
    );
    let after_go_mod = same_as_fresh(&example, &audit, "a go.mod edit");
    assert_ne!(after_go_mod, first, "the go.mod edit changes the report");

    // A Go file: the plugin no longer imports a module the gateway links.
    let source = example.plugin.join("plugin.go");
    edit(&source, "\t\"example.com/logger\"\n", "");
    edit(&source, " + logger.Name()", "");
    let after_go_file = same_as_fresh(&example, &audit, "a Go file edit");
    assert_ne!(
        after_go_file, after_go_mod,
        "the Go file edit changes the report"
    );

    // tykdeps.toml: a rule made an error (and a file only some tags
    // build, for the GOFLAGS change below).
    std::fs::write(
        example.plugin.join("tagged.go"),
        "//go:build memo_test\n\npackage main\n\nimport _ \"example.com/logger\"\n",
    )
    .expect("writable");
    std::fs::write(
        example.plugin.join("tykdeps.toml"),
        "[rules]\nshared-dependency = \"deny\"\n",
    )
    .expect("writable");
    let after_config = same_as_fresh(&example, &audit, "a tykdeps.toml edit");
    assert_ne!(after_config, after_go_file, "the policy changes the report");

    // GOFLAGS: build tags under which the plugin links logger again.
    let tagged = || {
        let mut command = audit();
        command.env("GOFLAGS", "-mod=mod -tags=memo_test");
        command
    };
    let after_goflags = same_as_fresh(&example, &tagged, "a GOFLAGS change");
    assert_ne!(after_goflags, after_config, "the tags link another module");
}

#[test]
fn a_gateway_snapshot_or_checkout_edit_is_seen() {
    let example = Example::new();
    let gateway = gateway_checkout(&example);
    let main = gateway.join("main.go");
    let snapshot = example.plugin.join("gateway.snapshot.json");
    let make_snapshot = || {
        let made = example.tykdeps(&[
            "snapshot",
            "--gateway",
            &gateway.display().to_string(),
            "-o",
            &snapshot.display().to_string(),
        ]);
        assert!(made.status.success(), "{made:?}");
    };
    let against_snapshot = || {
        example.command(&[
            "audit",
            "--format",
            "json",
            "--gateway-snapshot",
            "gateway.snapshot.json",
        ])
    };
    make_snapshot();
    let first = same_as_fresh(&example, &against_snapshot, "nothing");
    assert_ne!(first.0, Some(2), "the snapshot is audited: {}", first.1);
    memo_file(&example);
    // Another valid snapshot: of the gateway once it no longer links shared.
    edit(&main, "\t\"example.com/shared\"\n", "");
    edit(&main, ", shared.Name()", "");
    make_snapshot();
    let edited = same_as_fresh(&example, &against_snapshot, "a new snapshot");
    assert_ne!(
        edited.0,
        Some(2),
        "the new snapshot is audited: {}",
        edited.1
    );
    assert_ne!(edited, first, "the gateway of the new snapshot links less");

    // The checkout itself: one of its Go files stops linking logger.
    let against_checkout = || against(&example, &gateway);
    let first = same_as_fresh(&example, &against_checkout, "nothing");
    unlink_logger(&main);
    let edited = same_as_fresh(&example, &against_checkout, "a gateway file edit");
    assert_ne!(edited, first, "the gateway no longer links logger");
}

/// The gateway checkout's own build is kept apart from the report: a
/// plugin edit misses the output memo but reads the gateway's build back
/// (its file is not written again); a gateway file edit builds it again; a
/// damaged one is built again. Each output is that of a run without memos.
#[test]
fn the_gateway_build_survives_plugin_edits_and_not_gateway_edits() {
    use std::os::unix::fs::MetadataExt as _;
    let example = Example::new();
    let gateway = gateway_checkout(&example);
    let audit = || against(&example, &gateway);
    let kept = || {
        let files = support::sorted_entries(&gateway_memo_dir(&example));
        assert_eq!(files.len(), 1, "one gateway build kept: {files:?}");
        let inode = std::fs::metadata(&files[0]).expect("stat").ino();
        (files[0].clone(), inode)
    };
    let first = same_as_fresh(&example, &audit, "nothing");
    let before = kept();

    edit(
        &example.plugin.join("go.mod"),
        "example.com/shared v1.3.0",
        "example.com/shared v1.2.0",
    );
    let after_plugin_edit = shown(&audit().output().expect("tykdeps runs"));
    assert_eq!(
        kept(),
        before,
        "the gateway's build is read back, not redone"
    );
    assert_ne!(
        after_plugin_edit, first,
        "the plugin edit changes the report"
    );
    let fresh = same_as_fresh(&example, &audit, "a plugin edit");
    assert_eq!(after_plugin_edit, fresh);

    unlink_logger(&gateway.join("main.go"));
    let edited = same_as_fresh(&example, &audit, "a gateway file edit");
    assert_ne!(edited, fresh, "the gateway no longer links logger");

    let (file, _) = kept();
    std::fs::write(&file, b"garbage\n").expect("writable");
    std::fs::remove_dir_all(memo_dir(&example)).expect("the memo directory exists");
    let damaged = shown(&audit().output().expect("tykdeps runs"));
    assert_eq!(damaged, edited, "a damaged gateway build reads as none");
}

#[test]
fn a_damaged_memo_is_a_fresh_run() {
    let example = Example::new();
    let audit = || example.command(&["audit", "--format", "json"]);
    let first = shown(&audit().output().expect("tykdeps runs"));
    let (file, _) = memo_file(&example);
    let text = std::fs::read(&file).expect("memo readable");
    for damaged in [
        text[..text.len() / 2].to_vec(),
        Vec::new(),
        b"garbage\n".to_vec(),
        [&text[..text.len() - 40], b"\"not json".as_slice()].concat(),
    ] {
        std::fs::write(&file, &damaged).expect("writable");
        assert_eq!(
            shown(&audit().output().expect("tykdeps runs")),
            first,
            "a damaged memo ({} bytes) reads as none",
            damaged.len()
        );
    }
}
