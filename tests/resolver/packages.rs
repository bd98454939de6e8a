//! The linked package set, checked against `go list -deps` on the load lab:
//! the gateway host under several build configurations and every plugin
//! scenario built standalone, through the lab's `file://` proxy.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tykdeps_resolver::packages::{
    BuildConfig, DirTree, FactCache, Module, ModuleTree, Owner, Universe,
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

struct Oracle {
    work: tempfile::TempDir,
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
        Oracle { work, env }
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
    fn universe(&self, dir: &Path) -> Option<Universe> {
        let none = Case {
            env: &[],
            tags: &[],
        };
        self.try_go(dir, &none, &["list", "-deps", "-tags", "goplugin", "."])
            .ok()?;
        let goroot = PathBuf::from(self.go(dir, &none, &["env", "GOROOT"]));
        let listed = self.go(
            dir,
            &none,
            &[
                "list",
                "-m",
                "-f",
                "{{.Path}}\t{{.Version}}\t{{.Dir}}",
                "all",
            ],
        );
        let modules = listed
            .lines()
            .map(|line| {
                let mut fields = line.split('\t');
                let path = fields.next().expect("a module path");
                let version = fields.next().unwrap_or_default();
                let dir = fields.next().unwrap_or_default();
                let tree: Arc<dyn ModuleTree> = Arc::new(DirTree::new(dir));
                Module {
                    path: path.to_owned(),
                    version: version.to_owned(),
                    tree: (!dir.is_empty()).then_some(tree),
                }
            })
            .collect();
        Some(Universe {
            goroot_src: Arc::new(DirTree::new(goroot.join("src"))),
            modules,
        })
    }

    /// Whether tykdeps' linked set of the package in `dir` equals `go list
    /// -deps`'s, and how many packages go listed.
    fn compare(
        &self,
        dir: &Path,
        case: &Case,
        universe: &Universe,
        cache: &mut FactCache,
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
    let mut cache = FactCache::default();
    let mut same = 0;
    let mut total = 0;
    let mut packages = 0;
    let gateway = oracle.work.path().join("gateway");
    support::copy_dir(&lab::lab_dir().join("modules").join(lab::GATEWAY), &gateway);
    let universe = oracle.universe(&gateway).expect("the gateway loads");
    for case in GATEWAY_CASES {
        total += 1;
        let (equal, count) = oracle.compare(&gateway, case, &universe, &mut cache);
        same += usize::from(equal);
        packages += count;
    }
    let default = &GATEWAY_CASES[0];
    for scenario in lab::scenarios() {
        let base = oracle.work.path().join("plugins").join(&scenario);
        let dir = base.join("plugin");
        support::copy_dir(&lab::lab_dir().join("scenarios").join(&scenario), &dir);
        support::copy_dir(
            &lab::lab_dir().join("modules").join(lab::GATEWAY),
            &base.join("gateway"),
        );
        let Some(universe) = oracle.universe(&dir) else {
            println!("{scenario}: go cannot load the plugin package; skipped");
            continue;
        };
        total += 1;
        let (equal, count) = oracle.compare(&dir, default, &universe, &mut cache);
        same += usize::from(equal);
        packages += count;
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
    let mut universe = oracle.universe(&gateway).expect("the gateway loads");
    let alpha = universe
        .modules
        .iter_mut()
        .find(|m| m.path == "lab.example/alpha")
        .expect("the gateway requires alpha");
    alpha.tree = None;
    let config = oracle.config(&gateway, &GATEWAY_CASES[1]);
    let linked = universe
        .linked(&config, &["lab.example/gateway"], &mut FactCache::default())
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
