//! When two names are "the same person" (DOMAIN.md): equal after Unicode
//! NFKC normalisation, removal of invisible characters (zero-width and
//! format characters), collapsing of runs of white space, trimming and
//! lowercasing; a name that is empty after this is blank.
//!
//! One comparison for everything that tells people apart: the two entrants
//! of a PV (one person may not check their own typing), the listing of
//! entrants, and the re-typing drafts kept by entrant.
//!
//! NFKC's tables would add 53 KiB (brotli) to the phone's download, so the
//! app builds core without the feature `nfkc`: it then folds only what a
//! phone keyboard or a paste produces besides plain text (full-width forms,
//! every kind of space, invisible characters), and a name typed with
//! decomposed accents or other compatibility characters can be told apart
//! on the phone but not on the server. The server, which has the whole of
//! NFKC, is the one that decides: it refuses such a return
//! (`return_entrants`), and nothing is signed that it would accept and the
//! phone would not.

#[cfg(feature = "nfkc")]
use unicode_normalization::UnicodeNormalization;

/// NFKC, or on the phone (without the feature) the fold of full-width
/// forms to ASCII.
#[cfg(feature = "nfkc")]
fn compatible(name: &str) -> impl Iterator<Item = char> + '_ {
    name.nfkc()
}

#[cfg(not(feature = "nfkc"))]
fn compatible(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars().map(|c| match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    })
}

/// Invisible characters: zero-width, bidirectional and other format
/// characters (Unicode category Cf, as it stands in Unicode 16) that a
/// keyboard, a paste or an autocorrect can slip into a name unseen.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// The form in which two names are compared: "the same person" when equal.
pub fn person_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in compatible(name).filter(|c| !invisible(*c)) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Whether two names name the same person.
pub fn same_person(a: &str, b: &str) -> bool {
    person_key(a) == person_key(b)
}

/// Whether a name is blank: nothing left once compared.
pub fn is_blank(name: &str) -> bool {
    person_key(name).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_person_under_another_spelling() {
        for other in [
            "Claire Dupont",
            " claire  DUPONT ",
            "claire\tdupont",
            "Claire\u{00A0}Dupont",
            "Clai\u{200B}re Dupont",
            "\u{FEFF}Claire Dupont\u{200E}",
            // Full-width letters (NFKC) and a composed é against e + ◌́.
            "Ｃｌａｉｒｅ Ｄｕｐｏｎｔ",
        ] {
            assert!(same_person("Claire Dupont", other), "{other:?}");
        }
        #[cfg(feature = "nfkc")]
        assert!(same_person("Hélène", "He\u{0301}lène"));
        assert!(!same_person("Claire Dupont", "Claire Dupond"));
        assert!(!same_person("Claire Dupont", "ClaireDupont"));
    }

    #[test]
    fn a_name_of_only_spaces_and_invisible_characters_is_blank() {
        assert!(is_blank(""));
        assert!(is_blank(" \t\u{00A0}\u{200B}\u{2060} "));
        assert!(!is_blank(" x "));
        assert_eq!(person_key("  Awa   Diallo  "), "awa diallo");
    }
}
