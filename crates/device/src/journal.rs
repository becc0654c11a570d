//! The second durable copy: a journal of every write, in two files outside
//! IndexedDB.
//!
//! Killed while it writes, Chromium can find its IndexedDB's log torn when it
//! opens it again, call the database corrupt and delete it whole (seen in
//! the kill bench: "Corruption: checksum mismatch", then "recovering from a
//! corrupted (and deleted) database"). So every batch that IndexedDB has
//! kept is also appended, before the screen shows it, to a journal file
//! that the browser does not check or delete (the origin private file
//! system, written in place). At start, an IndexedDB found empty while the
//! journal holds values is rebuilt from the journal.
//!
//! This module is the journal's format and policy, pure and host-tested; the
//! app writes the bytes it gives at the places it says.
//!
//! # Format
//! Two files, [`FILES`], each a run of records `[length: u32 LE][check: 4
//! bytes][payload]`, `check` being the first 4 bytes of the payload's
//! SHA-256 and `payload` JSON. A file's first record is a checkpoint
//! `{"generation": n, "ops": [[key, text], …]}`: every value at that
//! moment. Each record after it is one batch `{"ops": [[key, text or null],
//! …]}` (null deletes). A file is read up to its first record that is incomplete or
//! fails its check (a write the kill cut short: it was never shown); the
//! readable file with the highest `generation` is the journal. When it grows past
//! [`CHECKPOINT_AFTER`] bytes, every value is written as a checkpoint with
//! the next generation into the other file, which becomes the journal: a kill during
//! that write leaves the older file whole.

use crate::ports::{Batch, Key};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The journal's two files.
pub const FILES: [&str; 2] = ["pointage-journal-a", "pointage-journal-b"];

/// A file past this size (and past twice its checkpoint) gets a new
/// checkpoint in the other file.
pub const CHECKPOINT_AFTER: u64 = 1 << 20;

const HEADER: usize = 8;

/// A record: a checkpoint (with its generation; its ops put every value)
/// or one batch. One shape for both, so the app carries one decoder.
#[derive(Serialize, Deserialize)]
struct Record {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    generation: Option<u64>,
    ops: Vec<(String, Option<String>)>,
}

impl Record {
    fn bytes(&self) -> Vec<u8> {
        frame(&serde_json::to_vec(self).unwrap_or_default())
    }

    /// Applies its ops to `values`, skipping keys that are not ours.
    fn apply(self, values: &mut BTreeMap<Key, String>) {
        for (k, v) in self.ops {
            let Some(k) = Key::parse(&k) else { continue };
            match v {
                Some(v) => values.insert(k, v),
                None => values.remove(&k),
            };
        }
    }
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(payload)[..4]);
    out.extend_from_slice(payload);
    out
}

/// The payloads of a file's readable records (what follows them is a
/// write cut short).
fn records(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(header) = bytes.get(at..at + HEADER) {
        let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let Some(payload) = bytes.get(at + HEADER..at + HEADER + len) else {
            break;
        };
        if Sha256::digest(payload)[..4] != header[4..] {
            break;
        }
        out.push(payload);
        at += HEADER + len;
    }
    out
}

fn checkpoint_bytes(generation: u64, values: &BTreeMap<Key, String>) -> Vec<u8> {
    Record {
        generation: Some(generation),
        ops: values
            .iter()
            .map(|(k, v)| (k.to_string(), Some(v.clone())))
            .collect(),
    }
    .bytes()
}

/// One file, read: its checkpoint's generation, the values after every
/// readable batch, and how many bytes of it are readable.
#[derive(Debug, PartialEq, Eq)]
struct File {
    generation: u64,
    values: BTreeMap<Key, String>,
    len: u64,
    checkpoint_len: u64,
}

/// Read as text, like every other JSON the phone reads (one reader type:
/// one copy of each deserialiser in the app).
fn read_record(bytes: &[u8]) -> Option<Record> {
    serde_json::from_str(std::str::from_utf8(bytes).ok()?).ok()
}

fn read_file(bytes: &[u8]) -> Option<File> {
    let records = records(bytes);
    let (first, rest) = records.split_first()?;
    let checkpoint = read_record(first)?;
    let generation = checkpoint.generation?;
    let mut values = BTreeMap::new();
    checkpoint.apply(&mut values);
    let checkpoint_len = (HEADER + first.len()) as u64;
    let mut len = checkpoint_len;
    for r in rest {
        // A record that is whole but not a batch ends the journal there.
        match read_record(r) {
            Some(batch) if batch.generation.is_none() => batch.apply(&mut values),
            _ => break,
        }
        len += (HEADER + r.len()) as u64;
    }
    Some(File {
        generation,
        values,
        len,
        checkpoint_len,
    })
}

/// A write the app makes to one of [`FILES`]: `bytes` at offset `at`, the
/// file cut to `at + bytes.len()` first if `truncate`, then flushed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Write {
    pub file: usize,
    pub at: u64,
    pub bytes: Vec<u8>,
    pub truncate: bool,
}

/// Where the journal is and when it wants a checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journal {
    file: usize,
    generation: u64,
    len: u64,
    checkpoint_len: u64,
}

/// What the files held at start.
#[derive(Debug, PartialEq, Eq)]
pub struct Opened {
    pub journal: Journal,
    /// Every value the journal holds.
    pub values: BTreeMap<Key, String>,
    /// Writes to make before any other: cut the journal's file to what is
    /// readable (a later record after a torn one would never be read), or a
    /// first checkpoint when neither file is readable.
    pub repair: Option<Write>,
}

impl Journal {
    /// Reads the two files (their whole contents, empty if missing).
    pub fn open(a: &[u8], b: &[u8]) -> Opened {
        let sizes = [a.len() as u64, b.len() as u64];
        let best = match (read_file(a), read_file(b)) {
            (Some(x), Some(y)) if y.generation > x.generation => Some((1, y)),
            (Some(x), _) => Some((0, x)),
            (None, Some(y)) => Some((1, y)),
            (None, None) => None,
        };
        match best {
            Some((i, f)) => {
                let repair = (sizes[i] != f.len).then(|| Write {
                    file: i,
                    at: f.len,
                    bytes: Vec::new(),
                    truncate: true,
                });
                Opened {
                    journal: Journal {
                        file: i,
                        generation: f.generation,
                        len: f.len,
                        checkpoint_len: f.checkpoint_len,
                    },
                    values: f.values,
                    repair,
                }
            }
            None => {
                let mut journal = Journal {
                    file: 1,
                    generation: 0,
                    len: 0,
                    checkpoint_len: 0,
                };
                let first = journal.checkpoint(&BTreeMap::new());
                Opened {
                    journal,
                    values: BTreeMap::new(),
                    repair: Some(first),
                }
            }
        }
    }

    /// The write that appends `batch`.
    pub fn append(&mut self, batch: &Batch) -> Write {
        let bytes = Record {
            generation: None,
            ops: batch
                .ops
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
        .bytes();
        let w = Write {
            file: self.file,
            at: self.len,
            bytes,
            truncate: false,
        };
        self.len += w.bytes.len() as u64;
        w
    }

    /// Whether the next write should be a checkpoint.
    pub fn wants_checkpoint(&self) -> bool {
        self.len > CHECKPOINT_AFTER && self.len > 2 * self.checkpoint_len
    }

    /// The write that starts the other file with every value, `values`:
    /// from then on the journal is that file.
    pub fn checkpoint(&mut self, values: &BTreeMap<Key, String>) -> Write {
        self.file = 1 - self.file;
        self.generation += 1;
        let bytes = checkpoint_bytes(self.generation, values);
        self.len = bytes.len() as u64;
        self.checkpoint_len = self.len;
        Write {
            file: self.file,
            at: 0,
            bytes,
            truncate: true,
        }
    }
}

/// Whether files of these sizes can hold a value to write back: a
/// checkpoint of no value (whatever its generation, up to 10^10) is under
/// 50 bytes, and a file holding the shortest key with an empty value over.
pub fn may_hold_values(sizes: &[u64]) -> bool {
    sizes.iter().any(|&n| n >= 50)
}

/// What to do at start with what IndexedDB (`stored`) and the journal hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtStart {
    /// They agree.
    Keep,
    /// IndexedDB is empty and the journal is not: the browser deleted the
    /// database. Write the journal's values into it.
    Restore,
    /// IndexedDB holds values the journal does not (this version's first
    /// start, another tab's writes, or a write IndexedDB kept whose append
    /// the kill cut short: nothing shown is older than IndexedDB, which is
    /// written first). Write IndexedDB's values as a checkpoint.
    Checkpoint,
}

pub fn at_start(stored: &BTreeMap<Key, String>, journal: &BTreeMap<Key, String>) -> AtStart {
    if stored == journal {
        AtStart::Keep
    } else if stored.is_empty() {
        AtStart::Restore
    } else {
        AtStart::Checkpoint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two files in memory, written as the app writes them.
    #[derive(Default)]
    struct Files([Vec<u8>; 2]);

    impl Files {
        fn apply(&mut self, w: &Write) {
            let f = &mut self.0[w.file];
            let at = w.at as usize;
            if f.len() < at {
                f.resize(at, 0);
            }
            if w.truncate {
                f.truncate(at);
            }
            let end = at + w.bytes.len();
            if f.len() < end {
                f.resize(end, 0);
            }
            f[at..end].copy_from_slice(&w.bytes);
        }
        fn open(&self) -> Opened {
            Journal::open(&self.0[0], &self.0[1])
        }
    }

    fn tally(n: u32) -> Key {
        Key::Tally {
            election: "e".into(),
            bureau: "B-1".into(),
            segment: n,
        }
    }

    /// Opens, applies its repair, and gives the journal and its values.
    fn start(files: &mut Files) -> (Journal, BTreeMap<Key, String>) {
        let o = files.open();
        if let Some(w) = &o.repair {
            files.apply(w);
        }
        (o.journal, o.values)
    }

    #[test]
    fn batches_are_read_back_in_order() {
        let mut files = Files::default();
        let (mut j, values) = start(&mut files);
        assert!(values.is_empty());
        let mut expected = BTreeMap::new();
        for i in 0..50u32 {
            let b = Batch::new()
                .put(tally(i / 10), format!("marks {i}"))
                .put(Key::Device, format!("device {i}"));
            files.apply(&j.append(&b));
            b.apply_to(&mut expected);
        }
        let b = Batch::new().delete(Key::Device);
        files.apply(&j.append(&b));
        b.apply_to(&mut expected);
        let (_, values) = start(&mut files);
        assert_eq!(values, expected);
        assert_eq!(values.len(), 5);
    }

    #[test]
    fn a_write_cut_short_is_dropped_and_cut_off_before_the_next() {
        let mut files = Files::default();
        let (mut j, _) = start(&mut files);
        files.apply(&j.append(&Batch::new().put(Key::Device, "kept".into())));
        let whole = files.0[0].len();
        // The kill cut the next record anywhere inside it.
        let next = j.append(&Batch::new().put(Key::Device, "cut".into()));
        for cut in 1..next.bytes.len() {
            let mut f = Files(files.0.clone());
            f.0[0].extend_from_slice(&next.bytes[..cut]);
            let o = f.open();
            assert_eq!(o.values.get(&Key::Device).map(String::as_str), Some("kept"));
            // The torn tail is cut before anything is appended after it.
            assert_eq!(
                o.repair,
                Some(Write {
                    file: 0,
                    at: whole as u64,
                    bytes: vec![],
                    truncate: true
                })
            );
            let (mut j2, _) = start(&mut f);
            f.apply(&j2.append(&Batch::new().put(Key::Device, "after".into())));
            let (_, v) = start(&mut f);
            assert_eq!(v.get(&Key::Device).map(String::as_str), Some("after"));
        }
    }

    #[test]
    fn a_changed_byte_ends_the_journal_at_that_record() {
        let mut files = Files::default();
        let (mut j, _) = start(&mut files);
        files.apply(&j.append(&Batch::new().put(Key::Device, "one".into())));
        let at = files.0[0].len();
        files.apply(&j.append(&Batch::new().put(Key::Device, "two".into())));
        files.0[0][at + HEADER + 3] ^= 1;
        let o = files.open();
        assert_eq!(o.values.get(&Key::Device).map(String::as_str), Some("one"));
    }

    #[test]
    fn a_checkpoint_moves_to_the_other_file_and_a_cut_one_leaves_the_first() {
        let mut files = Files::default();
        let (mut j, _) = start(&mut files);
        let big = "x".repeat(20_000);
        let mut expected = BTreeMap::new();
        let mut i = 0u32;
        while !j.wants_checkpoint() {
            let b = Batch::new().put(tally(i % 7), format!("{i}{big}"));
            files.apply(&j.append(&b));
            b.apply_to(&mut expected);
            i += 1;
        }
        assert_eq!(j.file, 0);
        let cp = j.clone().checkpoint(&expected);
        assert_eq!(cp.file, 1);
        // Cut short: the older file is still the journal, whole.
        let mut cut = Files(files.0.clone());
        let mut short = cp.clone();
        short.bytes.truncate(cp.bytes.len() / 2);
        cut.apply(&short);
        assert_eq!(cut.open().values, expected);
        assert_eq!(cut.open().journal.file, 0);
        // Whole: the new file is the journal, and small again.
        files.apply(&j.checkpoint(&expected));
        let b = Batch::new().delete(tally(0));
        files.apply(&j.append(&b));
        b.apply_to(&mut expected);
        let o = files.open();
        assert_eq!(o.journal.file, 1);
        assert_eq!(o.journal.generation, 2);
        assert_eq!(o.values, expected);
        assert!(!o.journal.wants_checkpoint());
        assert!(files.0[1].len() < files.0[0].len() / 5);
    }

    #[test]
    fn a_deleted_database_is_restored_and_a_journal_behind_is_caught_up() {
        let mut journal = BTreeMap::new();
        let stored = BTreeMap::new();
        assert_eq!(at_start(&stored, &journal), AtStart::Keep);
        journal.insert(Key::Device, "d".to_owned());
        assert_eq!(at_start(&stored, &journal), AtStart::Restore);
        let mut stored = journal.clone();
        assert_eq!(at_start(&stored, &journal), AtStart::Keep);
        stored.insert(tally(0), "t".to_owned());
        assert_eq!(at_start(&stored, &journal), AtStart::Checkpoint);
        assert_eq!(at_start(&stored, &BTreeMap::new()), AtStart::Checkpoint);
    }

    #[test]
    fn files_that_can_hold_no_value_are_told_apart_from_any_that_can() {
        let mut files = Files::default();
        let (mut j, _) = start(&mut files);
        let sizes = |f: &Files| [f.0[0].len() as u64, f.0[1].len() as u64];
        assert!(!may_hold_values(&sizes(&files)));
        assert!(!may_hold_values(&[0, 0]));
        let empty = checkpoint_bytes(9_999_999_999, &BTreeMap::new());
        assert!(!may_hold_values(&[empty.len() as u64]));
        // The shortest key with an empty value, appended or checkpointed.
        files.apply(&j.append(&Batch::new().put(Key::Handover, String::new())));
        assert!(may_hold_values(&sizes(&files)));
        let one = BTreeMap::from([(Key::Handover, String::new())]);
        assert!(may_hold_values(&[checkpoint_bytes(1, &one).len() as u64]));
    }

    #[test]
    fn unreadable_files_start_an_empty_journal() {
        let o = Journal::open(b"garbage", &[0xff; 3]);
        assert!(o.values.is_empty());
        let w = o.repair.expect("a first checkpoint");
        assert!(w.truncate);
        assert_eq!(w.at, 0);
    }
}
