//! Every rule id printed by an audit links to a page of the user guide
//! (`RuleId::doc_url`), so each id must have one, in the book's summary, with
//! the sections users look for; a page without a rule would be stale.

use tykdeps_resolver::audit::RuleId;

use crate::support;

#[test]
fn every_rule_has_a_page_and_every_page_a_rule() {
    let root = support::repo_root();
    let summary = std::fs::read_to_string(root.join("book/src/SUMMARY.md")).expect("SUMMARY.md");
    for &rule in RuleId::ALL {
        let id = rule.id();
        let path = root.join(rule.doc_url());
        let page = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{id} has no page at {}: {e}", path.display()));
        assert!(page.starts_with(&format!("# `{id}`\n")), "{id}: title");
        for section in [
            "## What it detects",
            "## Why it matters",
            "## How to fix it",
            "## How to allow it",
        ] {
            assert!(page.contains(section), "{id}: no {section:?}");
        }
        assert!(
            page.contains(&format!("{id} = \"warn\""))
                && page.contains(&format!("rule = \"{id}\"")),
            "{id}: the page shows how to allow it in tykdeps.toml"
        );
        assert!(
            summary.contains(&format!("(rules/{id}.md)")),
            "{id}: not in SUMMARY.md"
        );
    }
    let pages = support::sorted_entries(&root.join("book/src/rules"));
    for page in &pages {
        let stem = page.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        assert!(
            RuleId::from_id(stem).is_some() && page.extension().is_some_and(|e| e == "md"),
            "{} is not the page of a rule",
            page.display()
        );
    }
    assert_eq!(pages.len(), RuleId::ALL.len());
}
