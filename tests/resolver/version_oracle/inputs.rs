//! What the version oracle asks: every version and path found in the real
//! module files of the shared corpus, plus generated cases aimed at the
//! corners of x/mod's grammar.
//!
//! Inputs are read from the corpus by splitting lines into words rather than
//! with our go.mod parser, so that a parser bug cannot hide inputs; any odd
//! word that slips in is just one more input both sides must agree on.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use super::cases::*;
use super::soup::Soup;
use crate::support;

/// The request the Go program reads: lists of inputs per kind of question.
#[derive(Debug, Default, Serialize)]
pub(super) struct Request {
    pub(super) versions: Vec<String>,
    pub(super) pairs: Vec<[String; 2]>,
    pub(super) paths: Vec<String>,
    pub(super) path_majors: Vec<[String; 2]>,
    pub(super) globs: Vec<[String; 2]>,
    pub(super) gover: Vec<String>,
    pub(super) gover_pairs: Vec<[String; 2]>,
    pub(super) pseudo_builds: Vec<[String; 4]>,
}

/// Inputs gathered from module files, before pairing.
#[derive(Default)]
struct Found {
    versions: BTreeSet<String>,
    paths: BTreeSet<String>,
    gover: BTreeSet<String>,
    /// (path, version) as required or summed together.
    modules: BTreeSet<(String, String)>,
}

/// Build the whole request; `corpus` is the shared corpus, if present.
pub(super) fn request(corpus: Option<&Path>) -> Request {
    let mut found = Found::default();
    if let Some(dir) = corpus {
        read_corpus(dir, &mut found);
    }
    let mut soup = Soup::new();
    found.versions.extend(generated_versions());
    found.versions.extend(soup.versions(3000));
    found.paths.extend(generated_paths());
    found.paths.extend(soup.paths(2000));
    found.gover.extend(GO_VERSIONS.map(str::to_owned));
    // go/version cuts a "-suffix" that cmd/go's gover would reject.
    let curated_gover: Vec<String> = found
        .gover
        .iter()
        .filter(|g| !g.contains('-'))
        .cloned()
        .collect();
    found.gover.extend(soup.go_versions(500));
    let versions: Vec<String> = found.versions.into_iter().collect();
    let paths: Vec<String> = found.paths.into_iter().collect();
    let gover: Vec<String> = found
        .gover
        .into_iter()
        .filter(|g| !g.contains('-'))
        .collect();
    let mut globs = globs(&paths);
    globs.extend(soup.globs(&paths, 3000));
    let mut gover_pairs = all_pairs(&curated_gover);
    gover_pairs.extend(neighbour_pairs(&gover));
    Request {
        pairs: version_pairs(&versions),
        path_majors: path_majors(&found.modules, &versions),
        globs,
        gover_pairs,
        pseudo_builds: pseudo_builds(),
        versions,
        paths,
        gover,
    }
}

fn read_corpus(dir: &Path, found: &mut Found) {
    for name in ["go.sum", "go.work.sum"] {
        for file in support::find_files(dir, name) {
            let text = std::fs::read_to_string(&file).expect("corpus files are readable");
            for line in text.lines() {
                let words: Vec<&str> = line.split_whitespace().collect();
                if let [path, version, ..] = words[..] {
                    let version = version.strip_suffix("/go.mod").unwrap_or(version);
                    found.paths.insert(path.to_owned());
                    found.versions.insert(version.to_owned());
                    found.modules.insert((path.to_owned(), version.to_owned()));
                }
            }
        }
    }
    for name in ["go.mod", "go.work"] {
        for file in support::find_files(dir, name) {
            let text = std::fs::read_to_string(&file).expect("corpus files are readable");
            text.lines().for_each(|line| read_mod_line(line, found));
        }
    }
}

/// Sort the words of a go.mod or go.work line into versions, paths and Go
/// versions, pairing each path with the version after it.
fn read_mod_line(line: &str, found: &mut Found) {
    const KEYWORDS: [&str; 12] = [
        "module", "require", "replace", "exclude", "retract", "godebug", "tool", "ignore", "use",
        "(", ")", "=>",
    ];
    let line = line.split("//").next().unwrap_or("");
    let words: Vec<&str> = line
        .split_whitespace()
        .map(|w| w.trim_matches('"'))
        .collect();
    match words[..] {
        ["go", v] => {
            found.gover.insert(v.to_owned());
        }
        ["toolchain", name] => {
            found.gover.insert(name.trim_start_matches("go").to_owned());
        }
        _ => {
            let mut last_path = None;
            for word in words.into_iter().filter(|w| !KEYWORDS.contains(w)) {
                if word.starts_with('v') && word[1..].starts_with(|c: char| c.is_ascii_digit()) {
                    found.versions.insert(word.to_owned());
                    if let Some(path) = last_path.take() {
                        found.modules.insert((path, word.to_owned()));
                    }
                } else {
                    found.paths.insert(word.to_owned());
                    last_path = Some(word.to_owned());
                }
            }
        }
    }
}

fn generated_versions() -> Vec<String> {
    let mut out = Vec::new();
    for major in NUMBERS {
        out.push(format!("v{major}"));
        for minor in NUMBERS {
            out.extend([
                format!("v{major}.{minor}"),
                format!("v{major}.{minor}-pre"),
                format!("v{major}.{minor}+meta"),
            ]);
        }
    }
    for (a, b, c) in TRIPLES {
        for pre in PRERELEASES {
            out.extend(
                BUILDS
                    .iter()
                    .map(|build| format!("v{a}.{b}.{c}{pre}{build}")),
            );
        }
    }
    for base in PSEUDO_BASES {
        for stamp in STAMPS {
            for rev in REVS {
                out.extend(
                    ["", "+incompatible", "+meta"]
                        .map(|build| format!("{base}{stamp}-{rev}{build}")),
                );
            }
        }
    }
    out.extend(ODD_VERSIONS.map(str::to_owned));
    out
}

fn generated_paths() -> Vec<String> {
    let mut out: Vec<String> = ODD_PATHS.map(str::to_owned).to_vec();
    for first in FIRST_ELEMENTS {
        out.push(first.to_owned());
        for elem in ELEMENTS {
            out.extend([
                format!("{first}/{elem}"),
                format!("{first}/{elem}/y"),
                format!("{first}/m/{elem}"),
            ]);
        }
    }
    out
}

/// Neighbours in string order and a fixed scramble of the list, plus every
/// pair of a set chosen to exercise the precedence rules.
fn version_pairs(versions: &[String]) -> Vec<[String; 2]> {
    let mut pairs = neighbour_pairs(versions);
    pairs.extend(all_pairs(&ORDERING.map(str::to_owned)));
    pairs
}

/// Each item with the next in sorted order (near-equal strings) and with a
/// fixed scramble of the list.
fn neighbour_pairs(items: &[String]) -> Vec<[String; 2]> {
    let n = items.len();
    (0..n)
        .flat_map(|i| {
            [
                [items[i].clone(), items[(i + 1) % n].clone()],
                [items[i].clone(), items[(i * 7919 + 13) % n].clone()],
            ]
        })
        .collect()
}

fn all_pairs(items: &[String]) -> Vec<[String; 2]> {
    items
        .iter()
        .flat_map(|a| items.iter().map(move |b| [a.clone(), b.clone()]))
        .collect()
}

/// Every (version, path major) met in the corpus, and a cross product of
/// awkward versions and suffixes.
fn path_majors(modules: &BTreeSet<(String, String)>, versions: &[String]) -> Vec<[String; 2]> {
    let mut out: BTreeSet<[String; 2]> = modules
        .iter()
        .filter_map(|(path, version)| {
            let (_, major) = tykdeps_resolver::version::module::split_path_version(path)?;
            Some([version.clone(), major.to_owned()])
        })
        .collect();
    let chosen = versions
        .iter()
        .filter(|v| v.len() < 12 || v.starts_with("v0.0.0-2019") || v.ends_with("+incompatible"));
    for version in chosen.take(400) {
        for major in MAJORS {
            out.insert([version.clone(), major.to_owned()]);
        }
    }
    out.into_iter().collect()
}

fn globs(paths: &[String]) -> Vec<[String; 2]> {
    let mut targets = TARGETS.to_vec();
    targets.extend(paths.iter().step_by(37).map(String::as_str));
    PATTERNS
        .iter()
        .flat_map(|p| {
            targets
                .iter()
                .map(move |t| [(*p).to_owned(), (*t).to_owned()])
        })
        .collect()
}

fn pseudo_builds() -> Vec<[String; 4]> {
    let mut out = Vec::new();
    for major in ["", "v0", "v1", "v2", "v10"] {
        for older in OLDER_TAGS {
            for stamp in ["20191109021931", "00010101000000"] {
                out.push([major, older, stamp, "abcdef123456"].map(str::to_owned));
            }
        }
    }
    out
}
