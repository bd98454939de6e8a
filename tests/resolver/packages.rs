//! The linked package set, checked against `go list -deps` on the load lab:
//! the gateway host under several build configurations and every plugin
//! scenario built standalone, through the lab's `file://` proxy.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tykdeps_resolver::packages::constraint;
use tykdeps_resolver::packages::{
    self, BuildConfig, DirTree, FactCache, Linked, Module, ModuleTree, Owner, Universe, ZipTree,
};

use crate::support::{self, lab};

/// One build configuration: extra environment and `-tags`.
struct Case {
    env: &'static [(&'static str, &'static str)],
    tags: &'static [&'static str],
}

const GATEWAY_CASES: &[Case] = &[
    Case {
        env: &[("CGO_ENABLED", "1")],
        tags: &[],
    },
    Case {
        env: &[("CGO_ENABLED", "1")],
        tags: &["goplugin"],
    },
    Case {
        env: &[("CGO_ENABLED", "0")],
        tags: &["goplugin"],
    },
    Case {
        env: &[("GOOS", "windows"), ("CGO_ENABLED", "0")],
        tags: &["goplugin"],
    },
    Case {
        env: &[("GOARCH", "arm64"), ("CGO_ENABLED", "0")],
        tags: &["goplugin"],
    },
    Case {
        env: &[
            ("GOOS", "darwin"),
            ("GOARCH", "arm64"),
            ("CGO_ENABLED", "1"),
        ],
        tags: &[],
    },
];

/// A module (its path, the path and version its sources come from, and its
/// directory) per line of `go list -m`.
const MODULE_FORMAT: &str = "{{.Path}}\t{{with .Replace}}{{.Path}}\t{{.Version}}{{else}}{{.Path}}\t{{.Version}}{{end}}\t{{.Dir}}";

#[derive(Clone)]
struct Oracle {
    work: Arc<tempfile::TempDir>,
    env: BTreeMap<String, String>,
}

impl Oracle {
    fn new() -> Oracle {
        let work = tempfile::tempdir().expect("a temporary directory");
        let proxy = lab::build_proxy(work.path());
        let env = support::hermetic_go_env(
            &format!("file://{}", proxy.display()),
            &work.path().join("modcache"),
        );
        Oracle {
            work: Arc::new(work),
            env,
        }
    }

    /// The same go command, in the workspace of `go_work`.
    fn in_workspace(&self, go_work: &Path) -> Oracle {
        let mut workspace = self.clone();
        let go_work = go_work.to_str().expect("utf-8").to_owned();
        workspace.env.insert("GOWORK".to_owned(), go_work);
        // -mod=mod is refused in a workspace.
        workspace
            .env
            .insert("GOFLAGS".to_owned(), "-buildvcs=false".to_owned());
        workspace
    }

    fn go(&self, dir: &Path, case: &Case, args: &[&str]) -> String {
        self.try_go(dir, case, args)
            .unwrap_or_else(|e| panic!("go {args:?} in {} failed:\n{e}", dir.display()))
    }

    fn try_go(&self, dir: &Path, case: &Case, args: &[&str]) -> Result<String, String> {
        let mut env = self.env.clone();
        env.extend(
            case.env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        let out = support::go(dir, &env, args);
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// The configuration go itself reports for `case`.
    fn config(&self, dir: &Path, case: &Case) -> BuildConfig {
        let fields = self.go(
            dir,
            case,
            &["env", "GOOS", "GOARCH", "CGO_ENABLED", "GOVERSION"],
        );
        let fields: Vec<&str> = fields.lines().collect();
        let tool_tags = self.go(
            dir,
            case,
            &["list", "-f", "{{context.ToolTags}}", "runtime"],
        );
        let mut tags: Vec<String> = tool_tags
            .trim_matches(['[', ']'])
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        tags.extend(case.tags.iter().map(|t| (*t).to_owned()));
        let minor = fields[3]
            .trim_start_matches("go1.")
            .split('.')
            .next()
            .unwrap();
        BuildConfig {
            goos: fields[0].to_owned(),
            goarch: fields[1].to_owned(),
            cgo_enabled: fields[2] == "1",
            tags,
            go_minor: minor.parse().expect("a go minor version"),
        }
    }

    /// The build list of the module in `dir`, with the directories go uses
    /// (modules go never needed to download have none: their sources are
    /// unknown); `None` when the go command cannot load the package.
    /// Module sources come from the cache's zips when `zips`, else from the
    /// extracted directories.
    fn universe(&self, dir: &Path, zips: bool) -> Option<Universe<'static>> {
        let none = Case {
            env: &[],
            tags: &[],
        };
        self.try_go(dir, &none, &["list", "-deps", "-tags", "goplugin", "."])
            .ok()?;
        let goroot = PathBuf::from(self.go(dir, &none, &["env", "GOROOT"]));
        let listed = self.go(dir, &none, &["list", "-m", "-f", MODULE_FORMAT, "all"]);
        let modules = listed
            .lines()
            .map(|line| {
                let mut fields = line.split('\t');
                let mut next = || fields.next().unwrap_or_default();
                let (path, source, version, dir) = (next(), next(), next(), next());
                let immutable = !version.is_empty() && !dir.is_empty();
                let tree: Option<Arc<dyn ModuleTree>> = if immutable && zips {
                    Some(Arc::new(self.zip(source, version)))
                } else {
                    (!dir.is_empty()).then(|| Arc::new(DirTree::new(dir)) as Arc<dyn ModuleTree>)
                };
                Module {
                    path: path.to_owned(),
                    cache_key: immutable.then(|| format!("{source}@{version}")),
                    tree: tree.into(),
                }
            })
            .collect();
        Some(Universe {
            goroot_src: Some(Arc::new(DirTree::new(goroot.join("src")))),
            follow_std: true,
            modules,
        })
    }

    /// The module cache's zip of `path@version`.
    fn zip(&self, path: &str, version: &str) -> ZipTree {
        let modcache = Path::new(&self.env["GOMODCACHE"]);
        let (_, file) = packages::modcache_paths(modcache, path, version).expect("valid");
        ZipTree::open(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    /// Whether tykdeps' linked set of the package in `dir` equals `go list
    /// -deps`'s, and how many packages go listed.
    fn compare(
        &self,
        dir: &Path,
        case: &Case,
        universe: &Universe<'_>,
        cache: &FactCache,
    ) -> (bool, usize) {
        let tags = case.tags.join(",");
        let format = "{{.ImportPath}} {{with .Module}}{{.Path}}{{end}}";
        let listed = self.go(
            dir,
            case,
            &["list", "-deps", "-tags", &tags, "-f", format, "."],
        );
        let expected: BTreeSet<String> = listed.lines().map(|l| l.trim().to_owned()).collect();
        let root = self.go(dir, case, &["list", "-f", "{{.ImportPath}}", "."]);
        let config = self.config(dir, case);
        let linked = universe
            .linked(&config, &[root.as_str()], cache)
            .expect("the lab's packages resolve");
        let ours: BTreeSet<String> = linked
            .iter()
            .map(|(path, owner)| match owner {
                Owner::Std => path.clone(),
                Owner::Module(m) | Owner::Unknown(m) => format!("{path} {m}"),
            })
            .collect();
        if ours != expected {
            eprintln!(
                "{} {:?} {:?}: only go: {:?}; only tykdeps: {:?}",
                dir.display(),
                case.env,
                case.tags,
                expected.difference(&ours).collect::<Vec<_>>(),
                ours.difference(&expected).collect::<Vec<_>>()
            );
        }
        (ours == expected, expected.len())
    }
}

#[test]
fn linked_packages_match_go_list() {
    if !support::have_go() {
        return;
    }
    let oracle = Oracle::new();
    let cache = FactCache::default();
    let mut same = 0;
    let mut total = 0;
    let mut packages = 0;
    let gateway = oracle.work.path().join("gateway");
    support::copy_dir(&lab::lab_dir().join("modules").join(lab::GATEWAY), &gateway);
    for zips in [false, true] {
        let universe = oracle.universe(&gateway, zips).expect("the gateway loads");
        for case in GATEWAY_CASES {
            total += 1;
            let (equal, count) = oracle.compare(&gateway, case, &universe, &cache);
            same += usize::from(equal);
            packages += count;
        }
    }
    let default = &GATEWAY_CASES[0];
    for scenario in lab::scenarios() {
        for workspace in [false, true] {
            let base = oracle.work.path().join("plugins").join(&scenario);
            let base = base.join(if workspace { "workspace" } else { "standalone" });
            let dir = base.join("plugin");
            support::copy_dir(&lab::lab_dir().join("scenarios").join(&scenario), &dir);
            support::copy_dir(
                &lab::lab_dir().join("modules").join(lab::GATEWAY),
                &base.join("gateway"),
            );
            let go = if workspace {
                let go_work = base.join("go.work");
                std::fs::write(&go_work, "go 1.26.0\n\nuse (\n\t./gateway\n\t./plugin\n)\n")
                    .expect("go.work is writable");
                oracle.in_workspace(&go_work)
            } else {
                oracle.clone()
            };
            let Some(universe) = go.universe(&dir, true) else {
                println!("{scenario} (workspace: {workspace}): go cannot load the plugin; skipped");
                continue;
            };
            total += 1;
            let (equal, count) = go.compare(&dir, default, &universe, &cache);
            same += usize::from(equal);
            packages += count;
        }
    }
    println!(
        "packages oracle: {same}/{total} package sets identical ({packages} packages listed by go)"
    );
    assert_eq!(same, total);
}

#[test]
fn missing_module_sources_are_unknown() {
    if !support::have_go() {
        return;
    }
    let oracle = Oracle::new();
    let gateway = oracle.work.path().join("gateway");
    support::copy_dir(&lab::lab_dir().join("modules").join(lab::GATEWAY), &gateway);
    let mut universe = oracle.universe(&gateway, true).expect("the gateway loads");
    let alpha = universe
        .modules
        .iter_mut()
        .find(|m| m.path == "lab.example/alpha")
        .expect("the gateway requires alpha");
    // Neither the extracted directory nor the zip: the sources cannot be had.
    let modcache = Path::new(&oracle.env["GOMODCACHE"]);
    let (dir, zip) =
        packages::modcache_paths(modcache, "lab.example/alpha", "v1.2.0").expect("valid");
    assert!(packages::open_cached(modcache, "lab.example/alpha", "v1.2.0").is_some());
    make_writable(&dir);
    std::fs::remove_dir_all(&dir).expect("the extracted module is removable");
    assert!(
        packages::open_cached(modcache, "lab.example/alpha", "v1.2.0").is_some(),
        "the zip remains"
    );
    std::fs::remove_file(&zip).expect("the zip is removable");
    alpha.tree = packages::open_cached(modcache, "lab.example/alpha", "v1.2.0").into();
    assert!(alpha.tree.get().is_none());
    let config = oracle.config(&gateway, &GATEWAY_CASES[1]);
    let linked = universe
        .linked(&config, &["lab.example/gateway"], &FactCache::default())
        .expect("resolves");
    assert_eq!(
        linked.get("lab.example/alpha"),
        Some(&Owner::Unknown("lab.example/alpha".to_owned()))
    );
    assert_eq!(
        linked.get("lab.example/beta"),
        Some(&Owner::Module("lab.example/beta".to_owned()))
    );
}

/// Constraint lines and the tags that hold, evaluated by go/build/constraint.
const EXPRESSIONS: &[(&str, &str)] = &[
    ("linux,amd64", "//go:build linux && amd64"),
    ("linux", "//go:build linux && amd64"),
    ("linux", "//go:build linux || windows"),
    ("linux", "//go:build !linux"),
    ("", "//go:build !linux"),
    ("a,c", "//go:build a && (b || c)"),
    ("a", "//go:build a && (b || c)"),
    ("b", "//go:build a && b || b"),
    ("b", "//go:build !(a || !b)"),
    ("x", "//go:build !!x"),
    ("x", "//go:build  x\t&&\t!y "),
    ("go1.21", "//go:build go1.21"),
    ("amd64.v1", "//go:build amd64.v1"),
    ("x", "//go:build x &&"),
    ("x", "//go:build (x"),
    ("x", "//go:build x)"),
    ("x", "//go:build x y"),
    ("x", "//go:build"),
    ("x", "//go:build x-y"),
    ("x", "//go:build ||x"),
    ("x", "//go:build x & y"),
    ("x", "// +build x"),
    ("x", "// +build x,!y z"),
    ("z", "// +build x,!y z"),
    ("x,y", "// +build x,!y z"),
    ("", "// +build !x"),
    ("x", "//+build x"),
    ("x", "// +build !!x"),
    ("x", "// +build x,"),
    ("x", "// +build"),
    ("x", "// +build x-y"),
    ("x", "// +build !x-y"),
    ("x", "// +build !"),
    ("ignore", "// +build x-y"),
    ("x", "//go:build !(!x)"),
    ("x", "//go:build ((x))"),
    ("x", "//go:build ()"),
    ("x", "//go:buildx"),
    ("x", "//go:build x ,y"),
];

#[test]
fn constraints_match_go_build_constraint() {
    if !support::have_go() {
        return;
    }
    let bin = tempfile::tempdir().expect("a temporary directory");
    let exe = support::build_go_helper("packages-oracle", bin.path());
    let input = EXPRESSIONS.iter().fold(String::new(), |acc, (tags, line)| {
        acc + tags + "\t" + line + "\n"
    });
    let mut child = std::process::Command::new(exe)
        .arg("expr")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the oracle runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes())
        .expect("the oracle reads");
    let out = child.wait_with_output().expect("the oracle answers");
    let answers = String::from_utf8_lossy(&out.stdout);
    let answers: Vec<&str> = answers.lines().collect();
    assert_eq!(answers.len(), EXPRESSIONS.len());
    let mut same = 0;
    for ((tags, line), expected) in EXPRESSIONS.iter().zip(answers) {
        let set: BTreeSet<&str> = tags.split(',').collect();
        let parsed = if constraint::is_go_build(line) {
            constraint::parse_go_build(line)
        } else {
            constraint::parse_plus_build(line)
        };
        let ours = parsed.map_or_else(
            |_| "error".to_owned(),
            |x| x.eval(&|t| set.contains(t)).to_string(),
        );
        if ours == expected {
            same += 1;
        } else {
            eprintln!("{line:?} with {tags:?}: go {expected}, tykdeps {ours}");
        }
    }
    println!(
        "constraint oracle: {same}/{} answers identical",
        EXPRESSIONS.len()
    );
    assert_eq!(same, EXPRESSIONS.len());
}

/// Files of one package directory: names and contents exercising file name
/// suffixes, constraint headers, cgo and every import form.
const FILES: &[(&str, &str)] = &[
    (
        "a.go",
        "// Package p.\npackage p // trailing\n\nimport (\n\t\"fmt\" // c\n\tstr \"strings\"\n\t. \"math\"\n\t_ \"embed\"\n\t/* x */ `os`\n)\nimport \"io\"; import (\"bytes\"; \"errors\")\n\nimport \"late/after/a/decl\"\n\nfunc F() {}\n\nimport \"never\"\n",
    ),
    ("b_linux.go", "package p\nimport \"b/linux\"\n"),
    ("b_windows.go", "package p\nimport \"b/windows\"\n"),
    ("c_arm64.go", "package p\nimport \"c/arm64\"\n"),
    ("d_linux_arm64.go", "package p\nimport \"d/linux/arm64\"\n"),
    ("e_windows_amd64_test.go", "package p\nimport \"e\"\n"),
    ("f_test.go", "package p\nimport \"f\"\n"),
    ("_g.go", "package p\nimport \"g\"\n"),
    (".h.go", "package p\nimport \"h\"\n"),
    ("i_unix.go", "package p\nimport \"i\"\n"),
    ("j.go", "//go:build goplugin\n\npackage p\nimport \"j\"\n"),
    ("k.go", "//go:build !goplugin\n\npackage p\nimport \"k\"\n"),
    ("l.go", "// +build linux,cgo\n\npackage p\nimport \"l\"\n"),
    ("m.go", "// +build windows\npackage p\nimport \"m\"\n"),
    (
        "n.go",
        "//go:build linux\n// +build windows\n\npackage p\nimport \"n\"\n",
    ),
    (
        "o.go",
        "package p\n\n/*\n#include <stdio.h>\n*/\nimport \"C\"\nimport \"o\"\n",
    ),
    ("p.go", "//go:build go1.99\n\npackage p\nimport \"p\"\n"),
    (
        "q.go",
        "//go:build go1.21 && unix\n\npackage p\nimport \"q\"\n",
    ),
    (
        "r.go",
        "/* header */\n//go:build ignore\n\npackage p\nimport \"r\"\n",
    ),
    ("s.go", "package p\n//go:build ignore\nimport \"s\"\n"),
    ("t.go", "\u{feff}// BOM first\n\npackage p\nimport \"t\"\n"),
    ("u_android.go", "package p\nimport \"u\"\n"),
    ("v_ios.go", "package p\nimport \"v\"\n"),
    (
        "w.go",
        "// +build linux darwin\n// +build arm64\n\npackage p\nimport \"w\"\n",
    ),
    ("x_amd64.s", "// not Go\n"),
    (
        "y.go",
        "//go:build cgo && linux\n\npackage p\nimport \"y\"\n",
    ),
];

const CONFIGS: &[(&str, &str, bool, &str)] = &[
    ("linux", "amd64", true, "goplugin"),
    ("linux", "amd64", false, ""),
    ("linux", "arm64", true, ""),
    ("windows", "amd64", false, "goplugin"),
    ("darwin", "arm64", true, ""),
    ("android", "arm64", true, ""),
    ("ios", "arm64", false, ""),
    ("plan9", "386", false, ""),
];

#[test]
fn package_files_match_go_build() {
    if !support::have_go() {
        return;
    }
    let work = tempfile::tempdir().expect("a temporary directory");
    let exe = support::build_go_helper("packages-oracle", work.path());
    let dir = work.path().join("p");
    std::fs::create_dir(&dir).expect("a package directory");
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text).expect("a file");
    }
    let facts = packages::read_package(&DirTree::new(&dir), "").expect("the package's files scan");
    let mut same = 0;
    for &(goos, goarch, cgo, tags) in CONFIGS {
        let out = std::process::Command::new(&exe)
            .args(["dir", goos, goarch, if cgo { "1" } else { "0" }, tags, "26"])
            .arg(&dir)
            .output()
            .expect("the oracle runs");
        let expected = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let config = BuildConfig {
            goos: goos.to_owned(),
            goarch: goarch.to_owned(),
            cgo_enabled: cgo,
            tags: tags
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            go_minor: 26,
        };
        let ours: Vec<String> = facts
            .iter()
            .filter(|f| config.is_candidate(&f.name) && f.included(&config))
            .map(|f| format!("{}\t{}\t{}", f.name, f.package, f.imports.join(",")))
            .collect();
        let ours = ours.join("\n");
        if ours == expected {
            same += 1;
        } else {
            eprintln!(
                "{goos}/{goarch} cgo={cgo} tags={tags:?}:\ngo:\n{expected}\ntykdeps:\n{ours}"
            );
        }
    }
    println!(
        "package files oracle: {same}/{} configurations identical",
        CONFIGS.len()
    );
    assert_eq!(same, CONFIGS.len());
}

/// The module cache's directories are read-only; let `dir` be removed.
fn make_writable(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("a directory").flatten() {
        if entry.path().is_dir() {
            make_writable(&entry.path());
        }
    }
    let mut perms = std::fs::metadata(dir).expect("metadata").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(dir, perms).expect("permissions");
}

/// GOROOT's `vendor/` serves the standard library's imports only; a root or
/// a module importing the same path gets the build list's module.
#[test]
fn goroot_vendor_is_for_the_standard_library_only() {
    let root = tempfile::tempdir().expect("a temporary directory");
    let write = |rel: &str, text: &str| {
        let path = root.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
        std::fs::write(path, text).expect("a file");
    };
    write(
        "goroot/src/net/net.go",
        "package net\nimport \"example.com/v\"\n",
    );
    write("goroot/src/vendor/example.com/v/v.go", "package v\n");
    write("mod/v.go", "package v\nimport \"net\"\n");
    write(
        "main/main.go",
        "package main\nimport (\n\t\"example.com/v\"\n)\n",
    );
    write("goroot/src/runtime/runtime.go", "package runtime\n");
    let tree = |rel: &str| -> Arc<dyn ModuleTree> { Arc::new(DirTree::new(root.path().join(rel))) };
    let universe = Universe {
        goroot_src: Some(tree("goroot/src")),
        follow_std: true,
        modules: vec![
            Module {
                path: "example.com/main".to_owned(),
                cache_key: None,
                tree: Some(tree("main")).into(),
            },
            Module {
                path: "example.com/v".to_owned(),
                cache_key: None,
                tree: Some(tree("mod")).into(),
            },
        ],
    };
    let config = BuildConfig {
        goos: "linux".to_owned(),
        goarch: "amd64".to_owned(),
        cgo_enabled: false,
        tags: Vec::new(),
        go_minor: 26,
    };
    let linked = universe
        .linked(
            &config,
            &["example.com/v", "example.com/main"],
            &FactCache::default(),
        )
        .expect("resolves");
    let module = |m: &str| Owner::Module(m.to_owned());
    let expected: Linked = [
        ("example.com/main", module("example.com/main")),
        ("example.com/v", module("example.com/v")),
        ("net", Owner::Std),
        ("runtime", Owner::Std),
        ("vendor/example.com/v", Owner::Std),
    ]
    .into_iter()
    .map(|(p, o)| (p.to_owned(), o))
    .collect();
    assert_eq!(linked, expected);
}

/// Which import paths are the standard library's is the toolchain's answer:
/// every package `go list std` lists is std, and the packages of modules
/// named as users name plugins (no dot, or `main`) are not, as `go list`
/// reports them (`.Standard`) from inside each module.
#[test]
fn the_standard_library_is_the_toolchains() {
    if !support::have_go() {
        println!("skipped: the go command is not on PATH");
        return;
    }
    let work = tempfile::tempdir().expect("a temporary directory");
    let env = support::hermetic_go_env("off", &work.path().join("modcache"));
    let goroot = support::go(work.path(), &env, ["env", "GOROOT"]);
    let goroot = PathBuf::from(String::from_utf8_lossy(&goroot.stdout).trim());
    let listed = support::go(work.path(), &env, ["list", "std"]);
    let std: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let names = ["testplugin", "main", "my_plugin", "tyk-plugin"];
    let mut modules = Vec::new();
    for name in names {
        let dir = work.path().join(name);
        std::fs::create_dir_all(dir.join("handler")).expect("a module directory");
        std::fs::write(dir.join("go.mod"), format!("module {name}\n\ngo 1.21\n")).unwrap();
        std::fs::write(
            dir.join("plugin.go"),
            format!("package main\n\nimport _ \"{name}/handler\"\n"),
        )
        .unwrap();
        std::fs::write(dir.join("handler/handler.go"), "package handler\n").unwrap();
        modules.push(Module {
            path: name.to_owned(),
            cache_key: None,
            tree: Some(Arc::new(DirTree::new(&dir)) as Arc<dyn ModuleTree>).into(),
        });
    }
    let universe = Universe {
        goroot_src: Some(Arc::new(DirTree::new(goroot.join("src")))),
        follow_std: false,
        modules,
    };
    let mut agree = 0;
    let mut differ = Vec::new();
    for package in &std {
        if universe.is_std(package) {
            agree += 1;
        } else {
            differ.push(format!("{package}: go list std lists it"));
        }
    }
    for name in names {
        let dir = work.path().join(name);
        let format = "{{.ImportPath}} {{.Standard}}";
        let out = support::go(&dir, &env, ["list", "-f", format, ".", "./handler"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let (path, standard) = line.split_once(' ').expect("two fields");
            if universe.is_std(path) == (standard == "true") {
                agree += 1;
            } else {
                differ.push(format!("{path}: go says Standard={standard}"));
            }
        }
    }
    let total = std.len() + 2 * names.len();
    println!("standard library: {agree}/{total} paths classified as go list does");
    assert!(std.len() > 100, "go list std listed {} packages", std.len());
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
