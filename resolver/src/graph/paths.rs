//! Directory arithmetic on `/`-separated path strings (Go's `filepath.Join`,
//! `Clean`, `Rel`), so directory replacements resolve exactly as cmd/go
//! resolves them without touching the filesystem.

/// Whether a replacement target is a directory (x/mod `IsDirectoryPath`).
pub(crate) fn is_directory_path(p: &str) -> bool {
    p == "." || p == ".." || p.starts_with("./") || p.starts_with("../") || p.starts_with('/')
}

/// `filepath.Clean`: lexical `.`/`..` elimination, no trailing slash.
pub fn clean(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            _ => parts.push(part),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_owned(),
        (false, false) => body,
    }
}

/// `filepath.Join(base, p)` for a relative `p`; an absolute `p` is kept.
pub(crate) fn join(base: &str, p: &str) -> String {
    if p.starts_with('/') {
        clean(p)
    } else {
        clean(&format!("{base}/{p}"))
    }
}

/// `filepath.Rel(base, target)` for two absolute clean paths.
pub(crate) fn rel(base: &str, target: &str) -> String {
    let split = |s: &str| -> Vec<String> {
        s.split('/')
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (b, t) = (split(base), split(target));
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); b.len() - common];
    parts.extend(t[common..].iter().cloned());
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// cmd/go `ToDirectoryPath`: a relative path gets a `./` prefix.
pub(crate) fn to_directory_path(p: &str) -> String {
    if is_directory_path(p) {
        p.to_owned()
    } else {
        format!("./{}", clean(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_join_and_rel_follow_go() {
        assert_eq!(clean("a/../../b/./c/"), "../b/c");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(join("/w/a", "../d1"), "/w/d1");
        assert_eq!(rel("/w", "/w/d1"), "d1");
        assert_eq!(rel("/w/x", "/w/d1"), "../d1");
        assert_eq!(to_directory_path("d1"), "./d1");
        assert_eq!(to_directory_path("../d1"), "../d1");
    }
}
