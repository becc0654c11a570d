//! The phone as the first witness of the public record (THREATS.md,
//! promise 3): once it holds a receipt, it asks the server for its bureau's
//! part of the log, checks it with core (its returns are where their
//! receipts say, the head extends every head it held, the bureau's keys),
//! keeps the newest head, and says what it found: in the register, checked
//! at 21:42; another phone enrolled for the bureau at 21:12; the bureau's
//! code reissued; or the register does not hold what the server signed.
//!
//! Sans-IO: the app fetches the answer and checks its signatures with
//! WebCrypto (`checks`), this module decides and keeps. What a failed
//! check was shown is kept too, signed by the server: evidence.

use crate::ports::{Batch, Key, Storage, WriteError};
use crate::pv::PvStore;
use pointage_core::log::{
    BureauLog, Checked, KeyChange, LogCheckError, ProofError, SignedTreeHead, Witness,
    check_bureau_log_with,
};
use pointage_core::signature::{SignatureCheck, Verifier};
use serde::{Deserialize, Serialize};

/// How often an enrolled phone checks its bureau's part of the log while
/// it has a network: often enough that a shadow key is seen within
/// minutes, rarely enough to cost nothing.
pub const CHECK_EVERY_MS: u64 = 2 * 60 * 1000;

/// What the phone says of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict {
    /// Everything it holds is in the log the server shows; `versions` of
    /// its returns are in it.
    Holds { versions: u32 },
    /// Everything holds, but another phone was enrolled for the bureau
    /// after this one, at `at` (server time): after its code was reissued
    /// at `reissued`, or beside this one (a shadow key) when `None`.
    OtherPhone { at: u64, reissued: Option<u64> },
    /// Everything holds, but the bureau's code was reissued at `at`: this
    /// phone is no longer the bureau's.
    Reissued { at: u64 },
    /// The log the server shows does not hold what it signed before.
    Broken { why: Broken },
}

/// Why the log does not hold, as the phone says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Broken {
    /// The head or the list of the bureau's leaves is not signed by the
    /// server key the phone got at enrollment.
    NotSigned,
    /// A return acknowledged by a receipt is not in the log as received.
    ReturnMissing,
    /// The log shown does not extend a head the phone held: rewritten, or
    /// a second history.
    Rewritten,
    /// The phone's own enrollment is not in the log.
    EnrollmentMissing,
    /// The answer is for another election or bureau, or a leaf is not
    /// proven in the head.
    Unproven,
}

impl Verdict {
    /// Whether the phone must alert: anything but all holding.
    pub fn alerts(&self) -> bool {
        !matches!(self, Verdict::Holds { .. })
    }
}

/// What the phone keeps of its checks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WitnessRecord {
    /// The newest head checked and found to hold.
    pub kept: Option<SignedTreeHead>,
    /// The last check: when (the phone's clock), and what it found.
    pub checked_at: Option<u64>,
    pub verdict: Option<Verdict>,
    /// What the server showed when a check failed: its signed head and
    /// list, the evidence to show a délégué or the central team.
    pub evidence: Option<BureauLog>,
    /// How many receipts the phone held at the last check: a new one makes
    /// a check due at once.
    pub receipts_checked: usize,
}

/// Where a bureau's phone keeps what it checked of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WitnessStore {
    key: Key,
    pv: PvStore,
}

impl WitnessStore {
    pub fn new(election_hash: &str, bureau: &str) -> Self {
        Self {
            key: Key::Witness {
                election: election_hash.to_owned(),
                bureau: bureau.to_owned(),
            },
            pv: PvStore::new(election_hash, bureau),
        }
    }

    pub fn record(&self, s: &impl Storage) -> WitnessRecord {
        s.get(&self.key)
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Whether the phone holds a receipt: something of its own to find in
    /// the log.
    pub fn holds_receipts(&self, s: &impl Storage) -> bool {
        !self.pv.receipts(s).is_empty()
    }

    /// Whether a check is due at `now`: the phone holds a receipt and the
    /// last check is old enough (or its clock went back), or there was
    /// none, or a receipt came since.
    pub fn due(&self, s: &impl Storage, now: u64) -> bool {
        let receipts = self.pv.receipts(s).len();
        if receipts == 0 {
            return false;
        }
        let record = self.record(s);
        if record.receipts_checked < receipts {
            return true;
        }
        record
            .checked_at
            .is_none_or(|at| now.saturating_sub(at) >= CHECK_EVERY_MS || at > now)
    }

    /// The sizes of the heads the phone holds, to ask consistency proofs
    /// from (`/log/bureau?from=…`).
    pub fn from_sizes(&self, s: &impl Storage) -> Vec<u64> {
        let kept = self.record(s).kept;
        let returns = self.own_returns(s);
        let receipts = self.pv.receipts(s);
        let w = witness_of(&kept, &returns, &receipts, "", "", "", "");
        w.from_sizes()
    }

    /// Each kept version's bytes, for its receipt.
    fn own_returns(&self, s: &impl Storage) -> Vec<(String, Vec<u8>)> {
        self.pv
            .load(s)
            .map(|p| {
                p.returns
                    .iter()
                    .map(|r| (r.id().to_owned(), r.to_bytes()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Checks the server's answer (its signatures checked by `verifier`:
    /// WebCrypto's answers to [`checks`]), keeps the head when it holds or
    /// the evidence when it does not, and says what it found.
    #[allow(clippy::too_many_arguments)]
    pub async fn check(
        &self,
        s: &impl Storage,
        log: &BureauLog,
        election_hash: &str,
        bureau: &str,
        own_key: &str,
        server_key: &str,
        verifier: &impl Verifier,
        now: u64,
    ) -> Result<Verdict, WriteError> {
        s.update(|s| {
            let mut record = self.record(s);
            let returns = self.own_returns(s);
            let receipts = self.pv.receipts(s);
            let witness = witness_of(
                &record.kept,
                &returns,
                &receipts,
                election_hash,
                bureau,
                own_key,
                server_key,
            );
            let verdict = match check_bureau_log_with(log, &witness, verifier) {
                Ok(checked) => {
                    record.kept = Some(checked.head.clone());
                    verdict_of(&checked)
                }
                Err(e) => {
                    record.evidence = Some(log.clone());
                    Verdict::Broken { why: broken(&e) }
                }
            };
            record.checked_at = Some(now);
            record.verdict = Some(verdict.clone());
            record.receipts_checked = receipts.len();
            let text = serde_json::to_string(&record).map_err(|_| WriteError::Unavailable)?;
            Ok((Batch::new().put(self.key.clone(), text), verdict))
        })
        .await
    }
}

/// The signatures the phone checks with WebCrypto before [`WitnessStore::check`].
pub fn checks(log: &BureauLog, server_key: &str) -> Vec<SignatureCheck> {
    log.signature_checks(server_key)
}

fn witness_of<'a>(
    kept: &'a Option<SignedTreeHead>,
    returns: &'a [(String, Vec<u8>)],
    receipts: &'a [pointage_core::Receipt],
    election_hash: &'a str,
    bureau: &'a str,
    own_key: &'a str,
    server_key: &'a str,
) -> Witness<'a> {
    Witness {
        election_hash,
        bureau,
        server_key,
        own_key,
        kept: kept.as_ref().map(|h| &h.head),
        receipts: receipts
            .iter()
            .filter_map(|r| {
                let (_, bytes) = returns.iter().find(|(id, _)| *id == r.body.return_id)?;
                Some((bytes.as_slice(), r))
            })
            .collect(),
    }
}

fn verdict_of(c: &Checked) -> Verdict {
    let reissued = c.since_own.iter().find_map(|k| match k {
        KeyChange::Reissued { at, .. } => Some(*at),
        KeyChange::Rekeyed { .. } => None,
    });
    let other = c.since_own.iter().rev().find_map(|k| match k {
        KeyChange::Rekeyed { at, .. } => Some(*at),
        KeyChange::Reissued { .. } => None,
    });
    match (other, reissued) {
        (Some(at), reissued) => Verdict::OtherPhone { at, reissued },
        (None, Some(at)) => Verdict::Reissued { at },
        (None, None) => Verdict::Holds {
            versions: c.returns.iter().filter(|r| !r.other_key).count() as u32,
        },
    }
}

fn broken(e: &LogCheckError) -> Broken {
    match e {
        LogCheckError::Head(_) | LogCheckError::Listing => Broken::NotSigned,
        LogCheckError::OwnReturnMissing { .. } => Broken::ReturnMissing,
        LogCheckError::Consistency { .. } | LogCheckError::Shrunk => Broken::Rewritten,
        LogCheckError::OwnKeyMissing => Broken::EnrollmentMissing,
        LogCheckError::Inclusion {
            why: ProofError::Root | ProofError::Length | ProofError::Sizes,
            ..
        }
        | LogCheckError::OtherPlace
        | LogCheckError::Encoding(_) => Broken::Unproven,
    }
}
