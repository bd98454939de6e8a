//! Paths in reports that leave the machine (JSON, SARIF, Markdown) are
//! written relative to the repository root. A comment or a code-scanning
//! alert that says `/home/runner/work/repo/repo/plugin/go.mod` leaks the
//! runner's layout and cannot be matched to the repository's file; and a
//! base branch audited in a worktree elsewhere must name its files as the
//! pull request's audit does, or the two reports would not compare.

use std::path::Path;

use tykdeps_resolver::audit::Report;

/// Rewrite the directories and finding locations of `report` that lie
/// under `root` relative to it (the root itself is `.`); others are kept.
pub fn relative(report: &mut Report, root: &Path) {
    let rewrite = |path: &mut String| {
        if let Ok(rest) = Path::new(path.as_str()).strip_prefix(root) {
            *path = if rest.as_os_str().is_empty() {
                ".".to_owned()
            } else {
                rest.display().to_string()
            };
        }
    };
    if let Some(dir) = &mut report.gateway.dir {
        rewrite(dir);
    }
    let plugin_findings = report.plugins.iter_mut().flat_map(|p| {
        rewrite(&mut p.dir);
        p.findings.iter_mut()
    });
    for finding in report.findings.iter_mut().chain(plugin_findings) {
        if let Some(location) = &mut finding.location {
            rewrite(&mut location.file);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::fixture;

    #[test]
    fn paths_under_the_root_become_relative_and_others_stay() {
        let mut report = fixture::report();
        report.gateway.dir = Some("/runner/work/repo".to_owned());
        report.plugins[0].dir = "/runner/work/repo/plugins/a".to_owned();
        // A prefix that is not a whole path component is not the root.
        report.plugins[1].dir = "/runner/work/repository".to_owned();
        let files = |report: &tykdeps_resolver::audit::Report| {
            report
                .plugins
                .iter()
                .flat_map(|p| &p.findings)
                .chain(&report.findings)
                .filter_map(|f| f.location.as_ref().map(|l| l.file.clone()))
                .collect::<Vec<_>>()
        };
        for finding in report.plugins[0]
            .findings
            .iter_mut()
            .chain(&mut report.findings)
        {
            if let Some(location) = &mut finding.location {
                location.file = format!("/runner/work/repo/plugins/a/{}", location.file);
            }
        }
        let located = files(&report).len();
        assert!(located >= 2, "the fixture has located findings");
        super::relative(&mut report, Path::new("/runner/work/repo"));
        assert_eq!(report.gateway.dir.as_deref(), Some("."));
        assert_eq!(report.plugins[0].dir, "plugins/a");
        assert_eq!(report.plugins[1].dir, "/runner/work/repository");
        let files = files(&report);
        assert_eq!(files.len(), located);
        for file in files {
            assert!(file.starts_with("plugins/a/"), "{file}");
        }
    }
}
