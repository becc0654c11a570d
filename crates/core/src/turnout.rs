//! Turnout during the day (DOMAIN.md): a bureau's signed report at each
//! checkpoint of the election's day, its rules (T1, T2), and what is
//! published per checkpoint: the sum of the counts reported, how many
//! bureaux it covers of how many (and how many came late), and the
//! participation over the inscrits of the reporting bureaux only. Never a
//! projection: a bureau that has not reported adds nothing and is said
//! outstanding.
//!
//! A report is signed like a return (`docs/return-format.md` §9): the
//! bureau key over [`REPORT_SIGNING_CONTEXT`] then the body's canonical
//! bytes; its id is the SHA-256 of those body bytes. A wrong report is
//! corrected by the next version of the same checkpoint, naming the one it
//! replaces and why; the old one stays in the record. Keys and times are
//! passed in; nothing here reads a clock.

use crate::canonical::{self, CanonicalError};
use crate::election::{Checkpoint, CheckpointKind, Election, Mode};
use crate::election_view::ElectionRef;
use crate::pv::{MAX_TEXT_BYTES, text_fits};
use crate::signature::{DeviceSigned, Ed25519, Seal, SignatureCheck, Verifier, signature_hex};
use crate::signed_return::{MAX_VERSIONS, Replaces};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use thiserror::Error;

/// The `format` of a turnout report.
pub const REPORT_FORMAT: &str = "pointage-turnout/1";

/// What a report's signature covers is this prefix then the body's
/// canonical bytes: no return, sheet or receipt signature passes for one.
pub const REPORT_SIGNING_CONTEXT: &[u8] = b"pointage-turnout/1\n";

/// The most members an opening report names.
pub const MAX_PRESENT: usize = 20;

/// Everything a report says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// Always [`REPORT_FORMAT`].
    pub format: String,
    pub election_id: String,
    pub election_hash: String,
    pub mode: Mode,
    pub bureau: String,
    /// The checkpoint's identifier in the definition.
    pub checkpoint: String,
    /// 1, then n + 1 for the correction of version n of the same
    /// checkpoint.
    pub version: u32,
    pub replaces: Option<Replaces>,
    /// A count checkpoint's signatures on the émargement list; none at the
    /// opening.
    pub count: Option<u32>,
    /// The opening's members present; empty at a count checkpoint.
    pub present: Vec<String>,
    /// Why the count is below an earlier checkpoint's (T2), when it is.
    pub explanation: Option<String>,
    pub device_key: String,
    /// The phone's clock when it signed, milliseconds since 1970
    /// (information only).
    pub signed_at: u64,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    body: ReportBody,
    signature: String,
}

/// A report whose signature holds for the key it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Envelope", into = "Envelope")]
pub struct SignedReport {
    body: ReportBody,
    signature: [u8; 64],
    id: String,
}

/// Why a report is not taken: its own form (first), then against the
/// election and the bureau's earlier versions.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReportError {
    #[error("the report is not in its canonical encoding: {0}")]
    Encoding(#[from] CanonicalError),
    #[error("unknown report format")]
    UnknownFormat,
    #[error("malformed key or signature")]
    MalformedKey,
    #[error("the signature does not verify with the key the report names")]
    BadSignature,
    #[error("the report is for another election (or another definition of it)")]
    OtherElection,
    #[error("the election has no bureau {0:?}")]
    UnknownBureau(String),
    #[error("the election's day has no checkpoint {0:?}")]
    UnknownCheckpoint(String),
    /// A count where the checkpoint is the opening, none at a count
    /// checkpoint, or members present outside the opening.
    #[error("the report does not give what its checkpoint asks (a count, or the members present)")]
    NotWhatItAsks,
    /// T1: a count over the bureau's inscrits.
    #[error("T1: {count} signatures is over the bureau's {inscrits} inscrits")]
    OverInscrits { count: u32, inscrits: u32 },
    #[error("a text is over {MAX_TEXT_BYTES} bytes, or more than {MAX_PRESENT} members are named")]
    TooLong,
    /// Version 1 replaces nothing; version n + 1 replaces version n, by its
    /// id, with a reason.
    #[error("the version does not follow the bureau's previous report for this checkpoint")]
    Chain,
    #[error("the bureau already has {MAX_VERSIONS} versions of this report")]
    TooManyVersions,
}

impl ReportBody {
    /// This body as the device key it names signs it, over its canonical
    /// bytes `body`.
    fn sealed<'a>(&'a self, body: &'a [u8]) -> DeviceSigned<'a> {
        DeviceSigned {
            context: REPORT_SIGNING_CONTEXT,
            body,
            key_hex: &self.device_key,
        }
    }
}

impl From<Seal> for ReportError {
    fn from(s: Seal) -> Self {
        match s {
            Seal::Malformed => ReportError::MalformedKey,
            Seal::Fails => ReportError::BadSignature,
        }
    }
}

impl ReportBody {
    fn within_limits(&self) -> bool {
        self.present.len() <= MAX_PRESENT
            && self.present.iter().all(|n| text_fits(n))
            && self.explanation.as_deref().is_none_or(text_fits)
            && self.replaces.as_ref().is_none_or(|r| text_fits(&r.reason))
    }
}

impl SignedReport {
    /// Decodes a report from its canonical bytes and checks its signature
    /// against the key it names.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ReportError> {
        Self::from_bytes_with(bytes, &Ed25519)
    }

    pub fn from_bytes_with(bytes: &[u8], verifier: &impl Verifier) -> Result<Self, ReportError> {
        let e: Envelope = canonical::decode(bytes)?;
        Self::verified(e, verifier)
    }

    fn verified(e: Envelope, verifier: &impl Verifier) -> Result<Self, ReportError> {
        if e.body.format != REPORT_FORMAT {
            return Err(ReportError::UnknownFormat);
        }
        if !e.body.within_limits() {
            return Err(ReportError::TooLong);
        }
        let body = canonical::encode(&e.body)?;
        let signature = e.body.sealed(&body).verdict(&e.signature, verifier)?;
        Ok(SignedReport {
            id: hex::encode(Sha256::digest(&body)),
            body: e.body,
            signature,
        })
    }

    /// The canonical bytes: what is sent, stored and published.
    pub fn to_bytes(&self) -> Vec<u8> {
        canonical::encode(&Envelope::from(self.clone())).unwrap_or_default()
    }

    pub fn body(&self) -> &ReportBody {
        &self.body
    }

    /// Lowercase hex SHA-256 of the body's canonical bytes.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Checks the report against `election` and the bureau's previous
    /// version of the same checkpoint (`None`: this is its first): T1, what
    /// the checkpoint asks, and the chain. Whether the key holds the bureau
    /// is the key history's (the server's enrollment, the record's log).
    pub fn check<E: ElectionRef + ?Sized>(
        &self,
        election: &E,
        checkpoints: &[Checkpoint],
        previous: Option<&SignedReport>,
    ) -> Result<(), ReportError> {
        self.check_content(election, checkpoints)?;
        self.check_chain(previous.map(|p| (p.id(), p.body.version)))
    }

    /// The checks against the election alone: the definition it was made
    /// under, a bureau and a checkpoint it has, what the checkpoint asks,
    /// T1.
    pub fn check_content<E: ElectionRef + ?Sized>(
        &self,
        election: &E,
        checkpoints: &[Checkpoint],
    ) -> Result<(), ReportError> {
        check_body(&self.body, election, checkpoints)
    }

    /// The chain against the previous version of the same bureau and
    /// checkpoint, by its id and version (`None`: there is none): version
    /// 1 replaces nothing; version n + 1 replaces version n with a reason.
    pub fn check_chain(&self, previous: Option<(&str, u32)>) -> Result<(), ReportError> {
        let b = &self.body;
        match crate::signed_return::follows(b.version, b.replaces.as_ref(), previous) {
            Ok(()) => Ok(()),
            Err(crate::signed_return::ChainBreak::Broken) => Err(ReportError::Chain),
            Err(crate::signed_return::ChainBreak::TooMany) => Err(ReportError::TooManyVersions),
        }
    }
}

/// The body's own checks against the election: the definition it was made
/// under, a bureau and a checkpoint it has, what the checkpoint asks, T1.
fn check_body<E: ElectionRef + ?Sized>(
    b: &ReportBody,
    election: &E,
    checkpoints: &[Checkpoint],
) -> Result<(), ReportError> {
    if b.election_id != election.id()
        || b.election_hash != election.hash()
        || b.mode != election.mode()
    {
        return Err(ReportError::OtherElection);
    }
    let bureau = election
        .bureau(&b.bureau)
        .ok_or_else(|| ReportError::UnknownBureau(b.bureau.clone()))?;
    let checkpoint = checkpoints
        .iter()
        .find(|c| c.id == b.checkpoint)
        .ok_or_else(|| ReportError::UnknownCheckpoint(b.checkpoint.clone()))?;
    match (checkpoint.kind, b.count) {
        (CheckpointKind::Opening, None) => {}
        (CheckpointKind::Count, Some(_)) if b.present.is_empty() => {}
        _ => return Err(ReportError::NotWhatItAsks),
    }
    t1(b.count, bureau.inscrits)
}

/// T1 (hard): a count is at most the bureau's inscrits, where known.
pub fn t1(count: Option<u32>, inscrits: Option<u32>) -> Result<(), ReportError> {
    match (count, inscrits) {
        (Some(count), Some(inscrits)) if count > inscrits => {
            Err(ReportError::OverInscrits { count, inscrits })
        }
        _ => Ok(()),
    }
}

/// T2 (warning): the count of an earlier checkpoint of the same bureau that
/// `count` is below (signatures only grow), if any: `earlier` are the
/// bureau's latest counts of the checkpoints due before, in order.
pub fn t2(count: u32, earlier: &[(String, u32)]) -> Option<(String, u32)> {
    earlier.iter().rev().find(|(_, c)| count < *c).cloned()
}

/// A report to sign: its body, and the bytes the bureau key signs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsignedReport {
    body: ReportBody,
}

impl UnsignedReport {
    /// The body as given, checked against the election and the previous
    /// version like a received report is (so the phone never signs what
    /// the server would refuse).
    pub fn new<E: ElectionRef + ?Sized>(
        body: ReportBody,
        election: &E,
        checkpoints: &[Checkpoint],
        previous: Option<&SignedReport>,
    ) -> Result<Self, ReportError> {
        if !body.within_limits() {
            return Err(ReportError::TooLong);
        }
        let probe = SignedReport {
            id: String::new(),
            body,
            signature: [0; 64],
        };
        probe.check(election, checkpoints, previous)?;
        Ok(UnsignedReport { body: probe.body })
    }

    pub fn body(&self) -> &ReportBody {
        &self.body
    }

    /// Context then canonical body: what the bureau key signs.
    pub fn message(&self) -> Vec<u8> {
        let body = canonical::encode(&self.body).unwrap_or_default();
        self.body.sealed(&body).message()
    }

    /// What must hold for `signature` to be the device key's over
    /// [`Self::message`]: for the phone, which checks it with WebCrypto
    /// before [`Self::assemble_with`].
    pub fn signature_check(&self, signature: &[u8]) -> Result<SignatureCheck, ReportError> {
        let body = canonical::encode(&self.body)?;
        Ok(self.body.sealed(&body).check(signature)?)
    }

    /// The signed report, once `verifier` says `signature` holds.
    pub fn assemble_with(
        self,
        signature: &[u8],
        verifier: &impl Verifier,
    ) -> Result<SignedReport, ReportError> {
        SignedReport::verified(
            Envelope {
                body: self.body,
                signature: signature_hex(signature)?,
            },
            verifier,
        )
    }

    /// Signs with a secret key held in memory (tests, the rehearsal's
    /// simulated phones).
    pub fn sign(self, secret: &[u8; 32]) -> Result<SignedReport, ReportError> {
        let body = canonical::encode(&self.body)?;
        let signature = self.body.sealed(&body).sign(secret);
        self.assemble_with(&signature, &Ed25519)
    }
}

impl TryFrom<Envelope> for SignedReport {
    type Error = ReportError;
    fn try_from(e: Envelope) -> Result<Self, Self::Error> {
        Self::verified(e, &Ed25519)
    }
}

impl From<SignedReport> for Envelope {
    fn from(r: SignedReport) -> Self {
        Envelope {
            body: r.body,
            signature: hex::encode(r.signature),
        }
    }
}

/// What is published for one checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckpointTurnout {
    pub checkpoint: String,
    pub kind: CheckpointKind,
    /// Its time, as the definition gives it.
    pub due: String,
    /// The sum of the counts reported (0 at the opening).
    pub signatures: u64,
    /// How many bureaux reported, of how many.
    pub reporting: u32,
    pub bureaux: u32,
    /// Of those reporting, how many first reported after the time due.
    pub late: u32,
    /// The inscrits of the reporting bureaux, when every one of them has
    /// inscrits (`None`: an open primary, or one without).
    pub inscrits_reporting: Option<u64>,
    /// Participation over those inscrits only, in basis points (12.34 % is
    /// 1234); never over the bureaux that have not reported.
    pub participation_bp: Option<u32>,
    /// Bureaux whose count is below one of their earlier checkpoints' (T2),
    /// with or without an explanation.
    pub below_earlier: Vec<String>,
}

/// One report as the server received it: the report, and when (the
/// record's time for its leaf, milliseconds since 1970).
pub struct Received<'a> {
    pub report: &'a SignedReport,
    pub at: u64,
}

/// Each (checkpoint, bureau)'s latest version among `received`, with when
/// its first version came: what the figures and the open data count.
/// Reports for another definition or bureau are left out.
pub fn latest<'a>(
    election: &Election,
    received: impl IntoIterator<Item = Received<'a>>,
) -> BTreeMap<(&'a str, &'a str), (&'a SignedReport, u64)> {
    let mut latest: BTreeMap<(&str, &str), (&SignedReport, u64)> = BTreeMap::new();
    for r in received {
        let b = r.report.body();
        if !counts_for(election, b) {
            continue;
        }
        latest
            .entry((b.checkpoint.as_str(), b.bureau.as_str()))
            .and_modify(|(rep, _)| {
                if b.version > rep.body().version {
                    *rep = r.report;
                }
            })
            .or_insert((r.report, r.at));
    }
    latest
}

/// Whether a report can count for `election`: one of its definition, for
/// one of its bureaux.
fn counts_for(election: &Election, b: &ReportBody) -> bool {
    b.election_hash == election.hash() && election.bureau(&b.bureau).is_some()
}

/// Each (checkpoint, bureau)'s latest report with when its first version
/// came, kept as reports are received (in the order received, a few at a
/// time): what [`compute`] counts, without holding every version. Its
/// [`Counting::received`] given to [`compute`] gives the figures of every
/// report received so far at once. The server keeps one per election.
#[derive(Clone, Debug, Default)]
pub struct Counting {
    latest: BTreeMap<(String, String), (SignedReport, u64)>,
}

impl Counting {
    /// Takes a report received at `at` into account.
    pub fn add(&mut self, election: &Election, report: SignedReport, at: u64) {
        let b = report.body();
        if !counts_for(election, b) {
            return;
        }
        let key = (b.checkpoint.clone(), b.bureau.clone());
        match self.latest.get_mut(&key) {
            Some((kept, _)) if b.version > kept.body().version => *kept = report,
            Some(_) => {}
            None => {
                self.latest.insert(key, (report, at));
            }
        }
    }

    /// Each (checkpoint, bureau)'s latest report, received when its first
    /// version was.
    pub fn received(&self) -> impl Iterator<Item = Received<'_>> {
        self.latest
            .values()
            .map(|(report, at)| Received { report, at: *at })
    }
}

/// Each checkpoint's published figures, from every report received for
/// `election` (all versions, in the order received; reports for another
/// definition, bureau or checkpoint count for nothing). A bureau counts
/// with its latest version; it is late when its first version came after
/// the time due.
pub fn compute<'a>(
    election: &Election,
    received: impl IntoIterator<Item = Received<'a>>,
) -> Vec<CheckpointTurnout> {
    let latest = latest(election, received);
    let total = election.bureaux().len() as u32;
    let mut earlier: BTreeMap<&str, Vec<(String, u32)>> = BTreeMap::new();
    election
        .checkpoints()
        .iter()
        .map(|c| {
            let due = c.due_ms().unwrap_or(u64::MAX);
            let mut t = CheckpointTurnout {
                checkpoint: c.id.clone(),
                kind: c.kind,
                due: c.due.clone(),
                signatures: 0,
                reporting: 0,
                bureaux: total,
                late: 0,
                inscrits_reporting: Some(0),
                participation_bp: None,
                below_earlier: Vec::new(),
            };
            for ((_, bureau), (rep, first_at)) in latest.range((c.id.as_str(), "")..) {
                if rep.body().checkpoint != c.id {
                    break;
                }
                t.reporting += 1;
                t.late += u32::from(*first_at > due);
                let count = rep.body().count.unwrap_or(0);
                t.signatures += u64::from(count);
                let inscrits = election.bureau(bureau).and_then(|b| b.inscrits);
                t.inscrits_reporting = t
                    .inscrits_reporting
                    .zip(inscrits)
                    .map(|(s, i)| s + u64::from(i));
                if c.kind == CheckpointKind::Count {
                    let before = earlier.entry(bureau).or_default();
                    if t2(count, before).is_some() {
                        t.below_earlier.push((*bureau).to_owned());
                    }
                    before.push((c.id.clone(), count));
                }
            }
            if c.kind == CheckpointKind::Opening || t.reporting == 0 {
                t.inscrits_reporting = t.inscrits_reporting.filter(|_| t.reporting > 0);
            }
            t.participation_bp = match (c.kind, t.inscrits_reporting) {
                (CheckpointKind::Count, Some(i)) => crate::results::basis_points(t.signatures, i),
                _ => None,
            };
            t
        })
        .collect()
}
