//! When two names are "the same person" (DOMAIN.md): equal after this fold:
//! Unicode NFKC; removal of every Default_Ignorable_Code_Point (zero-width
//! and format characters, U+034F, the Hangul fillers) and of U+2800, which
//! shows as blank; collapsing of runs of white space; trimming; full case
//! folding (ΟΔΥΣΣΕΑΣ and οδυσσεας are one); then the confusables skeleton of
//! Unicode TS #39 ("Awa" typed in Cyrillic letters is Awa). A name, a
//! correction's reason or a warning's explanation empty after the fold is
//! blank.
//!
//! One comparison for everything that tells people apart: the two entrants
//! of a PV (one person may not check their own typing), the members, the
//! recorders of a table, the re-typing drafts kept by entrant; and one test
//! of blank for every text that must say something.
//!
//! The server and the verifier (feature `nfkc`) fold with the standard
//! crates: unicode-normalization's NFKC, caseless's full case folding and
//! unicode-security's skeleton. Their tables would add some 80 KiB (brotli)
//! to the phone's download, so the app builds core without the feature and
//! folds what a phone keyboard, a paste or an autocorrect produces: the
//! full-width forms, the same Default_Ignorable_Code_Point and U+2800,
//! white space, lowercase with the full folding's extra mappings of the
//! letters people type (ß, ẞ, ſ, ς), and the Cyrillic, Greek and Armenian
//! letters that the skeleton takes to a Latin letter or a digit (its own
//! prototypes: a test checks the table against unicode-security). A pair
//! of names the phone's fold keeps apart and the server's does not is
//! refused by the server (`return_entrants`): the server decides, and
//! nothing is signed that it would accept and the phone would not.

/// Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties; a test
/// checks it against unicode-security's tables) and U+2800 BRAILLE PATTERN
/// BLANK: what shows as nothing, or as a blank.
pub fn ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// NFKC, then what is ignorable dropped, white space collapsed and
/// trimmed: the first steps of the fold, the same on the phone and the
/// server but for NFKC, which the phone does for full-width forms only.
fn spaced(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in compatible(name).filter(|c| !ignorable(*c)) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(feature = "nfkc")]
fn compatible(name: &str) -> impl Iterator<Item = char> + '_ {
    use unicode_normalization::UnicodeNormalization;
    name.nfkc()
}

#[cfg(not(feature = "nfkc"))]
fn compatible(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars().map(|c| match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    })
}

/// The form in which two names are compared: "the same person" when equal.
#[cfg(feature = "nfkc")]
pub fn person_key(name: &str) -> String {
    let folded = caseless::default_case_fold_str(&spaced(name));
    unicode_security::skeleton(&folded).collect()
}

/// The form in which two names are compared on the phone (see the module's
/// documentation): lowercase with the full folding's extra mappings, then
/// the look-alike letters of other scripts to the Latin ones.
#[cfg(not(feature = "nfkc"))]
pub fn person_key(name: &str) -> String {
    let mut out = String::new();
    for c in spaced(name).chars() {
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'ſ' => out.push('s'),
            'ς' => out.push(look_alike('σ')),
            _ => {
                for l in c.to_lowercase() {
                    out.push(look_alike(l));
                }
            }
        }
    }
    out
}

/// The Latin letter or digit a lowercase letter of another script is
/// confused with, as TS #39's skeleton takes it.
#[cfg(not(feature = "nfkc"))]
fn look_alike(c: char) -> char {
    match LOOK_ALIKES.binary_search_by_key(&c, |(from, _)| *from) {
        Ok(i) => LOOK_ALIKES[i].1,
        Err(_) => c,
    }
}

/// The lowercase Greek, Cyrillic and Armenian letters whose skeleton (TS
/// #39, Unicode 18 as unicode-security has it) is one Latin letter or
/// digit, in order: what the phone folds of the confusables. A test holds
/// it to unicode-security's skeleton.
pub const LOOK_ALIKES: &[(char, char)] = &[
    ('α', 'a'),
    ('γ', 'y'),
    ('ι', 'i'),
    ('ν', 'v'),
    ('ο', 'o'),
    ('ρ', 'p'),
    ('σ', 'o'),
    ('υ', 'u'),
    ('ϭ', 'o'),
    ('ϱ', 'p'),
    ('ϲ', 'c'),
    ('ϳ', 'j'),
    ('ϸ', 'p'),
    ('а', 'a'),
    ('б', '6'),
    ('г', 'r'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('ш', 'w'),
    ('ѕ', 's'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ѡ', 'w'),
    ('ѵ', 'v'),
    ('ү', 'y'),
    ('һ', 'h'),
    ('ҽ', 'e'),
    ('ӏ', 'l'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('ա', 'w'),
    ('գ', 'q'),
    ('զ', 'q'),
    ('հ', 'h'),
    ('յ', 'j'),
    ('ո', 'n'),
    ('ռ', 'n'),
    ('ս', 'u'),
    ('ց', 'g'),
    ('ւ', 'i'),
    ('ք', 'f'),
    ('օ', 'o'),
];

/// Whether two names name the same person.
pub fn same_person(a: &str, b: &str) -> bool {
    person_key(a) == person_key(b)
}

/// Whether a name, a reason or an explanation is blank: nothing left once
/// folded.
pub fn is_blank(text: &str) -> bool {
    person_key(text).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_same_person_under_another_spelling() {
        for other in [
            "Claire Dupont",
            " claire  DUPONT ",
            "claire\tdupont",
            "Claire\u{00A0}Dupont",
            "Clai\u{200B}re Dupont",
            "\u{FEFF}Claire Dupont\u{200E}",
            "Claire\u{00AD} Du\u{034F}pont",
            // Full-width letters (NFKC).
            "Ｃｌａｉｒｅ Ｄｕｐｏｎｔ",
            // Cyrillic С and а, Greek ο, in Latin words.
            "\u{0421}l\u{0430}ire Dup\u{03BF}nt",
        ] {
            assert!(same_person("Claire Dupont", other), "{other:?}");
        }
        assert!(same_person("Awa", "\u{0410}w\u{0430}"));
        assert!(same_person("ΟΔΥΣΣΕΑΣ", "οδυσσεας"));
        assert!(same_person("Straße", "STRASSE"));
        #[cfg(feature = "nfkc")]
        assert!(same_person("Hélène", "He\u{0301}lène"));
        assert!(!same_person("Claire Dupont", "Claire Dupond"));
        assert!(!same_person("Claire Dupont", "ClaireDupont"));
        assert!(!same_person("Awa Diallo", "Bruno Martin"));
    }

    #[test]
    fn only_spaces_fillers_and_invisible_characters_are_blank() {
        for blank in [
            "",
            " \t\u{00A0}\u{200B}\u{2060} ",
            "\u{200B}",
            "\u{FEFF}",
            "\u{00AD}",
            "\u{3164}\u{3164}",
            "\u{115F}\u{1160}",
            "\u{FFA0}",
            "\u{2800}\u{2800}",
            "\u{034F}",
        ] {
            assert!(is_blank(blank), "{blank:?}");
        }
        assert!(!is_blank(" x "));
        assert!(!is_blank("0"));
        assert_eq!(person_key("  Awa   Diallo  ").split(' ').count(), 2);
    }

    /// The phone's tables are the standard's: its ignorable characters are
    /// exactly those unicode-security's skeleton drops, and its look-alikes
    /// exactly the lowercase Greek, Cyrillic and Armenian letters the
    /// skeleton takes to one Latin letter or digit.
    #[cfg(feature = "nfkc")]
    #[test]
    fn the_phones_tables_are_the_standards() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let gone = unicode_security::skeleton(&c.to_string()).next().is_none();
            assert_eq!(gone, ignorable(c) && c != '\u{2800}', "{:04X}", c as u32);
        }
        let derived: Vec<(char, char)> = (0x0370..=0x058Fu32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_lowercase())
            .filter_map(|c| {
                let s: Vec<char> = unicode_security::skeleton(&c.to_string()).collect();
                match s.as_slice() {
                    [p] if p.is_ascii_lowercase() || p.is_ascii_digit() => Some((c, *p)),
                    _ => None,
                }
            })
            .collect();
        assert_eq!(derived, LOOK_ALIKES);
    }
}
