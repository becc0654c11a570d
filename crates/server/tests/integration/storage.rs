//! The storage port, on whichever backend the suite runs (SQLite, or
//! PostgreSQL with `POINTAGE_TEST_POSTGRES`): a batch of returns is stored
//! as if each were stored alone, in order, and enrollments likewise.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PHONE_1, PHONE_2, sign};
use pointage_core::VerifyError;
use pointage_core::signed_return::public_key_hex;
use pointage_server::db::{EnrollOutcome, IngestError, ToStore};
use pointage_server::demo;
use std::sync::Arc;

#[tokio::test]
async fn a_batch_is_stored_as_if_each_return_came_alone_in_its_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::common::fresh_db(dir.path()).await;
    let (e, codes) = demo::seed_if_empty(&db, 0).unwrap().unwrap();
    let code = |b: &str| codes.iter().find(|c| c.bureau == b).unwrap().code.clone();
    for (b, phone) in [("DEMO-001", PHONE_1), ("DEMO-002", PHONE_2)] {
        let out = db.enroll(&code(b), &public_key_hex(&phone), 5).unwrap();
        assert!(matches!(out, EnrollOutcome::Enrolled { .. }), "{out:?}");
    }
    let v1 = sign(&e, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    let rival = sign(&e, "DEMO-001", [10, 20, 30, 40], &PHONE_1, None);
    let v2 = sign(
        &e,
        "DEMO-001",
        [41, 29, 20, 10],
        &PHONE_1,
        Some((&v1, "Erreur de report.".into())),
    );
    let other = sign(&e, "DEMO-002", [35, 30, 25, 10], &PHONE_2, None);
    // Signed by DEMO-002's phone for DEMO-001: not the bureau's key.
    let forged = sign(&e, "DEMO-003", [30, 30, 30, 10], &PHONE_2, None);
    let e = Arc::new(e);
    // Checked by core against the key enrolled for its bureau, as the API
    // does before it queues a return.
    let item = |r: &pointage_core::SignedReturn| {
        let key = db.enrolled_key(e.id(), &r.body().bureau).unwrap();
        ToStore::check(
            e.clone(),
            r.clone(),
            r.to_bytes().into(),
            &key.unwrap_or_default(),
        )
        .unwrap()
    };
    // Checked against a key that is not (or no longer) the bureau's when
    // the writer stores it: refused there.
    let forged = ToStore::check(
        e.clone(),
        forged.clone(),
        forged.to_bytes().into(),
        &crate::common::public_key_hex_of(&PHONE_2),
    )
    .unwrap();
    let batch = vec![
        item(&v1),
        item(&v1),
        item(&rival),
        forged,
        item(&v2),
        item(&other),
    ];
    let out = db.store_returns(batch, 1_000).unwrap();
    let stored: Vec<Option<(u64, bool)>> = out
        .iter()
        .map(|r| r.as_ref().ok().map(|s| (s.sequence, s.new)))
        .collect();
    // Leaves 0 to 2 are the opening and the two keys.
    assert_eq!(
        stored,
        vec![
            Some((3, true)),
            Some((3, false)),
            None,
            None,
            Some((4, true)),
            Some((5, true)),
        ]
    );
    assert!(matches!(
        out[2],
        Err(IngestError::Refused(VerifyError::Chain(_)))
    ));
    assert!(
        matches!(
            out[3],
            Err(IngestError::Refused(VerifyError::KeyNotEnrolled))
        ),
        "{:?}",
        out[3]
    );
    // Again, in a later batch: found, with their first receipts' numbers.
    let again = db
        .store_returns(vec![item(&other), item(&v2)], 2_000)
        .unwrap();
    let again: Vec<(u64, u64, bool)> = again
        .into_iter()
        .map(|r| {
            let s = r.unwrap();
            (s.sequence, s.received_at, s.new)
        })
        .collect();
    assert_eq!(again, vec![(5, 1_000, false), (4, 1_000, false)]);
    // The leaves follow on, every one's hash the one anyone recomputes.
    let hashes = db.leaf_hashes(e.id(), 0).unwrap();
    assert_eq!(
        hashes.iter().map(|l| l.index).collect::<Vec<_>>(),
        (0..6).collect::<Vec<_>>()
    );
    for l in db.leaves(e.id(), 0, 6, 100).unwrap() {
        assert_eq!(
            pointage_core::log::leaf_hash(&l.bytes),
            hashes[l.index as usize].hash
        );
    }
    assert_eq!(db.return_count(e.id()).unwrap(), 3);
    let versions: Vec<u32> = db
        .versions_of(e.id(), "DEMO-001")
        .unwrap()
        .iter()
        .map(|v| v.version)
        .collect();
    assert_eq!(versions, vec![1, 2]);
}

#[tokio::test]
async fn enrollments_in_one_batch_are_decided_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::common::fresh_db(dir.path()).await;
    let (e, codes) = demo::seed_if_empty(&db, 0).unwrap().unwrap();
    let code = |b: &str| codes.iter().find(|c| c.bureau == b).unwrap().code.clone();
    let (c1, c2) = (code("DEMO-001"), code("DEMO-002"));
    let (k1, k2) = (public_key_hex(&PHONE_1), public_key_hex(&PHONE_2));
    let stamp = db.results_stamp(e.id()).unwrap();
    let out = db
        .enroll_all(
            &[
                (&c1, &k1),
                // The same again: a phone whose answer was lost.
                (&c1, &k1),
                // The code used, by another key.
                (&c1, &k2),
                // A key already DEMO-001's, for another bureau.
                (&c2, &k1),
                ("AAAA-BBBB-CCCC", &k2),
                (&c2, &k2),
            ],
            7,
        )
        .unwrap();
    let enrolled = |b: &str| EnrollOutcome::Enrolled {
        election_id: e.id().to_owned(),
        bureau: b.to_owned(),
    };
    assert_eq!(
        out,
        vec![
            enrolled("DEMO-001"),
            enrolled("DEMO-001"),
            EnrollOutcome::Used,
            EnrollOutcome::KeyInUse,
            EnrollOutcome::Unknown,
            enrolled("DEMO-002"),
        ]
    );
    assert_eq!(db.enrolled_key(e.id(), "DEMO-002").unwrap(), Some(k2));
    assert!(
        db.results_stamp(e.id()).unwrap() > stamp,
        "the results moved"
    );
    // A code reissued: the old one is revoked, its key with it.
    let new = db
        .reissue_code(
            e.id(),
            "DEMO-001",
            9,
            pointage_core::operator::Actor::CommandLine,
        )
        .unwrap();
    assert_eq!(db.enroll(&c1, &k1, 10).unwrap(), EnrollOutcome::Revoked);
    assert_eq!(db.enrolled_key(e.id(), "DEMO-001").unwrap(), None);
    let k3 = public_key_hex(&[13; 32]);
    assert_eq!(db.enroll(&new.code, &k3, 11).unwrap(), enrolled("DEMO-001"));
}

/// What a copy of the data directory's database gives away: the files are
/// the owner's alone, and without the pepper file no code can be checked
/// against it (neither as the old plain SHA-256, nor opened with another
/// pepper, which is refused).
#[cfg(unix)]
#[tokio::test]
async fn the_secrets_are_the_owner_s_alone_and_a_database_copy_confirms_no_code() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let storage = pointage_server::admin::Storage::sqlite(data.clone());
    let db = storage.open().unwrap();
    let (e, codes) = demo::seed_if_empty(&db, 0).unwrap().unwrap();
    // A write, so that SQLite's journal files exist too.
    db.enroll(&codes[0].code, &public_key_hex(&PHONE_1), 5)
        .unwrap();
    pointage_server::admin::write_codes(&e, &codes, &data.join("codes.csv"), "http://x").unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    for file in [
        "pointage.sqlite3",
        "pointage.sqlite3-wal",
        "pointage.sqlite3-shm",
        "code-pepper",
        "codes.csv",
    ] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    drop(db);

    // A copy of the database alone.
    let stolen = dir.path().join("stolen");
    std::fs::create_dir(&stolen).unwrap();
    std::fs::copy(
        data.join("pointage.sqlite3"),
        stolen.join("pointage.sqlite3"),
    )
    .unwrap();
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::copy(
            data.join(format!("pointage.sqlite3{ext}")),
            stolen.join(format!("pointage.sqlite3{ext}")),
        );
    }
    let conn = rusqlite::Connection::open(stolen.join("pointage.sqlite3")).unwrap();
    let stored: Vec<String> = conn
        .prepare("SELECT code_hash FROM enrollment_code")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored.len(), codes.len());
    for c in &codes {
        let plain = pointage_core::enrollment::code_hash(&c.code);
        assert!(
            !stored.contains(&plain),
            "a code is confirmed by its plain hash"
        );
    }
    drop(conn);
    // Opened with a pepper of its own (the thief's): refused, and no code
    // enrolls through it.
    let refused = pointage_server::db::Db::open(&stolen)
        .err()
        .expect("another pepper");
    assert!(
        refused.to_string().contains("another pepper file"),
        "{refused}"
    );
    // With the data directory's own pepper, the server reads it back.
    let db = storage.open().unwrap();
    assert!(db.code_known(&codes[1].code).unwrap());
    assert!(!db.code_known("ZZZZ-ZZZZ-ZZZZ").unwrap());
}

/// A database from before the pepper: its codes, stored as plain SHA-256,
/// still enroll once it is opened with a pepper (each hash brought under
/// it), and no code has to be issued again.
#[tokio::test]
async fn codes_stored_before_the_pepper_still_enroll_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = pointage_server::db::Db::open(&data).unwrap();
    let (_, codes) = demo::seed_if_empty(&db, 0).unwrap().unwrap();
    drop(db);
    // As schema 8 stored them: plain SHA-256, and no pepper recognised.
    let conn = rusqlite::Connection::open(data.join("pointage.sqlite3")).unwrap();
    for c in &codes {
        conn.execute(
            "UPDATE enrollment_code SET code_hash = ?1 WHERE bureau = ?2",
            [
                pointage_core::enrollment::code_hash(&c.code),
                c.bureau.clone(),
            ],
        )
        .unwrap();
    }
    conn.execute("DELETE FROM code_pepper", []).unwrap();
    drop(conn);
    std::fs::remove_file(data.join(pointage_server::db::secrets::PEPPER_FILE)).unwrap();
    let db = pointage_server::db::Db::open(&data).unwrap();
    let out = db
        .enroll(&codes[2].code, &public_key_hex(&PHONE_2), 9)
        .unwrap();
    assert!(matches!(out, EnrollOutcome::Enrolled { .. }), "{out:?}");
}

/// The command line importing an election and reissuing codes (another
/// process's connection to the same database) while phones send their
/// returns: they wait for each other, and nothing is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_import_and_reissues_during_a_stream_of_returns_refuse_nothing() {
    let s = crate::common::start().await;
    if s.postgres.is_some() {
        // PostgreSQL's writers wait for each other's locks already.
        return;
    }
    let keys: Vec<[u8; 32]> = (0..12).map(|k| [60 + k as u8; 32]).collect();
    let bureaux: Vec<String> = (1..=12).map(|k| format!("DEMO-{k:03}")).collect();
    for (b, k) in bureaux.iter().zip(&keys) {
        s.enrolled(&s.code(b), k).await;
    }
    let admin_dir = s.data_dir.clone();
    let admin = tokio::task::spawn_blocking(move || {
        let db = pointage_server::db::Db::open(&admin_dir).unwrap();
        let mut info = demo::election().info();
        for n in 0..3 {
            info.id = format!("import-{n}");
            info.bureaux = (0..3_000)
                .map(|i| pointage_core::Bureau {
                    code: format!("B{i:05}"),
                    name: format!("Bureau {i}"),
                    commune: "Commune".into(),
                    inscrits: None,
                })
                .collect();
            db.store_election(&pointage_core::Election::new(info.clone()).unwrap(), 0)
                .unwrap();
            db.reissue_code(
                "import-0",
                "B00001",
                0,
                pointage_core::operator::Actor::CommandLine,
            )
            .unwrap();
        }
    });
    // Versions of every bureau, round after round, until the command line
    // is done.
    let mut latest: std::collections::HashMap<String, pointage_core::SignedReturn> =
        std::collections::HashMap::new();
    let (mut v, mut during) = (0u32, 0);
    while !admin.is_finished() && v < 90 {
        v += 1;
        for (b, k) in bureaux.iter().zip(&keys) {
            let r = sign(
                &s.election,
                b,
                [40 + v % 7, 30, 20, 10],
                k,
                latest.get(b).map(|p| (p, format!("Correction {v}."))),
            );
            let resp = s.submit(r.to_bytes()).await;
            assert_eq!(
                resp.status(),
                201,
                "{b} v{v}: {}",
                resp.text().await.unwrap()
            );
            latest.insert(b.clone(), r);
            during += 1;
        }
    }
    admin.await.unwrap();
    assert!(during > 0, "the returns went while the command line wrote");
    assert_eq!(s.stored(), during);
}

/// Asked for TLS (`sslmode=require`), the server never falls back to a
/// plain connection: the test cluster speaks no TLS, so it is refused.
#[tokio::test]
async fn a_database_asked_for_tls_is_not_reached_in_clear() {
    let Some(url) = crate::common::postgres_database().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let secrets = pointage_server::db::Secrets::in_dir(dir.path()).unwrap();
    let err = pointage_server::db::Db::open_postgres(&format!("{url} sslmode=require"), secrets)
        .err()
        .expect("a plain server is refused when TLS is required");
    let text = err.to_string().to_lowercase();
    assert!(text.contains("tls") || text.contains("ssl"), "{text}");
    let secrets = pointage_server::db::Secrets::in_dir(dir.path()).unwrap();
    assert!(pointage_server::db::Db::open_postgres(&url, secrets).is_ok());
}
