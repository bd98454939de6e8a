//! `gomod::edit` against `go mod edit`: for many edits of every go.mod of
//! both corpora, our format-preserving result means what go's reformatted one
//! means (`go mod edit -json` of both agree), and only the lines the edit is
//! about changed. Property tests check the parsed result of random edits on
//! generated files.
#![expect(
    clippy::print_stdout,
    reason = "oracle tests report what they compared"
)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;
use tykdeps_resolver::gomod::{self, Edit, EditError, ModFile, Mode, ModuleRef};
use tykdeps_resolver::version::semver;

use crate::support;

/// One edit, and the `go mod edit` flag meaning the same, written out
/// independently of `Edit`'s own `Display`.
struct Case {
    edit: Edit,
    flag: String,
}

fn case(edit: Edit, flag: String) -> Case {
    Case { edit, flag }
}

fn require(path: &str, version: &str) -> Case {
    let edit = Edit::SetRequire {
        path: path.into(),
        version: version.into(),
        indirect: None,
    };
    case(edit, format!("-require={path}@{version}"))
}

fn module_ref(path: &str, version: Option<&str>) -> ModuleRef {
    ModuleRef {
        path: path.into(),
        version: version.map(Into::into),
    }
}

fn flag_ref(r: &ModuleRef) -> String {
    match &r.version {
        Some(v) => format!("{}@{v}", r.path),
        None => r.path.clone(),
    }
}

fn replace(old: ModuleRef, new: ModuleRef) -> Case {
    let flag = format!("-replace={}={}", flag_ref(&old), flag_ref(&new));
    case(Edit::AddReplace { old, new }, flag)
}

/// A version of the same major (and `+incompatible`-ness) as `v`, so that it
/// suits the module path `v` was written for.
fn other_version(v: &str, minor: u32) -> String {
    let incompatible = if semver::build(v) == "+incompatible" {
        "+incompatible"
    } else {
        ""
    };
    format!("{}.{minor}.0{incompatible}", semver::major(v))
}

/// Edits exercising every operation on what `file` holds: its first, middle
/// and last requirements, duplicates, replacements, exclusions, go and
/// toolchain lines, and paths it does not mention.
fn cases(file: &ModFile) -> Vec<Case> {
    let mut out = Vec::new();
    let reqs = &file.require;
    let mut picks: Vec<usize> = [0, reqs.len() / 2, reqs.len().saturating_sub(1)]
        .into_iter()
        .filter(|&i| i < reqs.len())
        .collect();
    picks.dedup();
    for &i in &picks {
        let r = &reqs[i];
        out.push(require(&r.path, &other_version(&r.version, 99)));
        out.push(case(
            Edit::DropRequire {
                path: r.path.clone(),
            },
            format!("-droprequire={}", r.path),
        ));
        let old = module_ref(&r.path, Some(&r.version));
        out.push(replace(old, module_ref("../local/fork", None)));
        out.push(case(
            Edit::AddExclude {
                path: r.path.clone(),
                version: other_version(&r.version, 98),
            },
            format!("-exclude={}@{}", r.path, other_version(&r.version, 98)),
        ));
    }
    for r in reqs
        .iter()
        .filter(|r| reqs.iter().filter(|s| s.path == r.path).count() > 1)
    {
        out.push(require(&r.path, &other_version(&r.version, 97)));
    }
    out.push(require("example.com/tykdeps/new", "v1.0.0"));
    out.push(require("example.com/tykdeps/new/v2", "v2.1.0"));
    out.push(require("aaa.example/first", "v0.1.0"));
    for r in first_and_last(&file.replace) {
        let fork = module_ref("example.com/tykdeps/fork", Some("v1.2.3"));
        out.push(replace(r.old.clone(), fork.clone()));
        out.push(replace(module_ref(&r.old.path, None), fork));
        out.push(case(
            Edit::DropReplace { old: r.old.clone() },
            format!("-dropreplace={}", flag_ref(&r.old)),
        ));
    }
    out.push(replace(
        module_ref("example.com/tykdeps/unrelated", None),
        module_ref("example.com/tykdeps/fork", Some("v1.2.3")),
    ));
    for x in first_and_last(&file.exclude) {
        let (path, version) = (x.path.clone(), x.version.clone());
        let flag = format!("-dropexclude={path}@{version}");
        out.push(case(Edit::DropExclude { path, version }, flag));
        let flag = format!("-exclude={}@{}", x.path, x.version);
        let edit = Edit::AddExclude {
            path: x.path.clone(),
            version: x.version.clone(),
        };
        out.push(case(edit, flag));
    }
    for (version, flag) in [
        (Some("1.23"), "1.23"),
        (Some("1.16"), "1.16"),
        (None, "none"),
    ] {
        let edit = Edit::SetGo {
            version: version.map(Into::into),
        };
        out.push(case(edit, format!("-go={flag}")));
    }
    for (name, flag) in [(Some("go1.24.1"), "go1.24.1"), (None, "none")] {
        let edit = Edit::SetToolchain {
            name: name.map(Into::into),
        };
        out.push(case(edit, format!("-toolchain={flag}")));
    }
    out
}

fn first_and_last<T>(items: &[T]) -> Vec<&T> {
    match items {
        [] => Vec::new(),
        [one] => vec![one],
        [first, .., last] => vec![first, last],
    }
}

/// Every go.mod of both corpora that go reads as a main module.
fn files() -> Vec<PathBuf> {
    let mut roots = vec![support::own_corpus()];
    roots.extend(support::shared_corpus());
    let bad = support::own_corpus().join("bad");
    roots
        .iter()
        .flat_map(|root| support::find_files(root, "go.mod"))
        .filter(|p| !p.starts_with(&bad))
        .collect()
}

/// What go reads from `text` written to a fresh `dir/go.mod`, after `flag`.
fn go_json(dir: &Path, text: &str, flag: Option<&str>) -> Result<Value, String> {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("go.mod"), text).unwrap();
    support::go_mod_edit_json(dir, flag.as_slice())
}

/// The subject of an edit: the words a line must hold to be one the edit
/// may touch.
fn subject(edit: &Edit) -> (&'static str, String) {
    match edit {
        Edit::SetRequire { path, .. } | Edit::DropRequire { path } => ("require", path.clone()),
        Edit::AddReplace { old, .. } | Edit::DropReplace { old } => ("replace", old.path.clone()),
        Edit::AddExclude { path, .. } | Edit::DropExclude { path, .. } => ("exclude", path.clone()),
        Edit::SetGo { .. } => ("go", "go ".into()),
        Edit::SetToolchain { .. } => ("toolchain", "toolchain ".into()),
    }
}

/// Lines removed from or added to `old` that the edit has no business with:
/// only blank lines, `)`, lines starting with the edit's verb and lines
/// naming its module may change, no comment line may go, and at most three
/// non-blank lines may appear besides a one-line statement moved into the
/// block it became (x/mod turns `verb x` into `verb ( x ... )`).
fn untouchable_changes(old: &str, new: &str, edit: &Edit) -> Vec<String> {
    let (verb, path) = subject(edit);
    let allowed = |line: &str| {
        let t = line.trim();
        t.is_empty() || t == ")" || t.starts_with(verb) || line.contains(path.as_str())
    };
    let diff = similar::TextDiff::from_lines(old, new);
    let moved: Vec<&str> = diff
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .filter_map(|c| c.value().trim().strip_prefix(verb))
        .map(str::trim)
        .collect();
    let mut bad = Vec::new();
    let mut added = 0;
    for change in diff.iter_all_changes() {
        let line = change.value();
        match change.tag() {
            similar::ChangeTag::Delete if !allowed(line) || line.trim().starts_with("//") => {
                bad.push(format!("-{line}"));
            }
            similar::ChangeTag::Insert if moved.contains(&line.trim()) => {}
            similar::ChangeTag::Insert if !allowed(line) => bad.push(format!("+{line}")),
            similar::ChangeTag::Insert if !line.trim().is_empty() => added += 1,
            _ => {}
        }
    }
    if added > 3 {
        bad.push(format!("{added} lines added"));
    }
    bad
}

#[derive(Default)]
struct Tally {
    cases: usize,
    identical: usize,
    same_order: usize,
    refused: Vec<String>,
    failures: Vec<String>,
}

fn check_file(file: &Path, work: &Path, tally: &mut Tally) {
    let text = std::fs::read_to_string(file).unwrap();
    let Ok(parsed) = gomod::parse_mod("go.mod", &text, Mode::Strict) else {
        return;
    };
    for (n, case) in cases(&parsed).into_iter().enumerate() {
        tally.cases += 1;
        let ours = match gomod::apply("go.mod", &text, std::slice::from_ref(&case.edit)) {
            Ok(ours) => ours,
            Err(e @ EditError::Invalid { .. }) => {
                // What we refuse, go must refuse too (or fail to read back).
                let theirs = go_json(&work.join(format!("go-{n}")), &text, Some(&case.flag));
                if let Ok(json) = theirs {
                    tally
                        .failures
                        .push(format!("{e}: we refuse, go gives {json}"));
                }
                tally.refused.push(format!("{}: {e}", file.display()));
                continue;
            }
            Err(e) => {
                tally
                    .failures
                    .push(format!("{} {}: {e}", file.display(), case.flag));
                continue;
            }
        };
        let theirs = go_json(&work.join(format!("go-{n}")), &text, Some(&case.flag));
        let mine = go_json(&work.join(format!("ours-{n}")), &ours, None);
        if mine == theirs {
            tally.same_order += 1;
        }
        let bad = untouchable_changes(&text, &ours, &case.edit);
        if mine.clone().map(support::unordered_json) == theirs.clone().map(support::unordered_json)
            && bad.is_empty()
        {
            tally.identical += 1;
        } else {
            tally.failures.push(format!(
                "{} {}:\n  go:   {theirs:?}\n  ours: {mine:?}\n  stray changes: {bad:?}\n{}",
                file.display(),
                case.flag,
                gomod::unified_diff("go.mod", &text, &ours)
            ));
        }
    }
}

#[test]
fn edits_mean_what_go_mod_edit_means_and_touch_only_their_lines() {
    if !support::have_go() {
        println!("skipped: no go command");
        return;
    }
    let files = files();
    let work = tempfile::tempdir().unwrap();
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    let chunk = files.len().div_ceil(workers).max(1);
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .enumerate()
            .map(|(w, files)| {
                let work = work.path().join(w.to_string());
                s.spawn(move || {
                    let mut tally = Tally::default();
                    for (i, file) in files.iter().enumerate() {
                        check_file(file, &work.join(i.to_string()), &mut tally);
                    }
                    tally
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut total = Tally::default();
    for t in tallies {
        total.cases += t.cases;
        total.identical += t.identical;
        total.same_order += t.same_order;
        total.refused.extend(t.refused);
        total.failures.extend(t.failures);
    }
    let checked = total.cases - total.refused.len();
    println!(
        "go mod edit oracle: {}/{checked} edits on {} files identical in meaning with only their lines changed \
         ({} also in go's order; {} edits refused as malformed, by go too: {:#?})",
        total.identical,
        files.len(),
        total.same_order,
        total.refused.len(),
        total.refused
    );
    assert!(total.failures.is_empty(), "{}", total.failures.join("\n"));
    assert!(checked >= 1000, "only {checked} edits were checked");
}

const PATHS: &[&str] = &[
    "example.com/a",
    "example.com/b",
    "example.com/c/v2",
    "example.org/d",
];

fn version_for(path: &str, minor: u32) -> String {
    if path.ends_with("/v2") {
        format!("v2.{minor}.0")
    } else {
        format!("v1.{minor}.0")
    }
}

/// A require entry: path, version and its end-of-line comment.
fn entry() -> impl Strategy<Value = String> {
    let comment = prop_oneof![
        Just(""),
        Just(" // indirect"),
        Just(" // pinned"),
        Just(" // indirect; pinned"),
    ];
    (prop::sample::select(PATHS), 0..3u32, comment)
        .prop_map(|(path, minor, comment)| format!("{path} {}{comment}", version_for(path, minor)))
}

/// A top-level section of a go.mod: a require block or line, a replace, an
/// exclude, or a comment paragraph.
fn section() -> impl Strategy<Value = String> {
    let block =
        prop::collection::vec((entry(), prop::bool::weighted(0.2)), 0..4).prop_map(|lines| {
            let mut body = String::new();
            for (line, blank) in &lines {
                if *blank {
                    body.push('\n');
                }
                body.push('\t');
                body.push_str(line);
                body.push('\n');
            }
            format!("require (\n{body})\n")
        });
    let replace = (prop::sample::select(PATHS), prop::bool::ANY).prop_map(|(path, versioned)| {
        let old = if versioned {
            format!("{path} {}", version_for(path, 1))
        } else {
            path.to_owned()
        };
        format!("replace {old} => ./local // why\n")
    });
    let exclude = (prop::sample::select(PATHS), 0..3u32)
        .prop_map(|(path, minor)| format!("exclude {path} {}\n", version_for(path, minor)));
    prop_oneof![
        3 => block,
        2 => entry().prop_map(|e| format!("require {e}\n")),
        1 => replace,
        1 => exclude,
        1 => Just("// a comment paragraph\n".to_owned()),
    ]
}

fn go_mod() -> impl Strategy<Value = String> {
    let go = prop::sample::select(vec!["", "go 1.16\n", "go 1.21\n"]);
    let sep = prop::sample::select(vec!["\n", ""]);
    (go, prop::collection::vec((section(), sep), 0..6)).prop_map(|(go, sections)| {
        let mut text = format!("module example.com/m\n\n{go}");
        for (section, sep) in sections {
            text.push_str(sep);
            text.push_str(&section);
        }
        text
    })
}

fn set_require() -> impl Strategy<Value = Edit> {
    let indirect = prop::option::of(prop::bool::ANY);
    (prop::sample::select(PATHS), 0..4u32, indirect).prop_map(|(p, m, indirect)| Edit::SetRequire {
        path: p.into(),
        version: version_for(p, m),
        indirect,
    })
}

fn any_edit() -> impl Strategy<Value = Edit> {
    let path = || prop::sample::select(PATHS);
    prop_oneof![
        3 => set_require(),
        1 => path().prop_map(|p| Edit::DropRequire { path: p.into() }),
        1 => (path(), prop::bool::ANY, prop::bool::ANY).prop_map(|(p, versioned, dir)| {
            Edit::AddReplace {
                old: module_ref(p, versioned.then(|| version_for(p, 1)).as_deref()),
                new: if dir {
                    module_ref("../fork", None)
                } else {
                    module_ref("example.com/fork", Some("v1.0.0"))
                },
            }
        }),
        1 => (path(), prop::bool::ANY).prop_map(|(p, versioned)| Edit::DropReplace {
            old: module_ref(p, versioned.then(|| version_for(p, 1)).as_deref()),
        }),
        1 => (path(), 0..3u32).prop_map(|(p, m)| Edit::AddExclude {
            path: p.into(),
            version: version_for(p, m),
        }),
        1 => (path(), 0..3u32).prop_map(|(p, m)| Edit::DropExclude {
            path: p.into(),
            version: version_for(p, m),
        }),
        1 => prop::option::of(prop::sample::select(vec!["1.17", "1.22.3"]))
            .prop_map(|v| Edit::SetGo { version: v.map(Into::into) }),
        1 => prop::option::of(prop::sample::select(vec!["go1.22.3", "default"]))
            .prop_map(|n| Edit::SetToolchain { name: n.map(Into::into) }),
    ]
}

/// What a go.mod means, as comparable sorted lists.
#[derive(Debug, PartialEq)]
struct Meaning {
    go: Option<String>,
    toolchain: Option<String>,
    require: Vec<(String, String, bool)>,
    exclude: Vec<(String, String)>,
    replace: Vec<(ModuleRef, ModuleRef)>,
}

impl Meaning {
    fn of(file: &ModFile) -> Meaning {
        let mut m = Meaning {
            go: file.go.as_ref().map(|g| g.version.clone()),
            toolchain: file.toolchain.as_ref().map(|t| t.version.clone()),
            require: file
                .require
                .iter()
                .map(|r| (r.path.clone(), r.version.clone(), r.indirect))
                .collect(),
            exclude: file
                .exclude
                .iter()
                .map(|x| (x.path.clone(), x.version.clone()))
                .collect(),
            replace: file
                .replace
                .iter()
                .map(|r| (r.old.clone(), r.new.clone()))
                .collect(),
        };
        m.sort();
        m
    }

    fn sort(&mut self) {
        self.require.sort();
        self.exclude.sort();
        self.replace
            .sort_by_key(|(o, n)| (o.path.clone(), o.version.clone(), n.path.clone()));
    }

    /// x/mod's semantics of `edit`, on the parsed lists (`file` in file order).
    fn after(file: &ModFile, edit: &Edit) -> Meaning {
        let mut m = Meaning::of(file);
        match edit {
            Edit::SetRequire {
                path,
                version,
                indirect,
            } => {
                let first = file.require.iter().find(|r| &r.path == path);
                let marked = indirect.unwrap_or(first.is_some_and(|r| r.indirect));
                m.require.retain(|r| &r.0 != path);
                m.require.push((path.clone(), version.clone(), marked));
            }
            Edit::DropRequire { path } => m.require.retain(|r| &r.0 != path),
            Edit::AddReplace { old, new } => {
                let hit = |r: &ModuleRef| {
                    r.path == old.path && (old.version.is_none() || r.version == old.version)
                };
                m.replace.retain(|(o, _)| !hit(o));
                m.replace.push((old.clone(), new.clone()));
            }
            Edit::DropReplace { old } => m.replace.retain(|(o, _)| o != old),
            Edit::AddExclude { path, version } => {
                let x = (path.clone(), version.clone());
                if !m.exclude.contains(&x) {
                    m.exclude.push(x);
                }
            }
            Edit::DropExclude { path, version } => {
                m.exclude.retain(|x| (&x.0, &x.1) != (path, version));
            }
            Edit::SetGo { version } => m.go.clone_from(version),
            Edit::SetToolchain { name } => m.toolchain.clone_from(name),
        }
        m.sort();
        m
    }
}

/// Every comment of the file, without the `indirect` marks an edit may change.
fn comments(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .filter_map(|l| l.find("//").map(|i| l[i..].trim().to_owned()))
        .map(|c| c.replace("indirect;", "").replace("indirect", ""))
        .map(|c| c.trim_start_matches('/').trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn an_edit_means_what_x_mod_says(text in go_mod(), edit in any_edit()) {
        let before = gomod::parse_mod("go.mod", &text, Mode::Strict).unwrap();
        let out = gomod::apply("go.mod", &text, std::slice::from_ref(&edit)).unwrap();
        let after = gomod::parse_mod("go.mod", &out, Mode::Strict).unwrap();
        prop_assert_eq!(Meaning::of(&after), Meaning::after(&before, &edit), "{}", out);
        let (kept, had) = (comments(&out), comments(&text));
        // Removing a line takes its end-of-line comment with it.
        let removed = matches!(edit, Edit::DropRequire { .. } | Edit::DropReplace { .. }
            | Edit::DropExclude { .. } | Edit::SetRequire { .. } | Edit::AddReplace { .. });
        if !removed {
            prop_assert_eq!(kept, had, "{}", out);
        }
    }

    #[test]
    fn set_require_is_idempotent(text in go_mod(), edit in set_require()) {
        let once = gomod::apply("go.mod", &text, std::slice::from_ref(&edit)).unwrap();
        let twice = gomod::apply("go.mod", &once, std::slice::from_ref(&edit)).unwrap();
        prop_assert_eq!(once, twice);
    }
}

/// Edits aimed at what `file` holds: its `pick`ed requirement, replacement
/// and exclusion, with versions of the right major.
fn edits_on(file: &ModFile, pick: prop::sample::Index) -> Vec<Edit> {
    let mut edits = Vec::new();
    if !file.require.is_empty() {
        let r = &file.require[pick.index(file.require.len())];
        edits.push(Edit::SetRequire {
            path: r.path.clone(),
            version: other_version(&r.version, 5),
            indirect: Some(!r.indirect),
        });
        edits.push(Edit::DropRequire {
            path: r.path.clone(),
        });
        edits.push(Edit::AddReplace {
            old: module_ref(&r.path, None),
            new: module_ref("./fork", None),
        });
    }
    if !file.replace.is_empty() {
        let r = &file.replace[pick.index(file.replace.len())];
        edits.push(Edit::AddReplace {
            old: r.old.clone(),
            new: module_ref("example.com/fork", Some("v1.0.0")),
        });
        edits.push(Edit::DropReplace { old: r.old.clone() });
    }
    if !file.exclude.is_empty() {
        let x = &file.exclude[pick.index(file.exclude.len())];
        edits.push(Edit::AddExclude {
            path: x.path.clone(),
            version: other_version(&x.version, 6),
        });
    }
    edits
}

/// Layout variations a hand-written go.mod may have, each keeping it
/// valid, in the order they are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Quirk {
    NoModuleLine,
    EmptyBlocks,
    ParenComments,
    Quoted,
    Spaces,
    NoFinalNewline,
    Crlf,
}

fn quirks() -> impl Strategy<Value = Vec<Quirk>> {
    let quirk = prop::sample::select(vec![
        Quirk::NoModuleLine,
        Quirk::EmptyBlocks,
        Quirk::ParenComments,
        Quirk::Quoted,
        Quirk::Spaces,
        Quirk::NoFinalNewline,
        Quirk::Crlf,
    ]);
    prop::collection::vec(quirk, 0..7).prop_map(|mut q| {
        q.sort();
        q.dedup();
        q
    })
}

fn oddly(text: &str, quirks: &[Quirk]) -> String {
    let mut text = text.to_owned();
    for quirk in quirks {
        text = match quirk {
            Quirk::NoModuleLine => text.replacen("module example.com/m\n", "", 1),
            Quirk::EmptyBlocks => text + "require ()\nexclude (\n)\n",
            Quirk::ParenComments => text
                .replace("require (\n", "require ( // deps\n")
                .replace("\n)\n", "\n\t// end of block\n)\n"),
            Quirk::Quoted => text.replace("example.com/a ", "\"example.com/a\" "),
            Quirk::Spaces => text.replace('\t', "    "),
            Quirk::NoFinalNewline => text.trim_end_matches('\n').to_owned(),
            Quirk::Crlf => text.replace('\n', "\r\n"),
        };
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// On oddly laid out files (no module line, quoted paths, comments by the parentheses,
    /// empty blocks, spaces for tabs, CRLF, no final newline), no edit panics
    /// or leaves a file that does not parse, and it means what x/mod says.
    #[test]
    fn edits_never_break_a_file(
        text in go_mod(),
        quirks in quirks(),
        edit in any_edit(),
        pick in any::<prop::sample::Index>(),
    ) {
        let text = oddly(&text, &quirks);
        let file = gomod::parse_mod("go.mod", &text, Mode::Strict).unwrap();
        for edit in edits_on(&file, pick).into_iter().chain([edit]) {
            match gomod::apply("go.mod", &text, std::slice::from_ref(&edit)) {
                Ok(out) => {
                    let after = gomod::parse_mod("go.mod", &out, Mode::Strict).unwrap();
                    prop_assert_eq!(Meaning::of(&after), Meaning::after(&file, &edit), "{}", out);
                }
                Err(EditError::Invalid { .. }) => {}
                Err(e) => prop_assert!(false, "{edit}: {e}\n{text}"),
            }
        }
    }
}
