//! What a check can find wrong in a record, each named by bureau where it
//! has one.

use crate::photos;
use pointage_core::VerifyError;
use pointage_core::log::KeyError;
use pointage_core::open_data::File;
use pointage_core::turnout::ReportError;
use pointage_core::wire::BureauState;

/// What does not hold in a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Line `line` (from 1) is not a record line; the bureau it names, if
    /// it still names one.
    Unreadable {
        line: usize,
        bureau: Option<String>,
    },
    /// The record has no definition line, or no head line.
    NoDefinition,
    NoHead,
    /// A line of a kind the record has once (the definition, the head) is
    /// there again, at line `line`.
    Twice {
        line: usize,
    },
    /// The definition does not give the hash the record names.
    ElectionHash,
    /// The definition is not a valid election: what core refuses, or what
    /// it cannot read at all (`None`).
    Definition {
        error: Option<pointage_core::ElectionError>,
    },
    /// Leaf lines not numbered 0, 1, 2… in order: `index` where `expected`
    /// was due.
    LeafOrder {
        index: u64,
        expected: u64,
    },
    /// The head is for another number of leaves than the record gives.
    HeadSize {
        head: u64,
        leaves: u64,
    },
    /// The leaves do not give the head's root: one was changed, removed
    /// or moved after the server signed it.
    HeadRoot,
    /// The head is not signed by the server key.
    HeadSignature,
    /// The key the record's opening names is not the one given to check
    /// it against (`--server-key`).
    ServerKey {
        record: String,
        pinned: String,
    },
    /// Leaf 0 is not the opening of this election, or an opening is found
    /// at another leaf.
    Opening {
        index: u64,
    },
    /// Leaf `index` is older than the leaf before it.
    TimeBack {
        index: u64,
    },
    /// A leaf after the closing.
    AfterClosure {
        index: u64,
    },
    /// A key or reissue leaf for a bureau the election does not have.
    UnknownBureau {
        bureau: String,
        index: u64,
    },
    /// A key leaf whose key is no usable Ed25519 public key.
    MalformedKey {
        bureau: String,
        index: u64,
    },
    /// A key leaf breaks the key history's rules: a shadow key, a key
    /// reused, a reissue revoking another key.
    Keys(KeyError),
    /// The return is not what its bureau signed, or breaks the spec.
    Return {
        bureau: Option<String>,
        sequence: u64,
        error: VerifyError,
    },
    /// The key was not the bureau's when this return was received.
    KeyNotHeld {
        bureau: String,
        sequence: u64,
    },
    /// The server lists another counted version for this bureau (its
    /// version and human code, or "—" for none) than the record gives.
    Counted {
        bureau: String,
        published: String,
        recomputed: String,
    },
    /// The server lists this bureau in another state (received, enrolled,
    /// neither) than the record gives, or lists it once too few or too
    /// many times (`None`: not listed, or not in the definition).
    State {
        bureau: String,
        published: Option<BureauState>,
        recomputed: Option<BureauState>,
    },
    /// A turnout report leaf that is not what its bureau signed, or that
    /// breaks the spec (T1, its checkpoint, its chain).
    Report {
        bureau: Option<String>,
        sequence: u64,
        error: ReportError,
    },
    /// The report's key was not the bureau's when it was received.
    ReportKeyNotHeld {
        bureau: String,
        sequence: u64,
    },
    /// A published turnout figure (at checkpoint `checkpoint`) is not the
    /// recomputed one; `what` names it as the API does.
    Turnout {
        checkpoint: String,
        what: &'static str,
        published: String,
        recomputed: String,
    },
    /// What the server says the bureaux not yet counted could still change
    /// is not what the recomputed results and the definition give (each
    /// written as the API writes it).
    StillOpen {
        published: String,
        recomputed: String,
    },
    /// An open-data file (`file`) does not name a head of this record:
    /// none, another election's, more leaves than the record has, or
    /// another root than the record's first leaves.
    OpenDataHead {
        file: File,
    },
    /// An open-data file is not what the record's first leaves give; the
    /// first line that differs names `bureau` (none: the column names).
    OpenData {
        file: File,
        bureau: Option<String>,
    },
    /// A published figure is not the recomputed one.
    Figure {
        what: Figure,
        published: String,
        recomputed: String,
    },
    /// A receipt someone holds is not the server's (`--receipt`).
    ReceiptNotSigned {
        bureau: String,
        version: u32,
    },
    /// A genuine receipt the record contradicts: its return is not at its
    /// leaf, or the tree it names is not the record's first leaves. The
    /// record was rewritten after the receipt was given.
    ReceiptContradicted {
        bureau: String,
        version: u32,
        sequence: u64,
    },
    /// A photo document leaf that is not what its bureau signed, or that
    /// names no return of its bureau received before it, or breaks its
    /// chain.
    Photos {
        bureau: Option<String>,
        sequence: u64,
        error: pointage_core::photo::PhotosError,
    },
    /// The photo document's key was not the bureau's when it was received.
    PhotosKeyNotHeld {
        bureau: String,
        sequence: u64,
    },
    /// A page's picture (`--photos`) could not be fetched, or is not the
    /// one the bureau signed.
    PhotoBytes {
        bureau: String,
        page: u32,
        sha256: String,
        fault: photos::PhotoFault,
    },
    /// A head someone holds (a watcher's, a phone's) that is the server's
    /// but not the record's tree of that size: two histories.
    HeadContradicted {
        size: u64,
    },
}

/// A figure of the published results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Figure {
    Election,
    Coverage,
    Votes(String),
    Percent(String),
    Exprimes,
    Blancs,
    Nuls,
    Enveloppes,
    Emargements,
    Turnout,
}

/// A version of a bureau's return signed by another key than the version
/// it replaces: after a re-keying, the one a report must name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherKeyVersion {
    pub bureau: String,
    pub version: u32,
    pub sequence: u64,
}
