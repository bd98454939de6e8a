//! GOPRIVATE-style pattern lists at scale: thousands of (pattern list, module
//! path) pairs built the way people write GOPRIVATE, GONOPROXY and GONOSUMDB
//! (and get them wrong): host globs, element globs, classes, trailing and
//! doubled slashes, empty list entries, stray commas and spaces, upper case,
//! leading and trailing dots. A private path answered "public" would be sent
//! to a public proxy, so this is the matcher's largest comparison.

use super::soup::Soup;

/// Hosts module paths start with, awkward ones included.
#[rustfmt::skip]
const HOSTS: [&str; 14] = [
    "github.com", "gitlab.com", "corp.example.com", "git.corp.example.com", "example.com", "golang.org",
    "gopkg.in", "lab.example", "Corp.Example.com", "corp.example.com.evil", "localhost", "a.b", "é.example",
    "github.com.",
];

/// Path elements after the host.
#[rustfmt::skip]
const ELEMENTS: [&str; 18] = [
    "org", "Org", "team", "repo", "x", "v2", "sub.dir", ".hidden", "a-b", "a_b", "~x", "é", "TykTechnologies",
    "tyk", "plugin", "internal", "*", "",
];

/// Ways of turning one element of a path into one element of a pattern.
#[derive(Clone, Copy)]
enum Twist {
    Keep,
    Star,
    StarPrefix,
    StarSuffix,
    Question,
    Class,
    NegatedClass,
    Upper,
    Escaped,
    Broken,
}

const TWISTS: [Twist; 10] = [
    Twist::Keep,
    Twist::Star,
    Twist::StarPrefix,
    Twist::StarSuffix,
    Twist::Question,
    Twist::Class,
    Twist::NegatedClass,
    Twist::Upper,
    Twist::Escaped,
    Twist::Broken,
];

/// `count` (pattern list, module path) pairs from a fixed seed.
pub(super) fn pairs(count: usize) -> Vec<[String; 2]> {
    let mut soup = Soup::seeded(0x5EED_0F60_1A7E);
    (0..count)
        .map(|_| {
            let target = path(&mut soup);
            // Most patterns are drawn from the path itself, so that many match.
            let entries = 1 + soup.below(3);
            let list: Vec<String> = (0..entries)
                .map(|_| {
                    let source = if soup.below(4) == 0 {
                        path(&mut soup)
                    } else {
                        target.clone()
                    };
                    pattern_from(&mut soup, &source)
                })
                .collect();
            [join(&mut soup, &list), target]
        })
        .collect()
}

/// A module path: a host and up to four elements, sometimes with an empty
/// element or a trailing slash.
fn path(soup: &mut Soup) -> String {
    let mut out = (*soup.pick(&HOSTS)).to_owned();
    for _ in 0..soup.below(5) {
        let element = *soup.pick(&ELEMENTS);
        out.push('/');
        out.push_str(element);
    }
    if soup.below(10) == 0 {
        out.push('/');
    }
    out
}

/// A pattern made from the leading elements of `path`, each twisted, with
/// the odd trailing slash, doubled slash or surrounding space.
fn pattern_from(soup: &mut Soup, path: &str) -> String {
    let elements: Vec<&str> = path.split('/').collect();
    let keep = 1 + soup.below(elements.len());
    let mut twisted: Vec<String> = elements[..keep]
        .iter()
        .map(|e| {
            let how = pick_twist(soup);
            twist(soup, e, how)
        })
        .collect();
    match soup.below(12) {
        0 => twisted.push(String::new()),
        1 => twisted.insert(1.min(twisted.len()), String::new()),
        2 => twisted.push("*".to_owned()),
        _ => {}
    }
    let mut pattern = twisted.join("/");
    match soup.below(16) {
        0 => pattern.insert(0, ' '),
        1 => pattern.push(' '),
        2 => pattern.insert(0, '/'),
        3 => pattern.insert_str(0, "*."),
        4 => pattern.push('.'),
        _ => {}
    }
    pattern
}

fn pick_twist(soup: &mut Soup) -> Twist {
    // Keep most elements as they are, or few patterns would match at all.
    if soup.below(2) == 0 {
        Twist::Keep
    } else {
        *soup.pick(&TWISTS)
    }
}

fn twist(soup: &mut Soup, element: &str, how: Twist) -> String {
    let mut chars: Vec<char> = element.chars().collect();
    match how {
        Twist::Keep => element.to_owned(),
        Twist::Star => "*".to_owned(),
        Twist::StarPrefix => {
            let cut = soup.below(chars.len() + 1);
            format!("*{}", chars[cut..].iter().collect::<String>())
        }
        Twist::StarSuffix => {
            let cut = soup.below(chars.len() + 1);
            format!("{}*", chars[..cut].iter().collect::<String>())
        }
        Twist::Question => {
            if !chars.is_empty() {
                let at = soup.below(chars.len());
                chars[at] = '?';
            }
            chars.into_iter().collect()
        }
        Twist::Class | Twist::NegatedClass => {
            let negate = if matches!(how, Twist::NegatedClass) {
                "^"
            } else {
                ""
            };
            let class = soup.pick(&["a-z", "a-m", "A-Z", "0-9.", "é", "\\]", "x-", "", "-a"]);
            let at = soup.below(chars.len() + 1);
            let head: String = chars[..at].iter().collect();
            let tail: String = chars
                .get(at + 1..)
                .map_or(String::new(), |t| t.iter().collect());
            format!("{head}[{negate}{class}]{tail}")
        }
        Twist::Upper => element.to_uppercase(),
        Twist::Escaped => chars.iter().flat_map(|&c| ['\\', c]).collect(),
        Twist::Broken => format!("{element}{}", soup.pick(&["[", "\\", "[^", "[a-", "]"])),
    }
}

/// Join the entries of a list as people do: commas, sometimes doubled,
/// leading or trailing.
fn join(soup: &mut Soup, entries: &[String]) -> String {
    let separator = if soup.below(10) == 0 { ",," } else { "," };
    let mut list = entries.join(separator);
    match soup.below(10) {
        0 => list.insert(0, ','),
        1 => list.push(','),
        2 => list.push_str(", "),
        _ => {}
    }
    list
}
