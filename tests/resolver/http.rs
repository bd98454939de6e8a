//! The HTTP GOPROXY client and the write-through cache, against local test
//! proxies that misbehave on demand: fallthrough across `,` and `|`, retries
//! counted from the server's log, errors naming module and URL, never wrong
//! data, private paths never sent, and a cache the go command reads back.
// Oracle tests print what they compared.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use tykdeps_resolver::goenv::GoEnv;
use tykdeps_resolver::source::cached::CachedSource;
use tykdeps_resolver::source::http::HttpOptions;
use tykdeps_resolver::source::verify::{GoModSums, go_mod_hash};
use tykdeps_resolver::source::{FetchErrorKind, ModuleSource, from_env};

use crate::support::http_proxy::{Fault, TestProxy};
use crate::support::{go, have_go, hermetic_go_env};

/// go's verdict on `module` through `goproxy`: `GoModSum` or its error text.
fn go_download(goproxy: &str, module: &str) -> Result<String, String> {
    let scratch = tempfile::tempdir().unwrap();
    let env = hermetic_go_env(goproxy, &scratch.path().join("mc"));
    let out = go(scratch.path(), &env, ["mod", "download", "-json", module]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    match json["GoModSum"].as_str() {
        Some(sum) => Ok(sum.to_owned()),
        None => Err(json["Error"].as_str().unwrap_or_default().to_owned()),
    }
}

const RETRIES: u32 = 2;
const MOD: &str = "example.com/m/@v/v1.0.0.mod";
const GO_MOD: &str = "module example.com/m\n\ngo 1.21\n";

/// Fast, bounded client settings: a hung server costs `read_timeout` per attempt.
pub(crate) fn options() -> HttpOptions {
    HttpOptions {
        max_concurrency: 4,
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_millis(400),
        retries: RETRIES,
        backoff: Duration::from_millis(1),
        system_roots: None,
        in_flight: std::sync::Arc::default(),
    }
}

pub(crate) fn source(
    goproxy: &str,
    goprivate: &str,
    cache: &Path,
    sums: GoModSums,
) -> CachedSource {
    let vars: BTreeMap<String, String> = [
        ("GOPROXY", goproxy),
        ("GOPRIVATE", goprivate),
        ("GOMODCACHE", cache.to_str().unwrap()),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let env = GoEnv::new(&vars, &BTreeMap::new()).unwrap();
    from_env(&env, sums, options(), None, None).unwrap()
}

async fn proxy_with_module() -> TestProxy {
    let proxy = TestProxy::start().await;
    proxy.module("example.com/m", "v1.0.0", GO_MOD);
    proxy
}

#[tokio::test]
async fn not_found_and_gone_fall_through_a_comma() {
    let (empty, gone, good) = (
        TestProxy::start().await,
        TestProxy::start().await,
        proxy_with_module().await,
    );
    gone.always(MOD, Fault::Status(410));
    let cache = tempfile::tempdir().unwrap();
    let chain = format!("{},{},{}", empty.url, gone.url, good.url);
    let s = source(&chain, "", cache.path(), GoModSums::new());
    assert_eq!(
        s.go_mod("example.com/m", "v1.0.0").await.unwrap(),
        GO_MOD.as_bytes()
    );
    assert_eq!(
        (empty.hits(MOD), gone.hits(MOD), good.hits(MOD)),
        (1, 1, 1),
        "404 and 410 are not retried"
    );

    let missing = s.go_mod("example.com/m", "v9.0.0").await.unwrap_err();
    assert_eq!(missing.kind, FetchErrorKind::NotFound);
    assert_eq!(missing.module, "example.com/m@v9.0.0");
    assert_eq!(
        missing.detail,
        format!(
            "reading {}/example.com/m/@v/v9.0.0.mod: 404 Not Found\n\tserver response: status 404",
            good.url
        )
    );
    println!("404/410 fallthrough: 3 proxies asked once each; not-found names the last proxy");
}

#[tokio::test]
async fn server_errors_stop_at_a_comma_after_retries() {
    let (bad, good) = (proxy_with_module().await, proxy_with_module().await);
    bad.always(MOD, Fault::Status(500));
    let cache = tempfile::tempdir().unwrap();
    let s = source(
        &format!("{},{}", bad.url, good.url),
        "",
        cache.path(),
        GoModSums::new(),
    );
    let e = s.go_mod("example.com/m", "v1.0.0").await.unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::Failed);
    assert_eq!(e.module, "example.com/m@v1.0.0");
    assert_eq!(
        e.detail,
        format!(
            "reading {}/{MOD}: 500 Internal Server Error\n\tserver response: status 500",
            bad.url
        )
    );
    assert_eq!(bad.hits(MOD), 1 + RETRIES as usize);
    assert!(
        good.log().is_empty(),
        "no fallthrough after ',' on a server error"
    );
    println!(
        "500 at ',': {} attempts, next proxy untouched",
        bad.hits(MOD)
    );
}

#[tokio::test]
async fn any_error_falls_through_a_pipe() {
    let (bad, good) = (proxy_with_module().await, proxy_with_module().await);
    bad.always(MOD, Fault::Status(503));
    let cache = tempfile::tempdir().unwrap();
    let s = source(
        &format!("{}|{}", bad.url, good.url),
        "",
        cache.path(),
        GoModSums::new(),
    );
    assert_eq!(
        s.go_mod("example.com/m", "v1.0.0").await.unwrap(),
        GO_MOD.as_bytes()
    );
    assert_eq!((bad.hits(MOD), good.hits(MOD)), (1 + RETRIES as usize, 1));
}

#[tokio::test]
async fn transient_errors_are_retried_then_succeed() {
    let proxy = proxy_with_module().await;
    proxy
        .fault(MOD, Fault::Status(502), 1)
        .fault(MOD, Fault::Truncate, 1);
    let cache = tempfile::tempdir().unwrap();
    let s = source(&proxy.url, "", cache.path(), GoModSums::new());
    assert_eq!(
        s.go_mod("example.com/m", "v1.0.0").await.unwrap(),
        GO_MOD.as_bytes()
    );
    assert_eq!(proxy.hits(MOD), 3, "502, truncated body, then the file");
}

#[tokio::test]
async fn hung_and_truncated_answers_fail_clearly() {
    let proxy = proxy_with_module().await;
    proxy.always(MOD, Fault::Hang);
    let info = "example.com/m/@v/v1.0.0.info";
    proxy.always(info, Fault::Truncate);
    let cache = tempfile::tempdir().unwrap();
    let s = source(&proxy.url, "", cache.path(), GoModSums::new());
    let hung = s.go_mod("example.com/m", "v1.0.0").await.unwrap_err();
    assert_eq!(hung.kind, FetchErrorKind::Failed);
    assert!(
        hung.detail
            .starts_with(&format!("reading {}/{MOD}: ", proxy.url)),
        "{hung}"
    );
    assert!(hung.detail.contains("timed out"), "{hung}");
    let cut = s.info("example.com/m", "v1.0.0").await.unwrap_err();
    assert_eq!(cut.kind, FetchErrorKind::Failed);
    assert!(
        cut.detail
            .starts_with(&format!("reading {}/{info}: ", proxy.url)),
        "{cut}"
    );
    assert_eq!(
        (proxy.hits(MOD), proxy.hits(info)),
        (1 + RETRIES as usize, 1 + RETRIES as usize)
    );
    assert!(
        std::fs::read_dir(cache.path()).map_or(true, |mut d| d.next().is_none()),
        "nothing cached"
    );
    println!("timeout: {hung}\ntruncated: {cut}");
}

#[tokio::test]
async fn wrong_data_is_refused() {
    let proxy = proxy_with_module().await;
    proxy.always(
        "example.com/m/@v/v1.0.0.info",
        Fault::Body(br#"{"Version":"v1.1.0"}"#.to_vec()),
    );
    proxy.always(MOD, Fault::Body(b"module example.com/evil\n".to_vec()));
    let cache = tempfile::tempdir().unwrap();
    let sums: GoModSums = [(
        "example.com/m".to_owned(),
        "v1.0.0".to_owned(),
        go_mod_hash(GO_MOD.as_bytes()),
    )]
    .into_iter()
    .collect();
    let s = source(&proxy.url, "", cache.path(), sums);
    let info = s.info("example.com/m", "v1.0.0").await.unwrap_err();
    assert_eq!(info.kind, FetchErrorKind::Failed);
    assert!(
        info.detail
            .starts_with("proxy returned info for version v1.1.0 instead of requested version"),
        "{info}"
    );
    assert!(info.detail.contains(&proxy.url), "{info}");
    let tampered = s.go_mod("example.com/m", "v1.0.0").await.unwrap_err();
    assert_eq!(tampered.kind, FetchErrorKind::Tampered);
    assert_eq!(tampered.module, "example.com/m@v1.0.0");
    let (got, want) = (
        go_mod_hash(b"module example.com/evil\n"),
        go_mod_hash(GO_MOD.as_bytes()),
    );
    for needle in [got.as_str(), want.as_str(), "go.sum"] {
        assert!(
            tampered.detail.contains(needle),
            "{needle} missing from {tampered}"
        );
    }
    assert!(
        !cache
            .path()
            .join("cache/download/example.com/m/@v/v1.0.0.mod")
            .exists(),
        "tampered data is never cached"
    );
    println!("tampered: {tampered}");
}

#[tokio::test]
async fn private_paths_never_reach_a_proxy() {
    let (p1, p2) = (proxy_with_module().await, proxy_with_module().await);
    for p in [&p1, &p2] {
        p.module(
            "corp.example.com/secret/lib",
            "v1.0.0",
            "module corp.example.com/secret/lib\n",
        );
    }
    let cache = tempfile::tempdir().unwrap();
    let s = source(
        &format!("{}|{},off", p1.url, p2.url),
        "corp.example.com/secret",
        cache.path(),
        GoModSums::new(),
    );
    let private = "corp.example.com/secret/lib";
    let errors = [
        s.versions(private).await.unwrap_err(),
        s.info(private, "v1.0.0").await.unwrap_err(),
        s.go_mod(private, "v1.0.0").await.unwrap_err(),
    ];
    for e in &errors {
        assert_eq!(e.kind, FetchErrorKind::Private, "{e}");
        assert!(e.detail.contains("go mod download"), "{e}");
    }
    s.go_mod("example.com/m", "v1.0.0").await.unwrap();
    let log: Vec<String> = p1.log().into_iter().chain(p2.log()).collect();
    assert!(!log.is_empty());
    assert!(
        log.iter()
            .all(|t| !t.contains("corp") && !t.contains("secret")),
        "{log:?}"
    );
    println!(
        "privacy: {} requests logged, none names the private path",
        log.len()
    );
}

#[tokio::test]
async fn write_through_cache_is_read_by_go_and_by_us() {
    if !have_go() {
        return;
    }
    let proxy = proxy_with_module().await;
    proxy.module_escaped(
        "example.com/!upper",
        "v1.0.0-!r!c1",
        "v1.0.0-RC1",
        "module example.com/Upper\n",
    );
    let cache = tempfile::tempdir().unwrap();
    let s = source(&proxy.url, "", cache.path(), GoModSums::new());
    let wanted = [
        ("example.com/m", "v1.0.0"),
        ("example.com/Upper", "v1.0.0-RC1"),
    ];
    let mut ours = Vec::new();
    for (path, version) in wanted {
        let info = s.info(path, version).await.unwrap();
        ours.push((info, s.go_mod(path, version).await.unwrap()));
    }
    assert!(s.write_errors().is_empty(), "{:?}", s.write_errors());
    let sent = proxy.log().len();
    assert!(
        proxy.log().iter().any(|t| t.contains("%21upper")),
        "escaped paths go out as go sends them"
    );

    let env = hermetic_go_env("off", cache.path());
    let work = tempfile::tempdir().unwrap();
    for ((path, version), (info, go_mod)) in wanted.iter().zip(&ours) {
        let module = format!("{path}@{version}");
        let out = go(work.path(), &env, ["list", "-m", "-json", &module]);
        assert!(
            out.status.success(),
            "go list {module}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(listed["Version"], info.version.as_str());
        assert_eq!(listed["Time"], "2024-01-02T03:04:05Z");
        assert_eq!(
            std::fs::read(listed["GoMod"].as_str().unwrap()).unwrap(),
            *go_mod
        );
        let out = go(work.path(), &env, ["mod", "download", "-json", &module]);
        let downloaded: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            downloaded["GoModSum"],
            go_mod_hash(go_mod).as_str(),
            "{module}"
        );
    }
    let list = cache.path().join("cache/download/example.com/m/@v/list");
    assert_eq!(std::fs::read_to_string(list).unwrap(), "v1.0.0\n");
    let upper_list = cache
        .path()
        .join("cache/download/example.com/!upper/@v/list");
    assert_eq!(
        std::fs::read_to_string(upper_list).unwrap(),
        "",
        "go leaves upper-case versions out of list"
    );

    let again = source(&proxy.url, "", cache.path(), GoModSums::new());
    for ((path, version), (info, go_mod)) in wanted.iter().zip(&ours) {
        assert_eq!(again.info(path, version).await.unwrap(), *info);
        assert_eq!(again.go_mod(path, version).await.unwrap(), *go_mod);
    }
    assert_eq!(
        proxy.log().len(),
        sent,
        "the second run is served from the cache"
    );
    let offline = source("off", "", cache.path(), GoModSums::new());
    assert_eq!(
        offline.versions("example.com/m").await.unwrap(),
        ["v1.0.0"],
        "offline, versions come from the cache's list"
    );
    let missing = offline.go_mod("example.com/m", "v2.0.0").await.unwrap_err();
    assert_eq!(missing.kind, FetchErrorKind::Offline);
    assert_eq!(missing.detail, "module lookup disabled by GOPROXY=off");
    println!(
        "write-through: go list/mod download read 2/2 modules we cached; second run sent 0 requests"
    );
}

// Multi-threaded: the go command blocks this test's thread while it talks to
// the local proxy, which must keep serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_read_like_go_against_a_real_and_a_local_proxy() {
    if !have_go() {
        return;
    }
    let local = proxy_with_module().await;
    local.always("example.com/m/@v/v1.0.0.info", Fault::Status(403));
    let with_password = local.url.replace("http://", "http://user:secret@");
    let cases = [
        (with_password.as_str(), "example.com/m", "v1.0.0"),
        (
            "https://proxy.golang.org",
            "github.com/stretchr/objx",
            "v0.99.0",
        ),
        (
            "https://proxy.golang.org",
            "github.com/tyktech/surely-not-a-module",
            "v1.0.0",
        ),
        (local.url.as_str(), "example.com/m", "v1.0.0"),
        (local.url.as_str(), "example.com/none", "v1.0.0"),
    ];
    for (goproxy, path, version) in cases {
        let cache = tempfile::tempdir().unwrap();
        let s = source(goproxy, "", cache.path(), GoModSums::new());
        let ours = match s.info(path, version).await {
            Ok(_) => s.go_mod(path, version).await.map(|m| go_mod_hash(&m)),
            Err(e) => Err(e),
        };
        let ours = ours.map_err(|e| format!("{}: {}", e.module, e.detail));
        assert_eq!(
            ours,
            go_download(goproxy, &format!("{path}@{version}")),
            "{goproxy}"
        );
    }
    assert_eq!(
        local.log().len(),
        4,
        "only go's and our 403 and 404 requests went out, none with a password"
    );
    println!(
        "error texts: {}/{} identical to go mod download (proxy.golang.org and a local proxy)",
        cases.len(),
        cases.len()
    );
}

#[tokio::test]
async fn netrc_credentials_never_go_over_http() {
    let proxy = proxy_with_module().await;
    let host = proxy.url.trim_start_matches("http://");
    let netrc = format!("machine {host} login user password secret\n");
    let cache = tempfile::tempdir().unwrap();
    let vars: BTreeMap<String, String> = [
        ("GOPROXY", proxy.url.as_str()),
        ("GOMODCACHE", cache.path().to_str().unwrap()),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let env = GoEnv::new(&vars, &BTreeMap::new()).unwrap();
    let s = from_env(&env, GoModSums::new(), options(), Some(&netrc), None).unwrap();
    s.go_mod("example.com/m", "v1.0.0").await.unwrap();
    assert_eq!(proxy.log().len(), 1);
    assert!(
        proxy.authorizations().is_empty(),
        "{:?}",
        proxy.authorizations()
    );
}
