//! The review of the agreed PV (core's rules with the tally as a third
//! source, texts too long to sign, each warning's explanation to start
//! from, what a broken rule is about) and signing it through a [`Signer`].

use pointage_core::rules::{self, Finding};
use pointage_core::sheet::{TableSheet, gather_sheets, tables_of};
use pointage_core::{
    ElectionView, Field, ProcesVerbal, ReturnDraft, RuleCode, SignError, SignedReturn, TallyLog,
    TallySummary, TextField, UnsignedReturn,
};
use std::collections::BTreeMap;

use super::PvSession;
use crate::ports::{Signer, Storage, WriteError};
use crate::pv::PvStore;

/// The agreed PV, read over before signing.
#[derive(Clone, Debug)]
pub struct Review {
    pub pv: ProcesVerbal,
    pub by: (String, String),
    /// Core's rules, with the tally as a third source when there is one.
    pub findings: Vec<Finding>,
    pub tally: Option<TallySummary>,
    /// Texts too long for a return (entered by an older version that did
    /// not refuse them): only starting again can shorten them.
    pub too_long: Vec<(TextField, usize)>,
    /// Each warning's explanation to start from: as typed before; for a
    /// correction, as the replaced version gave it; for W1, the gap's
    /// explanation written at the close of polls.
    pub explanations: Vec<(RuleCode, String)>,
    /// The bureau's inscrits in the election's definition, if it has them.
    pub inscrits_defined: Option<u32>,
}

/// What a broken rule is about, for the person to read under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// H4 because the PV's inscrits are not the definition's: these are.
    InscritsDefined(u32),
    /// H5: a figure of the PV against the tally's count of it.
    TallyGap {
        field: Field,
        counted: u64,
        typed: u64,
    },
    /// H5: a packet whose marks do not add up (still open, or short).
    PacketOpen(u32),
}

impl Review {
    /// What the person reads under `finding`: for H4 the definition's
    /// inscrits, for H5 each field's tally against the PV and the packets
    /// not closed; nothing for the other rules (their sentence says it).
    pub fn details(&self, finding: &Finding) -> Vec<Detail> {
        match finding.code {
            RuleCode::H4 => match self.inscrits_defined {
                Some(n) if self.pv.inscrits != Some(n) => vec![Detail::InscritsDefined(n)],
                _ => Vec::new(),
            },
            RuleCode::H5 => {
                let Some(s) = &self.tally else {
                    return Vec::new();
                };
                let figures = self.pv.figures();
                let gaps = finding.fields.iter().filter_map(|field| {
                    let counted = match field {
                        Field::Blancs => s.blancs,
                        Field::Nuls => s.nuls,
                        Field::Voix(id) => s.voix.get(id).copied().unwrap_or(0),
                        _ => return None,
                    };
                    let typed = figures.get(field).copied().flatten()?;
                    Some(Detail::TallyGap {
                        field: field.clone(),
                        counted,
                        typed,
                    })
                });
                gaps.chain(s.unbalanced_packets.iter().map(|n| Detail::PacketOpen(*n)))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether something must change before the PV can be signed.
    pub fn blocked(&self) -> bool {
        !self.too_long.is_empty()
            || self
                .findings
                .iter()
                .any(|f| f.code.severity() == rules::Severity::Error)
    }
}

/// Why a signed version was not kept. Nothing was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PvSignError {
    /// The key did not sign, or its signature does not hold for the key the
    /// return names.
    KeyUnreadable,
    Write(WriteError),
}

impl PvStore {
    /// Signs `unsigned` through `signer`, checks the signature, and keeps
    /// the signed version after `previous` with its place in the outbox,
    /// dropping the finished entry, in one write.
    pub async fn sign(
        &self,
        s: &impl Storage,
        previous: &[SignedReturn],
        unsigned: UnsignedReturn,
        signer: &impl Signer,
    ) -> Result<SignedReturn, PvSignError> {
        let sig = signer
            .sign(unsigned.message())
            .await
            .ok_or(PvSignError::KeyUnreadable)?;
        let check = unsigned
            .signature_check(&sig)
            .map_err(|_| PvSignError::KeyUnreadable)?;
        let held = signer.verified(vec![check]).await;
        let signed = unsigned
            .assemble_with(&sig, &held)
            .map_err(|_| PvSignError::KeyUnreadable)?;
        self.store_signed(s, previous, &signed)
            .await
            .map_err(PvSignError::Write)?;
        Ok(signed)
    }
}

impl PvSession {
    /// The agreed PV with what core's rules find in it, once both entries
    /// agree. With table `sheets`, the tally is what they add up to, and a
    /// table with one sheet raises W6; with the day's last report
    /// (`turnout`, its checkpoint and count), émargements below it raise W7.
    pub fn review(
        &self,
        election: &ElectionView,
        tally: Option<&TallyLog>,
        sheets: &[TableSheet],
        turnout: Option<&(String, u32)>,
    ) -> Option<Review> {
        let pv = self.entry.de.agreed()?.clone();
        let (a, b) = self.entry.de.agreed_by()?;
        let mut one_sheet = Vec::new();
        let summary = if sheets.is_empty() {
            tally.map(TallyLog::summary)
        } else {
            let g = gather_sheets(election, &tables_of(sheets), sheets);
            one_sheet = g.one_sheet();
            Some(g.summary)
        };
        let mut findings = rules::check(election, &election.bureau.code, &pv, summary.as_ref());
        findings.extend(rules::one_sheet_tables(&one_sheet));
        findings.extend(rules::below_turnout(&pv, turnout));
        let too_long = [a, b]
            .into_iter()
            .filter(|n| !pointage_core::text_fits(n))
            .map(|n| (TextField::Entrant, n.len()))
            .chain(pv.texts_too_long())
            .collect();
        let polls_note = tally.and_then(|l| l.polls().map(|p| p.explanation.clone()));
        let kept = &self.entry.record.explanations;
        // A correction starts from the explanations of the version it
        // replaces, each warning that still stands keeping its words.
        let replaced = self
            .correction()
            .and_then(|_| self.returns.last())
            .map(|r| &r.body().explanations);
        let explanations = findings
            .iter()
            .filter(|f| f.code.severity() == rules::Severity::Warning)
            .map(|f| {
                let start = kept
                    .get(&f.code)
                    .or_else(|| replaced.and_then(|e| e.get(&f.code)))
                    .cloned()
                    .or_else(|| {
                        (f.code == RuleCode::W1)
                            .then(|| polls_note.clone())
                            .flatten()
                    })
                    .unwrap_or_default();
                (f.code, start)
            })
            .collect();
        Some(Review {
            pv,
            by: (a.to_owned(), b.to_owned()),
            findings,
            tally: summary,
            too_long,
            explanations,
            inscrits_defined: election.bureau.inscrits,
        })
    }

    /// The agreed PV as a return to sign: core's checks, before the key is
    /// asked. `explanations` as the review holds them.
    pub fn unsigned(
        &self,
        election: &ElectionView,
        device_key: &str,
        (tally, sheets): (Option<&TallyLog>, &[TableSheet]),
        turnout: Option<(String, u32)>,
        explanations: BTreeMap<RuleCode, String>,
        now: u64,
    ) -> Result<UnsignedReturn, SignError> {
        let correction = self
            .correction()
            .and_then(|c| Some((self.returns.last()?, c.reason.clone())));
        let draft = ReturnDraft {
            turnout,
            tables: sheets,
            bureau: &election.bureau.code,
            entry: &self.entry.de,
            explanations,
            tally,
            correction,
        };
        SignedReturn::prepare(election, draft, device_key, now)
    }
}
