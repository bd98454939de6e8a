//! `metadata`: retractions, deprecation, go.mod presence, latest versions and
//! other majors, checked against the go command on the same `file://`
//! proxies (corpus/proxy, the load lab's modules, corpus/metadata's modules),
//! and the answer "unknown" when a proxy fails.
// Oracle tests print what they compared.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tykdeps_resolver::graph::ModKey;
use tykdeps_resolver::metadata::majors::Family;
use tykdeps_resolver::metadata::{
    MetadataError, author_notes, has_own_go_mod, latest_allowed, latest_ignoring_retractions,
    module_for_import, nearest_with_go_mod, other_majors,
};
use tykdeps_resolver::source::file::{FileSource, file_source};
use tykdeps_resolver::source::verify::GoModSums;
use tykdeps_resolver::source::{FetchErrorKind, ModuleSource};
use tykdeps_resolver::version::escape::{unescape_path, unescape_version};
use tykdeps_resolver::version::pseudo::is_pseudo_version;

use crate::support::http_proxy::{Fault, TestProxy};
use crate::support::{go, have_go, hermetic_go_env, lab, own_corpus};

/// A `file://` proxy tree and whether it holds zips (`go mod download`).
struct Tree {
    name: &'static str,
    root: PathBuf,
    zips: bool,
}

/// The three trees; generated ones live in `work`.
fn trees(work: &Path) -> Vec<Tree> {
    let lab_work = work.join("lab");
    let meta_work = work.join("metadata");
    vec![
        Tree {
            name: "corpus/proxy",
            root: own_corpus().join("proxy"),
            zips: false,
        },
        Tree {
            name: "corpus/lab",
            root: lab::build_proxy(&lab_work),
            zips: true,
        },
        Tree {
            name: "corpus/metadata",
            root: metadata_proxy(&meta_work),
            zips: true,
        },
    ]
}

/// corpus/metadata's proxy, with the two ways a proxy names the latest
/// version of a module known only by pseudo-versions: `@latest`, and
/// pseudo-versions in `@v/list`.
fn metadata_proxy(work: &Path) -> PathBuf {
    let root = lab::build_proxy_from(&own_corpus().join("metadata/modules"), work);
    let module = root.join("meta.example");
    std::fs::write(
        module.join("pseudogm/@latest"),
        r#"{"Version":"v0.0.0-20210101000000-bbbbbbbbbbbb","Time":"2021-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    std::fs::write(
        module.join("pseudolist/@v/list"),
        "v0.0.0-20220101000000-cccccccccccc\nv0.0.0-20200101000000-aaaaaaaaaaaa\n",
    )
    .unwrap();
    root
}

/// Every module version in a proxy tree (each `.info`), by path.
fn tree_versions(root: &Path) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    for list in crate::support::find_files(root, "list") {
        let at_v = list.parent().unwrap();
        let rel = at_v.parent().unwrap().strip_prefix(root).unwrap();
        let path = unescape_path(&rel.to_string_lossy()).unwrap();
        let mut versions: Vec<String> = std::fs::read_dir(at_v)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                name.strip_suffix(".info")
                    .map(|v| unescape_version(v).unwrap())
            })
            .collect();
        versions.sort();
        found.insert(path, versions);
    }
    found
}

/// The JSON objects `go <args>` prints, run against `root` with a module
/// cache in `scratch` (writable, so it can be removed).
fn go_json_in(scratch: &Path, root: &Path, args: &[String]) -> Vec<Value> {
    let mut env = hermetic_go_env(&format!("file://{}", root.display()), &scratch.join("mc"));
    env.insert("GOFLAGS".to_owned(), "-mod=mod -modcacherw".to_owned());
    let out = go(scratch, &env, args);
    serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter::<Value>()
        .map(|v| v.unwrap_or_else(|e| panic!("go {args:?}: {e}")))
        .collect()
}

/// [`go_json_in`] with a module cache of its own.
fn go_json(root: &Path, args: &[String]) -> Vec<Value> {
    let scratch = tempfile::tempdir().unwrap();
    go_json_in(scratch.path(), root, args)
}

fn args(fixed: &[&str], modules: impl IntoIterator<Item = String>) -> Vec<String> {
    fixed
        .iter()
        .map(|s| (*s).to_owned())
        .chain(modules)
        .collect()
}

/// go's `Retracted` and `Deprecated` of a `go list -m -u -retracted` object.
fn go_notes(v: &Value) -> (Vec<String>, Option<String>) {
    let retracted = v["Retracted"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    (retracted, v["Deprecated"].as_str().map(str::to_owned))
}

/// Our `Retracted` and `Deprecated` for `path@version`; `NoLatest` reads as
/// nothing, as the go command's silence when it has no latest version.
async fn our_notes(
    source: &FileSource,
    path: &str,
    version: &str,
) -> Result<(Vec<String>, Option<String>), MetadataError> {
    match author_notes(source, path).await {
        Ok(notes) => Ok((
            notes
                .retraction(version)
                .map(|r| r.reasons())
                .unwrap_or_default(),
            notes.deprecated,
        )),
        Err(MetadataError::NoLatest { .. }) => Ok((Vec::new(), None)),
        Err(e) => Err(e),
    }
}

/// Whether the go command has no latest version of `path` to read notes from.
async fn no_latest(source: &FileSource, path: &str) -> bool {
    matches!(
        latest_ignoring_retractions(source, path).await,
        Err(MetadataError::NoLatest { .. })
    )
}

/// Compare our answers with go's; the count of identical ones and the
/// differences.
#[derive(Default)]
struct Tally {
    same: usize,
    total: usize,
    diffs: Vec<String>,
}

impl Tally {
    fn check<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, ours: &T, go: &T) {
        self.total += 1;
        if ours == go {
            self.same += 1;
        } else {
            self.diffs.push(format!("{what}: ours {ours:?}, go {go:?}"));
        }
    }
}

/// `go list -m P@latest` (with `-retracted`: ignoring retractions) for every
/// path: the version, or `None` when go found none.
fn go_latest(root: &Path, paths: &[String], retracted: bool) -> BTreeMap<String, Option<String>> {
    let flags: &[&str] = if retracted {
        &["list", "-e", "-m", "-retracted", "-json"]
    } else {
        &["list", "-e", "-m", "-json"]
    };
    let objects = go_json(
        root,
        &args(flags, paths.iter().map(|p| format!("{p}@latest"))),
    );
    assert_eq!(objects.len(), paths.len());
    paths
        .iter()
        .zip(objects)
        .map(|(p, o)| {
            let version = o["Error"]
                .is_null()
                .then(|| o["Version"].as_str().unwrap().to_owned());
            (p.clone(), version)
        })
        .collect()
}

fn latest_or_none(
    r: Result<String, MetadataError>,
    tally: &mut Tally,
    what: &str,
) -> Option<String> {
    match r {
        Ok(v) => Some(v),
        Err(MetadataError::NoLatest { .. }) => None,
        Err(e) => {
            tally.diffs.push(format!("{what}: {e}"));
            None
        }
    }
}

#[tokio::test]
async fn retractions_deprecations_and_latest_versions_match_the_go_command() {
    if !have_go() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let (mut notes, mut latest, mut gomods, mut majors) = (
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
    );
    let mut bare = Vec::new();
    let mut silent = 0;
    for tree in trees(work.path()) {
        let source = file_source(&tree.root);
        let all = tree_versions(&tree.root);
        let modules: Vec<(String, String)> = all
            .iter()
            .flat_map(|(p, vs)| vs.iter().map(move |v| (p.clone(), v.clone())))
            .collect();

        let listed = go_json(
            &tree.root,
            &args(
                &["list", "-e", "-m", "-u", "-retracted", "-json"],
                modules.iter().map(|(p, v)| format!("{p}@{v}")),
            ),
        );
        assert_eq!(
            listed.len(),
            modules.len(),
            "{}: one object per module",
            tree.name
        );
        for ((path, version), object) in modules.iter().zip(&listed) {
            let ours = our_notes(&source, path, version)
                .await
                .map_err(|e| e.to_string());
            notes.check(&format!("{path}@{version}"), &ours, &Ok(go_notes(object)));
            silent += usize::from(no_latest(&source, path).await);
        }

        let paths: Vec<String> = all.keys().cloned().collect();
        let go_ignoring = go_latest(&tree.root, &paths, true);
        let go_allowed = go_latest(&tree.root, &paths, false);
        for path in &paths {
            let what = format!("{path}@latest");
            let ours = latest_or_none(
                latest_ignoring_retractions(&source, path).await,
                &mut latest,
                &what,
            );
            latest.check(&format!("{what} -retracted"), &ours, &go_ignoring[path]);
            let ours = latest_or_none(latest_allowed(&source, path).await, &mut latest, &what);
            latest.check(&what, &ours, &go_allowed[path]);
            check_majors(&source, path, &all, &go_allowed, &mut majors).await;
        }

        if tree.zips {
            let scratch = tempfile::tempdir().unwrap();
            let downloaded = go_json_in(
                scratch.path(),
                &tree.root,
                &args(
                    &["mod", "download", "-json"],
                    modules.iter().map(|(p, v)| format!("{p}@{v}")),
                ),
            );
            for ((path, version), object) in modules.iter().zip(&downloaded) {
                let dir = Path::new(object["Dir"].as_str().expect("downloaded"));
                let go_has = dir.join("go.mod").is_file();
                let ours = has_own_go_mod(&source, path, version).await.unwrap();
                let module_line_only = std::fs::read(dir.join("go.mod"))
                    .is_ok_and(|d| d == format!("module {path}\n").into_bytes());
                if go_has && !ours && module_line_only {
                    bare.push(format!("{path}@{version}"));
                    continue;
                }
                gomods.check(&format!("{path}@{version} has go.mod"), &ours, &go_has);
            }
        }
    }
    for (name, t) in [
        ("Retracted/Deprecated", &notes),
        ("latest versions", &latest),
        ("go.mod presence", &gomods),
        ("other majors", &majors),
    ] {
        println!("{name}: {}/{} identical", t.same, t.total);
        assert!(t.diffs.is_empty(), "{name} differ:\n{}", t.diffs.join("\n"));
    }
    println!(
        "Retracted/Deprecated: {silent} of them without a tagged version (go: nothing; ours: NoLatest, unknown)"
    );
    println!(
        "go.mod presence: {} version(s) whose go.mod is only its module line read as synthesized, as go's versionHasGoMod reads them: {}",
        bare.len(),
        bare.join(", ")
    );
    assert_eq!(bare, ["meta.example/bare@v1.0.0"]);
}

/// Our other majors of `path` against the tree's paths of the same module
/// (what exists on the proxy), each with go's `@latest`.
async fn check_majors(
    source: &FileSource,
    path: &str,
    all: &BTreeMap<String, Vec<String>>,
    go_allowed: &BTreeMap<String, Option<String>>,
    tally: &mut Tally,
) {
    let family = Family::of(path).map(|f| f.0);
    let expected: Vec<(String, Option<String>)> = all
        .iter()
        .filter(|(p, vs)| {
            *p != path
                && Family::of(p).map(|f| f.0) == family
                && vs.iter().any(|v| !is_pseudo_version(v))
        })
        .map(|(p, _)| (p.clone(), go_allowed[p].clone()))
        .collect();
    let majors = other_majors(source, path).await.unwrap();
    assert!(majors.unchecked.is_empty(), "{path}: {majors:?}");
    let mut ours: Vec<(String, Option<String>)> = Vec::new();
    for m in majors.found {
        let latest = latest_or_none(m.latest, tally, &m.path);
        ours.push((m.path, latest));
    }
    ours.sort();
    tally.check(&format!("other majors of {path}"), &ours, &expected);
}

fn at(path: &str, version: &str) -> ModKey {
    ModKey {
        path: path.to_owned(),
        version: version.to_owned(),
    }
}

#[tokio::test]
async fn the_nearest_version_with_a_go_mod() {
    if !have_go() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let source = file_source(metadata_proxy(work.path()));
    let cases = [
        // Later versions of the same path first.
        (
            "meta.example/legacy2",
            "v1.0.0",
            Some(at("meta.example/legacy2", "v1.2.0")),
        ),
        // Then higher majors; missing /v2 and /v3 do not stop the search below v3.
        (
            "meta.example/incno",
            "v1.0.0",
            Some(at("meta.example/incno/v4", "v4.0.0")),
        ),
        (
            "meta.example/incno",
            "v3.0.0+incompatible",
            Some(at("meta.example/incno/v4", "v4.0.0")),
        ),
        // gopkg.in's .vN form.
        (
            "gopkg.in/thing.v1",
            "v1.0.0",
            Some(at("gopkg.in/thing.v2", "v2.0.0")),
        ),
        // +incompatible above a version with a go.mod of its own.
        ("meta.example/incgm", "v2.0.0+incompatible", None),
        // Known only by pseudo-versions: the one @latest names, or the list's newest.
        (
            "meta.example/pseudogm",
            "v0.0.0-20200101000000-aaaaaaaaaaaa",
            Some(at(
                "meta.example/pseudogm",
                "v0.0.0-20210101000000-bbbbbbbbbbbb",
            )),
        ),
        (
            "meta.example/pseudolist",
            "v0.0.0-20200101000000-aaaaaaaaaaaa",
            Some(at(
                "meta.example/pseudolist",
                "v0.0.0-20220101000000-cccccccccccc",
            )),
        ),
        // Known only by a pseudo-version, and nothing else of it exists.
        (
            "meta.example/pseudo",
            "v0.0.0-20200101000000-aaaaaaaaaaaa",
            None,
        ),
    ];
    for (path, version, want) in &cases {
        assert!(
            !has_own_go_mod(&source, path, version).await.unwrap(),
            "{path}@{version}"
        );
        let got = nearest_with_go_mod(&source, path, version).await.unwrap();
        assert_eq!(&got.found, want, "{path}@{version}");
        assert!(got.unchecked.is_empty(), "{path}@{version}: {got:?}");
    }
    // A retracted version is never suggested: legacy2/v2's v2.1.0 retracts itself.
    let got = nearest_with_go_mod(&source, "meta.example/legacy2", "v1.2.0")
        .await
        .unwrap();
    assert_eq!(got.found, Some(at("meta.example/legacy2/v2", "v2.0.0")));
    println!(
        "nearest version with a go.mod: {}/{} as expected",
        cases.len() + 1,
        cases.len() + 1
    );
}

const LIST: &str = "example.com/m/@v/list";

/// A proxy serving `example.com/m` v1.0.0 and v1.1.0, and our source over it.
async fn misbehaving() -> (TestProxy, impl ModuleSource, tempfile::TempDir) {
    let proxy = TestProxy::start().await;
    proxy
        .module("example.com/m", "v1.0.0", "module example.com/m\n")
        .module(
            "example.com/m",
            "v1.1.0",
            "module example.com/m\n\nretract v1.0.0\n",
        );
    let cache = tempfile::tempdir().unwrap();
    let source = crate::http::source(&proxy.url, "", cache.path(), GoModSums::new());
    (proxy, source, cache)
}

fn fetch_kind(e: &MetadataError) -> Option<FetchErrorKind> {
    match e {
        MetadataError::Fetch(f) => Some(f.kind),
        _ => None,
    }
}

#[tokio::test]
async fn a_failing_proxy_makes_the_answer_unknown() {
    for (file, status, kind) in [
        (LIST.to_owned(), 404, FetchErrorKind::NotFound),
        (LIST.to_owned(), 410, FetchErrorKind::Gone),
        (LIST.to_owned(), 500, FetchErrorKind::Failed),
        (
            "example.com/m/@v/v1.1.0.mod".to_owned(),
            404,
            FetchErrorKind::NotFound,
        ),
        (
            "example.com/m/@v/v1.1.0.info".to_owned(),
            410,
            FetchErrorKind::Gone,
        ),
    ] {
        let (proxy, source, _cache) = misbehaving().await;
        proxy.always(&file, Fault::Status(status));
        let err = author_notes(&source, "example.com/m").await.unwrap_err();
        assert_eq!(fetch_kind(&err), Some(kind), "{file} {status}: {err}");
        let err = latest_allowed(&source, "example.com/m").await.unwrap_err();
        assert_eq!(fetch_kind(&err), Some(kind), "{file} {status}: {err}");
    }
    // Known only by pseudo-versions: the answer hangs on @latest.
    let proxy = TestProxy::start().await;
    proxy.file("example.com/p/@v/list", "");
    let cache = tempfile::tempdir().unwrap();
    let source = crate::http::source(&proxy.url, "", cache.path(), GoModSums::new());
    let err = author_notes(&source, "example.com/p").await.unwrap_err();
    assert!(
        matches!(err, MetadataError::NoLatest { .. }),
        "@latest 404 and nothing in the list: go finds no latest either ({err})"
    );
    proxy.always("example.com/p/@latest", Fault::Status(500));
    let err = author_notes(&source, "example.com/p").await.unwrap_err();
    assert_eq!(fetch_kind(&err), Some(FetchErrorKind::Failed), "{err}");
    println!(
        "retractions, deprecation, latest: 6/6 proxy failures answered as unknown, 1 as no latest"
    );
}

#[tokio::test]
async fn a_failing_proxy_never_passes_for_an_answer_about_go_mod_or_majors() {
    // The .mod of the version asked about fails: presence is unknown.
    let (proxy, source, _cache) = misbehaving().await;
    proxy
        .always("example.com/m/@v/v1.0.0.mod", Fault::Status(410))
        .always("example.com/m/@v/v1.1.0.mod", Fault::Status(410));
    let err = has_own_go_mod(&source, "example.com/m", "v1.0.0")
        .await
        .unwrap_err();
    assert_eq!(fetch_kind(&err), Some(FetchErrorKind::Gone));
    let err = nearest_with_go_mod(&source, "example.com/m", "v0.9.0")
        .await
        .unwrap_err();
    assert_eq!(fetch_kind(&err), Some(FetchErrorKind::Gone));

    // A major whose list fails (not 404/410) is unchecked, with its failure.
    let (proxy, source, _cache) = misbehaving().await;
    proxy.always("example.com/m/v2/@v/list", Fault::Status(500));
    let majors = other_majors(&source, "example.com/m").await.unwrap();
    assert!(majors.found.is_empty(), "{majors:?}");
    let unchecked: Vec<_> = majors
        .unchecked
        .iter()
        .map(|u| (u.path.as_str(), fetch_kind(&u.error)))
        .collect();
    assert_eq!(
        unchecked,
        [("example.com/m/v2", Some(FetchErrorKind::Failed))]
    );
    // 404 on /v2 is how the protocol says it does not exist.
    let (_proxy, source, _cache) = misbehaving().await;
    let majors = other_majors(&source, "example.com/m").await.unwrap();
    assert!(majors.found.is_empty() && majors.unchecked.is_empty());

    // The nearest version passes over a major it cannot read, and says so.
    let proxy = TestProxy::start().await;
    proxy
        .module("example.com/n", "v1.0.0", "module example.com/n\n")
        .module(
            "example.com/n",
            "v2.0.0+incompatible",
            "module example.com/n\n",
        )
        .module(
            "example.com/n/v3",
            "v3.0.0",
            "module example.com/n/v3\n\ngo 1.21\n",
        )
        .always("example.com/n/v2/@v/list", Fault::Status(500));
    let cache = tempfile::tempdir().unwrap();
    let source = crate::http::source(&proxy.url, "", cache.path(), GoModSums::new());
    let got = nearest_with_go_mod(&source, "example.com/n", "v1.0.0")
        .await
        .unwrap();
    assert_eq!(got.found, Some(at("example.com/n/v3", "v3.0.0")));
    let unchecked: Vec<_> = got
        .unchecked
        .iter()
        .map(|u| (u.path.as_str(), fetch_kind(&u.error)))
        .collect();
    assert_eq!(
        unchecked,
        [("example.com/n/v2", Some(FetchErrorKind::Failed))]
    );
    println!("go.mod presence and majors: 5/5 proxy failures answered as unknown or absent");
}

/// Well-known modules on the real proxy: deprecated, retracted,
/// `+incompatible`, without a go.mod, gopkg.in, several majors.
const REAL: &[&str] = &[
    "github.com/golang/protobuf@v1.5.0",
    "github.com/mattn/go-sqlite3@v2.0.3+incompatible",
    "github.com/dgrijalva/jwt-go@v3.2.0+incompatible",
    "github.com/satori/go.uuid@v1.2.0",
    "gopkg.in/yaml.v2@v2.4.0",
    "github.com/go-redis/redis/v8@v8.11.1",
    "github.com/gorilla/mux@v1.8.0",
    "github.com/sirupsen/logrus@v1.9.1",
];

#[tokio::test]
#[ignore = "needs the real module proxy (GOPROXY from `go env`)"]
async fn real_proxy_spot_check() {
    let goproxy = String::from_utf8(
        std::process::Command::new("go")
            .args(["env", "GOPROXY"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_owned();
    let scratch = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let source = crate::http::source(&goproxy, "", cache.path(), GoModSums::new());
    let real_go_json = |args: &[String]| {
        let mut env = hermetic_go_env(&goproxy, &scratch.path().join("mc"));
        env.insert("GOFLAGS".to_owned(), "-mod=mod -modcacherw".to_owned());
        let out = go(scratch.path(), &env, args);
        serde_json::Deserializer::from_slice(&out.stdout)
            .into_iter::<Value>()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
    };
    let listed = real_go_json(&args(
        &["list", "-e", "-m", "-u", "-retracted", "-json"],
        REAL.iter().map(|m| (*m).to_owned()),
    ));
    let mut tally = Tally::default();
    let mut unknown = 0;
    for (module, object) in REAL.iter().zip(&listed) {
        let (path, version) = module.split_once('@').unwrap();
        let ours = author_notes(&source, path).await.map(|n| {
            (
                n.retraction(version)
                    .map(|r| r.reasons())
                    .unwrap_or_default(),
                n.deprecated,
            )
        });
        tally.check(
            module,
            &ours.map_err(|e| e.to_string()),
            &Ok(go_notes(object)),
        );
        let majors = other_majors(&source, path).await.unwrap();
        let go_latest = real_go_json(&args(
            &["list", "-e", "-m", "-json"],
            majors.found.iter().map(|m| format!("{}@latest", m.path)),
        ));
        for (m, object) in majors.found.iter().zip(&go_latest) {
            let go = object["Error"]
                .is_null()
                .then(|| object["Version"].as_str().unwrap().to_owned());
            match &m.latest {
                Ok(v) => tally.check(&m.path, &Some(v.clone()), &go),
                Err(MetadataError::NoLatest { .. }) => tally.check(&m.path, &None, &go),
                Err(e) => panic!("{}: {e}", m.path),
            }
        }
        unknown += majors.unchecked.len();
        let nearest = if has_own_go_mod(&source, path, version).await.unwrap() {
            "has a go.mod".to_owned()
        } else {
            let nearest = nearest_with_go_mod(&source, path, version).await.unwrap();
            let unchecked: Vec<&String> = nearest.unchecked.iter().map(|u| &u.path).collect();
            format!(
                "nearest with a go.mod {:?}, unchecked {unchecked:?}",
                nearest.found
            )
        };
        println!(
            "{module}: other majors {:?}, unchecked {:?}; {nearest}",
            majors.found.iter().map(|m| &m.path).collect::<Vec<_>>(),
            majors.unchecked.iter().map(|u| &u.path).collect::<Vec<_>>()
        );
    }
    println!(
        "real proxy: {}/{} identical, {unknown} other major path(s) unknown",
        tally.same, tally.total
    );
    assert!(tally.diffs.is_empty(), "{}", tally.diffs.join("\n"));
}

/// The module `go build -mod=mod` adds for an import no requirement
/// provides (cmd/go `queryImport`): the longest prefix with a `latest`
/// version the main go.mod allows, retracted and excluded versions left
/// out. Each import is asked twice: as is, then with go's first pick
/// excluded. Compared with `go list -deps` on corpus/metadata's proxy.
#[tokio::test]
async fn the_module_added_for_a_missing_import_matches_the_go_command() {
    if !have_go() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let root = metadata_proxy(&work.path().join("metadata"));
    let source = file_source(&root);
    let imports = [
        // Its v1.0.0's go.mod holds only its module line: go counts it as none.
        "meta.example/bare",
        "meta.example/rt",
        "meta.example/rtpre",
        "meta.example/incno",
        "meta.example/incgm",
        "meta.example/legacy2",
        "meta.example/pseudolist",
        "gopkg.in/thing.v2",
    ];
    let mut compared = 0;
    for import in imports {
        let mut excludes = String::new();
        for _ in 0..2 {
            let dir = tempfile::tempdir().unwrap();
            let go_mod = format!("module example.com/main\n\ngo 1.21\n{excludes}");
            std::fs::write(dir.path().join("go.mod"), &go_mod).unwrap();
            std::fs::write(
                dir.path().join("main.go"),
                format!("package main\n\nimport _ \"{import}\"\n\nfunc main() {{}}\n"),
            )
            .unwrap();
            let env = hermetic_go_env(
                &format!("file://{}", root.display()),
                &dir.path().join("mc"),
            );
            go(dir.path(), &env, ["list", "-e", "-deps", "."]);
            let written = std::fs::read_to_string(dir.path().join("go.mod")).unwrap();
            let written = tykdeps_resolver::gomod::parse_mod(
                "go.mod",
                &written,
                tykdeps_resolver::gomod::Mode::Strict,
            )
            .unwrap();
            let go_added = written
                .require
                .iter()
                .find(|r| import.starts_with(&r.path))
                .map(|r| ModKey {
                    path: r.path.clone(),
                    version: r.version.clone(),
                });
            let main = tykdeps_resolver::gomod::parse_mod(
                "go.mod",
                &go_mod,
                tykdeps_resolver::gomod::Mode::Strict,
            )
            .unwrap();
            let ours = module_for_import(&source, import, &main).await;
            assert_eq!(ours, go_added, "{import} with {excludes:?}");
            compared += 1;
            let Some(picked) = go_added else { break };
            excludes = format!("{excludes}exclude {} {}\n", picked.path, picked.version);
        }
    }
    println!("module for a missing import: {compared}/{compared} as go adds it");
}
