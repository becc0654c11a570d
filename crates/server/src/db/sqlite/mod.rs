//! The SQLite backend, the default: one file in the data directory,
//! opened once and shared behind a mutex (SQLite serialises writers
//! anyway), and a few read-only connections for every read: nothing a
//! public request asks waits for the connection the ingest commits
//! through, nor makes it wait.
//!
//! Every write is a `BEGIN IMMEDIATE` transaction, and every connection
//! waits up to [`BUSY_TIMEOUT`] for another process's (the command line
//! importing an election during the night): the phones and the command
//! line wait for each other rather than fail.
//!
//! It must never hold the lock across an `.await`: async callers go through
//! `Db::run`, which runs the operation on tokio's blocking pool.

use pointage_core::Election;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long a connection waits for another's write (another process's:
/// the command line importing an election or reissuing a code) before it
/// gives up. An import of a national election's codes takes a few seconds.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// How often a connection waiting for another's write looks again. SQLite's
/// own `busy_timeout` sleeps longer and longer (up to 100 ms at a time), so
/// a phone's return would wait up to 100 ms past the end of a command-line
/// write; a millisecond at a time, it goes as soon as the write ends.
const BUSY_POLL: Duration = Duration::from_millis(1);

/// The busy handler of every connection: wait [`BUSY_POLL`] and try again,
/// for at most [`BUSY_TIMEOUT`].
fn wait_for_writer(tries: i32) -> bool {
    let waited = BUSY_POLL * u32::try_from(tries).unwrap_or(0);
    if waited >= BUSY_TIMEOUT {
        return false;
    }
    std::thread::sleep(BUSY_POLL);
    true
}

/// Read-only connections of a database in a file: reads run side by side
/// (a results computation does not hold up a phone's check of its return).
const READERS: usize = 4;

use migrations::MIGRATIONS;

mod details;
mod enrollment;
mod log;
mod migrations;
mod operators;
mod photos;
mod reports;
mod returns;
mod server_key;
mod store;

use super::model::{Closure, decode_election, encode_election, leaves};
use super::{DbError, Secrets};

/// The database: one connection that writes (and reads what a write
/// needs), and, for a database in a file, one more that only reads. The
/// long reads of the public answers (every return's body for the results,
/// the record a batch at a time) go through the reader, so they never hold
/// the connection the ingest commits through: in WAL mode a reader sees
/// the last commit before its read began, and a writer never waits for it.
pub(super) struct Sqlite {
    conn: Mutex<Connection>,
    secrets: Secrets,
    /// Empty in memory (a second connection would be another database).
    readers: Vec<Mutex<Connection>>,
    /// The reader to wait for when all are busy, in turn.
    next: AtomicUsize,
}

impl Sqlite {
    /// Opens (creating it if needed) `pointage.sqlite3` in `data_dir` and
    /// brings its schema up to date.
    pub fn open(data_dir: &Path, secrets: Secrets) -> Result<Self, DbError> {
        super::secrets::private_dir(data_dir)?;
        let path = data_dir.join("pointage.sqlite3");
        // The database holds the server key (unless it is in a file):
        // the owner's alone, made so before SQLite opens it (SQLite gives
        // its journal files the database's mode), or made so now if an
        // earlier version made it readable by others.
        super::secrets::private_file(&path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(&path)
                .map_err(|e| DbError::Storage(format!("cannot create {}: {e}", path.display())))?;
        }
        let mut db = Self::with_connection(Connection::open(&path)?, secrets)?;
        // Opened once the schema is up to date; they never write.
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            reader.pragma_update(None, "query_only", true)?;
            reader.busy_handler(Some(wait_for_writer))?;
            db.readers.push(Mutex::new(reader));
        }
        Ok(db)
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Self, DbError> {
        Self::with_connection(Connection::open_in_memory()?, Secrets::ephemeral()?)
    }

    fn with_connection(mut conn: Connection, secrets: Secrets) -> Result<Self, DbError> {
        conn.busy_handler(Some(wait_for_writer))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // A receipt promises the return is stored: each commit reaches the
        // disk before it is answered.
        conn.pragma_update(None, "synchronous", "FULL")?;
        migrate(&mut conn)?;
        enrollment::pepper(&mut conn, &secrets)?;
        log::rebuild_all(&mut conn, &secrets)?;
        Ok(Self {
            conn: Mutex::new(conn),
            secrets,
            readers: Vec::new(),
            next: AtomicUsize::new(0),
        })
    }

    /// Runs `f` with the writing connection. A poisoned lock is recovered:
    /// SQLite's own transactions keep the data consistent even if a previous
    /// holder panicked. Only the port's operations (`port.rs`) call it.
    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, DbError>) -> Result<T, DbError> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }

    /// Runs the read `f` through a reader connection when there are: it
    /// waits for no write, and no write waits for it. A free one if any,
    /// else the next in turn.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, DbError>) -> Result<T, DbError> {
        if self.readers.is_empty() {
            return self.with(|c| f(c));
        }
        for r in &self.readers {
            if let Ok(conn) = r.try_lock() {
                return f(&conn);
            }
        }
        let turn = self.next.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        f(&self.readers[turn].lock().unwrap_or_else(|p| p.into_inner()))
    }
}

fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(DbError::TooNew {
            found: version,
            known,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// `SELECT 1`: the database answers.
fn ping(conn: &Connection) -> Result<(), DbError> {
    conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?;
    Ok(())
}

/// Stores a new election, as its canonical definition and hash, and opens
/// its log: leaf 0 names it and the key that signs its heads.
fn open_election(
    conn: &Connection,
    e: &Election,
    server_key: &str,
    now: u64,
) -> Result<(), DbError> {
    insert_election(conn, e)?;
    log::append(conn, e.id(), 0, &leaves::election(e, server_key, now)?)
}

/// Stores a new election, as its canonical definition and hash.
fn insert_election(conn: &Connection, e: &Election) -> Result<(), DbError> {
    let definition = encode_election(e)?;
    conn.execute(
        "INSERT INTO election (id, hash, definition) VALUES (?1, ?2, ?3)",
        params![e.id(), e.hash(), definition],
    )?;
    Ok(())
}

fn election_count(conn: &Connection) -> Result<u64, DbError> {
    Ok(conn.query_row("SELECT COUNT(*) FROM election", [], |r| r.get(0))?)
}

/// Every election, in the order they were created, each checked again by core.
fn elections(conn: &Connection) -> Result<Vec<Election>, DbError> {
    let rows: Vec<(String, String, Vec<u8>)> = conn
        .prepare("SELECT id, hash, definition FROM election ORDER BY rowid")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(id, hash, def)| decode_election(&id, &hash, &def))
        .collect()
}

/// The id of the election created last, if any (without reading it).
fn latest_election_id(conn: &Connection) -> Result<Option<String>, DbError> {
    Ok(conn
        .query_row(
            "SELECT id FROM election ORDER BY rowid DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

fn election(conn: &Connection, id: &str) -> Result<Option<Election>, DbError> {
    let row: Option<(String, Vec<u8>)> = conn
        .query_row(
            "SELECT hash, definition FROM election WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(hash, def)| decode_election(id, &hash, &def))
        .transpose()
}

/// Whether (and when) an election was closed.
fn closure(conn: &Connection, election_id: &str) -> Result<Option<Closure>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT closed_at, last_sequence FROM election_closure WHERE election_id = ?1",
        )?
        .query_row([election_id], |r| {
            Ok(Closure {
                closed_at: r.get::<_, i64>(0)? as u64,
                last_sequence: r.get::<_, i64>(1)? as u64,
            })
        })
        .optional()?)
}

/// Closes an election, once (see `Db::close_election`).
fn close(
    conn: &mut Connection,
    election_id: &str,
    now: u64,
    by: pointage_core::operator::Actor,
) -> Result<Option<Closure>, DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if let Some(c) = closure(&tx, election_id)? {
        return Ok(Some(c));
    }
    if election_hash(&tx, election_id)?.is_none() {
        return Ok(None);
    }
    let (last, at) = log::push(&tx, election_id, now, |at| leaves::closed(at, Some(by)))?;
    tx.execute(
        "INSERT INTO election_closure (election_id, closed_at, last_sequence) VALUES (?1, ?2, ?3)",
        params![election_id, at as i64, last as i64],
    )?;
    tx.commit()?;
    Ok(Some(Closure {
        closed_at: at,
        last_sequence: last,
    }))
}

fn election_hash(conn: &Connection, id: &str) -> Result<Option<String>, DbError> {
    Ok(conn
        .query_row("SELECT hash FROM election WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

#[cfg(test)]
mod tests;
