//! What Pointage says to people where more than one program says it, in
//! French (the default: most volunteers count in French) and English: the
//! words both phone apps show ([`CommonTexts`]: the top bar, the language
//! switch, the central server's answers, how figures are written), and the
//! results page, which the server writes ([`ResultsTexts`]). The bureau
//! app's own sentences stay in the app (`src/i18n/`).
//!
//! Each is a struct with a field per sentence, so that a language missing
//! one is a compile error, not an English word on a French page. Nothing
//! here decides a figure: numbers come from core, and are only written here.

mod en {
    pub mod common;
    pub mod results;
}
mod fr {
    pub mod common;
    pub mod results;
}

use pointage_core::wire::ErrorCode;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 code, for `<html lang>` and the results page's address.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language whose [`code`](Self::code) this is.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The locale dates and times are written in: day before month in
    /// English too (a bureau's volunteers read dates the European way).
    pub fn date_locale(self) -> &'static str {
        match self {
            Lang::Fr => "fr-FR",
            Lang::En => "en-GB",
        }
    }

    /// The language's name in itself, as a language switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }

    pub const fn common_texts(self) -> &'static CommonTexts {
        match self {
            Lang::Fr => &fr::common::COMMON,
            Lang::En => &en::common::COMMON,
        }
    }

    pub fn results_texts(self) -> &'static ResultsTexts {
        match self {
            Lang::Fr => &fr::results::TEXTS,
            Lang::En => &en::results::TEXTS,
        }
    }
}

/// What both phone apps say, in one language: the top bar, the language
/// switch, the central server's answers, and how figures are written. The
/// deposit page reads this table and its own only, never the bureau app's,
/// so it does not carry the bureau app's sentences.
pub struct CommonTexts {
    pub app_name: &'static str,
    pub language: &'static str,
    /// The language chosen could not be saved.
    pub storage_failed: &'static str,
    pub nav_home: &'static str,
    pub nav_count: &'static str,
    pub nav_pv: &'static str,
    pub nav_results: &'static str,
    /// The results page in this language (the server writes it in the
    /// language its address names).
    pub results_href: &'static str,
    /// "1er tour" / "Round 1".
    pub round: fn(u8) -> String,
    pub test_election: &'static str,
    pub no_network: &'static str,
    /// The sentence for an error code the server sent.
    pub api_error: fn(ErrorCode) -> String,
    pub blancs: &'static str,
    pub nuls: &'static str,
    /// "version 2 · code 7KQ3M-9XD2B".
    pub received_version: fn(u32, &str) -> String,
    /// Decimal separator of the language.
    pub decimal_comma: bool,
    pub cancel: &'static str,
}

impl CommonTexts {
    /// A count as the language writes it: "12 345" (a narrow no-break
    /// space) or "12,345".
    pub fn count(&self, n: u64) -> String {
        let sep = if self.decimal_comma { '\u{202f}' } else { ',' };
        pointage_core::results::group_digits(n, sep)
    }

    /// A share in basis points as the language writes a percentage:
    /// "30,93 %" or "30.93%".
    pub fn percent(&self, bp: u32) -> String {
        pointage_core::results::percent_text(bp, self.decimal_comma)
    }
}

/// The results page's sentences (`/resultats`, which the server writes),
/// in one language.
pub struct ResultsTexts {
    pub results_title: &'static str,
    /// The page's description, for search engines and link previews.
    pub results_description: &'static str,
    pub results_intro: &'static str,
    pub results_refresh: &'static str,
    /// The server could not be asked again: the figures shown are those it
    /// last sent this phone.
    pub results_offline: &'static str,
    /// "3 bureaux sur 5 (60 %)".
    pub coverage: fn(u32, u32, &str) -> String,
    pub results_covering: &'static str,
    /// How anyone checks the totals, before the record's link.
    pub results_check: &'static str,
    pub results_record: &'static str,
    /// Before the links to the open-data files.
    pub results_open_data: &'static str,
    pub results_open_results: &'static str,
    pub results_open_turnout: &'static str,
    pub candidate: &'static str,
    pub votes: &'static str,
    pub percent_of_exprimes: &'static str,
    pub exprimes: &'static str,
    pub votants: &'static str,
    pub turnout: &'static str,
    /// "sur 2 bureaux dont les inscrits sont connus".
    pub turnout_over: fn(u32) -> String,
    pub turnout_unknown: &'static str,
    /// Turnout during the day, checkpoint by checkpoint.
    pub day_title: &'static str,
    /// "12:00 : 1 234 émargements dans 3 bureaux sur 13": the time, the
    /// sum, the bureaux reporting, of all.
    pub day_count: fn(&str, &str, u32, u32) -> String,
    /// "08:00 : 12 bureaux ouverts sur 13".
    pub day_opening: fn(&str, u32, u32) -> String,
    /// ", soit 9,00 % de leurs inscrits".
    pub day_participation: fn(&str) -> String,
    /// " (dont 1 en retard)".
    pub day_late: fn(u32) -> String,
    /// No figure scaled to the bureaux that have not reported.
    pub day_never_projected: &'static str,
    /// "Could the bureaux not yet counted still change it?"
    pub still_title: &'static str,
    /// "12 bureaux restants, 9 000 inscrits": the outstanding bureaux and
    /// their inscrits (written by the caller).
    pub still_outstanding: fn(u32, u32, &str) -> String,
    /// An outstanding bureau has no list of inscrits.
    pub still_unknown: fn(u32, u32) -> String,
    /// Every bureau is counted.
    pub still_none: &'static str,
    /// "A devant B : acquis."
    pub order_decided: fn(&str, &str) -> String,
    /// "L'ordre entre A et B peut encore changer."
    pub order_open: fn(&str, &str) -> String,
    pub majority_certain: fn(&str) -> String,
    pub majority_never: fn(&str) -> String,
    pub majority_open: fn(&str) -> String,
    /// The qualification rule applied (an absolute majority elects; the
    /// first k go on), said before what it decides.
    pub still_rule: fn(bool, u8) -> String,
    /// The candidates certainly among the first k, and those certainly
    /// not (names joined by the caller).
    pub first_in: fn(u8, &str) -> String,
    pub first_out: fn(u8, &str) -> String,
    pub bureaux_title: &'static str,
    pub bureaux_filter: &'static str,
    pub bureaux_all: &'static str,
    pub bureaux_search: &'static str,
    /// The button that applies the filter and the search.
    pub bureaux_apply: &'static str,
    /// "12 affiché(s) sur 30", or that none matches.
    pub bureaux_shown: fn(u32, u32) -> String,
    pub bureaux_more: &'static str,
    /// A bureau's paper PV, page n: what its photo shows.
    pub pv_photo: fn(&str, usize) -> String,
    pub state_not_enrolled: &'static str,
    pub state_enrolled: &'static str,
    pub state_received: &'static str,
    /// The wall screen (`/mur`): where the bureaux stand, counts only, for
    /// a projector.
    pub wall_title: &'static str,
    /// The results page's link to the wall screen.
    pub results_wall_link: &'static str,
    pub wall_description: &'static str,
    pub wall_intro: &'static str,
    /// Phones enrolled, of how many bureaux.
    pub wall_enrolled: fn(u32, u32) -> String,
    /// The opening's report sent: its local time, how many, of how many.
    pub wall_opened: fn(&str, u32, u32) -> String,
    /// A count checkpoint's report sent: its local time, how many, of how
    /// many.
    pub wall_reported: fn(&str, u32, u32) -> String,
    /// Signed PVs received, of how many; then how many corrected.
    pub wall_counted: fn(u32, u32) -> String,
    pub wall_corrected: fn(u32) -> String,
    /// Bureaux that let a checkpoint's time pass without its report and
    /// have not counted.
    pub wall_late: fn(u32) -> String,
    /// How many bureaux' latest PV the server refused (none: not said).
    pub wall_refused: fn(u32) -> String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every error code the server can send has its own sentence in both
    /// languages: a volunteer never reads a bare code, except for the ones
    /// a correct app cannot cause (a malformed request, a code added later).
    #[test]
    fn every_error_code_a_person_can_meet_has_a_sentence() {
        let generic = [ErrorCode::BadRequest, ErrorCode::Unknown];
        for lang in Lang::ALL {
            for code in ErrorCode::ALL {
                let text = (lang.common_texts().api_error)(code);
                assert!(!text.trim().is_empty());
                let bare = text.contains(code.as_str());
                assert_eq!(bare, generic.contains(&code), "{lang:?} {code:?}: {text}");
            }
        }
    }

    #[test]
    fn a_language_is_found_by_its_code_and_only_by_it() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        for other in ["", "FR", "de", "fr-FR", "en "] {
            assert_eq!(Lang::from_code(other), None, "{other:?}");
        }
    }

    #[test]
    fn coverage_and_the_bureaux_left_are_grouped_and_agreed() {
        let (fr, en) = (Lang::Fr.results_texts(), Lang::En.results_texts());
        assert_eq!(
            (fr.coverage)(41_234, 70_000, "58,91\u{a0}%"),
            "41\u{202f}234 bureaux sur 70\u{202f}000 (58,91\u{a0}%)"
        );
        assert_eq!(
            (en.coverage)(41_234, 70_000, "58.91%"),
            "41,234 of 70,000 polling stations (58.91%)"
        );
        assert!((fr.still_unknown)(1, 13).starts_with("1 bureau restant sur 13, "));
        assert!(
            (fr.still_outstanding)(28_766, 70_000, "1 000").starts_with(
                "28\u{202f}766 bureaux restants sur 70\u{202f}000, 1 000\u{a0}inscrits"
            )
        );
        assert!((en.still_unknown)(1, 13).starts_with("1 of 13 stations left, "));
    }

    #[test]
    fn figures_are_written_as_each_language_writes_them() {
        let (fr, en) = (Lang::Fr.common_texts(), Lang::En.common_texts());
        assert_eq!(fr.count(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(en.count(1_234_567), "1,234,567");
        assert_eq!(fr.percent(3093), "30,93\u{a0}%");
        assert_eq!(en.percent(3093), "30.93%");
    }
}
