//! The record's first leaves as the open data are written from them: a
//! published file is checked by writing it again from the record.

use crate::Problem;
use pointage_core::log::Tree;
use pointage_core::open_data::{File, RecordHead, SEPARATOR, results_csv, turnout_csv};
use pointage_core::turnout::{Received, SignedReport};
use pointage_core::{Election, SignedReturn};

/// What the open data are written from: the accepted returns and reports,
/// each with its leaf.
pub(crate) struct Prefix<'a> {
    pub election: &'a Election,
    pub tree: &'a Tree,
    pub returns: (&'a [SignedReturn], &'a [u64]),
    pub reports: (&'a [(SignedReport, u64)], &'a [u64]),
}

impl Prefix<'_> {
    /// An open-data file against the record: the head it names is the
    /// record's first leaves, and core writes the same bytes from them.
    pub fn check(&self, text: &str) -> Option<Problem> {
        let file = File::of(text);
        let head = RecordHead::read(text).filter(|h| {
            h.election_id == self.election.id()
                && h.size <= self.tree.len()
                && self.tree.root(h.size).map(hex::encode).as_ref() == Some(&h.root)
        });
        let Some(head) = head else {
            return Some(Problem::OpenDataHead { file });
        };
        let (returns, returns_at) = self.returns;
        let (reports, reports_at) = self.reports;
        let ours = match file {
            File::Results => results_csv(
                self.election,
                returns
                    .iter()
                    .zip(returns_at)
                    .filter(|(_, at)| **at < head.size)
                    .map(|(r, _)| (r.id(), r.body())),
                &head,
            ),
            File::Turnout => turnout_csv(
                self.election,
                reports
                    .iter()
                    .zip(reports_at)
                    .filter(|(_, at)| **at < head.size)
                    .map(|((report, at), _)| Received { report, at: *at }),
                &head,
            ),
        };
        if ours == text {
            return None;
        }
        // The first line that differs, by the bureau either names.
        let differs = ours
            .lines()
            .zip(text.lines().chain(std::iter::repeat("")))
            .position(|(a, b)| a != b)
            .unwrap_or(ours.lines().count());
        let bureau = |t: &str| {
            t.lines()
                .nth(differs)
                .and_then(|l| l.split(SEPARATOR).next())
                .map(|c| c.trim_matches('"').to_owned())
        };
        Some(Problem::OpenData {
            file,
            bureau: (differs >= 2)
                .then(|| bureau(&ours).or_else(|| bureau(text)))
                .flatten(),
        })
    }
}
