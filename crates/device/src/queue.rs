//! The outbox state of documents that wait side by side (each checkpoint's
//! reports, a bureau's photo documents): what is waiting, the receipts,
//! and what the server refused for good, kept inside each store's one
//! value as its own fields. [`crate::outbox`] decides what to send; this
//! keeps what it decided. A trait over the store's fields rather than a
//! struct flattened into them: serde's `flatten` buffers the whole value
//! to read it (9 KB of the phone's app for each such value).

use crate::ports::{Batch, Key, Storage, WriteError};
use crate::pv::SendOutcome;
use pointage_core::signature::Verifier;
use pointage_core::wire::ErrorCode;
use pointage_core::{Outbox, OutboxError, Receipt};
use serde::Serialize;
use serde::de::DeserializeOwned;

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

    /// How many documents wait for a receipt, those refused for good
    /// aside (they will not go, and the screens say why).
    fn awaiting(&self) -> usize {
        let (outbox, _, parked) = self.queue();
        outbox
            .pending()
            .filter(|i| !parked.iter().any(|(id, _)| *id == i.id))
            .count()
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

/// A value as kept: JSON text.
pub(crate) fn json<T: Serialize>(value: &T) -> Result<String, WriteError> {
    serde_json::to_string(value).map_err(|_| WriteError::Unavailable)
}

/// The store's one value under `key` (its default when there is none).
pub(crate) fn read<R: DeserializeOwned + Default>(s: &impl Storage, key: &Key) -> R {
    s.get(key)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// What the one outbox policy does to a store of documents that wait side
/// by side, its value under `key` read and written as `R`
/// ([`crate::outbox::Outgoing`]'s reports and photos).
pub(crate) struct Kept<'a, R> {
    pub key: &'a Key,
    pub kind: std::marker::PhantomData<R>,
}

impl<R: SideBySide + Serialize + DeserializeOwned + Default> Kept<'_, R> {
    /// Takes `receipt` for the document it names, in one write.
    pub async fn acknowledge(
        &self,
        s: &impl Storage,
        receipt: Receipt,
        server_key: &str,
        verifier: &impl Verifier,
    ) -> Result<(), SendOutcome> {
        s.update(|s| {
            let mut record: R = read(s, self.key);
            match record.acknowledge(receipt, server_key, verifier) {
                Ok(()) => Ok((Batch::new().put(self.key.clone(), json(&record)?), Ok(()))),
                Err(e) => Ok((Batch::new(), Err(e))),
            }
        })
        .await
        .map_err(SendOutcome::Storage)?
    }

    /// The server refused `id` for good with `code`: it is parked.
    pub async fn refused(
        &self,
        s: &impl Storage,
        id: &str,
        code: ErrorCode,
    ) -> Result<(), WriteError> {
        s.update(|s| {
            let mut record: R = read(s, self.key);
            record.refuse(id, code);
            Ok((Batch::new().put(self.key.clone(), json(&record)?), ()))
        })
        .await
    }

    /// A send failed: core's backoff, kept (or only said, when it cannot be).
    pub async fn failed(&self, s: &impl Storage, now: u64, jitter_permille: u16) -> u64 {
        let kept = s
            .update(|s| {
                let mut record: R = read(s, self.key);
                let at = record.queue_mut().0.on_failure(now, jitter_permille);
                Ok((Batch::new().put(self.key.clone(), json(&record)?), at))
            })
            .await;
        match kept {
            Ok(at) => at,
            Err(_) => read::<R>(s, self.key)
                .queue_mut()
                .0
                .on_failure(now, jitter_permille),
        }
    }
}
