//! Pseudo-versions (x/mod `module/pseudo.go`): the versions the go command
//! invents for untagged commits, in three forms.
//!
//! | form | base | example |
//! |---|---|---|
//! | 1 | none | `v0.0.0-20191109021931-daa7c04131f5` |
//! | 2 | release `v1.2.3` | `v1.2.4-0.20191109021931-daa7c04131f5` |
//! | 3 | prerelease `v1.2.3-pre` | `v1.2.3-pre.0.20191109021931-daa7c04131f5` |
//!
//! Each sorts just above its base and below the next tag, which is what makes
//! MVS prefer a later tag over an older commit. A `+incompatible` suffix is
//! carried through.

use std::fmt;

use super::module::{VersionError, VersionReason};
use super::semver;

/// A UTC calendar time to the second, as a pseudo-version's timestamp
/// (`yyyymmddhhmmss`) spells it. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl Timestamp {
    /// The time, if it is a real one (month 1-12, a day the month has,
    /// 00:00:00-23:59:59, year 0-9999); leap seconds are not.
    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        let valid = year <= 9999
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in(month, year)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then_some(Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// Parse the 14-digit `yyyymmddhhmmss` form (Go layout `20060102150405`).
    pub fn parse_compact(s: &str) -> Option<Self> {
        if s.len() != 14 || !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let field = |at: usize, len: usize| s[at..at + len].parse().ok();
        Self::new(
            field(0, 4)?,
            u8::try_from(field(4, 2)?).ok()?,
            u8::try_from(field(6, 2)?).ok()?,
            u8::try_from(field(8, 2)?).ok()?,
            u8::try_from(field(10, 2)?).ok()?,
            u8::try_from(field(12, 2)?).ok()?,
        )
    }

    /// `2006-01-02T15:04:05Z` (with optional fractional seconds, which are
    /// dropped), as proxies and build info's `vcs.time` write UTC times;
    /// other offsets are not read.
    pub fn parse_rfc3339_utc(s: &str) -> Option<Self> {
        let s = s.strip_suffix('Z')?;
        let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
        let b = whole.as_bytes();
        let shape = b.len() == 19
            && [4, 7].iter().all(|&i| b[i] == b'-')
            && b[10] == b'T'
            && [13, 16].iter().all(|&i| b[i] == b':')
            && fraction.bytes().all(|c| c.is_ascii_digit());
        let compact: String = whole.chars().filter(char::is_ascii_digit).collect();
        shape.then(|| Self::parse_compact(&compact)).flatten()
    }

    /// The 14-digit `yyyymmddhhmmss` form used inside pseudo-versions.
    pub fn compact(&self) -> String {
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// RFC 3339, as Go prints a UTC `time.Time` in JSON: `2019-11-09T02:19:31Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

fn days_in(month: u8, year: u16) -> u8 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The pieces of a pseudo-version, as slices of it.
struct Pieces<'a> {
    /// `vX.0.0`, `vX.Y.(Z+1)-0` or `vX.Y.Z-pre.0`.
    base: &'a str,
    timestamp: &'a str,
    rev: &'a str,
    build: &'a str,
}

/// Whether `v` is a pseudo-version in any of the three forms. The timestamp
/// is only checked to be 14 digits, not to be a real time.
pub fn is_pseudo_version(v: &str) -> bool {
    semver::parse(v).is_some_and(|p| {
        let Some((head, rev)) = p.prerelease.get(1..).and_then(|pre| pre.rsplit_once('-')) else {
            return false;
        };
        if rev.is_empty() || !rev.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        let Some(lead) = head.len().checked_sub(14).map(|n| &head[..n]) else {
            return false;
        };
        head[lead.len()..].bytes().all(|c| c.is_ascii_digit())
            && if lead.is_empty() {
                p.minor == "0" && p.patch == "0"
            } else {
                lead == "0." || lead.ends_with(".0.")
            }
    })
}

fn parse_pseudo(v: &str) -> Result<Pieces<'_>, VersionError> {
    if !is_pseudo_version(v) {
        return Err(pseudo_error(v, VersionReason::PseudoSyntax));
    }
    let build = semver::build(v);
    let core = &v[..v.len() - build.len()];
    let (rest, rev) = core
        .rsplit_once('-')
        .expect("a pseudo-version has two dashes");
    let dash = rest.rfind('-').expect("a pseudo-version has two dashes");
    let (base, timestamp) = match rest.rfind('.') {
        Some(dot) if dot > dash => (&rest[..dot], &rest[dot + 1..]),
        _ => (&rest[..dash], &rest[dash + 1..]),
    };
    Ok(Pieces {
        base,
        timestamp,
        rev,
        build,
    })
}

fn pseudo_error(v: &str, reason: VersionReason) -> VersionError {
    VersionError {
        version: v.to_owned(),
        pseudo: true,
        reason,
    }
}

/// The commit time a pseudo-version records.
pub fn pseudo_version_time(v: &str) -> Result<Timestamp, VersionError> {
    let pieces = parse_pseudo(v)?;
    Timestamp::parse_compact(pieces.timestamp)
        .ok_or_else(|| pseudo_error(v, VersionReason::MalformedTime(pieces.timestamp.to_owned())))
}

/// The revision (commit hash prefix) a pseudo-version names.
pub fn pseudo_version_rev(v: &str) -> Result<&str, VersionError> {
    parse_pseudo(v).map(|pieces| pieces.rev)
}

/// The tagged version a pseudo-version builds on (with its `+incompatible`,
/// if any), or `None` for form 1, which has no base.
pub fn pseudo_version_base(v: &str) -> Result<Option<String>, VersionError> {
    let Pieces { base, build, .. } = parse_pseudo(v)?;
    match semver::prerelease(base) {
        "" if build.is_empty() => Ok(None),
        "" => Err(pseudo_error(
            v,
            VersionReason::BuildWithoutBase(build.to_owned()),
        )),
        "-0" => {
            let release = &base[..base.len() - 2];
            let dot = release.rfind('.').expect("a base has a patch number");
            let patch = dec_decimal(&release[dot + 1..])
                .ok_or_else(|| pseudo_error(v, VersionReason::NegativePatch(release.to_owned())))?;
            Ok(Some(format!("{}{patch}{build}", &release[..=dot])))
        }
        _ => {
            let pre = base.strip_suffix(".0").expect("a form-3 base ends in .0");
            Ok(Some(format!("{pre}{build}")))
        }
    }
}

/// The pseudo-version for a commit at `time` with revision `rev` whose
/// nearest older tag is `older` (`""` for none) on major `major` (`""` means
/// `v0`). The tag's `+incompatible` is kept.
pub fn pseudo_version(major: &str, older: &str, time: Timestamp, rev: &str) -> String {
    let major = if major.is_empty() { "v0" } else { major };
    let segment = format!("{}-{rev}", time.compact());
    let build = semver::build(older);
    let Some(older) = semver::canonical(older) else {
        return format!("{major}.0.0-{segment}");
    };
    if !semver::prerelease(&older).is_empty() {
        return format!("{older}.0.{segment}{build}");
    }
    let dot = older
        .rfind('.')
        .expect("a canonical version has a patch number");
    let (release, patch) = older.split_at(dot + 1);
    format!("{release}{}-0.{segment}{build}", inc_decimal(patch))
}

/// The placeholder pseudo-version `vN.0.0-00010101000000-000000000000`, used
/// when a module is required only so that a replacement can supply it.
pub fn zero_pseudo_version(major: &str) -> String {
    let epoch = Timestamp::new(1, 1, 1, 0, 0, 0).expect("year 1 is a real time");
    pseudo_version(major, "", epoch, "000000000000")
}

/// Whether `v` is exactly [`zero_pseudo_version`] of its own major.
pub fn is_zero_pseudo_version(v: &str) -> bool {
    v == zero_pseudo_version(semver::major(v))
}

/// A decimal string plus one, of any length.
fn inc_decimal(decimal: &str) -> String {
    let mut digits = decimal.as_bytes().to_vec();
    let nines = digits.iter().rev().take_while(|&&d| d == b'9').count();
    let keep = digits.len() - nines;
    digits[keep..].fill(b'0');
    if keep == 0 {
        digits.insert(0, b'1');
    } else {
        digits[keep - 1] += 1;
    }
    String::from_utf8(digits).expect("digits are ASCII")
}

/// A decimal string minus one without a leading zero, or `None` for zero.
fn dec_decimal(decimal: &str) -> Option<String> {
    let mut digits = decimal.as_bytes().to_vec();
    let zeros = digits.iter().rev().take_while(|&&d| d == b'0').count();
    let keep = digits.len().checked_sub(zeros + 1)?;
    digits[keep + 1..].fill(b'9');
    digits[keep] -= 1;
    if keep == 0 && digits[0] == b'0' && digits.len() > 1 {
        digits.remove(0);
    }
    Some(String::from_utf8(digits).expect("digits are ASCII"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "20191109021931";

    #[test]
    fn recognises_the_three_forms() {
        for v in [
            "v0.0.0-20191109021931-daa7c04131f5",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.3-pre.0.20191109021931-daa7c04131f5+incompatible",
            "v1.2.3-rc.0.99999999999999-x",
        ] {
            assert!(is_pseudo_version(v), "{v}");
        }
        for v in [
            "v1.2.0-20191109021931-daa7c04131f5",
            "v1.2.4-pre0.20191109021931-daa7c04131f5",
            "v1.2.4-0.2019110902193-daa7c04131f5",
            "v1.2.4-0.20191109021931",
            "v1.2.4-0.20191109021931-abc.def",
            "v0.0.0-20191109021931-",
            "v1.2.4",
        ] {
            assert!(!is_pseudo_version(v), "{v}");
        }
    }

    #[test]
    fn bases() {
        let base = |v: &str| pseudo_version_base(v).map_err(|e| e.to_string());
        assert_eq!(base(&format!("v1.2.4-0.{T}-r")), Ok(Some("v1.2.3".into())));
        assert_eq!(base(&format!("v1.2.10-0.{T}-r")), Ok(Some("v1.2.9".into())));
        assert_eq!(
            base(&format!("v1.2.3-pre.0.{T}-r+incompatible")),
            Ok(Some("v1.2.3-pre+incompatible".into()))
        );
        assert_eq!(
            base(&format!("v1.2.3-0.0.{T}-r")),
            Ok(Some("v1.2.3-0".into()))
        );
        assert_eq!(base(&format!("v0.0.0-{T}-r")), Ok(None));
        assert_eq!(
            base(&format!("v2.0.0-{T}-r+incompatible")),
            Err(format!(
                r#"pseudo-version "v2.0.0-{T}-r+incompatible" invalid: lacks base version, but has build metadata "+incompatible""#
            ))
        );
        assert_eq!(
            base(&format!("v1.0.0-0.{T}-r")),
            Err(format!(
                r#"pseudo-version "v1.0.0-0.{T}-r" invalid: version before v1.0.0 would have negative patch number"#
            ))
        );
    }

    #[test]
    fn times_and_revs() {
        assert_eq!(
            pseudo_version_time(&format!("v0.0.0-{T}-abc"))
                .unwrap()
                .to_string(),
            "2019-11-09T02:19:31Z"
        );
        assert_eq!(
            pseudo_version_time("v1.2.3-rc.0.99999999999999-x")
                .unwrap_err()
                .to_string(),
            r#"pseudo-version "v1.2.3-rc.0.99999999999999-x" invalid: malformed time "99999999999999""#
        );
        assert!(pseudo_version_time("v0.0.0-20200229000000-abc").is_ok());
        assert!(pseudo_version_time("v0.0.0-20190229000000-abc").is_err());
        assert_eq!(
            pseudo_version_rev(&format!("v1.2.4-0.{T}-abc+incompatible")),
            Ok("abc")
        );
    }

    #[test]
    fn builds_pseudo_versions() {
        let t = Timestamp::parse_compact(T).unwrap();
        assert_eq!(pseudo_version("", "", t, "abc"), format!("v0.0.0-{T}-abc"));
        assert_eq!(
            pseudo_version("v2", "v2.1.9+incompatible", t, "abc"),
            format!("v2.1.10-0.{T}-abc+incompatible")
        );
        assert_eq!(
            pseudo_version("v1", "v1.9.99", t, "abc"),
            format!("v1.9.100-0.{T}-abc")
        );
        assert_eq!(
            pseudo_version("v1", "v1.2.3-rc.1", t, "abc"),
            format!("v1.2.3-rc.1.0.{T}-abc")
        );
        assert_eq!(
            zero_pseudo_version("v3"),
            "v3.0.0-00010101000000-000000000000"
        );
        assert!(is_zero_pseudo_version("v3.0.0-00010101000000-000000000000"));
        assert_eq!(inc_decimal("999"), "1000");
        assert_eq!(dec_decimal("100").as_deref(), Some("99"));
        assert_eq!(dec_decimal("10").as_deref(), Some("9"));
        assert_eq!(dec_decimal("0"), None);
    }
}
