//! Turnout during the day on the bureau phone: what a person types at a
//! checkpoint (the count twice, so that 1 200 typed for 120 is caught before
//! it is signed; the members present at the opening), core's rules on it,
//! and the reports kept with their outbox and receipts.
//!
//! One key per bureau, [`Key::Reports`]: every version of every checkpoint's
//! report (canonical text, in the order signed), the outbox, the receipts.
//! Signing keeps the report and queues it in one write, so a report is shown
//! as kept only once it is durably stored. A report never blocks the count
//! or the PV: it has its own key and its own outbox, sent after the
//! returns by the same policy ([`crate::outbox`]).

use crate::outbox::Doc;
use crate::ports::{Batch, Key, Signer, Storage, WriteError};
use crate::pv::SendOutcome;
use crate::queue::{Kept, Parked, SideBySide, json};
use pointage_core::election::{Checkpoint, CheckpointKind};
use pointage_core::signature::{CheckedBeforeKept, Verifier};
use pointage_core::turnout::{
    REPORT_FORMAT, ReportBody, ReportError, SignedReport, UnsignedReport,
};
use pointage_core::wire::ErrorCode;
use pointage_core::{ElectionView, Outbox, Receipt, Replaces, names, text_fits};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct ReportRecord {
    /// Each version's canonical text, in the order signed.
    reports: Vec<String>,
    /// Its outbox, receipts and what was parked: each checkpoint's reports
    /// wait side by side.
    outbox: Outbox<()>,
    receipts: Vec<Receipt>,
    /// Refused for good, by id: see [`SideBySide`].
    parked: Parked,
}

impl SideBySide for ReportRecord {
    fn queue(&self) -> (&Outbox<()>, &[Receipt], &Parked) {
        (&self.outbox, &self.receipts, &self.parked)
    }
    fn queue_mut(&mut self) -> (&mut Outbox<()>, &mut Vec<Receipt>, &mut Parked) {
        (&mut self.outbox, &mut self.receipts, &mut self.parked)
    }
}

impl ReportRecord {
    /// Every version kept, read once from this record (each was checked
    /// before it was kept, and is not checked again).
    fn parsed(&self) -> Vec<SignedReport> {
        self.reports
            .iter()
            .filter_map(|t| SignedReport::from_bytes_with(t.as_bytes(), &CheckedBeforeKept).ok())
            .collect()
    }
}

/// What a person typed at a checkpoint, as text (it may not be a number).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Typed {
    pub count: String,
    /// The count typed again, without seeing the first.
    pub again: String,
    /// At the opening: the members present, one name each.
    pub present: Vec<String>,
    /// Why the count is below an earlier checkpoint's (T2).
    pub explanation: String,
    /// For a correction: why.
    pub reason: String,
}

/// Why what was typed is not a report yet. Nothing is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypingError {
    NotANumber,
    /// The two counts differ: one of them is mistyped.
    NotTheSame,
    /// T1: more signatures than the bureau's inscrits.
    OverInscrits {
        count: u32,
        inscrits: u32,
    },
    /// T2: below the count of an earlier checkpoint; a written explanation
    /// is needed (or a correction of that one).
    BelowEarlier {
        checkpoint: String,
        count: u32,
    },
    /// The opening names no member present.
    NonePresent,
    /// A correction without its reason.
    NoReason,
    /// A text over the limit of a report's texts.
    TooLong,
    /// Core refused it otherwise (a checkpoint the election has not).
    Refused(ReportError),
}

/// Why a report was not kept. Nothing was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportSignError {
    /// The key did not sign, or its signature does not hold.
    KeyUnreadable,
    /// Another tab kept a version of this checkpoint meanwhile.
    Write(WriteError),
}

/// Where a checkpoint stands on this phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    NotReported,
    /// Kept, waiting for the server's receipt.
    Waiting(SignedReport),
    /// Refused by the server for good, with its code.
    Parked(SignedReport, ErrorCode),
    /// The server's receipt is kept.
    Received(SignedReport, Receipt),
}

impl Standing {
    /// The latest version kept, if any.
    pub fn report(&self) -> Option<&SignedReport> {
        match self {
            Standing::NotReported => None,
            Standing::Waiting(r) | Standing::Parked(r, _) | Standing::Received(r, _) => Some(r),
        }
    }
}

/// Reads what was typed at `checkpoint` into the report to sign, by core's
/// rules: the two counts equal, T1, T2 (with `earlier`, the bureau's latest
/// counts at the checkpoints due before, an explanation is needed), the
/// opening's members, a correction's reason. `previous`: the version it
/// corrects.
pub fn prepare(
    election: &ElectionView,
    checkpoint: &Checkpoint,
    typed: &Typed,
    previous: Option<&SignedReport>,
    earlier: &[(String, u32)],
    device_key: &str,
    now: u64,
) -> Result<UnsignedReport, TypingError> {
    let clean = |t: &str| t.trim().to_owned();
    let (count, present) = match checkpoint.kind {
        CheckpointKind::Opening => {
            let present: Vec<String> = typed
                .present
                .iter()
                .map(|n| clean(n))
                .filter(|n| !names::is_blank(n))
                .collect();
            if present.is_empty() {
                return Err(TypingError::NonePresent);
            }
            (None, present)
        }
        CheckpointKind::Count => {
            let read = |t: &str| {
                let digits: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| digits.parse::<u32>().ok())
                    .flatten()
            };
            let (Some(a), Some(b)) = (read(&typed.count), read(&typed.again)) else {
                return Err(TypingError::NotANumber);
            };
            if a != b {
                return Err(TypingError::NotTheSame);
            }
            pointage_core::turnout::t1(Some(a), election.bureau.inscrits).map_err(|e| match e {
                ReportError::OverInscrits { count, inscrits } => {
                    TypingError::OverInscrits { count, inscrits }
                }
                other => TypingError::Refused(other),
            })?;
            (Some(a), Vec::new())
        }
    };
    let explanation = clean(&typed.explanation);
    let below = count.and_then(|c| pointage_core::turnout::t2(c, earlier));
    if let Some((checkpoint, count)) = below.clone().filter(|_| names::is_blank(&explanation)) {
        return Err(TypingError::BelowEarlier { checkpoint, count });
    }
    let reason = clean(&typed.reason);
    if previous.is_some() && names::is_blank(&reason) {
        return Err(TypingError::NoReason);
    }
    if !text_fits(&explanation) || !text_fits(&reason) || present.iter().any(|n| !text_fits(n)) {
        return Err(TypingError::TooLong);
    }
    let body = ReportBody {
        format: REPORT_FORMAT.into(),
        election_id: election.id.clone(),
        election_hash: election.hash.clone(),
        mode: election.mode,
        bureau: election.bureau.code.clone(),
        checkpoint: checkpoint.id.clone(),
        version: previous.map_or(1, |p| p.body().version + 1),
        replaces: previous.map(|p| Replaces {
            id: p.id().to_owned(),
            reason,
        }),
        count,
        present,
        explanation: below.map(|_| explanation),
        device_key: device_key.to_owned(),
        signed_at: now,
    };
    UnsignedReport::new(body, election, election.checkpoints(), previous).map_err(|e| match e {
        ReportError::TooLong => TypingError::TooLong,
        other => TypingError::Refused(other),
    })
}

/// Where one bureau's reports live. It holds no state of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportStore {
    key: Key,
}

impl ReportStore {
    pub fn new(election_hash: &str, bureau: &str) -> Self {
        Self {
            key: Key::Reports {
                election: election_hash.to_owned(),
                bureau: bureau.to_owned(),
            },
        }
    }

    /// Whether `key` (a change announced by another tab) is these reports.
    pub fn owns(&self, key: &Key) -> bool {
        *key == self.key
    }

    fn record(&self, s: &impl Storage) -> ReportRecord {
        crate::queue::read(s, &self.key)
    }

    /// How many reports wait for the server's receipt.
    pub fn still_to_send(&self, s: &impl Storage) -> usize {
        self.record(s).awaiting()
    }

    /// Every version kept, in the order signed (each checked before it was
    /// kept, and read without checking it again).
    pub fn reports(&self, s: &impl Storage) -> Vec<SignedReport> {
        self.record(s).parsed()
    }

    /// Where `checkpoint` stands: its latest version and whether the
    /// server has it.
    pub fn standing(&self, s: &impl Storage, checkpoint: &str) -> Standing {
        let record = self.record(s);
        let Some(latest) = record
            .parsed()
            .into_iter()
            .filter(|r| r.body().checkpoint == checkpoint)
            .max_by_key(|r| r.body().version)
        else {
            return Standing::NotReported;
        };
        if let Some(receipt) = record
            .receipts
            .iter()
            .find(|r| r.body.return_id == latest.id())
        {
            return Standing::Received(latest, receipt.clone());
        }
        match record.parked.iter().find(|(id, _)| id == latest.id()) {
            Some((_, code)) => Standing::Parked(latest, *code),
            None => Standing::Waiting(latest),
        }
    }

    /// The bureau's latest counts at the checkpoints of `election` due
    /// before `checkpoint`, in order: what T2 compares a new count with.
    pub fn earlier_counts(
        &self,
        s: &impl Storage,
        election: &ElectionView,
        checkpoint: &str,
    ) -> Vec<(String, u32)> {
        election
            .checkpoints()
            .iter()
            .take_while(|c| c.id != checkpoint)
            .filter_map(|c| {
                let count = self.standing(s, &c.id).report()?.body().count?;
                Some((c.id.clone(), count))
            })
            .collect()
    }

    /// The bureau's count at the last checkpoint of the day it reported
    /// (in the day's order, its latest version): what W7 compares the PV's
    /// émargements with.
    pub fn last_count(&self, s: &impl Storage, election: &ElectionView) -> Option<(String, u32)> {
        election.checkpoints().iter().rev().find_map(|c| {
            let count = self.standing(s, &c.id).report()?.body().count?;
            Some((c.id.clone(), count))
        })
    }

    /// Signs `unsigned` through `signer`, checks the signature, and keeps
    /// the report with its place in the outbox, in one write; refused when
    /// another tab kept a version of the same checkpoint meanwhile.
    pub async fn sign(
        &self,
        s: &impl Storage,
        unsigned: UnsignedReport,
        signer: &impl Signer,
    ) -> Result<SignedReport, ReportSignError> {
        let sig = signer
            .sign(unsigned.message())
            .await
            .ok_or(ReportSignError::KeyUnreadable)?;
        let check = unsigned
            .signature_check(&sig)
            .map_err(|_| ReportSignError::KeyUnreadable)?;
        let held = signer.verified(vec![check]).await;
        let signed = unsigned
            .assemble_with(&sig, &held)
            .map_err(|_| ReportSignError::KeyUnreadable)?;
        let b = signed.body();
        let text = String::from_utf8(signed.to_bytes())
            .map_err(|_| ReportSignError::Write(WriteError::Unavailable))?;
        s.update(|s| {
            let latest = self
                .reports(s)
                .into_iter()
                .filter(|r| r.body().checkpoint == b.checkpoint)
                .map(|r| r.body().version)
                .max()
                .unwrap_or(0);
            if latest + 1 != b.version {
                return Err(WriteError::Changed);
            }
            let mut record = self.record(s);
            record.reports.push(text);
            record.outbox.enqueue(signed.id(), ());
            Ok((Batch::new().put(self.key.clone(), json(&record)?), ()))
        })
        .await
        .map_err(ReportSignError::Write)?;
        Ok(signed)
    }

    async fn change<T>(
        &self,
        s: &impl Storage,
        change: impl FnOnce(&mut ReportRecord) -> T,
    ) -> Result<T, WriteError> {
        s.update(|s| {
            let mut record = self.record(s);
            let out = change(&mut record);
            Ok((Batch::new().put(self.key.clone(), json(&record)?), out))
        })
        .await
    }

    /// Someone asks for the parked reports to be sent again.
    pub async fn unpark(&self, s: &impl Storage) -> Result<(), WriteError> {
        if self.record(s).parked.is_empty() {
            return Ok(());
        }
        self.change(s, |r| r.unpark()).await
    }

    /// The network is back: the waiting report may go at once.
    pub async fn network_back(&self, s: &impl Storage) {
        if self.record(s).outbox.retry_at().is_some() {
            let _ = self.change(s, |r| r.outbox.network_back()).await;
        }
    }
}

/// What the one outbox policy needs of the reports
/// ([`crate::outbox::Outgoing::Reports`]).
impl ReportStore {
    pub(crate) fn is_due(&self, s: &impl Storage, now: u64) -> bool {
        self.record(s).is_due(now)
    }

    pub(crate) fn parked_ids(&self, s: &impl Storage) -> Vec<String> {
        self.record(s).parked_ids()
    }

    /// Every report waiting, each checkpoint a sender of its own (its
    /// versions in order; one checkpoint's refusal never holds back
    /// another's).
    pub(crate) fn waiting(&self, s: &impl Storage) -> Vec<Doc> {
        let record = self.record(s);
        let reports = record.parsed();
        record
            .outbox
            .pending()
            .filter_map(|i| {
                let r = reports.iter().find(|r| r.id() == i.id)?;
                Some(Doc {
                    id: i.id.clone(),
                    sender: r.body().checkpoint.clone(),
                    version: r.body().version,
                })
            })
            .collect()
    }

    pub(crate) fn text(&self, s: &impl Storage, id: &str) -> Option<String> {
        self.record(s).reports.into_iter().find(|t| {
            SignedReport::from_bytes_with(t.as_bytes(), &CheckedBeforeKept)
                .is_ok_and(|r| r.id() == id)
        })
    }

    fn kept(&self) -> Kept<'_, ReportRecord> {
        Kept {
            key: &self.key,
            kind: std::marker::PhantomData,
        }
    }

    pub(crate) async fn acknowledge(
        &self,
        s: &impl Storage,
        receipt: Receipt,
        server_key: &str,
        verifier: &impl Verifier,
    ) -> Result<(), SendOutcome> {
        self.kept()
            .acknowledge(s, receipt, server_key, verifier)
            .await
    }

    pub(crate) async fn refused(
        &self,
        s: &impl Storage,
        id: &str,
        code: ErrorCode,
    ) -> Result<(), WriteError> {
        self.kept().refused(s, id, code).await
    }

    pub(crate) async fn failed(&self, s: &impl Storage, now: u64, jitter_permille: u16) -> u64 {
        self.kept().failed(s, now, jitter_permille).await
    }
}

/// One checkpoint of the day as the phone shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayItem {
    pub checkpoint: Checkpoint,
    pub standing: Standing,
    /// Its time has come (by the phone's clock).
    pub due: bool,
    /// Not reported, and its time has come: to report now, shown late.
    pub late: bool,
}

/// The bureau's day at `now` (the phone's clock): each checkpoint of the
/// election with where it stands. Empty for an election without a day.
pub fn day(
    election: &ElectionView,
    store: &ReportStore,
    s: &impl Storage,
    now: u64,
) -> Vec<DayItem> {
    election
        .checkpoints()
        .iter()
        .map(|c| {
            let standing = store.standing(s, &c.id);
            let due = c.due_ms().is_some_and(|d| now >= d);
            DayItem {
                late: due && standing == Standing::NotReported,
                checkpoint: c.clone(),
                standing,
                due,
            }
        })
        .collect()
}

/// The checkpoint to report next: the first not reported whose time has
/// come, else the first not reported (a bureau may report early).
pub fn next_to_report(items: &[DayItem]) -> Option<&DayItem> {
    let open = |i: &&DayItem| i.standing == Standing::NotReported;
    items
        .iter()
        .filter(open)
        .find(|i| i.due)
        .or_else(|| items.iter().find(open))
}

/// Whether the day's next report is the bureau's next step (the home's
/// large button): while the evening has not begun (`evening_untouched`)
/// and a checkpoint is left to report. A checkpoint missed can still be
/// reported once the evening has begun; it no longer leads.
pub fn day_leads(evening_untouched: bool, items: &[DayItem]) -> bool {
    evening_untouched && next_to_report(items).is_some()
}
