//! What the one outbox policy (`crate::outbox`) needs of the photo
//! documents: which wait, their text, and what a receipt, a refusal or a
//! failure does to them.

use super::{PhotoRecord, PhotoStore};
use crate::outbox::Doc;
use crate::ports::{Storage, WriteError};
use crate::pv::SendOutcome;
use crate::queue::{Kept, SideBySide};
use pointage_core::Receipt;
use pointage_core::signature::Verifier;
use pointage_core::wire::ErrorCode;

/// What the one outbox policy needs of the photo documents
/// ([`crate::outbox::Outgoing::Photos`]).
impl PhotoStore {
    pub(crate) fn is_due(&self, s: &impl Storage, now: u64) -> bool {
        self.record(s).is_due(now)
    }

    pub(crate) fn parked_ids(&self, s: &impl Storage) -> Vec<String> {
        self.record(s).parked_ids()
    }

    /// Every document waiting: the bureau's versions, one sender.
    pub(crate) fn waiting(&self, s: &impl Storage) -> Vec<Doc> {
        let record = self.record(s);
        record
            .outbox
            .pending()
            .filter_map(|i| {
                let d = record.documents.iter().find(|d| d.id == i.id)?;
                Some(Doc {
                    id: i.id.clone(),
                    sender: "photos".to_owned(),
                    version: d.version,
                })
            })
            .collect()
    }

    pub(crate) fn text(&self, s: &impl Storage, id: &str) -> Option<String> {
        self.record(s)
            .documents
            .into_iter()
            .find(|d| d.id == id)
            .map(|d| d.text)
    }

    fn kept(&self) -> Kept<'_, PhotoRecord> {
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
