//! `h1:` hashes against go's: go.sum lines of the real-world corpus (go.mod
//! files fetched live from proxy.golang.org through our source, with go.sum
//! verification on), and `go mod download -json`'s `GoModSum` and `Sum`.
// Oracle tests print what they compared.
#![allow(clippy::print_stdout)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use tykdeps_resolver::goenv::GoEnv;
use tykdeps_resolver::source::http::HttpOptions;
use tykdeps_resolver::source::verify::{
    EMPTY_GO_MOD_HASH, GoModSums, go_mod_hash, hash_dir, hash1, zip_hash,
};
use tykdeps_resolver::source::{ModuleSource, from_env};

use crate::support::{find_files, go, have_go, hermetic_go_env, shared_corpus};

/// How many corpus go.mod hashes the live test checks.
const SAMPLE: usize = 40;

/// Every `(path, version, hash)` of a go.sum line, `/go.mod` lines or zip lines.
fn sum_lines(corpus: &Path, go_mod_lines: bool) -> BTreeSet<(String, String, String)> {
    let mut lines = BTreeSet::new();
    for file in find_files(corpus, "go.sum") {
        for line in std::fs::read_to_string(file).unwrap().lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if let [path, version, hash] = f[..] {
                let (version, is_mod) = version
                    .strip_suffix("/go.mod")
                    .map_or((version, false), |v| (v, true));
                if is_mod == go_mod_lines {
                    lines.insert((path.to_owned(), version.to_owned(), hash.to_owned()));
                }
            }
        }
    }
    lines
}

#[test]
fn hash_basics() {
    assert_eq!(go_mod_hash(b""), EMPTY_GO_MOD_HASH);
    assert!(hash1([("a\nb", &b""[..])]).is_err());
    let forward = hash1([("m@v1/a", &b"1"[..]), ("m@v1/b", &b"2"[..])]).unwrap();
    let backward = hash1([("m@v1/b", &b"2"[..]), ("m@v1/a", &b"1"[..])]).unwrap();
    assert_eq!(forward, backward, "names are sorted before hashing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn go_mod_hashes_match_corpus_go_sum() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let all = sum_lines(&corpus, true);
    let entries: Vec<_> = all.iter().collect();
    let step = (entries.len() / SAMPLE).max(1);
    let mut sample: Vec<_> = entries.iter().step_by(step).take(SAMPLE).copied().collect();
    sample.extend(
        entries
            .iter()
            .filter(|(p, ..)| p.chars().any(|c| c.is_ascii_uppercase()))
            .take(5)
            .copied(),
    );
    sample.extend(
        entries
            .iter()
            .filter(|(_, v, _)| v.ends_with("+incompatible"))
            .take(3)
            .copied(),
    );

    let cache = tempfile::tempdir().unwrap();
    let vars: BTreeMap<String, String> = [
        ("GOPROXY", "https://proxy.golang.org"),
        ("GOMODCACHE", cache.path().to_str().unwrap()),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let env = GoEnv::new(&vars, &BTreeMap::new()).unwrap();
    let sums: GoModSums = all.iter().cloned().collect();
    let source = Arc::new(from_env(&env, sums, HttpOptions::default(), None, None).unwrap());
    let mut tasks = tokio::task::JoinSet::new();
    for (path, version, hash) in sample.iter().map(|&e| e.clone()) {
        let source = Arc::clone(&source);
        tasks.spawn(async move {
            let data = source.go_mod(&path, &version).await;
            (path, version, hash, data)
        });
    }
    let mut checked = 0;
    while let Some(done) = tasks.join_next().await {
        let (path, version, hash, data) = done.unwrap();
        let data = data.unwrap_or_else(|e| panic!("{path}@{version}: {e}"));
        assert_eq!(go_mod_hash(&data), hash, "{path}@{version}");
        checked += 1;
    }
    assert_eq!(checked, sample.len());
    println!(
        "go.mod h1: {checked}/{} corpus go.sum hashes identical (fetched from proxy.golang.org, go.sum check on)",
        sample.len()
    );
}

#[test]
fn zip_and_go_mod_hashes_match_go_mod_download() {
    if !have_go() {
        return;
    }
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let zips = sum_lines(&corpus, false);
    let modules = [
        (
            "github.com/pmezard/go-difflib",
            "v1.0.1-0.20181226105442-5d4384ee4fb2",
        ),
        ("github.com/stretchr/objx", "v0.5.2"),
        ("golang.org/x/xerrors", "v0.0.0-20240903120638-7835f813f4da"),
    ];
    let scratch = tempfile::tempdir().unwrap();
    let mut env = hermetic_go_env("https://proxy.golang.org", &scratch.path().join("mc"));
    // Writable extracted trees, so the temporary directory can be removed.
    env.insert("GOFLAGS".to_owned(), "-mod=mod -modcacherw".to_owned());
    for (path, version) in modules {
        let module = format!("{path}@{version}");
        let out = go(scratch.path(), &env, ["mod", "download", "-json", &module]);
        assert!(
            out.status.success(),
            "go mod download {module}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let go_mod = std::fs::read(json["GoMod"].as_str().unwrap()).unwrap();
        assert_eq!(
            go_mod_hash(&go_mod),
            json["GoModSum"].as_str().unwrap(),
            "{module} go.mod"
        );
        let dir_hash = hash_dir(Path::new(json["Dir"].as_str().unwrap()), &module).unwrap();
        assert_eq!(dir_hash, json["Sum"].as_str().unwrap(), "{module} tree");
        let zip = std::fs::read(json["Zip"].as_str().unwrap()).unwrap();
        assert_eq!(zip_hash(&zip).unwrap(), dir_hash, "{module} zip");
        let corpus_line = (path.to_owned(), version.to_owned(), dir_hash);
        assert!(
            zips.contains(&corpus_line),
            "{module}: the corpus go.sum has this exact zip hash"
        );
    }
    println!(
        "go mod download: {}/{} GoModSum and {}/{} Sum identical, from the tree and the zip (and equal to the corpus go.sum)",
        modules.len(),
        modules.len(),
        modules.len(),
        modules.len()
    );
}
