//! Go module versions and paths, with x/mod's exact rules: semver ordering,
//! canonical forms, pseudo-versions, `+incompatible`, major-version suffixes
//! and case-escaping.
