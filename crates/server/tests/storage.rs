//! The storage port, on whichever backend the suite runs (SQLite, or
//! PostgreSQL with `POINTAGE_TEST_POSTGRES`): a batch of returns is stored
//! as if each were stored alone, in order, and enrollments likewise.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{PHONE_1, PHONE_2, sign};
use pointage_core::VerifyError;
use pointage_core::signed_return::public_key_hex;
use pointage_server::db::{EnrollOutcome, IngestError, ToStore};
use pointage_server::demo;
use std::sync::Arc;

#[tokio::test]
async fn a_batch_is_stored_as_if_each_return_came_alone_in_its_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_db(dir.path()).await;
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
    let item = |r: &pointage_core::SignedReturn| ToStore {
        election: e.clone(),
        ret: r.clone(),
        bytes: r.to_bytes().into(),
    };
    let batch = vec![
        item(&v1),
        item(&v1),
        item(&rival),
        item(&forged),
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
        matches!(out[3], Err(IngestError::Refused(_))),
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
    let db = common::fresh_db(dir.path()).await;
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
    let new = db.reissue_code(e.id(), "DEMO-001", 9).unwrap();
    assert_eq!(db.enroll(&c1, &k1, 10).unwrap(), EnrollOutcome::Revoked);
    assert_eq!(db.enrolled_key(e.id(), "DEMO-001").unwrap(), None);
    let k3 = public_key_hex(&[13; 32]);
    assert_eq!(db.enroll(&new.code, &k3, 11).unwrap(), enrolled("DEMO-001"));
}
