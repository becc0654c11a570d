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

/// The schema, one entry per version; `PRAGMA user_version` records how many
/// have been applied. Entries are only ever appended.
const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE election (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        round      INTEGER NOT NULL CHECK (round >= 1)
    );
    CREATE TABLE candidate (
        election_id TEXT NOT NULL REFERENCES election(id),
        position    INTEGER NOT NULL,
        id          TEXT NOT NULL,
        name        TEXT NOT NULL,
        PRIMARY KEY (election_id, id),
        UNIQUE (election_id, position)
    );
    CREATE TABLE bureau (
        election_id TEXT NOT NULL REFERENCES election(id),
        position    INTEGER NOT NULL,
        code        TEXT NOT NULL,
        name        TEXT NOT NULL,
        inscrits    INTEGER CHECK (inscrits IS NULL OR inscrits >= 0),
        PRIMARY KEY (election_id, code),
        UNIQUE (election_id, position)
    );
"#,
    // Schema 1 could only ever hold the demo election (there was no import),
    // rebuilt from code on start. From schema 2 an election is stored as the
    // canonical bytes of its definition, the very bytes its hash is of, so
    // that what is served and hashed can never drift from what was loaded.
    r#"
    DROP TABLE bureau;
    DROP TABLE candidate;
    DROP TABLE election;
    CREATE TABLE election (
        id         TEXT PRIMARY KEY,
        hash       TEXT NOT NULL UNIQUE,
        definition BLOB NOT NULL
    );
"#,
    // Enrollment, the server's key, and the signed returns. Codes are stored
    // only as hashes; every version of every return is kept, in the order
    // received (its receipt's sequence). Receipts are not stored: Ed25519 is
    // deterministic, so the receipt of a stored return is signed again,
    // identical, from its sequence and time.
    r#"
    CREATE TABLE server_key (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        secret     BLOB NOT NULL CHECK (length(secret) = 32),
        public_key TEXT NOT NULL
    );
    CREATE TABLE enrollment_code (
        code_hash   TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('issued', 'used', 'revoked')),
        device_key  TEXT,
        issued_at   INTEGER NOT NULL,
        used_at     INTEGER
    );
    CREATE INDEX enrollment_code_bureau ON enrollment_code (election_id, bureau);
    CREATE TABLE return_version (
        sequence    INTEGER PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        bytes       BLOB NOT NULL,
        received_at INTEGER NOT NULL,
        UNIQUE (election_id, bureau, version)
    );
"#,
    // 4: a counter per election that every change the results depend on
    // moves (a return stored, a code issued, used or revoked, by this server
    // or by the command line in another process), kept by triggers: asking
    // whether the cached results still hold is one row read, not a scan of
    // 70,000 enrollment codes.
    r#"
    CREATE TABLE results_stamp (
        election_id TEXT PRIMARY KEY REFERENCES election(id),
        changes     INTEGER NOT NULL
    );
    INSERT INTO results_stamp (election_id, changes) SELECT id, 0 FROM election;
    CREATE TRIGGER results_stamp_election AFTER INSERT ON election BEGIN
        INSERT OR IGNORE INTO results_stamp (election_id, changes) VALUES (NEW.id, 0);
    END;
    CREATE TRIGGER results_stamp_return AFTER INSERT ON return_version BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
    CREATE TRIGGER results_stamp_code_issued AFTER INSERT ON enrollment_code BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
    CREATE TRIGGER results_stamp_code_changed AFTER UPDATE ON enrollment_code BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
"#,
    // 5: receipts count per election (1, 2, 3, … in each), so that one
    // election's record has no gaps and a return dropped from it shows; the
    // table's own `sequence` stays the order of arrival across elections.
    r#"
    ALTER TABLE return_version ADD COLUMN election_sequence INTEGER;
    UPDATE return_version SET election_sequence = (
        SELECT COUNT(*) FROM return_version AS earlier
        WHERE earlier.election_id = return_version.election_id
          AND earlier.sequence <= return_version.sequence
    );
    CREATE UNIQUE INDEX return_version_election_sequence
        ON return_version (election_id, election_sequence);
"#,
    // 6: when each device key held its bureau, in the election's receipt
    // sequence: enrolled after receipt `enrolled_after`, revoked after
    // receipt `revoked_after`, so that anyone can check from the record that
    // each return was received while its key was the bureau's. Keys enrolled
    // before this schema are taken as held from the start, and revoked ones
    // as revoked at the last receipt stored before it. The index lets an
    // enrollment find at once whether its key is another bureau's already.
    r#"
    CREATE INDEX enrollment_code_device_key ON enrollment_code (device_key);
    ALTER TABLE enrollment_code ADD COLUMN enrolled_after INTEGER;
    ALTER TABLE enrollment_code ADD COLUMN revoked_after INTEGER;
    UPDATE enrollment_code SET enrolled_after = 0 WHERE device_key IS NOT NULL;
    UPDATE enrollment_code SET revoked_after = (
        SELECT COALESCE(MAX(election_sequence), 0) FROM return_version
        WHERE return_version.election_id = enrollment_code.election_id
    ) WHERE state = 'revoked' AND device_key IS NOT NULL;
"#,
    // 7: an election closed by its organisers, with the last receipt of its
    // record, final from then on. Closing moves the results stamp (the
    // record's head changes, and so its tag).
    r#"
    CREATE TABLE election_closure (
        election_id   TEXT PRIMARY KEY REFERENCES election(id),
        closed_at     INTEGER NOT NULL,
        last_sequence INTEGER NOT NULL
    );
    CREATE TRIGGER results_stamp_closed AFTER INSERT ON election_closure BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
"#,
    // 8: the record as an append-only Merkle log per election (RFC 9162):
    // every return, key enrolled, code reissued and the closing is a leaf,
    // numbered 0, 1, 2… A return's leaf is its row (`election_sequence`
    // becomes its index, `leaf_hash` its hash); the others are rows here,
    // with their canonical entry. Elections stored before are given their
    // log when the database is opened (`log::rebuild`), from what they
    // hold, and their returns numbered again in it.
    r#"
    CREATE TABLE log_entry (
        election_id TEXT NOT NULL REFERENCES election(id),
        idx         INTEGER NOT NULL,
        bureau      TEXT,
        at          INTEGER NOT NULL,
        hash        BLOB NOT NULL CHECK (length(hash) = 32),
        entry       BLOB NOT NULL,
        PRIMARY KEY (election_id, idx)
    );
    CREATE INDEX log_entry_bureau ON log_entry (election_id, bureau) WHERE bureau IS NOT NULL;
    ALTER TABLE return_version ADD COLUMN leaf_hash BLOB;
"#,
    // 9: secrets out of the database (`secrets.rs`). The server key's
    // secret may live in a file, the row keeping its public half; the
    // codes are stored under a pepper kept in a file, the row here
    // recognising it (the codes stored before are brought under it once,
    // by `enrollment::pepper`, which needs the pepper).
    r#"
    CREATE TABLE server_key_9 (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        secret     BLOB CHECK (secret IS NULL OR length(secret) = 32),
        public_key TEXT NOT NULL
    );
    INSERT INTO server_key_9 SELECT id, secret, public_key FROM server_key;
    DROP TABLE server_key;
    ALTER TABLE server_key_9 RENAME TO server_key;
    CREATE TABLE code_pepper (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        digest TEXT NOT NULL
    );
"#,
    // 10: turnout reports (docs/return-format.md §9). Each is a leaf of
    // `log_entry` (`idx`); this row finds it by id, and a bureau's latest
    // version of a checkpoint. Storing one moves the results stamp.
    r#"
    CREATE TABLE turnout_report (
        id          TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        checkpoint  TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        idx         INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        bytes       BLOB NOT NULL,
        UNIQUE (election_id, bureau, checkpoint, version)
    );
    CREATE TRIGGER results_stamp_report AFTER INSERT ON turnout_report BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
"#,
    // 11: the paper PV's photos (docs/return-format.md §15). A photo
    // document is a leaf of `log_entry` (`idx`), found here by id and by a
    // bureau's latest version (`pages`: its pictures' SHA-256, one after
    // the other); each page it names is a row of
    // `photo_page` (by the picture's SHA-256, its pieces' hashes one after
    // the other), and each piece received, checked against them, a row of
    // `photo_piece`. A document stored moves the results stamp, and so
    // does a picture's last piece (the results page shows the pictures
    // held; `photos::put_piece`).
    r#"
    CREATE TABLE photo_set (
        id          TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        return_id   TEXT NOT NULL,
        pages       TEXT NOT NULL,
        idx         INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        bytes       BLOB NOT NULL,
        UNIQUE (election_id, bureau, version)
    );
    CREATE TABLE photo_page (
        sha256      TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        number      INTEGER NOT NULL,
        media_type  TEXT NOT NULL,
        size        INTEGER NOT NULL,
        pieces      TEXT NOT NULL
    );
    CREATE TABLE photo_piece (
        sha256 TEXT NOT NULL REFERENCES photo_page(sha256),
        n      INTEGER NOT NULL,
        bytes  BLOB NOT NULL,
        PRIMARY KEY (sha256, n)
    ) WITHOUT ROWID;
    CREATE TRIGGER results_stamp_photos AFTER INSERT ON photo_set BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
"#,
    // 12: what the central team keeps of each bureau beyond the
    // definition (core's `roster::BureauDetails`, from the organiser's
    // spreadsheet): the address, the département, the président's name
    // and phone number. Personal data: read by operators only, never in
    // the record or a public answer.
    r#"
    CREATE TABLE bureau_details (
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        address     TEXT,
        departement TEXT,
        president   TEXT,
        phone       TEXT,
        PRIMARY KEY (election_id, bureau)
    );
"#,
    // 13: the central team's accounts (core's `operator::Role`): each
    // account, its passkeys (webauthn-rs' `Passkey` as JSON), and the
    // one-time or expiring tokens: invitations, sign-in ceremonies under
    // way, sessions (each with its form proof). A token is kept as its
    // SHA-256 only. Personal data: never in the record or a public answer.
    r#"
    CREATE TABLE operator (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE operator_passkey (
        cred_id     TEXT PRIMARY KEY,
        operator_id TEXT NOT NULL REFERENCES operator(id),
        passkey     TEXT NOT NULL
    );
    CREATE TABLE operator_token (
        hash        TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        operator_id TEXT REFERENCES operator(id),
        data        TEXT NOT NULL,
        expires_at  INTEGER NOT NULL
    );
    CREATE INDEX operator_token_of ON operator_token (operator_id, kind);
"#,
    // 14: the central team's notes on a bureau (who called, what was
    // said): operational and personal, read on the operators' pages only.
    r#"
    CREATE TABLE bureau_note (
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        at          INTEGER NOT NULL,
        author      TEXT NOT NULL,
        text        TEXT NOT NULL
    );
    CREATE INDEX bureau_note_of ON bureau_note (election_id, bureau, at);
"#,
    // 15: the central team's phone number for an election, printed on its
    // letters, a reissue's included, and the deadline it set for the PVs
    // (the board's "late"): the team's, never in the record; and
    // each bureau's latest refused return (its code), for the board.
    r#"
    CREATE TABLE election_team (
        election_id TEXT PRIMARY KEY REFERENCES election(id),
        phone       TEXT,
        returns_due INTEGER
    );
    CREATE TABLE bureau_refusal (
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        code        TEXT NOT NULL,
        at          INTEGER NOT NULL,
        PRIMARY KEY (election_id, bureau)
    );
"#,
];

mod details;
mod enrollment;
mod log;
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
mod tests {
    use super::*;
    use crate::db::port::Store;
    use std::sync::Arc;

    #[test]
    fn the_public_reads_never_wait_for_the_connection_the_ingest_writes_through() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Arc::new(
            Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets")).expect("db"),
        );
        // Someone holds the writing connection (a long commit) until told.
        let (held_tx, held_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let writer = {
            let db = db.clone();
            std::thread::spawn(move || {
                db.with(|_| {
                    held_tx.send(()).expect("send");
                    release_rx.recv().expect("recv");
                    Ok(())
                })
                .expect("write");
            })
        };
        held_rx.recv().expect("held");
        // A read goes through meanwhile.
        let (read_tx, read_rx) = std::sync::mpsc::channel();
        let reader = {
            let db = db.clone();
            std::thread::spawn(move || {
                let n = db.read(|c| {
                    Ok(c.query_row("SELECT COUNT(*) FROM election", [], |r| r.get::<_, i64>(0))?)
                });
                read_tx.send(n.expect("read")).expect("send");
            })
        };
        let n = read_rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the read waited for the writer");
        assert_eq!(n, 0);
        release_tx.send(()).expect("release");
        writer.join().expect("writer");
        reader.join().expect("reader");
    }

    use crate::demo;

    #[test]
    fn an_election_is_read_back_as_it_was_stored() {
        let db = Sqlite::open_in_memory().expect("db");
        let e = demo::election();
        db.with(|c| insert_election(c, &e)).expect("insert");
        let all = db.elections().expect("read");
        assert_eq!(all, vec![e]);
    }

    #[test]
    fn an_altered_definition_is_refused_when_read() {
        let db = Sqlite::open_in_memory().expect("db");
        let e = demo::election();
        db.with(|c| insert_election(c, &e)).expect("insert");
        db.with(|c| {
            c.execute(
                "UPDATE election SET definition = CAST(replace(CAST(definition AS TEXT), 'Moreau', 'Moraeu') AS BLOB)",
                [],
            )?;
            Ok(())
        })
        .expect("tamper");
        let err = db.elections().expect_err("tampered definition");
        assert!(matches!(err, DbError::Corrupt { .. }), "{err}");
    }

    #[test]
    fn a_schema_1_database_is_brought_to_the_current_schema() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = Connection::open(dir.path().join("pointage.sqlite3")).expect("open");
        conn.execute_batch(MIGRATIONS[0]).expect("schema 1");
        conn.execute(
            "INSERT INTO election (id, name, round) VALUES ('demo-2027-t1', 'Demo', 1)",
            [],
        )
        .expect("old demo");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        drop(conn);
        let db = Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets"))
            .expect("migrates");
        assert_eq!(db.election_count().expect("count"), 0);
        db.with(|c| insert_election(c, &demo::election()))
            .expect("insert");
        assert_eq!(db.elections().expect("read"), vec![demo::election()]);
    }

    #[test]
    fn the_same_election_cannot_be_stored_twice() {
        let db = Sqlite::open_in_memory().expect("db");
        let e = demo::election();
        db.with(|c| insert_election(c, &e)).expect("insert");
        assert!(db.with(|c| insert_election(c, &e)).is_err());
        assert_eq!(db.election_count().expect("count"), 1);
    }

    #[test]
    fn data_survives_a_restart_and_the_schema_is_not_reapplied() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let db = Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets"))
                .expect("db");
            db.with(|c| insert_election(c, &demo::election()))
                .expect("insert");
        }
        let db = Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets"))
            .expect("reopen");
        assert_eq!(db.election_count().expect("count"), 1);
        let v: i64 = db
            .with(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
            .expect("version");
        assert_eq!(v, MIGRATIONS.len() as i64);
    }

    #[test]
    fn returns_stored_before_schema_5_are_numbered_per_election() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = Connection::open(dir.path().join("pointage.sqlite3")).expect("open");
        for m in &MIGRATIONS[..4] {
            conn.execute_batch(m).expect("schemas 1-4");
        }
        conn.pragma_update(None, "user_version", 4)
            .expect("version");
        // Two elections' returns, interleaved, as one global sequence.
        for (seq, election) in [(1, "a"), (2, "b"), (3, "a"), (4, "a"), (5, "b")] {
            conn.execute(
                "INSERT OR IGNORE INTO election (id, hash, definition) VALUES (?1, ?1, '')",
                [election],
            )
            .expect("election");
            conn.execute(
                "INSERT INTO return_version (sequence, id, election_id, bureau, version, bytes, received_at)
                 VALUES (?1, ?2, ?3, ?2, 1, x'', 0)",
                rusqlite::params![seq, format!("r{seq}"), election],
            )
            .expect("return");
        }
        drop(conn);
        let db = Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets"))
            .expect("migrates");
        let numbered: Vec<(String, i64)> = db
            .with(|c| {
                let mut stmt = c.prepare(
                    "SELECT id, election_sequence FROM return_version ORDER BY sequence",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .expect("read");
        let expected = [("r1", 1), ("r2", 1), ("r3", 2), ("r4", 3), ("r5", 2)];
        assert_eq!(
            numbered,
            expected.map(|(id, n)| (id.to_owned(), n)).to_vec()
        );
    }

    #[test]
    fn keys_enrolled_before_schema_6_are_held_from_the_start_until_their_revocation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = Connection::open(dir.path().join("pointage.sqlite3")).expect("open");
        for m in &MIGRATIONS[..5] {
            conn.execute_batch(m).expect("schemas 1-5");
        }
        conn.pragma_update(None, "user_version", 5)
            .expect("version");
        conn.execute(
            "INSERT INTO election (id, hash, definition) VALUES ('a', 'a', '')",
            [],
        )
        .expect("election");
        for seq in 1..=3 {
            conn.execute(
                "INSERT INTO return_version
                 (sequence, id, election_id, bureau, version, bytes, received_at, election_sequence)
                 VALUES (?1, ?2, 'a', ?2, 1, x'', 0, ?1)",
                rusqlite::params![seq, format!("r{seq}")],
            )
            .expect("return");
        }
        for (code, state, key) in [
            ("c1", "used", Some("k1")),
            ("c2", "revoked", Some("k2")),
            ("c3", "issued", None),
            ("c4", "revoked", None),
        ] {
            conn.execute(
                "INSERT INTO enrollment_code (code_hash, election_id, bureau, state, device_key, issued_at)
                 VALUES (?1, 'a', ?1, ?2, ?3, 0)",
                rusqlite::params![code, state, key],
            )
            .expect("code");
        }
        drop(conn);
        let db = Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets"))
            .expect("migrates");
        let rows: Vec<(String, Option<i64>, Option<i64>)> = db
            .with(|c| {
                let mut stmt = c.prepare(
                    "SELECT bureau, enrolled_after, revoked_after FROM enrollment_code
                     ORDER BY bureau",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .expect("read");
        assert_eq!(
            rows,
            vec![
                ("c1".to_owned(), Some(0), None),
                ("c2".to_owned(), Some(0), Some(3)),
                ("c3".to_owned(), None, None),
                ("c4".to_owned(), None, None),
            ]
        );
    }

    #[test]
    fn an_election_stored_before_the_log_gets_its_log_in_its_history_s_order() {
        use pointage_core::log::{KeyHistory, LogEntry, Tree};
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = Connection::open(dir.path().join("pointage.sqlite3")).expect("open");
        for m in &MIGRATIONS[..7] {
            conn.execute_batch(m).expect("schemas 1-7");
        }
        conn.pragma_update(None, "user_version", 7)
            .expect("version");
        let e = demo::election();
        insert_election(&conn, &e).expect("election");
        // Bureau 001 enrolled, its return (1), 002 enrolled, its return
        // (2), 001's key revoked after it and a new one enrolled, 001's
        // correction (3); then closed.
        for (code, bureau, state, key, used_at, after, revoked) in [
            ("c1", "DEMO-001", "revoked", Some("k1"), 10, 0, Some(2)),
            ("c2", "DEMO-002", "used", Some("k2"), 20, 1, None),
            ("c3", "DEMO-001", "used", Some("k3"), 40, 2, None),
            ("c4", "DEMO-003", "issued", None, 0, 0, None),
        ] {
            conn.execute(
                "INSERT INTO enrollment_code
                 (code_hash, election_id, bureau, state, device_key, issued_at, used_at,
                  enrolled_after, revoked_after)
                 VALUES (?1, ?2, ?3, ?4, ?5, 5, ?6, ?7, ?8)",
                params![code, e.id(), bureau, state, key, used_at, after, revoked],
            )
            .expect("code");
        }
        for (seq, id, bureau, version, at) in [
            (1, "r1", "DEMO-001", 1, 15),
            (2, "r2", "DEMO-002", 1, 30),
            (3, "r3", "DEMO-001", 2, 50),
        ] {
            conn.execute(
                "INSERT INTO return_version
                 (sequence, id, election_id, bureau, version, bytes, received_at, election_sequence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?1)",
                params![
                    seq,
                    id,
                    e.id(),
                    bureau,
                    version,
                    format!("{{\"{id}\":1}}").into_bytes(),
                    at
                ],
            )
            .expect("return");
        }
        conn.execute(
            "INSERT INTO election_closure (election_id, closed_at, last_sequence) VALUES (?1, 60, 3)",
            [e.id()],
        )
        .expect("closure");
        conn.execute(
            "INSERT INTO server_key (id, secret, public_key) VALUES (1, ?1, 'pk')",
            [&[7u8; 32][..]],
        )
        .expect("key");
        drop(conn);

        let db = Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets"))
            .expect("migrates");
        let leaves = db.leaves(e.id(), 0, 100, 100).expect("leaves");
        let entries: Vec<LogEntry> = leaves
            .iter()
            .map(|l| serde_json::from_slice(&l.bytes).expect("an entry"))
            .collect();
        let said: Vec<String> = entries
            .iter()
            .map(|en| match en {
                LogEntry::Election { server_key, .. } => format!("opened {server_key}"),
                LogEntry::Key {
                    bureau,
                    device_key,
                    at,
                    ..
                } => format!("key {bureau} {device_key} {at}"),
                LogEntry::Reissue {
                    bureau,
                    revoked_key,
                    ..
                } => {
                    format!("reissue {bureau} {}", revoked_key.as_deref().unwrap_or("-"))
                }
                LogEntry::Return { ret, at } => format!("return {ret} {at}"),
                LogEntry::Report { report, at } => format!("report {report} {at}"),
                LogEntry::Photos { photos, at } => format!("photos {photos} {at}"),
                LogEntry::Closed { at, .. } => format!("closed {at}"),
            })
            .collect();
        let public = pointage_core::signed_return::public_key_hex(&[7; 32]);
        assert_eq!(
            said,
            [
                format!("opened {public}"),
                "key DEMO-001 k1 10".into(),
                "return {\"r1\":1} 15".into(),
                "key DEMO-002 k2 20".into(),
                "return {\"r2\":1} 30".into(),
                "reissue DEMO-001 k1".into(),
                "key DEMO-001 k3 40".into(),
                "return {\"r3\":1} 50".into(),
                "closed 60".into(),
            ]
        );
        // The returns numbered again as their leaves; the closing the last.
        assert_eq!(
            db.versions_of(e.id(), "DEMO-001")
                .expect("versions")
                .iter()
                .map(|v| v.sequence)
                .collect::<Vec<_>>(),
            vec![2, 7]
        );
        assert_eq!(
            db.closure(e.id())
                .expect("closure")
                .map(|c| c.last_sequence),
            Some(8)
        );
        // Its hashes are the leaves', its keys follow the rules.
        let mut tree = Tree::new();
        let mut keys = KeyHistory::new();
        for (l, h) in leaves
            .iter()
            .zip(db.leaf_hashes(e.id(), 0).expect("hashes"))
        {
            assert_eq!(pointage_core::log::leaf_hash(&l.bytes), h.hash);
            tree.push(h.hash);
        }
        for (i, en) in entries.iter().enumerate() {
            keys.apply(i as u64, en).expect("the key history holds");
        }
        assert_eq!(db.log_size(e.id()).expect("size"), 9);
        // Opening it again changes nothing.
        drop(db);
        let again = Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets"))
            .expect("reopens");
        assert_eq!(again.leaf_hashes(e.id(), 0).expect("hashes").len(), 9);
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = Connection::open(dir.path().join("pointage.sqlite3")).expect("open");
        conn.pragma_update(None, "user_version", 99).expect("set");
        drop(conn);
        assert!(matches!(
            Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets")),
            Err(DbError::TooNew { found: 99, .. })
        ));
    }
}
