//! One outbox policy for every signed document a phone sends: the bureau
//! phone's returns, turnout reports and photo documents ([`send_due`] over each
//! [`Outgoing`] kind), the returns a helper's phone read by QR code (the
//! deposit page), and each document type to come. A [`Round`] is
//! sans-IO: it says what to send next, takes what the send answered, and
//! says what to do then ([`Then`]); the drivers do the sending, the
//! keeping and the waiting.
//!
//! The policy: each sender's documents in version order (a correction is
//! taken only once the version it replaces is there); no network ends the
//! round, everything waits for it; any other failure holds back that
//! sender's later documents only, never another sender's; a refusal for
//! good (core's [`ErrorCode::is_permanent`]) parks the document, which is
//! not sent again by itself, only when a person asks; a version the server
//! already holds otherwise (`return_version_taken`, `return_not_latest`)
//! makes a bureau phone take back the server's versions once a round, then
//! go on from what it holds then.

use crate::photos::PhotoStore;
use crate::ports::{Storage, WriteError};
use crate::pv::{PvStore, SendOutcome};
use crate::turnout::ReportStore;
use pointage_core::Receipt;
use pointage_core::signature::Verified;
use pointage_core::wire::ErrorCode;
use std::collections::BTreeSet;

/// A document waiting to be sent: its id, whose it is (a bureau), and its
/// place in that sender's versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub id: String,
    pub sender: String,
    pub version: u32,
}

/// What one send came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A receipt, checked and kept: the document has left the outbox.
    Received,
    NoNetwork,
    /// The server refused it, with this code.
    Refused(ErrorCode),
    /// The answer was not a receipt signed by the server for it.
    BadReceipt,
    /// The receipt came but the phone could not keep it.
    NotKept,
}

/// What the driver does after an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Then {
    /// Send the next document, if any.
    Next,
    /// Take back what the server holds of this sender's versions, then call
    /// [`Round::after_recovery`].
    Recover,
    /// Keep this document parked, refused for good with this code.
    Park(ErrorCode),
    /// Try again later (the bureau phone: core's backoff, with jitter).
    Wait,
}

/// One round of sending. See the module's policy.
#[derive(Clone, Debug)]
pub struct Round {
    /// In sending order; a phone holds a few documents.
    queue: Vec<Doc>,
    /// Parked documents left out of this round (none when by hand).
    parked: BTreeSet<String>,
    held_back: BTreeSet<String>,
    /// Whether a version taken makes this round recover (a bureau phone,
    /// which can sign the request).
    recovers: bool,
    recovered: bool,
    /// The refusal that asked for a recovery, until it is done.
    refusal: Option<(Doc, ErrorCode)>,
    failure: Option<Answer>,
}

impl Round {
    /// A round over `ready`, in any order. `parked` documents and their
    /// sender's later ones stay out (earlier ones still go), unless the
    /// person asked (`by_hand`).
    pub fn new(ready: Vec<Doc>, parked: &[String], by_hand: bool) -> Self {
        Round {
            queue: sorted(ready),
            parked: if by_hand {
                BTreeSet::new()
            } else {
                pointage_core::order::set_of(parked.iter().cloned())
            },
            held_back: BTreeSet::new(),
            recovers: false,
            recovered: false,
            refusal: None,
            failure: None,
        }
    }

    /// The same round, for a phone that takes back the server's versions
    /// when one of its own is taken.
    pub fn recovering(mut self) -> Self {
        self.recovers = true;
        self
    }

    /// The next document to send, if the round goes on.
    pub fn next_to_send(&mut self) -> Option<Doc> {
        while !self.queue.is_empty() {
            let d = self.queue.remove(0);
            if self.parked.contains(&d.id) {
                self.held_back.insert(d.sender.clone());
            }
            if !self.held_back.contains(&d.sender) {
                return Some(d);
            }
        }
        None
    }

    /// Takes what sending `sent` came to.
    pub fn answered(&mut self, sent: &Doc, answer: Answer) -> Then {
        match answer {
            Answer::Received => return Then::Next,
            Answer::Refused(code) if taken(code) && self.recovers && !self.recovered => {
                self.recovered = true;
                self.refusal = Some((sent.clone(), code));
                return Then::Recover;
            }
            _ => {}
        }
        self.failure.get_or_insert(answer);
        self.held_back.insert(sent.sender.clone());
        match answer {
            Answer::NoNetwork => {
                self.queue.clear();
                Then::Wait
            }
            Answer::Refused(code) if code.is_permanent() => Then::Park(code),
            _ => Then::Wait,
        }
    }

    /// The recovery asked by [`Then::Recover`] is over: when it changed
    /// what the phone holds, the round goes on over `ready` (what waits
    /// now); when not, the refusal stands.
    pub fn after_recovery(&mut self, changed: bool, ready: Vec<Doc>) -> Then {
        let Some((sent, code)) = self.refusal.take() else {
            return Then::Next;
        };
        if changed {
            self.queue = sorted(ready);
            self.held_back.clear();
            return Then::Next;
        }
        self.answered(&sent, Answer::Refused(code))
    }

    /// The round's first failure, if any: what a screen says.
    pub fn failure(&self) -> Option<Answer> {
        self.failure
    }
}

/// `ready` in each sender's version order (stable). A phone holds a few
/// documents: each is placed as it comes, which links no sort routine
/// into the phone's app for this.
fn sorted(ready: Vec<Doc>) -> Vec<Doc> {
    let mut out: Vec<Doc> = Vec::with_capacity(ready.len());
    for d in ready {
        let at = out.partition_point(|x| (&x.sender, x.version) <= (&d.sender, d.version));
        out.insert(at, d);
    }
    out
}

/// Whether the server holds another version of that number, or a later
/// one: the phone's copy of its bureau's versions is behind.
fn taken(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::ReturnVersionTaken | ErrorCode::ReturnNotLatest
    )
}

/// Which kind of signed document a send carries (its address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Return,
    Report,
    Photos,
}

/// The signed documents a bureau phone keeps with their outbox, each kind
/// a variant: what [`send_due`] sends. A new document type is a variant
/// (and its store), never a copy of the policy; one [`send_due`] serves
/// them all (one copy of it in the phone's app, not one per kind).
#[derive(Clone, Copy, Debug)]
pub enum Outgoing<'a> {
    Returns(&'a PvStore),
    Reports(&'a ReportStore),
    /// The photo documents of the paper PV (their pictures go after, by
    /// [`crate::photos::PhotoStore::upload_due`]), and the bureau's
    /// returns: a photo document goes only once no return waits, for the
    /// server takes photos only of a return it holds.
    Photos(&'a PhotoStore, &'a PvStore),
}

impl Outgoing<'_> {
    pub fn kind(self) -> Kind {
        match self {
            Outgoing::Returns(_) => Kind::Return,
            Outgoing::Reports(_) => Kind::Report,
            Outgoing::Photos(..) => Kind::Photos,
        }
    }

    /// Whether a round is due at `now`: something waits, not parked, and
    /// the backoff is over.
    fn is_due(self, s: &impl Storage, now: u64) -> bool {
        match self {
            Outgoing::Returns(p) => p.due(s, now).is_some(),
            Outgoing::Reports(r) => r.is_due(s, now),
            Outgoing::Photos(p, returns) => returns.pending(s).is_empty() && p.is_due(s, now),
        }
    }

    /// The documents waiting for a receipt: a bureau's versions are one
    /// sender; each checkpoint's reports another.
    fn waiting(self, s: &impl Storage) -> Vec<Doc> {
        match self {
            Outgoing::Returns(p) => p
                .pending(s)
                .into_iter()
                .zip(1u32..)
                .map(|(id, version)| Doc {
                    id,
                    sender: String::new(),
                    version,
                })
                .collect(),
            Outgoing::Reports(r) => r.waiting(s),
            Outgoing::Photos(p, _) => p.waiting(s),
        }
    }

    /// The ids parked (refused for good), left out of a round (none for
    /// returns: a parked version is never due).
    fn parked(self, s: &impl Storage) -> Vec<String> {
        match self {
            Outgoing::Returns(_) => Vec::new(),
            Outgoing::Reports(r) => r.parked_ids(s),
            Outgoing::Photos(p, _) => p.parked_ids(s),
        }
    }

    fn text(self, s: &impl Storage, id: &str) -> Option<String> {
        match self {
            Outgoing::Returns(p) => p.text(s, id),
            Outgoing::Reports(r) => r.text(s, id),
            Outgoing::Photos(p, _) => p.text(s, id),
        }
    }

    async fn acknowledge(
        self,
        s: &impl Storage,
        receipt: Receipt,
        server_key: &str,
        held: &Verified,
    ) -> Result<(), SendOutcome> {
        match self {
            Outgoing::Returns(p) => p.acknowledge(s, receipt, server_key, held).await,
            Outgoing::Reports(r) => r.acknowledge(s, receipt, server_key, held).await,
            Outgoing::Photos(p, _) => p.acknowledge(s, receipt, server_key, held).await,
        }
    }

    /// The server refused `id` for good with `code`: it is parked (for
    /// returns, the outbox's front, the one being sent).
    async fn refused(self, s: &impl Storage, id: &str, code: ErrorCode) -> Result<(), WriteError> {
        match self {
            Outgoing::Returns(p) => p.refused(s, code).await,
            Outgoing::Reports(r) => r.refused(s, id, code).await,
            Outgoing::Photos(p, _) => p.refused(s, id, code).await,
        }
    }

    async fn failed(self, s: &impl Storage, now: u64, jitter_permille: u16) -> u64 {
        match self {
            Outgoing::Returns(p) => p.failed(s, now, jitter_permille).await,
            Outgoing::Reports(r) => r.failed(s, now, jitter_permille).await,
            Outgoing::Photos(p, _) => p.failed(s, now, jitter_permille).await,
        }
    }
}

/// Why a send did not reach the server (or was refused by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendError {
    NoNetwork,
    Refused(ErrorCode),
}

/// The network, as the bureau phone's outbox uses it.
#[allow(async_fn_in_trait)]
pub trait Courier {
    /// Sends one signed document's canonical text, of `kind`; its
    /// receipt, with the check of the receipt's signature by the server key
    /// (WebCrypto's, on the phone).
    async fn send(&self, kind: Kind, text: String) -> Result<(Receipt, Verified), SendError>;

    /// Takes back, checked and kept, the bureau's versions the server holds
    /// and the phone does not; whether that changed what the phone holds.
    async fn recover(&self) -> bool;
}

/// Sends the documents of `store` that are due at `now`, one after the
/// other, in [`Round`]'s policy, through `courier`; a document leaves the
/// outbox only on a receipt that checks with `server_key` and is durably
/// kept. A failure sets core's backoff with `jitter_permille` (the
/// caller's random draw: nothing here reads a clock or a random source).
/// Returns recover the bureau's versions on a version taken; other kinds
/// park it.
pub async fn send_due(
    s: &impl Storage,
    store: Outgoing<'_>,
    courier: &impl Courier,
    server_key: &str,
    now: u64,
    jitter_permille: u16,
) -> Sending {
    // Nothing due: none waiting, parked, or the backoff not yet over.
    if !store.is_due(s, now) {
        return Sending::NothingDue;
    }
    let mut round = Round::new(store.waiting(s), &store.parked(s), false);
    if store.kind() == Kind::Return {
        round = round.recovering();
    }
    while let Some(doc) = round.next_to_send() {
        let Some(text) = store.text(s, &doc.id) else {
            continue;
        };
        let answer = match courier.send(store.kind(), text).await {
            Ok((receipt, held)) => match store.acknowledge(s, receipt, server_key, &held).await {
                Ok(()) => Answer::Received,
                Err(SendOutcome::BadReceipt(_)) => Answer::BadReceipt,
                Err(SendOutcome::Storage(_)) => Answer::NotKept,
            },
            Err(SendError::NoNetwork) => Answer::NoNetwork,
            Err(SendError::Refused(code)) => Answer::Refused(code),
        };
        let mut then = round.answered(&doc, answer);
        if then == Then::Recover {
            let changed = courier.recover().await;
            then = round.after_recovery(changed, store.waiting(s));
        }
        match then {
            Then::Next | Then::Recover => {}
            Then::Park(code) => {
                if store.refused(s, &doc.id, code).await.is_err() {
                    store.failed(s, now, jitter_permille).await;
                }
            }
            Then::Wait => {
                store.failed(s, now, jitter_permille).await;
            }
        }
    }
    match round.failure() {
        Some(why) => Sending::Failed(why),
        None => Sending::Done,
    }
}

/// What a call of [`send_due`] came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sending {
    /// Nothing was sent: none waiting, parked, or the backoff not over.
    NothingDue,
    /// Every version sent has its receipt.
    Done,
    /// The round stopped on this (the backoff or the parking is kept).
    Failed(Answer),
}
