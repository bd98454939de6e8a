//! File proxies, the module cache and the GOPROXY chain, checked against the go
//! command on the same `file://` trees: for each GOPROXY/GOPRIVATE setting, the
//! same modules are found, and failures carry go's own error text.
// Oracle tests print what they compared.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;

use tykdeps_resolver::goenv::GoEnv;
use tykdeps_resolver::source::chain::Chain;
use tykdeps_resolver::source::file::file_source;
use tykdeps_resolver::source::modcache::ModCache;
use tykdeps_resolver::source::{FetchError, FetchErrorKind, ModuleSource};

use crate::support::{file_proxy, go, have_go, hermetic_go_env};

fn env_of(pairs: &[(&str, &str)]) -> GoEnv {
    let vars: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    GoEnv::new(&vars, &BTreeMap::new()).unwrap()
}

/// A chain whose entries are all `file://` (any other entry is a test bug).
fn file_chain(env: &GoEnv) -> Chain {
    Chain::new(env, &|url| panic!("no HTTP in this test: {}", url.url)).unwrap()
}

/// What `go mod download` does first: `.info`, then `.mod`.
async fn fetch_like_go(
    source: &dyn ModuleSource,
    path: &str,
    version: &str,
) -> Result<Vec<u8>, FetchError> {
    source.info(path, version).await?;
    source.go_mod(path, version).await
}

/// go's result for `path@version`: `Ok` if it got the go.mod (`GoModSum`),
/// else its error text.
fn go_download(goproxy: &str, goprivate: &str, module: &str) -> Result<(), String> {
    let scratch = tempfile::tempdir().unwrap();
    let mut env = hermetic_go_env(goproxy, &scratch.path().join("mc"));
    env.insert("GOPRIVATE".to_owned(), goprivate.to_owned());
    let out = go(scratch.path(), &env, ["mod", "download", "-json", module]);
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("go mod download -json prints JSON");
    if json.get("GoModSum").is_some() {
        Ok(())
    } else {
        Err(json["Error"].as_str().unwrap_or_default().to_owned())
    }
}

#[tokio::test]
async fn chain_routing_matches_go() {
    if !have_go() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let empty = scratch.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let e = format!("file://{}", empty.display());
    let a = file_proxy(
        &scratch.path().join("a"),
        &[
            ("example.com/a", "v1.0.0", "module example.com/a\n"),
            ("corp.invalid/p", "v1.0.0", "module corp.invalid/p\n"),
        ],
    );
    let b = file_proxy(
        &scratch.path().join("b"),
        &[("example.com/b", "v1.0.0", "module example.com/b\n")],
    );
    // A directory name with a space, written percent-encoded in the URL.
    let spaced = file_proxy(
        &scratch.path().join("with space"),
        &[("example.com/a", "v1.0.0", "module example.com/a\n")],
    )
    .replace(' ', "%20");
    let cases: Vec<(String, &str, &str)> = vec![
        (a.clone(), "", "example.com/a"),
        (spaced, "", "example.com/a"),
        (e.clone(), "", "example.com/a"),
        (format!("{e},{a}"), "", "example.com/a"),
        (format!("{e}|{a}"), "", "example.com/a"),
        (format!("{a},{b}"), "", "example.com/b"),
        (format!("{e},off"), "", "example.com/a"),
        (format!("off,{a}"), "", "example.com/a"),
        (format!("{e},{b}"), "", "example.com/a"),
        (format!("{e}, ,{b},direct"), "", "example.com/b"),
        (a.clone(), "corp.invalid", "corp.invalid/p"),
        (a.clone(), "corp.invalid", "example.com/a"),
        (format!("{a},off"), "*.invalid", "corp.invalid/p"),
        ("off".to_owned(), "corp.invalid", "corp.invalid/p"),
    ];
    let mut same_text = 0;
    for (goproxy, goprivate, path) in &cases {
        let env = env_of(&[
            ("GOPROXY", goproxy),
            ("GOPRIVATE", goprivate),
            ("GOMODCACHE", "/unused"),
        ]);
        let ours = fetch_like_go(&file_chain(&env), path, "v1.0.0").await;
        let theirs = go_download(goproxy, goprivate, &format!("{path}@v1.0.0"));
        let case = format!("GOPROXY={goproxy} GOPRIVATE={goprivate} {path}");
        match (&ours, &theirs) {
            (Ok(_), Ok(())) => {}
            (Err(e), Err(_)) if e.kind == FetchErrorKind::Private => {
                assert!(!goprivate.is_empty(), "{case}: private without GOPRIVATE");
            }
            (Err(e), Err(text)) => {
                assert_eq!(&format!("{}: {}", e.module, e.detail), text, "{case}");
                same_text += 1;
            }
            _ => panic!("{case}: ours {ours:?}, go {theirs:?}"),
        }
    }
    println!(
        "GOPROXY routing: {}/{} cases agree with go mod download ({same_text} error texts identical)",
        cases.len(),
        cases.len()
    );
}

#[tokio::test]
async fn module_cache_reads_what_go_wrote() {
    if !have_go() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let pseudo = "v0.0.0-20240102030405-abcdefabcdef";
    let proxy = file_proxy(
        scratch.path(),
        &[
            (
                "example.com/Upper",
                "v1.0.0-RC1",
                "module example.com/Upper
",
            ),
            (
                "example.com/m",
                "v1.2.0",
                "module example.com/m

go 1.21
",
            ),
            (
                "example.com/m",
                "v1.10.0",
                "module example.com/m

go 1.22
",
            ),
            (
                "example.com/m",
                pseudo,
                "module example.com/m
",
            ),
        ],
    );
    let cache = scratch.path().join("mc");
    let env = hermetic_go_env(&proxy, &cache);
    for module in [
        "example.com/Upper@v1.0.0-RC1",
        "example.com/m@v1.10.0",
        "example.com/m@v1.2.0",
        &format!("example.com/m@{pseudo}"),
    ] {
        go(scratch.path(), &env, ["mod", "download", "-json", module]);
    }
    let source = ModCache::new(&cache);
    assert_eq!(
        source.versions("example.com/m").await.unwrap(),
        ["v1.2.0", "v1.10.0"]
    );
    let upper = source
        .go_mod("example.com/Upper", "v1.0.0-RC1")
        .await
        .unwrap();
    assert_eq!(upper, b"module example.com/Upper\n");
    assert_eq!(
        source.info("example.com/m", pseudo).await.unwrap().version,
        pseudo
    );
    let missing = source.go_mod("example.com/m", "v9.0.0").await.unwrap_err();
    assert_eq!(missing.kind, FetchErrorKind::Offline);

    // A stale vgo-era go.mod counts as absent, as in go's readDiskGoMod.
    let stale = source.dir().join("example.com/m/@v/v1.2.0.mod");
    std::fs::write(&stale, "//vgo 0.0.4\nmodule example.com/m\n").unwrap();
    assert_eq!(
        source
            .go_mod("example.com/m", "v1.2.0")
            .await
            .unwrap_err()
            .kind,
        FetchErrorKind::Offline
    );
    println!("module cache: read 4 versions go downloaded (upper-case and pseudo included)");
}

#[tokio::test]
async fn vendor_mode_disables_lookups() {
    let env = env_of(&[
        ("GOPROXY", "file:///nowhere"),
        ("GOFLAGS", "-mod=vendor"),
        ("GOMODCACHE", "/unused"),
    ]);
    let e = file_chain(&env)
        .go_mod("example.com/a", "v1.0.0")
        .await
        .unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::Offline);
    assert_eq!(e.detail, "module lookup disabled by -mod=vendor");
}

#[tokio::test]
async fn file_proxy_answers() {
    let scratch = tempfile::tempdir().unwrap();
    file_proxy(
        scratch.path(),
        &[(
            "example.com/m",
            "v1.0.0",
            "module example.com/m
",
        )],
    );
    let root = scratch.path().join("proxy");
    let dir = root.join("example.com/m/@v");
    std::fs::write(dir.join("list"), "v1.0.0\nv0.9.0 2020-01-01T00:00:00Z\nbad\nv1.1.0-0.20240102030405-abcdefabcdef\nv1.0.0-pre\n").unwrap();
    std::fs::write(dir.join("v1.5.0.info"), r#"{"Version":"v1.0.0"}"#).unwrap();
    std::fs::write(dir.join("v3.0.0.info"), "{not json").unwrap();
    let source = file_source(&root);
    assert_eq!(
        source.versions("example.com/m").await.unwrap(),
        ["v0.9.0", "v1.0.0-pre", "v1.0.0"]
    );
    let wrong = source.info("example.com/m", "v1.5.0").await.unwrap_err();
    assert_eq!(wrong.kind, FetchErrorKind::Failed);
    assert!(
        wrong
            .detail
            .contains("proxy returned info for version v1.0.0 instead of requested version"),
        "{wrong}"
    );
    // go enforces the version only when it fits the path (v2+ needs /v2).
    std::fs::write(dir.join("v2.0.0.info"), r#"{"Version":"v1.0.0"}"#).unwrap();
    assert_eq!(
        source
            .info("example.com/m", "v2.0.0")
            .await
            .unwrap()
            .version,
        "v1.0.0"
    );
    let bad = source.info("example.com/m", "v3.0.0").await.unwrap_err();
    assert!(
        bad.detail
            .starts_with("invalid response from proxy \"file://"),
        "{bad}"
    );
    let not_canonical = source.go_mod("example.com/m", "v1.0").await.unwrap_err();
    assert_eq!(not_canonical.kind, FetchErrorKind::Failed);
}
