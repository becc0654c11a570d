//! The watcher (`pointage-verify --watch URL --state DIR`): through the
//! night, it asks the server for the log's head, checks the server signed
//! it, and checks by a consistency proof that it extends every head seen
//! before (or is extended by it, when a cache answered an older one); it
//! keeps every head in `DIR/heads.jsonl`, so that two watchers, or a
//! watcher and a phone, can compare what they were shown later
//! (`pointage-verify --heads FILE RECORD`). Two heads no proof joins are
//! the proof that the server showed two histories: it says so at once.
//!
//! The server key is the one given (`--server-key`), else the one it read
//! the first time from the record's opening leaf, kept in
//! `DIR/server_key`.

use crate::net::{MAX_ANSWER, election_query, get_json, get_limited};
use pointage_core::log::{LogEntry, ProofError, RecordLine, SignedTreeHead, parse_hash};
use pointage_core::wire::LogProof;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What one look at the server found.
#[derive(Debug, PartialEq, Eq)]
pub enum Seen {
    /// The first head this state holds.
    First(SignedTreeHead),
    /// A head that extends the last one kept (or that it extends).
    Consistent { head: SignedTreeHead, previous: u64 },
    /// The same head again.
    Same(SignedTreeHead),
}

/// Why a look at the server is the proof of a lie, or failed.
#[derive(Debug, PartialEq, Eq)]
pub enum WatchError {
    /// The head is not signed by the server key.
    NotSigned(SignedTreeHead),
    /// The head and one kept before are two histories.
    Fork {
        kept: Box<SignedTreeHead>,
        shown: Box<SignedTreeHead>,
        why: ProofError,
    },
    /// The server could not be read, or the state kept.
    Io(String),
}

/// Where a watcher keeps what it saw.
pub struct State {
    dir: PathBuf,
}

impl State {
    pub fn open(dir: &Path) -> Result<Self, WatchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| WatchError::Io(format!("{}: {e}", dir.display())))?;
        Ok(State {
            dir: dir.to_path_buf(),
        })
    }

    fn heads_path(&self) -> PathBuf {
        self.dir.join("heads.jsonl")
    }

    /// Every head kept, in the order seen.
    pub fn heads(&self) -> Result<Vec<SignedTreeHead>, WatchError> {
        read_heads(&self.heads_path())
    }

    fn keep(&self, head: &SignedTreeHead) -> Result<(), WatchError> {
        let io =
            |e: std::io::Error| WatchError::Io(format!("{}: {e}", self.heads_path().display()));
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.heads_path())
            .map_err(io)?;
        let line = serde_json::to_string(head).map_err(|e| WatchError::Io(e.to_string()))?;
        writeln!(f, "{line}").map_err(io)?;
        f.sync_all().map_err(io)
    }

    fn server_key(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.join("server_key"))
            .ok()
            .map(|k| k.trim().to_owned())
    }

    fn keep_server_key(&self, key: &str) -> Result<(), WatchError> {
        std::fs::write(self.dir.join("server_key"), key)
            .map_err(|e| WatchError::Io(format!("server_key: {e}")))
    }
}

/// Reads a file of signed heads, one JSON object a line (a watcher's
/// `heads.jsonl`).
pub fn read_heads(path: &Path) -> Result<Vec<SignedTreeHead>, WatchError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(WatchError::Io(format!("{}: {e}", path.display()))),
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l).map_err(|e| WatchError::Io(format!("{}: {e}", path.display())))
        })
        .collect()
}

/// The server key the record's opening leaf names, read from the start of
/// the record (its first three lines: the definition, the head, leaf 0).
fn key_from_record(base: &str, election: Option<&str>) -> Result<String, WatchError> {
    let url = format!("{base}/api/v1/record?{}", election_query(election));
    let io = |e: String| WatchError::Io(e);
    let mut response = ureq::get(&url)
        .call()
        .map_err(|e| io(format!("{url}: {e}")))?;
    let reader = response.body_mut().with_config().limit(MAX_ANSWER).reader();
    use std::io::BufRead;
    for line in std::io::BufReader::new(reader).lines().take(3) {
        let line = line.map_err(|e| io(format!("{url}: {e}")))?;
        if let Ok(RecordLine::Leaf {
            index: 0,
            entry: LogEntry::Election { server_key, .. },
        }) = serde_json::from_str(&line)
        {
            return Ok(server_key);
        }
    }
    Err(io(format!(
        "{url}: the record does not open with the election"
    )))
}

/// One look at the server: its head, checked against the last one kept.
pub fn look(
    base: &str,
    election: Option<&str>,
    pinned: Option<&str>,
    state: &State,
) -> Result<Seen, WatchError> {
    let base = base.trim_end_matches('/');
    let io = WatchError::Io;
    let key = match (pinned, state.server_key()) {
        (Some(k), _) => k.to_owned(),
        (None, Some(k)) => k,
        (None, None) => {
            let k = key_from_record(base, election)?;
            state.keep_server_key(&k)?;
            k
        }
    };
    let q = election_query(election);
    let head: SignedTreeHead = get_json(&format!("{base}/api/v1/log?{q}")).map_err(io)?;
    if head.verify(&key).is_err() {
        return Err(WatchError::NotSigned(head));
    }
    let kept = state.heads()?;
    let Some(last) = kept.iter().max_by_key(|h| h.head.tree_size).cloned() else {
        state.keep(&head)?;
        return Ok(Seen::First(head));
    };
    let fork = |why| WatchError::Fork {
        kept: Box::new(last.clone()),
        shown: Box::new(head.clone()),
        why,
    };
    let (old, new) = if head.head.tree_size >= last.head.tree_size {
        (&last, &head)
    } else {
        (&head, &last)
    };
    if old.head.tree_size == new.head.tree_size {
        return if old.head.root_hash == new.head.root_hash {
            Ok(Seen::Same(head))
        } else {
            Err(fork(ProofError::Root))
        };
    }
    let url = format!(
        "{base}/api/v1/log/consistency?{q}from={}&to={}",
        old.head.tree_size, new.head.tree_size
    );
    // A server that cannot prove its log reaches a size it signed a head
    // of has taken leaves back: the kept head is of another history.
    let proof: LogProof = match crate::net::get_status(&url, MAX_ANSWER) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| io(format!("{url}: {e}")))?,
        Err((Some(404), _)) => return Err(fork(ProofError::Sizes)),
        Err((_, e)) => return Err(io(e)),
    };
    let proof: Vec<_> = proof
        .proof
        .iter()
        .map(|h| parse_hash(h))
        .collect::<Option<_>>()
        .ok_or_else(|| fork(ProofError::Length))?;
    crate::extends(old, new, &proof).map_err(fork)?;
    if head.head.tree_size > last.head.tree_size {
        state.keep(&head)?;
    }
    Ok(Seen::Consistent {
        previous: last.head.tree_size,
        head,
    })
}

/// Reads a record from a server: the whole text, bounded.
pub fn record(base: &str, election: Option<&str>) -> Result<String, String> {
    get_limited(
        &format!(
            "{}/api/v1/record?{}",
            base.trim_end_matches('/'),
            election_query(election)
        ),
        crate::net::MAX_RECORD,
    )
}
