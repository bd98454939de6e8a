//! Go's `unicode.IsLetter` and `unicode.IsPrint`, which decide what a file
//! path may contain and how error messages quote a character.
//!
//! Both are general-category tests; the Rust standard library exposes no
//! general category (its `is_alphabetic` is a different property, true for
//! `Ⅻ`, which Go does not count as a letter), so the category comes from
//! `unicode-general-category`, generated from the same Unicode version as
//! Go's tables.

use unicode_general_category::{GeneralCategory as G, get_general_category};

/// Go's `unicode.IsLetter`: general category L.
pub(crate) fn is_letter(c: char) -> bool {
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
    )
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and
/// the ASCII space; no other space, no control, format, private-use,
/// surrogate or unassigned code point.
pub(crate) fn is_print(c: char) -> bool {
    // Nearly every character of a go.mod is ASCII: no table lookup for it.
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !matches!(
        get_general_category(c),
        G::SpaceSeparator
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::Control
            | G::Format
            | G::PrivateUse
            | G::Surrogate
            | G::Unassigned
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_unicode_version_as_go_1_26() {
        assert_eq!(unicode_general_category::UNICODE_VERSION, (15, 0, 0));
    }

    #[test]
    fn letters_and_printables() {
        assert!(is_letter('é') && is_letter('ǅ') && !is_letter('Ⅻ') && !is_letter('1'));
        assert!(is_print('Ⅻ') && is_print('\u{300}') && is_print(' '));
        assert!(
            !is_print('\u{a0}')
                && !is_print('\u{378}')
                && !is_print('\u{e000}')
                && !is_print('\u{ad}')
        );
    }
}
