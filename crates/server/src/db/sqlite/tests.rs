//! The SQLite backend's own tests: its migrations, its pragmas, its
//! readers beside the writer.

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
    let db =
        Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets")).expect("migrates");
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
        let db =
            Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets")).expect("db");
        db.with(|c| insert_election(c, &demo::election()))
            .expect("insert");
    }
    let db =
        Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets")).expect("reopen");
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
    let db =
        Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets")).expect("migrates");
    let numbered: Vec<(String, i64)> = db
        .with(|c| {
            let mut stmt =
                c.prepare("SELECT id, election_sequence FROM return_version ORDER BY sequence")?;
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
    let db =
        Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets")).expect("migrates");
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

    let db =
        Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets")).expect("migrates");
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
    let again =
        Sqlite::open(dir.path(), Secrets::in_dir(dir.path()).expect("secrets")).expect("reopens");
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
