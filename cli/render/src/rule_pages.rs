//! The book's rule pages, compiled in (see build.rs), so a rule can be
//! explained without a network or a docs site.

use tykdeps_resolver::audit::RuleId;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/rule_pages.rs"));
}

/// The page of `rule`, as its Markdown source.
pub fn page(rule: RuleId) -> Option<&'static str> {
    generated::PAGES
        .iter()
        .find(|(id, _)| *id == rule.id())
        .map(|(_, text)| *text)
}

/// The rule ids closest to `typed`, best first: those within a few edits,
/// or containing it (or contained in it).
pub fn close_ids(typed: &str) -> Vec<&'static str> {
    let typed = typed.to_ascii_lowercase();
    let mut close: Vec<(usize, &'static str)> = RuleId::ALL
        .iter()
        .map(|rule| rule.id())
        .filter_map(|id| {
            let distance = edit_distance(&typed, id);
            let related = id.contains(typed.as_str()) || (typed.len() > 3 && typed.contains(id));
            (distance <= 3.max(id.len() / 4) || related).then_some((distance, id))
        })
        .collect();
    close.sort_unstable();
    close.into_iter().take(5).map(|(_, id)| id).collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use tykdeps_resolver::audit::RuleId;

    #[test]
    fn every_rule_has_an_embedded_page() {
        let missing: Vec<&str> = RuleId::ALL
            .iter()
            .filter(|&&rule| super::page(rule).is_none())
            .map(|rule| rule.id())
            .collect();
        assert_eq!(
            missing,
            Vec::<&str>::new(),
            "rules without book/src/rules/<id>.md"
        );
        for &rule in RuleId::ALL {
            let page = super::page(rule).unwrap();
            assert!(
                page.starts_with(&format!("# `{}`", rule.id())),
                "{} page starts with its id",
                rule.id()
            );
        }
    }

    #[test]
    fn every_embedded_page_is_a_rule() {
        for (id, _) in super::generated::PAGES {
            assert!(RuleId::from_id(id).is_some(), "page {id}.md names no rule");
        }
    }

    #[test]
    fn close_ids_catch_typos_and_fragments() {
        assert_eq!(super::close_ids("version-conflit")[0], "version-conflict");
        assert!(super::close_ids("glibc").contains(&"glibc-too-new"));
        assert!(super::close_ids("zzzzzzzzzzzzzzzzzzzzzzzzzz").is_empty());
        assert_eq!(super::edit_distance("kitten", "sitting"), 3);
    }
}
