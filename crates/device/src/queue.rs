//! The outbox state of documents that wait side by side (each checkpoint's
//! reports, a bureau's photo documents): what is waiting, the receipts,
//! and what the server refused for good, kept inside each store's one
//! value as its own fields. [`crate::outbox`] decides what to send; this
//! keeps what it decided. A trait over the store's fields rather than a
//! struct flattened into them: serde's `flatten` buffers the whole value
//! to read it (9 KB of the phone's app for each such value).

use crate::pv::SendOutcome;
use pointage_core::signature::Verifier;
use pointage_core::wire::ErrorCode;
use pointage_core::{Outbox, OutboxError, Receipt};

/// Documents refused for good, by id, with the code (core's outbox parks
/// only its front item, and these wait side by side).
pub type Parked = Vec<(String, ErrorCode)>;

pub trait SideBySide {
    fn queue(&self) -> (&Outbox<()>, &[Receipt], &Parked);
    fn queue_mut(&mut self) -> (&mut Outbox<()>, &mut Vec<Receipt>, &mut Parked);

    /// Something waits, not parked, and the backoff is over at `now`.
    fn is_due(&self, now: u64) -> bool {
        let (outbox, _, parked) = self.queue();
        outbox
            .pending()
            .any(|i| !parked.iter().any(|(id, _)| *id == i.id))
            && outbox.retry_at().is_none_or(|at| now >= at)
    }

    fn parked_ids(&self) -> Vec<String> {
        self.queue().2.iter().map(|(id, _)| id.clone()).collect()
    }

    /// The code `id` was refused with for good, if it was.
    fn parked_with(&self, id: &str) -> Option<ErrorCode> {
        self.queue()
            .2
            .iter()
            .find(|(p, _)| p == id)
            .map(|(_, c)| *c)
    }

    /// The receipt of `id`, if it came.
    fn receipt(&self, id: &str) -> Option<&Receipt> {
        self.queue().1.iter().find(|r| r.body.return_id == id)
    }

    /// Takes `receipt` (checked with `server_key`) for whichever waiting
    /// document it names, wherever it stands.
    fn acknowledge(
        &mut self,
        receipt: Receipt,
        server_key: &str,
        verifier: &impl Verifier,
    ) -> Result<(), SendOutcome> {
        let id = receipt.body.return_id.clone();
        if let Err(e) = receipt.verify_with(server_key, &id, verifier) {
            return Err(SendOutcome::BadReceipt(OutboxError::InvalidReceipt(e)));
        }
        let (outbox, receipts, parked) = self.queue_mut();
        let mut kept = Outbox::new();
        let mut found = false;
        for i in outbox.pending() {
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
        *outbox = kept;
        parked.retain(|(p, _)| *p != id);
        receipts.retain(|r| r.body.return_id != id);
        receipts.push(receipt);
        Ok(())
    }

    fn refuse(&mut self, id: &str, code: ErrorCode) {
        let parked = self.queue_mut().2;
        parked.retain(|(p, _)| p != id);
        parked.push((id.to_owned(), code));
    }

    /// Someone asks for the parked documents to be sent again.
    fn unpark(&mut self) {
        let (outbox, _, parked) = self.queue_mut();
        parked.clear();
        outbox.unpark();
    }
}
