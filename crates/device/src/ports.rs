//! The ports a phone's browser fills in: [`Storage`] and [`Signer`].
//!
//! The storage port: typed keys, reads from what this tab last saw, and
//! writes that are durable before they return and never overwrite another
//! tab's.
//!
//! A [`Storage`] holds a snapshot of the device's values, read once when the
//! app starts and changed only by this tab's own completed writes. A write
//! is a [`Batch`] of puts and deletes applied in one transaction, and only
//! if every key it touches still holds, on the device, what this tab's
//! snapshot holds: otherwise another tab (or window) wrote it since, and
//! the write is refused with [`WriteError::Changed`] rather than written
//! over that tab's work. So compare-and-put is what every write does, not
//! something each caller must remember.
//!
//! It must never report a write as done before the storage has made it
//! durable (for IndexedDB: the transaction completed with `durability:
//! "strict"`).

use pointage_core::signature::{SignatureCheck, Verified};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::rc::Rc;

/// Every value the phone keeps, by what it is. The text form is the key in
/// storage; it is the same as the old localStorage key, so migration is a
/// copy.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// The enrolled device: its election view, the server's key, its key.
    Device,
    /// One segment of a bureau's tally log.
    Tally {
        election: String,
        bureau: String,
        segment: u32,
    },
    /// A bureau's PV entry in progress.
    Entry { election: String, bureau: String },
    /// A bureau's signed versions, their outbox and receipts, in one value.
    Signed { election: String, bureau: String },
    /// A bureau's turnout reports (every version), their outbox and
    /// receipts, in one value.
    Reports { election: String, bureau: String },
    /// Hand-over parts scanned on this device.
    Handover,
    /// The scanned returns this device delivered.
    HandoverDelivered,
    /// The scanned returns the server refused for good, parked.
    HandoverParked,
    /// On the bureau's phone: the join codes it showed and the table
    /// sheets it took.
    Tables { election: String, bureau: String },
    /// On a table phone: the join code it was bound with, and its sheet.
    Seat,
    /// What the bureau's phone checked of the public log: the newest head,
    /// the last verdict, the evidence of a failed check.
    Witness { election: String, bureau: String },
    /// The paper PV's photos: the pages taken, every signed document, its
    /// outbox and receipts, the pictures the server holds (the pictures'
    /// bytes are in [`Pictures`]).
    Photos { election: String, bureau: String },
}

const PREFIX: &str = "pointage.";

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Device => write!(f, "{PREFIX}device"),
            Key::Tally {
                election,
                bureau,
                segment,
            } => write!(f, "{PREFIX}tally.{election}.{bureau}.{segment}"),
            Key::Entry { election, bureau } => write!(f, "{PREFIX}pv.{election}.{bureau}"),
            Key::Signed { election, bureau } => write!(f, "{PREFIX}signed.{election}.{bureau}"),
            Key::Reports { election, bureau } => write!(f, "{PREFIX}reports.{election}.{bureau}"),
            Key::Handover => write!(f, "{PREFIX}handover"),
            Key::HandoverDelivered => write!(f, "{PREFIX}handover.delivered"),
            Key::HandoverParked => write!(f, "{PREFIX}handover.parked"),
            Key::Tables { election, bureau } => write!(f, "{PREFIX}tables.{election}.{bureau}"),
            Key::Witness { election, bureau } => {
                write!(f, "{PREFIX}witness.{election}.{bureau}")
            }
            Key::Seat => write!(f, "{PREFIX}seat"),
            Key::Photos { election, bureau } => write!(f, "{PREFIX}photos.{election}.{bureau}"),
        }
    }
}

impl Key {
    /// The key a stored text names, if it is one of ours. The election is a
    /// hash (no dot); a bureau code may hold dots, so the tally's segment is
    /// read from the right.
    pub fn parse(text: &str) -> Option<Key> {
        let rest = text.strip_prefix(PREFIX)?;
        match rest {
            "device" => return Some(Key::Device),
            "handover" => return Some(Key::Handover),
            "handover.delivered" => return Some(Key::HandoverDelivered),
            "handover.parked" => return Some(Key::HandoverParked),
            "seat" => return Some(Key::Seat),
            _ => {}
        }
        let (kind, rest) = rest.split_once('.')?;
        let (election, rest) = rest.split_once('.')?;
        if election.is_empty() || rest.is_empty() {
            return None;
        }
        let election = election.to_owned();
        match kind {
            "tally" => {
                let (bureau, n) = rest.rsplit_once('.')?;
                if bureau.is_empty() || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                Some(Key::Tally {
                    election,
                    bureau: bureau.to_owned(),
                    segment: n.parse().ok()?,
                })
            }
            "pv" => Some(Key::Entry {
                election,
                bureau: rest.to_owned(),
            }),
            "signed" => Some(Key::Signed {
                election,
                bureau: rest.to_owned(),
            }),
            "reports" => Some(Key::Reports {
                election,
                bureau: rest.to_owned(),
            }),
            "tables" => Some(Key::Tables {
                election,
                bureau: rest.to_owned(),
            }),
            "witness" => Some(Key::Witness {
                election,
                bureau: rest.to_owned(),
            }),
            "photos" => Some(Key::Photos {
                election,
                bureau: rest.to_owned(),
            }),
            _ => None,
        }
    }
}

/// One write: puts and deletes applied together or not at all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// `Some(text)` puts it, `None` deletes the key. In order; a key given
    /// twice takes its last value.
    pub ops: Vec<(Key, Option<String>)>,
}

impl Batch {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn put(mut self, key: Key, value: String) -> Self {
        self.ops.push((key, Some(value)));
        self
    }

    pub fn delete(mut self, key: Key) -> Self {
        self.ops.push((key, None));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// This batch, then `other`'s operations, as one write.
    pub fn merge(mut self, other: Batch) -> Self {
        self.ops.extend(other.ops);
        self
    }

    /// Applies the batch to a map of the device's values (a snapshot).
    pub fn apply_to(&self, values: &mut BTreeMap<Key, String>) {
        for (k, v) in &self.ops {
            match v {
                Some(v) => values.insert(k.clone(), v.clone()),
                None => values.remove(k),
            };
        }
    }

    /// The keys this batch touches, each once.
    pub fn keys(&self) -> Vec<&Key> {
        let mut keys: Vec<&Key> = self.ops.iter().map(|(k, _)| k).collect();
        pointage_core::order::sort_by(&mut keys, Ord::cmp);
        keys.dedup();
        keys
    }
}

/// Why a write was not kept. When it fails nothing of it is kept, and the
/// snapshot is as before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// Another tab or window wrote one of these keys since this tab read it.
    Changed,
    /// The device's storage is full (quota).
    Full,
    /// Storage is not available or failed (private mode, evicted, closed).
    Unavailable,
}

/// The phone's storage, as the stores see it.
pub trait Storage {
    /// The value under `key` as this tab last saw it (read at start, or
    /// written by this tab since). Never waits.
    fn get(&self, key: &Key) -> Option<String>;

    /// Applies `batch` durably, if every key it touches holds on the device
    /// what [`Storage::get`] says; then updates the snapshot. Resolves only
    /// once the write is durable, or failed. Writes run one after another,
    /// in the order asked.
    fn write(&self, batch: Batch) -> impl Future<Output = Result<(), WriteError>> {
        self.update(move |_| Ok((batch, ())))
    }

    /// A read-modify-write: once every write asked for before it has
    /// finished, `make` reads the snapshot and gives the batch (and a value
    /// for the caller), which is then written as [`Storage::write`] does.
    /// A batch computed before waiting its turn would be built on a value
    /// the previous write was about to change, and would undo it.
    fn update<T>(
        &self,
        make: impl FnOnce(&Self) -> Result<(Batch, T), WriteError>,
    ) -> impl Future<Output = Result<T, WriteError>>;
}

/// Signs on the phone's behalf (WebCrypto, with a key that never leaves
/// it) and checks signatures core lists.
pub trait Signer {
    /// The signature of `message` with the bureau key, or `None` when the
    /// key cannot be read or used.
    fn sign(&self, message: Vec<u8>) -> impl Future<Output = Option<Vec<u8>>>;
    /// The checks whose signature holds.
    fn verified(&self, checks: Vec<SignatureCheck>) -> impl Future<Output = Verified>;
}

/// The pictures of the paper PV, by their SHA-256: bytes kept apart from
/// the [`Storage`] snapshot (which every tab reads whole at start). On the
/// phone, an IndexedDB store of blobs; a put resolves once durable.
pub trait Pictures {
    fn put(&self, sha256: &str, bytes: Vec<u8>) -> impl Future<Output = Result<(), WriteError>>;
    fn get(&self, sha256: &str) -> impl Future<Output = Option<Vec<u8>>>;
    fn delete(&self, sha256: &str) -> impl Future<Output = Result<(), WriteError>>;
}

/// [`Pictures`] in memory, for the host tests; clones share them (a
/// "reload" keeps them).
#[derive(Clone, Debug, Default)]
pub struct MemPictures(Rc<RefCell<BTreeMap<String, Vec<u8>>>>);

impl MemPictures {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.0.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

impl Pictures for MemPictures {
    async fn put(&self, sha256: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
        self.0.borrow_mut().insert(sha256.to_owned(), bytes);
        Ok(())
    }

    async fn get(&self, sha256: &str) -> Option<Vec<u8>> {
        self.0.borrow().get(sha256).cloned()
    }

    async fn delete(&self, sha256: &str) -> Result<(), WriteError> {
        self.0.borrow_mut().remove(sha256);
        Ok(())
    }
}

/// The device's durable values, in memory: what survives a "reload" of a
/// [`MemStore`]. Shared by several stores to act as several tabs.
#[derive(Clone, Debug, Default)]
pub struct MemDisk(Rc<RefCell<BTreeMap<Key, String>>>);

impl MemDisk {
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens a tab on it: a store whose snapshot is the disk as it is now.
    pub fn open(&self) -> MemStore {
        MemStore {
            disk: self.clone(),
            snapshot: RefCell::new(self.0.borrow().clone()),
            fail_next: RefCell::new(None),
        }
    }

    pub fn get(&self, key: &Key) -> Option<String> {
        self.0.borrow().get(key).cloned()
    }

    /// Writes behind every tab's back (a damaged store, an old version).
    pub fn set_raw(&self, key: Key, value: Option<String>) {
        match value {
            Some(v) => self.0.borrow_mut().insert(key, v),
            None => self.0.borrow_mut().remove(&key),
        };
    }

    pub fn len(&self) -> usize {
        self.0.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

/// The in-memory [`Storage`] of the host tests: one tab over a [`MemDisk`].
#[derive(Debug)]
pub struct MemStore {
    disk: MemDisk,
    snapshot: RefCell<BTreeMap<Key, String>>,
    fail_next: RefCell<Option<WriteError>>,
}

impl MemStore {
    /// A new, empty device with one tab open on it.
    pub fn new() -> Self {
        MemDisk::new().open()
    }

    pub fn disk(&self) -> &MemDisk {
        &self.disk
    }

    /// The next write fails with `e` (a full storage, say), keeping nothing.
    pub fn fail_next_write(&self, e: WriteError) {
        *self.fail_next.borrow_mut() = Some(e);
    }
}

impl Default for MemStore {
    fn default() -> Self {
        Self::new()
    }
}

impl Storage for MemStore {
    fn get(&self, key: &Key) -> Option<String> {
        self.snapshot.borrow().get(key).cloned()
    }

    fn update<T>(
        &self,
        make: impl FnOnce(&Self) -> Result<(Batch, T), WriteError>,
    ) -> impl Future<Output = Result<T, WriteError>> {
        let result = (|| {
            let (batch, out) = make(self)?;
            // Nothing to write: nothing that could fail (as IndexedDB).
            if batch.is_empty() {
                return Ok(out);
            }
            if let Some(e) = self.fail_next.borrow_mut().take() {
                return Err(e);
            }
            let mut disk = self.disk.0.borrow_mut();
            let mut snapshot = self.snapshot.borrow_mut();
            if batch
                .keys()
                .into_iter()
                .any(|k| disk.get(k) != snapshot.get(k))
            {
                return Err(WriteError::Changed);
            }
            batch.apply_to(&mut disk);
            batch.apply_to(&mut snapshot);
            Ok(out)
        })();
        std::future::ready(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_executor::block_on;

    fn entry() -> Key {
        Key::Entry {
            election: "ab".into(),
            bureau: "75056-001".into(),
        }
    }

    #[test]
    fn keys_read_back_from_their_text() {
        let keys = [
            Key::Device,
            Key::Handover,
            Key::HandoverDelivered,
            Key::HandoverParked,
            Key::Seat,
            Key::Tables {
                election: "ab".into(),
                bureau: "B.1".into(),
            },
            entry(),
            Key::Signed {
                election: "ab".into(),
                bureau: "B.1".into(),
            },
            Key::Witness {
                election: "ab".into(),
                bureau: "B.1".into(),
            },
            Key::Reports {
                election: "ab".into(),
                bureau: "B.1".into(),
            },
            Key::Tally {
                election: "ab".into(),
                bureau: "B.1.2".into(),
                segment: 17,
            },
        ];
        for k in keys {
            assert_eq!(Key::parse(&k.to_string()), Some(k.clone()), "{k}");
        }
        for bad in [
            "pointage.lang",
            "pointage.tally.ab.B",
            "pointage.tally.ab.B.x",
            "pointage.tally..B.1",
            "other.device",
            "pointage.pv.ab",
        ] {
            assert_eq!(Key::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_write_over_another_tabs_is_refused_and_keeps_nothing() {
        let disk = MemDisk::new();
        let a = disk.open();
        let b = disk.open();
        block_on(a.write(Batch::new().put(entry(), "from a".into()))).unwrap();
        // b never saw a's value: it must not write over it.
        let e = block_on(b.write(Batch::new().put(entry(), "from b".into())));
        assert_eq!(e, Err(WriteError::Changed));
        assert_eq!(disk.get(&entry()).as_deref(), Some("from a"));
        assert_eq!(b.get(&entry()), None);
        // A reloaded b sees it and may write.
        let b = disk.open();
        block_on(b.write(Batch::new().put(entry(), "from b".into()))).unwrap();
        assert_eq!(disk.get(&entry()).as_deref(), Some("from b"));
    }

    #[test]
    fn a_failed_write_keeps_none_of_its_batch() {
        let s = MemStore::new();
        s.fail_next_write(WriteError::Full);
        let batch = Batch::new()
            .put(Key::Device, "d".into())
            .put(entry(), "e".into());
        assert_eq!(block_on(s.write(batch.clone())), Err(WriteError::Full));
        assert!(s.disk().is_empty());
        assert_eq!(s.get(&Key::Device), None);
        block_on(s.write(batch)).unwrap();
        assert_eq!(s.disk().len(), 2);
    }
}
