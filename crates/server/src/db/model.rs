//! What the storage holds and gives back, and what both backends decide
//! alike from what they read: an election checked against its hash, a
//! code that enrolls a key or not, a return stored or refused.

use super::DbError;
use crate::system;
use pointage_core::enrollment::code_from_bytes;
use pointage_core::log::{Hash, LogEntry, leaf_hash, return_entry_bytes};
use pointage_core::operator::Actor;
use pointage_core::signature::CheckedBeforeKept;
use pointage_core::{Election, ReturnBody, ServerSigner, SignedReturn, VerifyError, canonical};
use serde::Deserialize;
use std::sync::Arc;

/// A return core has checked for its election against the key enrolled
/// for its bureau (return-format.md §5, steps 1 to 12), with the canonical
/// bytes it was decoded from: made only by [`ToStore::check`]. What is
/// left for the writer, against what is stored when it stores it: that
/// the key is still the bureau's, and the version chain (step 13).
pub struct ToStore {
    pub election: Arc<Election>,
    pub ret: SignedReturn,
    pub bytes: axum::body::Bytes,
    /// The key it was checked against.
    checked_key: String,
}

impl ToStore {
    /// Checks a return whose signature core has checked (`ret` decoded
    /// from `bytes`) against the key `enrolled_key` (empty: none) enrolled
    /// for its bureau: its election and mode, its bureau, its key, its
    /// table sheets, the rules, the explanations, the two entrants. The
    /// costly part of a return's checks, done before it is queued for the
    /// writer.
    pub fn check(
        election: Arc<Election>,
        ret: SignedReturn,
        bytes: axum::body::Bytes,
        enrolled_key: &str,
    ) -> Result<Self, VerifyError> {
        ret.check_content(&election, enrolled_key)?;
        Ok(Self {
            election,
            ret,
            bytes,
            checked_key: enrolled_key.to_owned(),
        })
    }
}

/// A turnout report core has checked against its election and the key
/// enrolled for its bureau (`SignedReport::check_content`), with its
/// canonical bytes. Left for the store, against what it holds when it
/// stores it: the key still the bureau's, and the chain.
pub struct ReportToStore {
    pub report: pointage_core::turnout::SignedReport,
    pub bytes: Vec<u8>,
    pub checked_key: String,
}

impl ReportToStore {
    /// What the store decides from what it read: the key enrolled now,
    /// and the latest version of the same bureau and checkpoint (its id
    /// and version).
    pub(super) fn check_new(
        &self,
        key: Option<String>,
        latest: Option<(String, u32)>,
    ) -> Result<(), IngestError> {
        use pointage_core::wire::ErrorCode;
        if key.unwrap_or_default() != self.checked_key {
            return Err(IngestError::Report(ErrorCode::ReportKeyNotEnrolled));
        }
        if latest
            .as_ref()
            .is_some_and(|(_, v)| *v >= self.report.body().version)
        {
            return Err(IngestError::Report(ErrorCode::ReportVersionTaken));
        }
        self.report
            .check_chain(latest.as_ref().map(|(id, v)| (id.as_str(), *v)))
            .map_err(|_| IngestError::Report(ErrorCode::ReportBrokenChain))
    }

    /// Its leaf, received at `at`.
    pub(super) fn leaf(&self, at: u64) -> Result<NewLeaf, DbError> {
        let report: serde_json::Value = serde_json::from_slice(&self.bytes)
            .map_err(|e| DbError::Encode(format!("a turnout report: {e}")))?;
        NewLeaf::of(&LogEntry::Report { at, report })
    }
}

/// Where a return stands once stored (or found already stored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stored {
    /// Its leaf in the election's log.
    pub sequence: u64,
    pub received_at: u64,
    /// False when the very same return had already been stored.
    pub new: bool,
    /// Its leaf's hash.
    pub leaf: Hash,
    /// The root of the log's tree that ends with it, when the node that
    /// stored it knew it (the ingest writer extends its tree as it
    /// commits): what its receipt names, without asking the tree again.
    pub root: Option<Hash>,
}

/// A return already stored, as its id finds it.
#[derive(Clone, Debug)]
pub struct StoredReturn {
    pub election_id: String,
    pub stored: Stored,
    /// Its canonical bytes, as signed.
    pub bytes: Vec<u8>,
}

/// A leaf of an election's log as the in-memory tree reads it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeafHash {
    pub index: u64,
    pub at: u64,
    pub hash: Hash,
}

/// A leaf of an election's log as the record and the proofs give it: its
/// index and its entry's canonical bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    pub index: u64,
    pub bytes: Vec<u8>,
}

/// A leaf other than a return's, ready to store: a return's leaf is its
/// row in the returns' table, whose bytes and time make its entry.
pub(super) struct NewLeaf {
    pub bureau: Option<String>,
    pub at: u64,
    pub bytes: Vec<u8>,
    pub hash: Hash,
}

impl NewLeaf {
    pub fn of(entry: &LogEntry) -> Result<Self, DbError> {
        let bytes = entry
            .leaf_bytes()
            .map_err(|e| DbError::Encode(format!("a log entry: {e}")))?;
        Ok(NewLeaf {
            bureau: entry.bureau().map(str::to_owned),
            at: entry.at(),
            hash: leaf_hash(&bytes),
            bytes,
        })
    }
}

/// The leaf of a return received at `at`, whose stored bytes are `bytes`:
/// its entry's canonical bytes.
pub(super) fn return_leaf(at: u64, bytes: &[u8]) -> Vec<u8> {
    return_entry_bytes(at, bytes)
}

/// The leaves of an election's log that are not returns, as the stores
/// append them.
pub(super) mod leaves {
    use super::*;

    pub fn election(e: &Election, server_key: &str, at: u64) -> Result<NewLeaf, DbError> {
        NewLeaf::of(&LogEntry::Election {
            at,
            election_id: e.id().to_owned(),
            election_hash: e.hash().to_owned(),
            server_key: server_key.to_owned(),
        })
    }

    pub fn key(bureau: &str, device_key: &str, at: u64) -> Result<NewLeaf, DbError> {
        NewLeaf::of(&LogEntry::Key {
            at,
            bureau: bureau.to_owned(),
            device_key: device_key.to_owned(),
            from: None,
        })
    }

    /// A key carried over from the same bureau of election `from`.
    pub fn carried_key(
        bureau: &str,
        device_key: &str,
        from: &str,
        at: u64,
    ) -> Result<NewLeaf, DbError> {
        NewLeaf::of(&LogEntry::Key {
            at,
            bureau: bureau.to_owned(),
            device_key: device_key.to_owned(),
            from: Some(from.to_owned()),
        })
    }

    pub fn reissue(
        bureau: &str,
        revoked: Option<String>,
        at: u64,
        by: Option<Actor>,
    ) -> Result<NewLeaf, DbError> {
        NewLeaf::of(&LogEntry::Reissue {
            at,
            bureau: bureau.to_owned(),
            revoked_key: revoked,
            by,
        })
    }

    pub fn closed(at: u64, by: Option<Actor>) -> Result<NewLeaf, DbError> {
        NewLeaf::of(&LogEntry::Closed { at, by })
    }
}

/// Why a genuine return was not stored.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Refused(#[from] VerifyError),
    /// A turnout report refused against what is stored (its key no longer
    /// the bureau's, its version taken, its chain broken).
    #[error("turnout report refused: {}", .0.as_str())]
    Report(pointage_core::wire::ErrorCode),
    /// A photo document refused against what is stored (its key, the
    /// return it names, its version or chain).
    #[error("photo document refused: {}", .0.as_str())]
    Photos(pointage_core::wire::ErrorCode),
    /// The election is closed: its record is final.
    #[error("the election is closed")]
    Closed,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for IngestError {
    fn from(e: rusqlite::Error) -> Self {
        IngestError::Db(e.into())
    }
}

impl From<tokio_postgres::Error> for IngestError {
    fn from(e: tokio_postgres::Error) -> Self {
        IngestError::Db(e.into())
    }
}

/// One stored version of a return: its leaf (`sequence`), and what it is.
pub struct RecordEntry {
    pub sequence: u64,
    pub id: String,
    pub bureau: String,
    pub version: u32,
    pub received_at: u64,
    pub bytes: Vec<u8>,
}

/// A code as issued: the only moment it exists in clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCode {
    pub election_id: String,
    pub bureau: String,
    pub code: String,
}

/// What presenting a code gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnrollOutcome {
    Enrolled {
        election_id: String,
        bureau: String,
    },
    Unknown,
    Used,
    Revoked,
    /// The key is enrolled with another code already (any bureau, any
    /// election): a key is one bureau's.
    KeyInUse,
    /// The code's election is closed: no key joins its final record.
    Closed,
}

/// An election closed by its organisers: when, and the leaf that closed
/// its log, the last one (no return, enrollment or new code is taken for
/// it from then on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Closure {
    pub closed_at: u64,
    pub last_sequence: u64,
}

/// The server's Ed25519 key, which signs receipts. Created on first start
/// and kept in the database, so that every node over the same database
/// signs the same receipt for the same return; its public half is given to
/// every device at enrollment and published with the record. The secret
/// never leaves the storage and the signer, and is never logged.
#[derive(Clone)]
pub struct ServerKey {
    /// Lowercase hex.
    pub public: String,
    /// Signs receipts (the secret, expanded once).
    pub signer: Arc<ServerSigner>,
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl ServerKey {
    /// A new secret, from the system's random source.
    pub(super) fn new_secret() -> Result<[u8; 32], DbError> {
        system::random::<32>().map_err(DbError::Random)
    }

    /// The key of a stored secret.
    pub(super) fn from_stored(secret: &[u8]) -> Result<Self, DbError> {
        let secret: [u8; 32] = secret
            .try_into()
            .map_err(|_| DbError::Invariant("the stored server key is not 32 bytes".into()))?;
        Ok(Self {
            public: pointage_core::signed_return::public_key_hex(&secret),
            signer: Arc::new(ServerSigner::new(&secret)),
        })
    }
}

/// A new enrollment code for a bureau, with the digest it is stored as
/// (under the pepper).
pub(super) fn new_code(
    secrets: &super::Secrets,
    election_id: &str,
    bureau: &str,
) -> Result<(IssuedCode, String), DbError> {
    let code = code_from_bytes(&system::random::<8>().map_err(DbError::Random)?);
    let hash = secrets.code_digest(&code);
    Ok((
        IssuedCode {
            election_id: election_id.to_owned(),
            bureau: bureau.to_owned(),
            code,
        },
        hash,
    ))
}

/// An enrollment code as stored.
#[derive(Clone)]
pub(super) struct CodeRow {
    pub election_id: String,
    pub bureau: String,
    pub state: String,
    pub device_key: Option<String>,
}

/// What presenting a code with a key comes to.
pub(super) enum Enrollment {
    /// The answer, nothing to write.
    Answer(EnrollOutcome),
    /// The code is issued and the key free: the backend binds them (the
    /// code used, the key the bureau's) and answers enrolled.
    Bind { election_id: String, bureau: String },
}

/// What presenting a code with a key decides, from the code's row (if
/// any), whether the key is enrolled with another code, and whether the
/// code's election is closed. A code works once; presented again with the same key
/// (a phone whose first answer was lost) it enrolls it again, with another
/// key it is refused.
pub(super) fn enrollment(
    row: Option<CodeRow>,
    device_key: &str,
    key_elsewhere: bool,
    closed: bool,
) -> Enrollment {
    match row {
        None => Enrollment::Answer(EnrollOutcome::Unknown),
        Some(r) if r.state == "revoked" => Enrollment::Answer(EnrollOutcome::Revoked),
        Some(r) if r.state == "used" => {
            Enrollment::Answer(if r.device_key.as_deref() == Some(device_key) {
                EnrollOutcome::Enrolled {
                    election_id: r.election_id,
                    bureau: r.bureau,
                }
            } else {
                EnrollOutcome::Used
            })
        }
        Some(_) if closed => Enrollment::Answer(EnrollOutcome::Closed),
        Some(_) if key_elsewhere => Enrollment::Answer(EnrollOutcome::KeyInUse),
        Some(r) => Enrollment::Bind {
            election_id: r.election_id,
            bureau: r.bureau,
        },
    }
}

/// Whether a checked return may be stored now, against the bureau's
/// enrolled key and the latest version stored (its bytes), as the writer
/// reads them: the key it was checked against is still the bureau's (a
/// code reissued meanwhile revoked it: step 8 again), and the version
/// chain holds (step 13).
pub(super) fn check_new(
    w: &ToStore,
    key: Option<String>,
    latest: Option<Vec<u8>>,
) -> Result<(), IngestError> {
    if key.unwrap_or_default() != w.checked_key {
        return Err(VerifyError::KeyNotEnrolled.into());
    }
    let latest = latest
        .map(|bytes| SignedReturn::from_bytes_with(&bytes, &CheckedBeforeKept))
        .transpose()
        .map_err(|e| corrupt("return_version", &e.to_string()))?;
    w.ret
        .check_chain(latest.as_ref())
        .map_err(|e| VerifyError::Chain(e).into())
}

/// The body of a stored return, read without checking its signature again
/// (it was checked when it was stored; the public record lets anyone check
/// it again).
pub(super) fn stored_body(bytes: &[u8]) -> Result<ReturnBody, DbError> {
    #[derive(Deserialize)]
    struct StoredBody {
        body: ReturnBody,
    }
    serde_json::from_slice::<StoredBody>(bytes)
        .map(|s| s.body)
        .map_err(|e| corrupt("return_version", &e.to_string()))
}

/// An election's canonical definition, as stored.
pub(super) fn encode_election(e: &Election) -> Result<Vec<u8>, DbError> {
    canonical::encode(e).map_err(|err| corrupt(e.id(), &err.to_string()))
}

/// Decodes a stored definition, checking it with core and against its hash.
pub(super) fn decode_election(
    id: &str,
    hash: &str,
    definition: &[u8],
) -> Result<Election, DbError> {
    let e: Election = canonical::decode(definition).map_err(|err| corrupt(id, &err.to_string()))?;
    if e.id() != id || e.hash() != hash {
        return Err(corrupt(id, "the definition does not match its id or hash"));
    }
    Ok(e)
}

/// The query that finds a document kept in `table` (whose `idx` is a leaf
/// of `log_entry`) by its id, `param` (`?1` or `$1`): its index, when it
/// came and its leaf's hash. The same document sent again gets the same
/// answer ([`stored_again`]).
pub(super) fn stored_copy_sql(table: &'static str, param: &str) -> String {
    format!(
        "SELECT d.idx, d.received_at, l.hash FROM {table} d
         JOIN log_entry l ON l.election_id = d.election_id AND l.idx = d.idx
         WHERE d.id = {param}"
    )
}

/// The answer for document `id` found stored by [`stored_copy_sql`].
pub(super) fn stored_again(id: &str, idx: i64, at: i64, hash: Vec<u8>) -> Result<Stored, DbError> {
    Ok(Stored {
        sequence: idx as u64,
        received_at: at as u64,
        new: false,
        leaf: hash
            .try_into()
            .map_err(|_| corrupt(id, "its leaf hash is not 32 bytes"))?,
        root: None,
    })
}

pub(super) fn corrupt(id: &str, reason: &str) -> DbError {
    DbError::Corrupt {
        id: id.to_owned(),
        reason: reason.to_owned(),
    }
}

/// What an election stored before its log existed holds, to give it its log
/// (schema 8 on SQLite, 3 on PostgreSQL).
pub(super) struct Legacy {
    pub election_id: String,
    pub election_hash: String,
    pub server_key: String,
    /// When its codes were first issued.
    pub opened_at: u64,
    /// Its returns: id, old number, time, bytes.
    pub returns: Vec<(String, u64, u64, Vec<u8>)>,
    /// Each key enrolled: bureau, key, when, after which old number, and
    /// after which old number it was revoked.
    pub keys: Vec<(String, String, u64, u64, Option<u64>)>,
    pub closed_at: Option<u64>,
}

/// A leaf of a rebuilt log: a return's (its id and new index) or another.
pub(super) enum Rebuilt {
    Return {
        id: String,
        index: u64,
        at: u64,
        hash: Hash,
    },
    Other {
        index: u64,
        leaf: NewLeaf,
    },
}

/// The log of a legacy election, in the order its history had: leaf 0,
/// then each return, each key enrolled after the return it followed, each
/// revocation (as a reissue) before the key that replaced it, the closing
/// last. Times never go back (a leaf without one takes the one before).
pub(super) fn rebuild(l: &Legacy) -> Result<Vec<Rebuilt>, DbError> {
    enum Ev<'a> {
        Return(&'a (String, u64, u64, Vec<u8>)),
        Revoke(&'a str, &'a str),
        Key(&'a str, &'a str, u64),
    }
    let mut events: Vec<((u64, u8, u64), Ev)> = Vec::new();
    for r in &l.returns {
        events.push(((r.1, 0, 0), Ev::Return(r)));
    }
    for (bureau, key, used_at, after, revoked) in &l.keys {
        events.push(((*after, 2, *used_at), Ev::Key(bureau, key, *used_at)));
        if let Some(b) = revoked {
            events.push(((*b, 1, 0), Ev::Revoke(bureau, key)));
        }
    }
    events.sort_by_key(|(k, _)| *k);
    let mut at = l.opened_at;
    let mut out = vec![Rebuilt::Other {
        index: 0,
        leaf: NewLeaf::of(&LogEntry::Election {
            at,
            election_id: l.election_id.clone(),
            election_hash: l.election_hash.clone(),
            server_key: l.server_key.clone(),
        })?,
    }];
    for (_, ev) in events {
        let index = out.len() as u64;
        out.push(match ev {
            Ev::Return((id, _, received_at, bytes)) => {
                at = at.max(*received_at);
                Rebuilt::Return {
                    id: id.clone(),
                    index,
                    at,
                    hash: leaf_hash(&return_leaf(at, bytes)),
                }
            }
            Ev::Revoke(bureau, key) => Rebuilt::Other {
                index,
                leaf: leaves::reissue(bureau, Some(key.to_owned()), at, None)?,
            },
            Ev::Key(bureau, key, used_at) => {
                at = at.max(used_at);
                Rebuilt::Other {
                    index,
                    leaf: leaves::key(bureau, key, at)?,
                }
            }
        });
    }
    if let Some(closed) = l.closed_at {
        let index = out.len() as u64;
        out.push(Rebuilt::Other {
            index,
            leaf: leaves::closed(at.max(closed), None)?,
        });
    }
    Ok(out)
}
