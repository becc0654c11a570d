//! The outbox state of documents that wait side by side (each checkpoint's
//! reports, a bureau's photo documents): what is waiting, the receipts,
//! and what the server refused for good, kept inside the store's one value.
//! [`crate::outbox`] decides what to send; this keeps what it decided.

use crate::pv::SendOutcome;
use pointage_core::signature::Verifier;
use pointage_core::wire::ErrorCode;
use pointage_core::{Outbox, OutboxError, Receipt};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SideBySide {
    pub outbox: Outbox<()>,
    pub receipts: Vec<Receipt>,
    /// Documents the server refused for good, by id, with its code (core's
    /// outbox parks only its front item, and these wait side by side).
    pub parked: Vec<(String, ErrorCode)>,
}

impl SideBySide {
    /// Something waits, not parked, and the backoff is over at `now`.
    pub fn is_due(&self, now: u64) -> bool {
        self.outbox
            .pending()
            .any(|i| !self.parked.iter().any(|(id, _)| *id == i.id))
            && self.outbox.retry_at().is_none_or(|at| now >= at)
    }

    pub fn parked_ids(&self) -> Vec<String> {
        self.parked.iter().map(|(id, _)| id.clone()).collect()
    }

    /// The code `id` was refused with for good, if it was.
    pub fn parked_with(&self, id: &str) -> Option<ErrorCode> {
        self.parked.iter().find(|(p, _)| p == id).map(|(_, c)| *c)
    }

    /// The receipt of `id`, if it came.
    pub fn receipt(&self, id: &str) -> Option<&Receipt> {
        self.receipts.iter().find(|r| r.body.return_id == id)
    }

    /// Takes `receipt` (checked with `server_key`) for whichever waiting
    /// document it names, wherever it stands.
    pub fn acknowledge(
        &mut self,
        receipt: Receipt,
        server_key: &str,
        verifier: &impl Verifier,
    ) -> Result<(), SendOutcome> {
        let id = receipt.body.return_id.clone();
        if let Err(e) = receipt.verify_with(server_key, &id, verifier) {
            return Err(SendOutcome::BadReceipt(OutboxError::InvalidReceipt(e)));
        }
        let mut kept = Outbox::new();
        let mut found = false;
        for i in self.outbox.pending() {
            if i.id == id {
                found = true;
            } else {
                kept.enqueue(i.id.clone(), ());
            }
        }
        if !found {
            return Err(SendOutcome::BadReceipt(OutboxError::UnexpectedReceipt {
                expected: None,
                got: id,
            }));
        }
        self.outbox = kept;
        self.parked.retain(|(p, _)| *p != id);
        self.receipts.retain(|r| r.body.return_id != id);
        self.receipts.push(receipt);
        Ok(())
    }

    pub fn refuse(&mut self, id: &str, code: ErrorCode) {
        self.parked.retain(|(p, _)| p != id);
        self.parked.push((id.to_owned(), code));
    }

    /// Someone asks for the parked documents to be sent again.
    pub fn unpark(&mut self) {
        self.parked.clear();
        self.outbox.unpark();
    }
}
