//! How a bureau is found by what a person types into a search box (the
//! server's `/api/v1/bureaux?q=` and the results page): a journalist on a
//! phone types "ecole jules ferry" or "saint denis" for "École Jules-Ferry"
//! or "Saint-Denis", "coeur" for "Cœur", "demo001" or "DEMO 001" for
//! "DEMO-001". So a text is searched in its [`search_key`]: without
//! accents, case, spaces or punctuation; a bureau matches when the key of
//! the text typed is inside the key of its code, name or commune.
//!
//! Not "the same person" (`names.rs`): names keep their accents there, as
//! a person's name is compared letter for letter. This folding is only to
//! find; it needs Unicode's decompositions, so it is in the `nfkc` build
//! (the server's), which the phone's app goes without.

use unicode_normalization::UnicodeNormalization;

/// `text` as it is searched: compatibility-decomposed (NFKD), the
/// ligatures œ and æ written out, lowercased, with only its letters and
/// digits kept. The accents go with the rest: decomposed, an accent is a
/// combining mark after its letter, and a mark is not a letter (those that
/// are, like the vowel signs of Indic scripts, are part of the word and
/// stay).
pub fn search_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// Whether what a person typed finds a name, given both keys
/// ([`search_key`]; a caller that searches many names computes theirs
/// once): the typed key inside the name's. A text with nothing to search
/// by (empty, or only spaces and punctuation) finds everything.
pub fn finds(typed_key: &str, name_key: &str) -> bool {
    name_key.contains(typed_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(typed: &str, name: &str) -> bool {
        finds(&search_key(typed), &search_key(name))
    }

    #[test]
    fn what_a_phone_keyboard_types_finds_the_bureau() {
        for (typed, name) in [
            ("ecole jules ferry", "École Jules-Ferry"),
            ("ÉCOLE", "école maternelle"),
            ("jules-ferry", "École Jules Ferry"),
            ("saint denis", "Saint-Denis"),
            ("val d'orge", "Val-d’Orge"),
            ("val dorge", "Val-d'Orge"),
            ("coeur", "Sacré-Cœur"),
            ("CŒUR", "Sacre Coeur"),
            ("laetitia", "Lætitia"),
            ("demo001", "DEMO-001"),
            ("DEMO 001", "DEMO-001"),
            ("001", "DEMO-001"),
            // Decomposed accents and full-width letters.
            ("e\u{0301}cole", "École"),
            ("ｅｃｏｌｅ", "École"),
        ] {
            assert!(found(typed, name), "{typed:?} does not find {name:?}");
        }
    }

    #[test]
    fn a_different_word_is_not_found() {
        for (typed, name) in [
            ("ecole", "Collège Jean-Moulin"),
            ("demo-002", "DEMO-001"),
            ("saint denis sud", "Saint-Denis"),
            ("julesferrys", "École Jules-Ferry"),
        ] {
            assert!(!found(typed, name), "{typed:?} finds {name:?}");
        }
    }

    #[test]
    fn nothing_to_search_by_finds_everything() {
        assert_eq!(search_key(" - ’ . "), "");
        assert!(found("", "Mairie"));
        assert!(found(" -- ", "Mairie"));
        assert_eq!(search_key("  Sacré-Cœur, n°3 "), "sacrecoeurn3");
    }
}
