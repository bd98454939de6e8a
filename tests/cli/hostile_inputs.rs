//! Hostile inputs, generated at test time in a scratch directory (never
//! committed): huge and malformed module files, deep and cyclic directory
//! replacements, symlink loops, a thousand-module workspace, absurd ELF
//! headers and module zip bombs. Each is given to the go command too: where
//! go refuses, tykdeps must refuse with a diagnostic naming the file and the
//! cause (exit 2), or say `unknown` (exit 3); where go succeeds, tykdeps must
//! agree. Every run has a generous time ceiling; `bench/hostile-inputs.sh`
//! measures the same inputs' time and peak memory.

// Hostile-input tests report what they ran.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support;
use tykdeps_resolver::source::verify::go_mod_hash;

/// No run may take longer, even in a debug build on a busy machine.
const CEILING: Duration = Duration::from_secs(240);

/// A scratch directory and the hermetic go environment for it (no proxy).
struct Scratch {
    dir: tempfile::TempDir,
    env: BTreeMap<String, String>,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let env = support::hermetic_go_env("off", &dir.path().join("modcache"));
        Self { dir, env }
    }

    /// Write `text` to `rel`, creating its directory.
    fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> std::path::PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        path
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }

    /// `tykdeps args` in `rel`, killed at [`CEILING`].
    fn tykdeps(&self, rel: &str, args: &[&str], extra: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tykdeps"));
        command.args(args);
        self.bounded(rel, command, extra)
    }

    /// `go args` in `rel`, killed at [`CEILING`].
    fn go(&self, rel: &str, args: &[&str], extra: &[(&str, &str)]) -> Output {
        let mut command = Command::new("go");
        command.args(args);
        self.bounded(rel, command, extra)
    }

    fn bounded(&self, rel: &str, mut command: Command, extra: &[(&str, &str)]) -> Output {
        command
            .current_dir(self.path(rel))
            .envs(&self.env)
            .envs(extra.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let child = command.spawn().expect("the command starts");
        let pid = child.id();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || sender.send(child.wait_with_output()));
        let Ok(output) = receiver.recv_timeout(CEILING) else {
            // The child is ours, found by its own id.
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("{command:?} in {rel} ran past {CEILING:?}");
        };
        let output = output.expect("the command runs");
        println!(
            "  {} {:?} in {rel}: {:?} after {:.1?}",
            command.get_program().display(),
            command.get_args().collect::<Vec<_>>(),
            output.status.code(),
            started.elapsed()
        );
        output
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Exit 2 (invalid input) with every one of `needles` in the diagnostic.
fn refused(out: &Output, needles: &[&str]) {
    let text = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    for needle in needles {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
}

/// `tykdeps graph` prints what `go list -m all` prints.
fn same_build_list(s: &Scratch, rel: &str, extra: &[(&str, &str)]) -> usize {
    let go = s.go(rel, &["list", "-m", "all"], extra);
    assert!(go.status.success(), "go list -m all: {}", stderr(&go));
    let ours = s.tykdeps(rel, &["graph"], extra);
    assert!(ours.status.success(), "tykdeps graph: {}", stderr(&ours));
    assert_eq!(stdout(&ours), stdout(&go));
    stdout(&go).lines().count()
}

#[test]
fn a_100_mb_go_mod_is_read_or_refused_by_size() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    let mut file = std::fs::File::create(s.path("go.mod")).expect("go.mod");
    file.write_all(b"module example.com/big\n\ngo 1.22\n")
        .unwrap();
    let line = [
        b"// padding padding padding padding padding padding padding".as_slice(),
        b"\n",
    ]
    .concat();
    for _ in 0..(100 << 20) / line.len() {
        file.write_all(&line).unwrap();
    }
    drop(file);
    // go reads it whole; so does tykdeps when resolving, and `parse`, which
    // prints the file back, refuses it by size, naming both.
    assert!(s.go("", &["mod", "edit", "-json"], &[]).status.success());
    refused(
        &s.tykdeps("", &["parse", "go.mod"], &[]),
        &["go.mod is 10485", "at most 8388608 bytes"],
    );
    assert_eq!(same_build_list(&s, "", &[]), 1);
}

#[test]
fn a_go_mod_with_100_000_requirements() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    let mut text = String::from("module example.com/many\n\ngo 1.22\n\nrequire (\n");
    for i in 1..=100_000 {
        writeln!(text, "\texample.com/m{i:06} v1.0.0").unwrap();
    }
    text.push_str(")\n");
    s.write("go.mod", text);
    let parsed = s.tykdeps("", &["parse", "go.mod"], &[]);
    assert!(parsed.status.success(), "{}", stderr(&parsed));
    // Every requirement, and the module's own path.
    assert_eq!(stdout(&parsed).matches("example.com/m").count(), 100_001);
    // With no proxy both stop at the first module they cannot look up.
    let go = s.go("", &["list", "-m", "all"], &[]);
    assert!(stderr(&go).contains("module lookup disabled by GOPROXY=off"));
    let ours = s.tykdeps("", &["graph"], &[]);
    assert_eq!(ours.status.code(), Some(3), "{}", stderr(&ours));
    assert!(
        stderr(&ours).contains("module lookup disabled by GOPROXY=off"),
        "{}",
        stderr(&ours)
    );
}

#[test]
fn a_go_sum_of_a_million_lines() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    s.write("go.mod", "module example.com/sums\n\ngo 1.22\n");
    let mut sums = String::with_capacity(80 << 20);
    for i in 0..500_000 {
        for suffix in ["", "/go.mod"] {
            writeln!(
                sums,
                "example.com/m{i:06} v1.0.0{suffix} h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY="
            )
            .unwrap();
        }
    }
    s.write("go.sum", sums);
    refused(
        &s.tykdeps("", &["parse", "go.sum"], &[]),
        &["go.sum is 78500000 bytes"],
    );
    assert_eq!(same_build_list(&s, "", &[]), 1);
}

#[test]
fn deep_and_cyclic_directory_replacements() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    // A chain of 1,000 unpruned (go 1.16) modules, each a directory replacement.
    let n = 1000;
    let mut main = String::from(
        "module example.com/main\n\ngo 1.22\n\nrequire example.com/c0001 v0.0.0\n\nreplace (\n",
    );
    for i in 1..=n {
        writeln!(main, "\texample.com/c{i:04} => ./c{i:04}").unwrap();
        let next = if i < n {
            format!("\nrequire example.com/c{:04} v0.0.0\n", i + 1)
        } else {
            String::new()
        };
        s.write(
            &format!("chain/c{i:04}/go.mod"),
            format!("module example.com/c{i:04}\n\ngo 1.16\n{next}"),
        );
    }
    s.write("chain/go.mod", main + ")\n");
    assert_eq!(same_build_list(&s, "chain", &[]), n + 1);

    // a and b require each other; the main module replaces one of its own
    // requirements with its own directory.
    s.write(
        "cycle/go.mod",
        "module example.com/main\n\ngo 1.22\n\nrequire (\n\texample.com/a v0.0.0\n\texample.com/self v0.0.0\n)\n\n\
         replace (\n\texample.com/a => ./a\n\texample.com/b => ./b\n\texample.com/self => ./\n)\n",
    );
    s.write(
        "cycle/a/go.mod",
        "module example.com/a\n\ngo 1.22\n\nrequire example.com/b v0.0.0\n",
    );
    s.write(
        "cycle/b/go.mod",
        "module example.com/b\n\ngo 1.22\n\nrequire example.com/a v0.0.0\n",
    );
    assert_eq!(same_build_list(&s, "cycle", &[]), 4);

    // x and y replace each other: replacements are not followed twice.
    s.write(
        "swap/go.mod",
        "module example.com/main\n\ngo 1.22\n\nrequire example.com/x v1.0.0\n\n\
         replace (\n\texample.com/x v1.0.0 => example.com/y v1.0.0\n\texample.com/y v1.0.0 => example.com/x v1.0.0\n)\n",
    );
    let go = s.go("swap", &["list", "-m", "all"], &[]);
    let lookup = "module lookup disabled by GOPROXY=off";
    assert!(stderr(&go).contains(lookup), "{}", stderr(&go));
    let ours = s.tykdeps("swap", &["graph"], &[]);
    assert_eq!(ours.status.code(), Some(3), "{}", stderr(&ours));
    for needle in ["example.com/x@v1.0.0: example.com/y@v1.0.0", lookup] {
        assert!(stderr(&ours).contains(needle), "{}", stderr(&ours));
    }
}

/// A tiny gateway checkout for audits.
fn gateway(s: &Scratch) -> String {
    s.write("gw/go.mod", "module example.com/gw\n\ngo 1.22\n");
    s.write("gw/main.go", "package main\n\nfunc main() {}\n");
    s.path("gw").display().to_string()
}

#[test]
fn symlink_loops_and_symlinks_out_of_the_tree_in_local_replacements() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    let gw = gateway(&s);
    s.write(
        "p/go.mod",
        "module example.com/main\n\ngo 1.22\n\nrequire (\n\texample.com/inside v0.0.0\n\texample.com/out v0.0.0\n)\n\n\
         replace (\n\texample.com/inside => ./inside\n\texample.com/out => ./out\n)\n",
    );
    s.write(
        "p/main.go",
        "package main\n\nimport (\n\t_ \"example.com/inside/sub\"\n\t_ \"example.com/out\"\n)\n\nfunc main() {}\n",
    );
    s.write("p/inside/go.mod", "module example.com/inside\n\ngo 1.22\n");
    s.write("p/inside/sub/sub.go", "package sub\n");
    std::os::unix::fs::symlink("..", s.path("p/inside/sub/up")).expect("a loop inside the tree");
    s.write("outside/go.mod", "module example.com/out\n\ngo 1.22\n");
    s.write("outside/out.go", "package out\n");
    std::os::unix::fs::symlink(s.path("outside"), s.path("p/out")).expect("a link out of the tree");
    let audit = [
        "audit",
        "--gateway",
        gw.as_str(),
        "--gateway-module",
        "example.com/gw",
    ];
    assert!(s.go("p", &["list", "-deps", "."], &[]).status.success());
    assert_eq!(same_build_list(&s, "p", &[]), 3);
    let ours = s.tykdeps("p", &audit, &[]);
    assert_eq!(
        ours.status.code(),
        Some(0),
        "{}{}",
        stdout(&ours),
        stderr(&ours)
    );

    // The replacement is a symlink to itself.
    std::fs::remove_file(s.path("p/out")).unwrap();
    std::os::unix::fs::symlink("out", s.path("p/out")).unwrap();
    let go = s.go("p", &["list", "-m", "all"], &[]);
    assert!(
        stderr(&go).contains("too many levels of symbolic links"),
        "{}",
        stderr(&go)
    );
    for args in [&["graph"][..], &audit] {
        refused(
            &s.tykdeps("p", args, &[]),
            &["out/go.mod", "levels of symbolic links"],
        );
    }
}

#[test]
fn a_workspace_of_1000_modules() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    let mut work = String::from("go 1.22\n\nuse (\n");
    for i in 0..1000 {
        writeln!(work, "\t./m{i:04}").unwrap();
        s.write(
            &format!("w/m{i:04}/go.mod"),
            format!("module example.com/w{i:04}\n\ngo 1.22\n"),
        );
    }
    let go_work = s.write("w/go.work", work + ")\n");
    let parsed = s.tykdeps("w", &["parse", "go.work"], &[]);
    assert!(parsed.status.success(), "{}", stderr(&parsed));
    let env = [
        ("GOWORK", go_work.to_str().unwrap()),
        ("GOFLAGS", "-buildvcs=false"),
    ];
    assert_eq!(same_build_list(&s, "w/m0000", &env), 1000);
}

#[test]
fn byte_order_marks_and_bytes_that_are_not_utf8() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    // go refuses a BOM at the start of go.mod; so does tykdeps, at line 1.
    s.write(
        "bom/go.mod",
        b"\xef\xbb\xbfmodule example.com/bom\n\ngo 1.22\n",
    );
    assert!(!s.go("bom", &["mod", "edit", "-json"], &[]).status.success());
    refused(
        &s.tykdeps("bom", &["parse", "go.mod"], &[]),
        &["go.mod:1", "unexpected input character '\\ufeff'"],
    );
    refused(
        &s.tykdeps("bom", &["graph"], &[]),
        &["bom/go.mod:1", "unexpected input character '\\ufeff'"],
    );
    // A BOM before a go.sum line makes that line's module path unknown to
    // go; the build list does not need it either way.
    s.write("bomsum/go.mod", "module example.com/bomsum\n\ngo 1.22\n");
    s.write(
        "bomsum/go.sum",
        b"\xef\xbb\xbfexample.com/m v1.0.0/go.mod h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=\n",
    );
    assert_eq!(same_build_list(&s, "bomsum", &[]), 1);
    // go reads a comment's bytes as they are; `parse`, which prints the
    // file back, refuses rather than change them, naming the line.
    s.write(
        "latin1/go.mod",
        b"module example.com/latin1\n\ngo 1.22\n// caf\xe9\n",
    );
    assert!(
        s.go("latin1", &["mod", "edit", "-json"], &[])
            .status
            .success()
    );
    refused(
        &s.tykdeps("latin1", &["parse", "go.mod"], &[]),
        &["go.mod is not UTF-8 text (invalid byte at line 4)"],
    );
}

/// go splits a go.sum line at Unicode white space (`strings.Fields`), and
/// refuses a line without three fields; tykdeps splits ASCII lines by bytes
/// and must split them at the same places. The module requires one module
/// (from a `file://` proxy) so that go reads go.sum at all: at each
/// separator, both print the build list, or both refuse the file.
#[test]
fn go_sum_fields_split_where_go_splits_them() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    let dep = "module example.com/m\n";
    s.write("proxy/example.com/m/@v/list", "v1.0.0\n");
    s.write("proxy/example.com/m/@v/v1.0.0.mod", dep);
    s.write(
        "proxy/example.com/m/@v/v1.0.0.info",
        r#"{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}"#,
    );
    let proxy = format!("file://{}", s.path("proxy").display());
    let env = [("GOPROXY", proxy.as_str())];
    let hash = go_mod_hash(dep.as_bytes());
    let separators = [
        " ", "\t", "\x0b", "\x0c", "\r", "\u{85}", "\u{a0}", "\u{2003}", "\x1c", "_",
    ];
    let mut read = 0;
    for (n, sep) in separators.iter().enumerate() {
        let dir = format!("sep{n}");
        s.write(
            &format!("{dir}/go.mod"),
            format!("module example.com/sep{n}\n\ngo 1.22\n\nrequire example.com/m v1.0.0\n"),
        );
        s.write(
            &format!("{dir}/go.sum"),
            format!("example.com/m{sep}v1.0.0/go.mod{sep}{hash}\n"),
        );
        let go = s.go(&dir, &["list", "-m", "all"], &env);
        if go.status.success() {
            assert_eq!(same_build_list(&s, &dir, &env), 2, "separator {sep:?}");
            read += 1;
        } else {
            assert!(stderr(&go).contains("malformed go.sum"), "{}", stderr(&go));
            refused(
                &s.tykdeps(&dir, &["graph"], &env),
                &["go.sum:1", "malformed go.sum"],
            );
        }
    }
    // go splits at the first eight, not at U+001C or `_`.
    assert_eq!(read, 8);
}

/// Invalid UTF-8 and byte order marks at each place in a main go.mod,
/// loaded by `go list -m all` and by `tykdeps graph`: where go loads the
/// module, tykdeps gives the same build list; where go refuses, tykdeps
/// refuses naming the go.mod (exit 2).
#[test]
fn invalid_utf8_in_a_main_go_mod_as_the_go_command_reads_it() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    let cases: [(&str, &[u8]); 9] = [
        (
            "comment",
            b"module example.com/m // caf\xe9\n\ngo 1.22\n// \xff\xfe\n",
        ),
        (
            "bom-in-comment",
            b"module example.com/m\n// \xef\xbb\xbf\ngo 1.22\n",
        ),
        (
            "quoted-replace-dir",
            b"module example.com/m\n\ngo 1.22\n\nreplace example.com/x => \"./d\xffir\"\n",
        ),
        (
            "bare-replace-dir",
            b"module example.com/m\n\ngo 1.22\n\nreplace example.com/x => ./d\xffir\n",
        ),
        (
            "quoted-module",
            b"module \"example.com/m\xff\"\n\ngo 1.22\n",
        ),
        ("bare-module", b"module example.com/m\xff\n\ngo 1.22\n"),
        (
            "require-version",
            b"module example.com/m\n\ngo 1.22\n\nrequire example.com/x v1.0.\xff\n",
        ),
        ("bom", b"\xef\xbb\xbfmodule example.com/m\n\ngo 1.22\n"),
        (
            "bom-in-line",
            b"module example.com/m\n\xef\xbb\xbf\ngo 1.22\n",
        ),
    ];
    let mut agreed = Vec::new();
    for (name, go_mod) in cases {
        s.write(&format!("{name}/go.mod"), go_mod);
        let go = s.go(name, &["list", "-m", "all"], &[]);
        let ours = s.tykdeps(name, &["graph"], &[]);
        if go.status.success() {
            assert_eq!(
                ours.status.code(),
                Some(0),
                "{name}: go loads it: {}",
                stderr(&ours)
            );
            assert_eq!(stdout(&ours), stdout(&go), "{name}");
        } else {
            refused(&ours, &[&format!("{name}/go.mod")]);
        }
        agreed.push(format!(
            "{name}: {}",
            if go.status.success() {
                "loads"
            } else {
                "refused"
            }
        ));
    }
    println!("  go and tykdeps agree: {}", agreed.join(", "));
}

/// Little-endian u64 at `at`.
fn put_u64(bytes: &mut [u8], at: usize, value: u64) {
    bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

fn get_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
}

fn get_u16(bytes: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes(bytes[at..at + 2].try_into().unwrap()))
}

#[test]
fn elf_headers_with_absurd_sizes() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    s.write("hello/go.mod", "module example.com/hello\n\ngo 1.22\n");
    s.write("hello/main.go", "package main\n\nfunc main() {}\n");
    assert!(
        s.go("hello", &["build", "-o", "hello", "."], &[])
            .status
            .success()
    );
    let elf = std::fs::read(s.path("hello/hello")).unwrap();
    let huge = 0x7FFF_FFFF_FFFF_FFF0;
    let (phoff, shoff) = (
        usize::try_from(get_u64(&elf, 0x20)).unwrap(),
        usize::try_from(get_u64(&elf, 0x28)).unwrap(),
    );
    let (phentsize, phnum) = (get_u16(&elf, 0x36), get_u16(&elf, 0x38));
    let (shentsize, shnum) = (get_u16(&elf, 0x3A), get_u16(&elf, 0x3C));
    let mut variants: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut bad = elf.clone();
    for i in 1..shnum {
        put_u64(&mut bad, shoff + i * shentsize + 0x20, huge);
    }
    variants.push(("every section's size", bad));
    let mut bad = elf.clone();
    put_u64(&mut bad, 0x28, elf.len() as u64 + (1 << 40));
    variants.push(("the section table's offset", bad));
    let mut bad = elf.clone();
    bad[0x3C..0x3E].copy_from_slice(&u16::MAX.to_le_bytes());
    variants.push(("the section count", bad));
    let mut bad = elf.clone();
    for i in 0..phnum {
        put_u64(&mut bad, phoff + i * phentsize + 0x20, huge);
        put_u64(&mut bad, phoff + i * phentsize + 0x28, huge);
    }
    variants.push(("every segment's sizes", bad));
    for (what, bytes) in variants {
        let file = s.write("absurd", &bytes);
        let file = file.to_str().unwrap();
        let go = s.go("", &["version", "-m", file], &[]);
        let ours = s.tykdeps("", &["inspect", file], &[]);
        if go.status.success() {
            assert!(
                ours.status.success(),
                "{what}: go reads it, tykdeps: {}",
                stderr(&ours)
            );
        } else {
            refused(&ours, &["absurd"]);
        }
        println!(
            "{what}: go {:?}, tykdeps {:?}",
            go.status.code(),
            ours.status.code()
        );
    }
}

/// One file of a generated module zip: its name below the module root, then
/// `head` followed by copies of `fill` up to `size` bytes.
type Padded = (&'static str, &'static str, u8, usize);

/// A module zip of `path@v1.0.0` holding `files`, deflated.
fn module_zip(path: &str, files: &[Padded]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for &(name, head, fill, size) in files {
        writer
            .start_file(format!("{path}@v1.0.0/{name}"), options)
            .unwrap();
        writer.write_all(head.as_bytes()).unwrap();
        let block = vec![fill; 1 << 20];
        let mut left = size - head.len();
        while left > 0 {
            let n = left.min(block.len());
            writer.write_all(&block[..n]).unwrap();
            left -= n;
        }
    }
    writer.finish().unwrap().into_inner()
}

/// Zips that break each of go's limits (and one that breaks none) must
/// make the audit `unknown`, as go refuses to download them.
#[test]
fn module_zips_over_the_go_command_limits() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    let gw = gateway(&s);
    let mib = 1 << 20;
    let cases: [(&str, &[Padded], &str); 4] = [
        ("fine", &[("fine.go", "package fine\n", b' ', 100)], ""),
        (
            "contents",
            &[("contents.go", "package contents\n", b' ', 501 * mib)],
            "total uncompressed size of module contents too large",
        ),
        (
            "gomod",
            &[
                (
                    "go.mod",
                    "module bomb.example/gomod\n//",
                    b'/',
                    16 * mib + 1,
                ),
                ("gomod.go", "package gomod\n", b' ', 20),
            ],
            "go.mod file too large",
        ),
        (
            "license",
            &[
                ("LICENSE", "", b'x', 16 * mib + 1),
                ("license.go", "package license\n", b' ', 20),
            ],
            "LICENSE file too large",
        ),
    ];
    let go_mods: Vec<(String, String)> = cases
        .iter()
        .map(|(name, _, _)| {
            (
                format!("bomb.example/{name}"),
                format!("module bomb.example/{name}\n\ngo 1.22\n"),
            )
        })
        .collect();
    let listed: Vec<(&str, &str, &str)> = go_mods
        .iter()
        .map(|(p, m)| (p.as_str(), "v1.0.0", m.as_str()))
        .collect();
    let proxy = support::file_proxy(s.dir.path(), &listed);
    let env = [("GOPROXY", proxy.as_str())];
    let audit = [
        "audit",
        "--format",
        "json",
        "--gateway",
        &gw,
        "--gateway-module",
        "example.com/gw",
    ];
    for (name, files, go_says) in cases {
        let path = format!("bomb.example/{name}");
        std::fs::write(
            s.path(&format!("proxy/{path}/@v/v1.0.0.zip")),
            module_zip(&path, files),
        )
        .unwrap();
        let dir = format!("p-{name}");
        s.write(
            &format!("{dir}/go.mod"),
            format!("module example.com/main\n\ngo 1.22\n\nrequire {path} v1.0.0\n"),
        );
        s.write(
            &format!("{dir}/main.go"),
            format!("package main\n\nimport _ \"{path}\"\n\nfunc main() {{}}\n"),
        );
        let go = s.go(&dir, &["mod", "download"], &env);
        assert_eq!(go.status.success(), go_says.is_empty(), "{}", stderr(&go));
        assert!(stderr(&go).contains(go_says), "{}", stderr(&go));
        std::fs::remove_dir_all(s.path("modcache")).ok();
        let ours = s.tykdeps(&dir, &audit, &env);
        let want = if go_says.is_empty() { 0 } else { 3 };
        assert_eq!(
            ours.status.code(),
            Some(want),
            "{name}: {}{}",
            stdout(&ours),
            stderr(&ours)
        );
        if !go_says.is_empty() {
            // The unknown says which module and which of go's limits.
            let finding = fetch_failed(&stdout(&ours), &path);
            for said in [&format!("{path}@v1.0.0: module zip refused: "), go_says] {
                assert!(finding.contains(said), "{name}: {finding:?} lacks {said:?}");
            }
        }
        std::fs::remove_dir_all(s.path("modcache")).ok();
    }
}

/// The message of the report's `fetch-failed` finding about `module`
/// (panics without one).
fn fetch_failed(report: &str, module: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(report).expect("a JSON report");
    assert_eq!(json["verdict"], "unknown", "{report}");
    json["plugins"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| {
            f["rule"] == "fetch-failed" && f["message"].as_str().is_some_and(|m| m.contains(module))
        })
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no fetch-failed finding naming {module}:\n{report}"))
        .to_owned()
}

/// A proxy serving garbage for a dependency's `.mod`, `.info` or `.zip`
/// (a 200 response whose body does not parse) is at fault, not the user:
/// `unknown` (exit 3) naming the module, the proxy and the parse error, and
/// nothing of it cached. A garbled go.mod of the user's own stays exit 2.
#[test]
fn a_garbled_file_from_the_proxy_is_the_proxys_fault() {
    if !support::have_go() {
        return;
    }
    let s = Scratch::new();
    let gw = gateway(&s);
    let go_mod = "module example.com/dep\n\ngo 1.22\n";
    let proxy = support::file_proxy(s.dir.path(), &[("example.com/dep", "v1.0.0", go_mod)]);
    let good_zip = module_zip(
        "example.com/dep",
        &[
            ("go.mod", go_mod, b' ', go_mod.len()),
            ("dep.go", "package dep\n", b' ', 20),
        ],
    );
    s.write(
        "p/go.mod",
        "module example.com/main\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
    );
    s.write(
        "p/main.go",
        "package main\n\nimport _ \"example.com/dep\"\n\nfunc main() {}\n",
    );
    let env = [("GOPROXY", proxy.as_str())];
    let audit = [
        "audit",
        "--format",
        "json",
        "--gateway",
        &gw,
        "--gateway-module",
        "example.com/gw",
    ];
    let garbage = b"\x00garbage\xff not what was asked for";
    // The file garbled; the exit code and the words the report must hold
    // (none: the file is not needed for the verdict, which is right).
    let cases: [(&str, i32, &[&str]); 4] = [
        ("", 0, &[]),
        (
            "mod",
            3,
            &[
                "example.com/dep@v1.0.0",
                "invalid go.mod from proxy \"file://",
                "unexpected input character",
            ],
        ),
        ("info", 0, &[]),
        (
            "zip",
            3,
            &["example.com/dep@v1.0.0: module zip refused: invalid Zip archive"],
        ),
    ];
    for (ext, want, words) in cases {
        let dir = s.path("proxy/example.com/dep/@v");
        std::fs::write(dir.join("v1.0.0.mod"), go_mod).unwrap();
        std::fs::write(dir.join("v1.0.0.zip"), &good_zip).unwrap();
        std::fs::write(
            dir.join("v1.0.0.info"),
            r#"{"Version":"v1.0.0","Time":"2020-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        if !ext.is_empty() {
            std::fs::write(dir.join(format!("v1.0.0.{ext}")), garbage).unwrap();
        }
        std::fs::remove_dir_all(s.path("modcache")).ok();
        let ours = s.tykdeps("p", &audit, &env);
        let report = stdout(&ours);
        assert_eq!(
            ours.status.code(),
            Some(want),
            "{ext}: {report}{}",
            stderr(&ours)
        );
        if want == 3 {
            let json: serde_json::Value = serde_json::from_str(&report).expect("a JSON report");
            assert_eq!(json["verdict"], "unknown", "{report}");
            let messages: Vec<&str> = json["plugins"][0]["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["message"].as_str())
                .collect();
            for word in words {
                assert!(
                    messages.iter().any(|m| m.contains(word)),
                    "{ext}: {word:?} not in {messages:?}"
                );
            }
        }
        if !ext.is_empty() {
            let cached = s.path(&format!(
                "modcache/cache/download/example.com/dep/@v/v1.0.0.{ext}"
            ));
            assert!(!cached.exists(), "the garbled .{ext} was cached");
        }
    }
    s.write("p/go.mod", garbage);
    let ours = s.tykdeps("p", &audit, &env);
    assert_eq!(ours.status.code(), Some(2), "{}", stderr(&ours));
    assert!(stderr(&ours).contains("go.mod"), "{}", stderr(&ours));
}
