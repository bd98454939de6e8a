//! Our side of the version oracle: the answer `tykdeps_resolver::version`
//! gives to each question the Go program answered, in the Go program's
//! notation (`ok <value>` / `err <message>`, `-1`/`0`/`1`, `true`/`false`).

use std::cmp::Ordering;
use std::fmt::Display;

use tykdeps_resolver::version::pseudo::Timestamp;
use tykdeps_resolver::version::{escape, gover, module, pseudo, semver};

/// Our answer to x/mod function `function` (as the Go program names it)
/// applied to `input`.
pub(super) fn answer(function: &str, input: &[String]) -> String {
    let arg = |i: usize| input[i].as_str();
    match function {
        "semver.IsValid" => semver::is_valid(arg(0)).to_string(),
        "semver.Canonical" => semver::canonical(arg(0)).unwrap_or_default(),
        "semver.Prerelease" => semver::prerelease(arg(0)).to_owned(),
        "semver.Build" => semver::build(arg(0)).to_owned(),
        "semver.Major" => semver::major(arg(0)).to_owned(),
        "semver.MajorMinor" => semver::major_minor(arg(0)).into_owned(),
        "semver.Compare" => ordering(semver::compare(arg(0), arg(1))),
        "module.CanonicalVersion" => module::canonical_version(arg(0)).unwrap_or_default(),
        "module.IsPseudoVersion" => pseudo::is_pseudo_version(arg(0)).to_string(),
        "module.IsZeroPseudoVersion" => pseudo::is_zero_pseudo_version(arg(0)).to_string(),
        "module.PseudoVersionBase" => {
            result(pseudo::pseudo_version_base(arg(0)).map(Option::unwrap_or_default))
        }
        "module.PseudoVersionTime" => result(pseudo::pseudo_version_time(arg(0))),
        "module.PseudoVersionRev" => result(pseudo::pseudo_version_rev(arg(0))),
        "module.PseudoVersion" => {
            let time = Timestamp::parse_compact(arg(2)).expect("the request holds real times");
            pseudo::pseudo_version(arg(0), arg(1), time, arg(3))
        }
        "module.ZeroPseudoVersion" => pseudo::zero_pseudo_version(arg(0)),
        "module.EscapeVersion" => result(escape::escape_version(arg(0))),
        "module.UnescapeVersion" => result(escape::unescape_version(arg(0))),
        "module.EscapePath" => result(escape::escape_path(arg(0))),
        "module.UnescapePath" => result(escape::unescape_path(arg(0))),
        "module.CheckPath" => result(module::check_path(arg(0)).map(|()| "")),
        "module.CheckImportPath" => result(module::check_import_path(arg(0)).map(|()| "")),
        "module.CheckFilePath" => result(module::check_file_path(arg(0)).map(|()| "")),
        "module.SplitPathVersion" => match module::split_path_version(arg(0)) {
            Some((prefix, major)) => format!("{prefix}|{major}|true"),
            None => format!("{}||false", arg(0)),
        },
        "module.CheckPathMajor" => result(module::check_path_major(arg(0), arg(1)).map(|()| "")),
        "module.PathMajorPrefix" => module::path_major_prefix(arg(0))
            .unwrap_or("panic")
            .to_owned(),
        "module.MatchPrefixPatterns" => module::match_prefix_patterns(arg(0), arg(1)).to_string(),
        "gover.IsValid" => gover::is_valid(arg(0)).to_string(),
        "gover.Lang" => gover::lang(arg(0)).into_owned(),
        "gover.Compare" => ordering(gover::compare(arg(0), arg(1))),
        other => panic!("the version oracle answered {other}, which this test does not know"),
    }
}

fn ordering(order: Ordering) -> String {
    match order {
        Ordering::Less => "-1",
        Ordering::Equal => "0",
        Ordering::Greater => "1",
    }
    .to_owned()
}

fn result<T: Display, E: Display>(r: Result<T, E>) -> String {
    match r {
        Ok(value) => format!("ok {value}"),
        Err(e) => format!("err {e}"),
    }
}
