//! `GoEnv` against the go command: defaults, empty-means-unset, GOPRIVATE as the
//! default of GONOPROXY/GONOSUMDB, the user env file, GOPROXY list errors and
//! GOFLAGS errors, each compared with what `go env` / `go mod download` says.
// Oracle tests print what they compared.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;

use tykdeps_resolver::goenv::{
    GoEnv, GoEnvError, ModMode, ProxyEntry, Work, env_file_path, parse_env_file, parse_goflags,
    parse_proxy_list,
};

use crate::support::{go_clean_env, have_go};

fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The variables `go env -json` reports for `env`, run in a scratch directory.
fn go_env(env: &BTreeMap<String, String>, keys: &[&str]) -> BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let out = go_clean_env(dir.path(), env, ["env", "-json"].iter().chain(keys));
    assert!(
        out.status.success(),
        "go env: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Our reading of `env` (and the env file it points at), as `go env` would print it.
fn ours(env: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let file = env_file_path(env)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|t| parse_env_file(&t))
        .unwrap_or_default();
    let e = GoEnv::new(env, &file).unwrap();
    vars(&[
        ("GOPROXY", &e.goproxy),
        ("GOSUMDB", &e.gosumdb),
        ("GOPRIVATE", &e.goprivate),
        ("GONOPROXY", &e.gonoproxy),
        ("GONOSUMDB", &e.gonosumdb),
        ("GOINSECURE", &e.goinsecure),
        ("GOMODCACHE", &e.gomodcache().unwrap().display().to_string()),
    ])
}

#[test]
fn environment_matches_go_env() {
    if !have_go() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let home = scratch.path().join("home");
    let home = home.to_str().unwrap();
    let env_file = scratch.path().join("goenv");
    std::fs::write(
        &env_file,
        "GOPROXY=file:///srv/p|https://corp.example.com\nGOPRIVATE=corp.example.com\n# note\nlower=x\nGOINSECURE=*.lan\n",
    )
    .unwrap();
    let xdg = scratch.path().join("xdg");
    std::fs::create_dir_all(xdg.join("go")).unwrap();
    std::fs::write(xdg.join("go/env"), "GOSUMDB=off\nGONOSUMDB=a.example\n").unwrap();
    let env_file = env_file.to_str().unwrap();
    let xdg = xdg.to_str().unwrap();
    let cases = [
        vars(&[("HOME", home), ("GOENV", "off")]),
        vars(&[
            ("HOME", home),
            ("GOENV", "off"),
            ("GOPRIVATE", "corp.example.com,*.internal"),
            ("GONOPROXY", ""),
        ]),
        vars(&[
            ("HOME", home),
            ("GOENV", "off"),
            ("GOPRIVATE", "corp.example.com"),
            ("GONOPROXY", "none"),
        ]),
        vars(&[("HOME", home), ("GOENV", "off"), ("GOPATH", "/x/gp:/y/gp")]),
        vars(&[
            ("HOME", home),
            ("GOENV", "off"),
            ("GOMODCACHE", "/m/cache"),
            ("GOPROXY", ""),
        ]),
        vars(&[("HOME", home), ("GOENV", env_file), ("GOPROXY", "")]),
        vars(&[
            ("HOME", home),
            ("GOENV", env_file),
            ("GONOPROXY", "other.example"),
        ]),
        vars(&[("HOME", home), ("XDG_CONFIG_HOME", xdg), ("GOPROXY", "off")]),
    ];
    let keys = [
        "GOPROXY",
        "GOSUMDB",
        "GOPRIVATE",
        "GONOPROXY",
        "GONOSUMDB",
        "GOINSECURE",
        "GOMODCACHE",
    ];
    for env in &cases {
        assert_eq!(ours(env), go_env(env, &keys), "environment {env:?}");
    }
    let xdg_case = &cases[7];
    let go_file = go_env(xdg_case, &["GOENV"]).remove("GOENV").unwrap();
    assert_eq!(
        env_file_path(xdg_case).unwrap().display().to_string(),
        go_file
    );
    println!(
        "go env: {}/{} environments identical (7 variables each), GOENV path identical",
        cases.len(),
        cases.len()
    );
}

#[test]
fn proxy_list_shapes() {
    let list = parse_proxy_list(
        " https://a.example , b.example|file:///srv/p,direct,https://never",
        "",
    )
    .unwrap();
    let shape: Vec<(String, bool)> = list
        .iter()
        .map(|s| {
            let name = match &s.entry {
                ProxyEntry::Url(u) => u.url.clone(),
                other => format!("{other:?}"),
            };
            (name, s.fall_back_on_error)
        })
        .collect();
    let want = [
        ("https://a.example", false),
        ("https://b.example", true),
        ("file:///srv/p", false),
        ("Direct", false),
    ];
    let want: Vec<(String, bool)> = want.iter().map(|(n, f)| ((*n).to_owned(), *f)).collect();
    assert_eq!(shape, want);

    let private = parse_proxy_list("off", "corp.example.com").unwrap();
    assert_eq!(
        private.iter().map(|s| s.entry.clone()).collect::<Vec<_>>(),
        [ProxyEntry::NoProxy, ProxyEntry::Off]
    );
    let direct_only = parse_proxy_list("direct", "corp.example.com").unwrap();
    assert_eq!(
        direct_only.len(),
        1,
        "no noproxy entry before a lone direct"
    );

    let redacted = parse_proxy_list("https://u:secret@p.example/x", "").unwrap();
    let ProxyEntry::Url(u) = &redacted[0].entry else {
        panic!("a URL entry")
    };
    assert_eq!(u.redacted, "https://u:xxxxx@p.example/x");
}

/// GOPROXY values go rejects, with go's own error text from `go mod download`.
#[test]
fn proxy_list_errors_match_go() {
    if !have_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ",",
        " , | ",
        "/srv/proxy",
        "ftp://x.example",
        "file://host/x",
        "file:///x?q=1",
        "noproxy",
        "https://ok.example,bogus",
    ];
    for goproxy in cases {
        let ours = parse_proxy_list(goproxy, "")
            .expect_err(goproxy)
            .to_string();
        let env = vars(&[
            ("HOME", dir.path().to_str().unwrap()),
            ("GOENV", "off"),
            ("GOPROXY", goproxy),
            ("GOSUMDB", "off"),
            ("GOFLAGS", "-mod=mod"),
            ("GOMODCACHE", dir.path().join("mc").to_str().unwrap()),
        ]);
        let out = go_clean_env(
            dir.path(),
            &env,
            ["mod", "download", "-json", "example.com/m@v1.0.0"],
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let theirs = json["Error"].as_str().unwrap();
        assert_eq!(
            format!("example.com/m@v1.0.0: {ours}"),
            theirs,
            "GOPROXY={goproxy:?}"
        );
    }
    println!(
        "GOPROXY errors: {}/{} identical to go's",
        cases.len(),
        cases.len()
    );
}

#[test]
fn goflags_errors_match_go() {
    if !have_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/main\n\ngo 1.21\n",
    )
    .unwrap();
    let cases = ["'-mod=mod", "\"-x", "mod=mod", "-", "-mod=bogus"];
    for goflags in cases {
        let error = parse_goflags(goflags).expect_err(goflags);
        // go prefixes its start-up errors with "go: ", but not the -mod check.
        let want = match error {
            GoEnvError::ModFlag(_) => error.to_string(),
            _ => format!("go: {error}"),
        };
        let env = vars(&[
            ("HOME", dir.path().to_str().unwrap()),
            ("GOENV", "off"),
            ("GOFLAGS", goflags),
        ]);
        let out = go_clean_env(dir.path(), &env, ["list", "-m"]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(want, stderr.trim_end(), "GOFLAGS={goflags:?}");
    }
    let ok = parse_goflags(" -mod=vendor  '-modcacherw' -trimpath -mod=readonly").unwrap();
    assert_eq!(ok.mod_mode, Some(ModMode::Readonly));
    assert!(ok.modcacherw);
    assert_eq!(ok.flags.len(), 4);
    println!(
        "GOFLAGS errors: {}/{} identical to go's",
        cases.len(),
        cases.len()
    );
}

#[test]
fn env_file_and_unset_rules() {
    let file = parse_env_file(
        "GOPROXY=off\nGOPROXY=file:///a\n=x\n#GOPRIVATE=x\ngoprivate=y\nGOFLAGS='-mod=mod'\n",
    );
    assert_eq!(
        file,
        vars(&[("GOPROXY", "file:///a"), ("GOFLAGS", "'-mod=mod'")])
    );
    let env = GoEnv::new(&vars(&[("GOPROXY", ""), ("GOWORK", "off")]), &file).unwrap();
    assert_eq!(env.goproxy, "file:///a");
    assert_eq!(env.goflags.mod_mode, Some(ModMode::Mod));
    assert_eq!(env.work().unwrap(), &Work::Off);
    assert_eq!(env.gomodcache().unwrap_err(), GoEnvError::NoModCache);
    let relative = GoEnv::new(
        &vars(&[("GOMODCACHE", "rel/cache"), ("GOWORK", "go.work")]),
        &BTreeMap::new(),
    )
    .unwrap();
    assert!(matches!(
        relative.gomodcache(),
        Err(GoEnvError::RelativeModCache(_))
    ));
    assert_eq!(relative.work().unwrap_err(), GoEnvError::RelativeGoWork);
    assert!(relative.uses_netrc());
    assert_eq!(
        env_file_path(&vars(&[("GOENV", "off"), ("HOME", "/h")])),
        None
    );
}
