//! The outbox, sans-IO: what the device still has to send, in order, and when
//! to try again. `src/sync.rs` (the app) owns the timers and `fetch`; this
//! only decides. An item leaves the outbox only on a receipt for it that
//! verifies with the server's key; until then the bureau is shown it is not
//! acknowledged.
//!
//! It never reads a clock or a random source: `now` (milliseconds) and the
//! jitter are passed in.

use crate::receipt::{Receipt, ReceiptError};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use thiserror::Error;

/// The first retry waits about this long…
pub const BASE_DELAY_MS: u64 = 1_000;
/// …doubling at each failure up to this.
pub const MAX_DELAY_MS: u64 = 5 * 60 * 1_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem<T> {
    /// What the receipt names (a signed return's id).
    pub id: String,
    pub payload: T,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox<T> {
    items: VecDeque<OutboxItem<T>>,
    /// Consecutive failures of the front item.
    failures: u32,
    retry_at: Option<u64>,
    in_flight: bool,
    /// Why the server refused the front item for good (its error code, as
    /// the caller names it): it is not sent again until someone asks.
    #[serde(default)]
    parked: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum OutboxError {
    #[error("the receipt does not prove the server has the item: {0}")]
    InvalidReceipt(#[from] ReceiptError),
    #[error("the receipt is for {got:?}, but {expected:?} is being sent")]
    UnexpectedReceipt {
        expected: Option<String>,
        got: String,
    },
}

impl<T> Default for Outbox<T> {
    fn default() -> Self {
        Self {
            items: VecDeque::new(),
            failures: 0,
            retry_at: None,
            in_flight: false,
            parked: None,
        }
    }
}

impl<T: Clone> Outbox<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues an item; an id already queued is not queued twice.
    pub fn enqueue(&mut self, id: impl Into<String>, payload: T) {
        let id = id.into();
        if !self.items.iter().any(|i| i.id == id) {
            self.items.push_back(OutboxItem { id, payload });
        }
    }

    /// Every item not yet acknowledged, oldest first.
    pub fn pending(&self) -> impl Iterator<Item = &OutboxItem<T>> {
        self.items.iter()
    }

    /// The item to send now, if any: the oldest, once its retry time has come
    /// and no send of it is under way. It is then under way until
    /// [`Outbox::on_receipt`] or [`Outbox::on_failure`].
    pub fn next_to_send(&mut self, now: u64) -> Option<OutboxItem<T>> {
        if self.in_flight || self.parked.is_some() || self.retry_at.is_some_and(|t| now < t) {
            return None;
        }
        let item = self.items.front()?.clone();
        self.in_flight = true;
        Some(item)
    }

    /// When the next attempt may be made (`None`: now, or nothing to send).
    pub fn retry_at(&self) -> Option<u64> {
        self.retry_at.filter(|_| !self.items.is_empty())
    }

    /// The server answered with a receipt: the item it names leaves, and the
    /// next is sent at once, but only if the receipt verifies with the
    /// server's key (lowercase hex, stored at enrollment) and names the item
    /// being sent. Anything else leaves the outbox as it was.
    pub fn on_receipt(
        &mut self,
        receipt: &Receipt,
        server_key: &str,
    ) -> Result<OutboxItem<T>, OutboxError> {
        self.on_receipt_with(receipt, server_key, &crate::signature::Ed25519)
    }

    /// [`Self::on_receipt`], with the receipt's signature checked by
    /// `verifier` (the phone's WebCrypto answers).
    pub fn on_receipt_with(
        &mut self,
        receipt: &Receipt,
        server_key: &str,
        verifier: &impl crate::signature::Verifier,
    ) -> Result<OutboxItem<T>, OutboxError> {
        let id = receipt.body.return_id.as_str();
        receipt.verify_with(server_key, id, verifier)?;
        // A late receipt (after a timeout counted as a failure) still counts.
        if self.items.front().is_some_and(|f| f.id == id)
            && let Some(item) = self.items.pop_front()
        {
            self.failures = 0;
            self.retry_at = None;
            self.in_flight = false;
            self.parked = None;
            return Ok(item);
        }
        Err(OutboxError::UnexpectedReceipt {
            expected: self.items.front().map(|i| i.id.clone()),
            got: id.to_owned(),
        })
    }

    /// The network came back (the browser's `online` event): the next item
    /// may go at once, whatever the backoff said. The failures still count,
    /// so a server that keeps failing is not hammered: the next failure
    /// waits longer again.
    pub fn network_back(&mut self) {
        self.retry_at = None;
    }

    /// The server refused the item for good (a revoked key, a rule it
    /// enforces): retrying would only be refused again, so it is parked with
    /// `why` and not sent on its own any more. It stays in the outbox (it is
    /// still not acknowledged) until [`Outbox::unpark`].
    pub fn on_refused(&mut self, why: impl Into<String>) {
        self.in_flight = false;
        self.retry_at = None;
        self.parked = Some(why.into());
    }

    /// Why the front item is parked, if it is.
    pub fn parked(&self) -> Option<&str> {
        self.parked.as_deref().filter(|_| !self.items.is_empty())
    }

    /// Someone asks for a send again (the problem was dealt with): the
    /// parked item may go at once.
    pub fn unpark(&mut self) {
        self.parked = None;
        self.failures = 0;
        self.retry_at = None;
    }

    /// The send failed (no network, server error): returns when to retry.
    /// Exponential backoff with "equal jitter": half the delay is fixed, the
    /// other half scaled by `jitter_permille` (0–1000, from the caller's
    /// random source), so that thousands of phones coming back online at
    /// once do not retry in step.
    pub fn on_failure(&mut self, now: u64, jitter_permille: u16) -> u64 {
        self.in_flight = false;
        let delay = backoff_delay(self.failures, jitter_permille);
        self.failures = self.failures.saturating_add(1);
        let at = now.saturating_add(delay);
        self.retry_at = Some(at);
        at
    }
}

/// The wait after `failures` previous failures, in milliseconds.
pub fn backoff_delay(failures: u32, jitter_permille: u16) -> u64 {
    let full = BASE_DELAY_MS
        .saturating_mul(1u64 << failures.min(20))
        .min(MAX_DELAY_MS);
    let half = full / 2;
    half + half * u64::from(jitter_permille.min(1000)) / 1000
}
