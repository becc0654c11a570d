//! The report, in French (the default) or English: what was checked, the
//! results recomputed, every change of a bureau's key, and each
//! discrepancy, by bureau. Every sentence the verifier says is in
//! `fr.rs` and `en.rs`, one [`Words`] each: a sentence missing from one
//! language does not compile.
//!
//! Every text a record brings (names, codes, reasons) is printed escaped: a
//! control or bidirectional character in it is written as `\u{…}`, so that
//! no record can move the cursor, recolour or rewrite what the report says
//! on a terminal ([`escape`]).

mod en;
mod fr;

use crate::{Figure, Problem, Report};
use pointage_core::VerifyError;
use pointage_core::log::{KeyChange, KeyError};
use pointage_core::sheet::SheetError;
use pointage_core::turnout::ReportError;
use pointage_core::wire::BureauState;
use std::fmt::Write;

pub use pointage_texts::Lang;

/// What the verifier says, in one language.
pub trait Words: Sync {
    /// A count as the language writes it ("70 000" / "70,000").
    fn count(&self, n: u64) -> String;
    /// Basis points as a percentage ("12,34 %" / "12.34%"), or "—".
    fn percent(&self, bp: Option<u32>) -> String;
    /// Why a turnout report is refused.
    fn report_why(&self, e: &ReportError) -> String;
    /// Why a photo document is refused.
    fn photos_why(&self, e: &pointage_core::photo::PhotosError) -> &'static str;
    /// A bureau's state as the results page names it; `None`: listed not
    /// once, or not in the definition.
    fn state(&self, s: Option<BureauState>) -> &'static str;
    /// Why a return is refused.
    fn why(&self, e: &VerifyError) -> &'static str;
    /// Why a return's table sheets do not hold.
    fn sheet_why(&self, e: &SheetError) -> &'static str;
    /// A published figure's name.
    fn figure(&self, f: &Figure) -> String;
    /// What is wrong with the keys' history.
    fn key_why(&self, e: &KeyError) -> String;
    /// One discrepancy, as a line of the report.
    fn say(&self, p: &Problem) -> String;
    /// One change of a bureau's key.
    fn change(&self, c: &KeyChange) -> String;

    // The report's lines, in their order.
    fn title(&self) -> &'static str;
    /// `hash`: its first 16 digits.
    fn election_line(&self, name: &str, id: &str, hash: &str) -> String;
    /// `root`: its first 16 digits; `at`: when the head was signed.
    fn log_line(&self, leaves: u64, root: &str, at: u64) -> String;
    fn returns_line(&self, read: u64, accepted: u64) -> String;
    fn closed(&self) -> &'static str;
    fn no_key_change(&self) -> &'static str;
    fn key_changes(&self, n: u64) -> String;
    /// `n` bureaux kept the key they had in election `from`.
    fn carried(&self, from: &str, n: u64) -> String;
    fn other_key_version(&self, bureau: &str, version: u32, sequence: u64) -> String;
    fn counted_line(&self, reporting: u64, total: u64) -> String;
    fn candidate_line(&self, name: &str, votes: u64, percent_bp: Option<u32>) -> String;
    fn totals_line(&self, exprimes: u64, blancs: u64, nuls: u64) -> String;
    /// Whether the published results were given and compared.
    fn compared(&self, compared: bool) -> &'static str;
    fn checked_against(&self, receipts: u64, heads: u64) -> String;
    fn open_data_checked(&self, files: u64) -> String;
    /// Photo documents read and accepted, and their pages.
    fn photos_line(&self, read: u64, accepted: u64, pages: u64) -> String;
    /// Pictures fetched and checked against their hashes (`--photos`).
    fn pictures_checked(&self, pages: u64) -> String;
    fn holds(&self) -> &'static str;
    fn discrepancies(&self, n: u64) -> String;

    // The command's own lines.
    /// The record or a published file could not be read: `why`.
    fn cannot_read(&self, why: &str) -> String;
    /// The watcher's first head, a head unchanged, a head grown.
    fn watch_first(&self, at: u64, leaves: u64, root: &str) -> String;
    fn watch_same(&self, at: u64, leaves: u64) -> String;
    fn watch_consistent(&self, at: u64, leaves: u64, previous: u64) -> String;
    /// The watcher's alerts: a head not signed; two histories (size and
    /// root of each), both heads kept in the file `kept_in`.
    fn watch_not_signed(&self, leaves: u64) -> String;
    fn watch_fork(&self, shown: (u64, &str), kept: (u64, &str), kept_in: &str) -> String;
}

/// The verifier's sentences in `lang`.
pub fn words(lang: Lang) -> &'static dyn Words {
    match lang {
        Lang::Fr => &fr::Fr,
        Lang::En => &en::En,
    }
}

/// A key or hash as a report shows it: its first 16 characters.
pub fn short(text: &str) -> &str {
    text.get(..16).unwrap_or(text)
}

/// The text with every character a terminal would act on, or that would
/// reorder what is shown, written as `\u{…}`: C0 controls but the line
/// feed, DEL, C1 controls, and the bidirectional marks, embeddings,
/// overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if pointage_core::election::acts_on_display(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A time of the log (ms since 1970) as a date and time in UTC
/// (`2027-01-22 19:05:00 UTC`; core's `utc_rfc3339`, said for a person).
pub fn utc(ms: u64) -> String {
    let t = pointage_core::day::utc_rfc3339(ms);
    format!("{} {} UTC", &t[..10], &t[11..19])
}

/// One discrepancy, as a line of the report.
pub fn say(lang: Lang, p: &Problem) -> String {
    words(lang).say(p)
}

/// The whole report, escaped (see [`escape`]).
pub fn render(lang: Lang, r: &Report) -> String {
    escape(&render_text(words(lang), r))
}

fn render_text(w: &dyn Words, r: &Report) -> String {
    let mut lines = vec![w.title().to_owned()];
    if let Some(e) = &r.election {
        lines.push(w.election_line(e.name(), e.id(), short(e.hash())));
    }
    if let Some(h) = &r.head {
        let h = &h.head;
        lines.push(w.log_line(h.tree_size, short(&h.root_hash), h.timestamp));
    }
    lines.push(w.returns_line(r.returns as u64, r.accepted as u64));
    if r.closed_at.is_some() {
        lines.push(w.closed().to_owned());
    }
    if r.rekeyed.is_empty() {
        lines.push(w.no_key_change().to_owned());
    } else {
        lines.push(w.key_changes(r.rekeyed.len() as u64));
        lines.extend(r.rekeyed.iter().map(|c| format!("  - {}", w.change(c))));
    }
    lines.extend(
        r.carried
            .iter()
            .map(|(from, n)| format!("  {}", w.carried(from, *n as u64))),
    );
    lines.extend(r.other_key_versions.iter().map(|v| {
        format!(
            "  ! {}",
            w.other_key_version(&v.bureau, v.version, v.sequence)
        )
    }));
    if let Some(res) = &r.results {
        lines.push(w.counted_line(res.coverage.reporting.into(), res.coverage.total.into()));
        lines.extend(res.candidates.iter().map(|c| {
            format!(
                "  {}",
                w.candidate_line(&c.name, c.votes, c.percent_of_exprimes_bp)
            )
        }));
        lines.push(format!(
            "  {}",
            w.totals_line(res.exprimes, res.blancs, res.nuls)
        ));
        lines.push(w.compared(r.compared).to_owned());
    }
    if r.receipts_checked + r.heads_checked > 0 {
        lines.push(w.checked_against(r.receipts_checked as u64, r.heads_checked as u64));
    }
    if r.photo_documents > 0 {
        let pages = r.photos.iter().map(|p| p.pages.len() as u64).sum();
        lines.push(w.photos_line(r.photo_documents as u64, r.photos.len() as u64, pages));
    }
    if r.pictures_checked > 0 {
        lines.push(w.pictures_checked(r.pictures_checked as u64));
    }
    if r.open_data_checked > 0 {
        lines.push(w.open_data_checked(r.open_data_checked as u64));
    }
    if r.holds() {
        lines.push(w.holds().to_owned());
    } else {
        lines.push(w.discrepancies(r.problems.len().max(1) as u64));
        lines.extend(r.problems.iter().map(|p| format!("  - {}", w.say(p))));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pointage_core::open_data::File;

    fn problems() -> Vec<Problem> {
        let b = || "DEMO-001".to_owned();
        vec![
            Problem::Unreadable {
                line: 3,
                bureau: Some(b()),
            },
            Problem::LeafOrder {
                index: 4,
                expected: 3,
            },
            Problem::ServerKey {
                record: "é".repeat(20),
                pinned: "ab".repeat(32),
            },
            Problem::Keys(KeyError::TwoKeys {
                bureau: b(),
                index: 5,
                held_since: 2,
            }),
            Problem::Return {
                bureau: Some(b()),
                sequence: 7,
                error: VerifyError::BadSignature,
            },
            Problem::Report {
                bureau: None,
                sequence: 8,
                error: ReportError::OverInscrits {
                    count: 9,
                    inscrits: 8,
                },
            },
            Problem::State {
                bureau: b(),
                published: Some(BureauState::Received),
                recomputed: None,
            },
            Problem::OpenData {
                file: File::Turnout,
                bureau: Some(b()),
            },
            Problem::Figure {
                what: Figure::Votes("Camille".into()),
                published: "1".into(),
                recomputed: "2".into(),
            },
            Problem::ReceiptContradicted {
                bureau: b(),
                version: 2,
                sequence: 11,
            },
            Problem::HeadContradicted { size: 12 },
            Problem::Photos {
                bureau: Some(b()),
                sequence: 13,
                error: pointage_core::photo::PhotosError::UnknownReturn,
            },
            Problem::PhotosKeyNotHeld {
                bureau: b(),
                sequence: 14,
            },
            Problem::PhotoBytes {
                bureau: b(),
                page: 2,
                sha256: "ab".repeat(32),
                fault: crate::photos::PhotoFault::Altered,
            },
            Problem::PhotoBytes {
                bureau: b(),
                page: 1,
                sha256: "cd".repeat(32),
                fault: crate::photos::PhotoFault::Unreachable("404".into()),
            },
        ]
    }

    #[test]
    fn each_problem_is_said_in_each_language_with_its_punctuation() {
        for p in problems() {
            let (fr, en) = (say(Lang::Fr, &p), say(Lang::En, &p));
            assert_ne!(fr, en, "{p:?}");
            // French puts a space before a colon; English does not.
            for (i, _) in fr.match_indices(':') {
                let before = fr[..i].chars().last();
                assert!(matches!(before, Some(' ' | '\u{a0}')), "{fr}");
            }
            assert!(
                !en.contains(" :") && !en.contains('\u{a0}') && !en.contains('«'),
                "{en}"
            );
        }
    }

    #[test]
    fn a_key_cut_in_a_character_is_shown_whole_not_a_panic() {
        // 20 two-byte letters: byte 16 is a boundary, 15 would not be.
        assert_eq!(short(&"é".repeat(20)), "é".repeat(8));
        assert_eq!(
            short(&format!("a{}", "é".repeat(20))),
            format!("a{}", "é".repeat(20))
        );
    }
}
