//! The API end to end over real HTTP: the server listens on a free port with
//! a fresh database, and a client enrolls devices and sends signed returns
//! made by core. The results and the record are `results.rs`'s, a phone's
//! recovery `recovery.rs`'s, a client's allowances `limits.rs`'s.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::Election;
use pointage_core::log::{EntryKind, KeyHistory, LogEntry, RecordLine, SignedTreeHead, Tree};
use pointage_core::signed_return::public_key_hex;
use pointage_core::wire::{EnrollResponse, ErrorCode, SubmitResponse};
use pointage_server::demo;

use crate::common::*;

#[tokio::test]
async fn a_code_enrolls_one_device_once() {
    let s = start().await;
    let code = s.code("DEMO-001");
    let resp = s
        .enroll(&code.to_lowercase().replace('-', " "), &PHONE_1)
        .await;
    assert_eq!(resp.status(), 200);
    let enrolled: EnrollResponse = resp.json().await.unwrap();
    assert_eq!(enrolled.election.bureau.code, "DEMO-001");
    assert_eq!(enrolled.election.hash, s.election.hash());
    assert_eq!(enrolled.election.bureaux_total, 13);
    assert_eq!(enrolled.server_key.len(), 64);

    // The same phone asking again (its answer was lost) is enrolled again...
    assert_eq!(s.enroll(&code, &PHONE_1).await.status(), 200);
    // ...another phone with the same code is refused.
    let again = s.enroll(&code, &PHONE_2).await;
    assert_eq!(again.status(), 409);
    assert_eq!(error_code(again).await, ErrorCode::EnrollmentCodeUsed);

    let unknown = s.enroll("ZZZZ-ZZZZ-ZZZZ", &PHONE_2).await;
    assert_eq!(error_code(unknown).await, ErrorCode::EnrollmentCodeUnknown);

    // A reissued code revokes the old one and its device.
    let new = s.reissue("DEMO-001", 1);
    let revoked = s.enroll(&code, &PHONE_2).await;
    assert_eq!(error_code(revoked).await, ErrorCode::EnrollmentCodeRevoked);
    assert_eq!(s.enroll(&new.code, &PHONE_2).await.status(), 200);
}

#[tokio::test]
async fn a_key_enrolled_for_one_bureau_cannot_enroll_another() {
    let s = start().await;
    assert_eq!(s.enroll(&s.code("DEMO-001"), &PHONE_1).await.status(), 200);
    let twice = s.enroll(&s.code("DEMO-002"), &PHONE_1).await;
    assert_eq!(twice.status(), 409);
    assert_eq!(error_code(twice).await, ErrorCode::EnrollmentKeyInUse);
    // The second code is not used up: a key of its own enrolls with it.
    assert_eq!(s.enroll(&s.code("DEMO-002"), &PHONE_2).await.status(), 200);
    // The first phone asking again for its own bureau is still answered.
    assert_eq!(s.enroll(&s.code("DEMO-001"), &PHONE_1).await.status(), 200);
}

/// The record's lines, parsed as the verifier reads them.
async fn record_lines(s: &Server, election: &str) -> Vec<RecordLine> {
    let text = s
        .client
        .get(format!("{}/record?election={election}", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The leaves of a record, in order.
fn entries(lines: &[RecordLine]) -> Vec<(u64, LogEntry)> {
    lines
        .iter()
        .filter_map(|l| match l {
            RecordLine::Leaf { index, entry } => Some((*index, entry.clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn each_election_has_a_log_of_its_own_numbered_without_a_gap() {
    let s = start().await;
    let mut info = demo::election().info();
    info.id = "autre-2027".into();
    let other = Election::new(info).unwrap();
    let other_codes = s.db.store_election(&other, 0).unwrap();
    let other_code = &other_codes
        .iter()
        .find(|c| c.bureau == "DEMO-001")
        .unwrap()
        .code;
    // Interleaved: demo, other, demo.
    let demo_phone = s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    let other_phone = s.enrolled(other_code, &PHONE_2).await;
    let demo_2 = s.enrolled(&s.code("DEMO-002"), &[13; 32]).await;
    let sent = [
        sign(
            &demo_phone.election,
            "DEMO-001",
            [40, 30, 20, 10],
            &PHONE_1,
            None,
        ),
        sign(
            &other_phone.election,
            "DEMO-001",
            [10, 20, 30, 40],
            &PHONE_2,
            None,
        ),
        sign(
            &demo_2.election,
            "DEMO-002",
            [25, 25, 25, 25],
            &[13; 32],
            None,
        ),
    ];
    let mut sequences = Vec::new();
    for r in &sent {
        let resp = s.submit(r.to_bytes()).await;
        assert_eq!(resp.status(), 201);
        let receipt = resp.json::<SubmitResponse>().await.unwrap().receipt;
        sequences.push(receipt.body.sequence);
    }
    // Demo: 0 opened, 1 and 2 its keys, then 3 and 4; the other: 0, 1
    // its key, 2.
    assert_eq!(sequences, [3, 2, 4]);
    for (election, kinds) in [
        (
            "demo-2027-t1",
            vec![
                EntryKind::Election,
                EntryKind::Key,
                EntryKind::Key,
                EntryKind::Return,
                EntryKind::Return,
            ],
        ),
        (
            "autre-2027",
            vec![EntryKind::Election, EntryKind::Key, EntryKind::Return],
        ),
    ] {
        let lines = record_lines(&s, election).await;
        let leaves = entries(&lines);
        let indices: Vec<u64> = leaves.iter().map(|(i, _)| *i).collect();
        assert_eq!(
            indices,
            (0..kinds.len() as u64).collect::<Vec<_>>(),
            "{election}"
        );
        assert_eq!(
            leaves.iter().map(|(_, e)| e.kind()).collect::<Vec<_>>(),
            kinds,
            "{election}"
        );
        let RecordLine::Head(head) = &lines[1] else {
            panic!("the second line is the head: {:?}", lines[1]);
        };
        assert_eq!(head.head.tree_size, kinds.len() as u64);
        head.verify(&s.key).unwrap();
        // Its root is the leaves', as anyone recomputes it.
        let mut tree = Tree::new();
        for (_, e) in &leaves {
            tree.push(e.leaf_hash().unwrap());
        }
        assert_eq!(head.head.root(), tree.root(tree.len()));
    }
}

#[tokio::test]
async fn the_log_lists_each_key_enrolled_and_revoked_in_order() {
    let s = start().await;
    let old = s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    let v1 = sign(&old.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    assert_eq!(s.submit(v1.to_bytes()).await.status(), 201);
    // Another bureau's return, then the code is reissued: the old key is
    // revoked by a reissue leaf, the new one enrolled after it.
    let other = s.enrolled(&s.code("DEMO-002"), &[13; 32]).await;
    let r = sign(
        &other.election,
        "DEMO-002",
        [25, 25, 25, 25],
        &[13; 32],
        None,
    );
    assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
    let new_code = s.reissue("DEMO-001", 1);
    let new = s.enrolled(&new_code.code, &PHONE_2).await;
    let v2 = sign(
        &new.election,
        "DEMO-001",
        [41, 29, 20, 10],
        &PHONE_2,
        Some((&v1, "recount".into())),
    );
    assert_eq!(s.submit(v2.to_bytes()).await.status(), 201);

    let leaves = entries(&record_lines(&s, "demo-2027-t1").await);
    let (k1, k2) = (public_key_hex(&PHONE_1), public_key_hex(&PHONE_2));
    let said: Vec<String> = leaves
        .iter()
        .map(|(_, e)| match e {
            LogEntry::Election { .. } => "opened".into(),
            LogEntry::Key {
                bureau, device_key, ..
            } => format!("key {bureau} {}", &device_key[..4]),
            LogEntry::Reissue {
                bureau,
                revoked_key,
                ..
            } => {
                format!(
                    "reissue {bureau} {}",
                    revoked_key.as_deref().map_or("-", |k| &k[..4])
                )
            }
            LogEntry::Return { ret, .. } => {
                format!("return {}", ret["body"]["bureau"].as_str().unwrap())
            }
            LogEntry::Report { report: doc, .. } | LogEntry::Photos { photos: doc, .. } => {
                format!("document {}", doc["body"]["bureau"].as_str().unwrap())
            }
            LogEntry::Closed { .. } => "closed".into(),
        })
        .collect();
    assert_eq!(
        said,
        [
            "opened".to_owned(),
            format!("key DEMO-001 {}", &k1[..4]),
            "return DEMO-001".into(),
            format!("key DEMO-002 {}", &public_key_hex(&[13; 32])[..4]),
            "return DEMO-002".into(),
            format!("reissue DEMO-001 {}", &k1[..4]),
            format!("key DEMO-001 {}", &k2[..4]),
            "return DEMO-001".into(),
        ]
    );
    // Core's key history holds each return to the key that held its bureau.
    let mut keys = KeyHistory::new();
    for (i, e) in &leaves {
        keys.apply(*i, e).unwrap();
        if let LogEntry::Return { ret, .. } = e {
            let b = &ret["body"];
            let held = keys.current(b["bureau"].as_str().unwrap()).unwrap();
            assert_eq!(held.key, b["device_key"].as_str().unwrap());
        }
    }
    let spans = keys.spans("DEMO-001");
    assert_eq!(
        (spans[0].key.as_str(), spans[0].until),
        (k1.as_str(), Some(5))
    );
    assert_eq!((spans[1].key.as_str(), spans[1].from), (k2.as_str(), 6));
}

#[tokio::test]
async fn a_small_order_key_is_refused_and_leaves_the_code_unused() {
    let s = start().await;
    let code = s.code("DEMO-002");
    // The identity point, and a point of order 8: no signature made with
    // either proves anything.
    for weak in [
        format!("01{}", "00".repeat(31)),
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a".to_owned(),
    ] {
        let resp = s
            .client
            .post(format!("{}/enroll", s.base))
            .json(&serde_json::json!({ "code": code, "device_key": weak }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{weak}");
        assert_eq!(error_code(resp).await, ErrorCode::BadRequest);
    }
    assert_eq!(s.enroll(&code, &PHONE_1).await.status(), 200);
}

/// The record asked with a query it does not take is refused (a cache in
/// front keys its copies by address: a made-up parameter would get past
/// it); gzip-encoded, it is the same text.
#[tokio::test]
async fn the_record_refuses_made_up_parameters_and_is_the_same_text_gzip_encoded() {
    let s = start().await;
    s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    let r = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
    for path in [
        "record?nonce=1",
        "results?x=2",
        "bureaux?limit=5&y=1",
        "log?z=3",
    ] {
        let resp = s
            .client
            .get(format!("{}/{path}", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{path}");
        assert_eq!(error_code(resp).await, ErrorCode::BadRequest, "{path}");
    }
    let plain = s.record().await;
    let resp = s
        .client
        .get(format!("{}/record", s.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    let gz = resp.bytes().await.unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text).unwrap();
    assert_eq!(text, plain);
    assert!(gz.len() < plain.len());
    // It grows with the log: the new return is in the next one.
    s.enrolled(&s.code("DEMO-002"), &PHONE_2).await;
    let r2 = sign(&s.election, "DEMO-002", [35, 30, 25, 10], &PHONE_2, None);
    assert_eq!(s.submit(r2.to_bytes()).await.status(), 201);
    let grown = s.record().await;
    assert!(grown.starts_with(plain.lines().next().unwrap()));
    assert!(
        grown.contains(r#""return":{"body":{"bureau":"DEMO-002""#),
        "the new return is in the record"
    );
    assert_eq!(grown.lines().count(), plain.lines().count() + 2);
}

#[tokio::test]
async fn a_return_is_stored_once_and_answered_with_a_verifiable_receipt() {
    let s = start().await;
    let enrolled = s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    // Signed as the phone does: with the part of the election it was given.
    let r = sign(
        &enrolled.election,
        "DEMO-001",
        [40, 30, 20, 10],
        &PHONE_1,
        None,
    );

    let first = s.submit(r.to_bytes()).await;
    assert_eq!(first.status(), 201);
    let first: SubmitResponse = first.json().await.unwrap();
    first.receipt.verify(&enrolled.server_key, r.id()).unwrap();
    // Leaf 2, after the election's opening and the phone's key; the tree
    // it names ends with it, and the log's head is that tree.
    assert_eq!(first.receipt.body.sequence, 2);
    assert_eq!(first.receipt.body.tree_size, Some(3));
    let head: SignedTreeHead = s.get_json("log").await;
    assert_eq!(head.head.tree_size, 3);
    assert_eq!(
        Some(head.head.root_hash.clone()),
        first.receipt.body.root_hash
    );
    assert_eq!(head.head.timestamp, first.receipt.body.received_at);

    let again = s.submit(r.to_bytes()).await;
    assert_eq!(again.status(), 200);
    let again: SubmitResponse = again.json().await.unwrap();
    assert_eq!(
        again.receipt, first.receipt,
        "the same receipt, not a new one"
    );
    assert_eq!(s.stored(), 1);
}

#[tokio::test]
async fn forged_or_misdirected_returns_are_refused_and_stored_nowhere() {
    let s = start().await;
    s.enroll(&s.code("DEMO-001"), &PHONE_1).await;
    s.enroll(&s.code("DEMO-002"), &PHONE_2).await;

    // Signed by another key than the bureau's (phone 2 is DEMO-002's).
    let other_key = sign(
        &s.election,
        "DEMO-001",
        [100, 200, 300, 400],
        &PHONE_2,
        None,
    );
    let resp = s.submit(other_key.to_bytes()).await;
    assert_eq!(resp.status(), 403);
    assert_eq!(error_code(resp).await, ErrorCode::ReturnKeyNotEnrolled);

    // For a bureau with no enrolled device.
    let silent = sign(
        &s.election,
        "DEMO-003",
        [100, 200, 300, 400],
        &PHONE_1,
        None,
    );
    assert_eq!(
        error_code(s.submit(silent.to_bytes()).await).await,
        ErrorCode::ReturnKeyNotEnrolled
    );

    // For another election definition.
    let other = Election::new(pointage_core::ElectionInfo {
        day: None,
        qualification: None,
        name: "Une autre primaire".into(),
        ..s.election.info()
    })
    .unwrap();
    let wrong = sign(&other, "DEMO-001", [100, 200, 300, 400], &PHONE_1, None);
    assert_eq!(
        error_code(s.submit(wrong.to_bytes()).await).await,
        ErrorCode::ReturnWrongElection
    );

    // One byte edited.
    let good = sign(
        &s.election,
        "DEMO-001",
        [100, 200, 300, 400],
        &PHONE_1,
        None,
    );
    let mut edited = good.to_bytes();
    let at = String::from_utf8(edited.clone())
        .unwrap()
        .find("\"moreau\":100")
        .unwrap()
        + 9;
    edited[at] = b'2';
    let resp = s.submit(edited).await;
    assert_eq!(resp.status(), 403);
    assert_eq!(error_code(resp).await, ErrorCode::ReturnBadSignature);

    // Not JSON at all.
    assert_eq!(
        error_code(s.submit(b"hello".to_vec()).await).await,
        ErrorCode::ReturnNotCanonical
    );
    assert_eq!(s.stored(), 0);
    assert_eq!(s.results().await.results.coverage.reporting, 0);
}

#[tokio::test]
async fn an_older_version_sent_after_a_newer_one_changes_nothing() {
    let s = start().await;
    s.enroll(&s.code("DEMO-001"), &PHONE_1).await;
    let v1 = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    let v2 = sign(
        &s.election,
        "DEMO-001",
        [41, 29, 20, 10],
        &PHONE_1,
        Some((&v1, "Un bulletin mal classé.".into())),
    );
    assert_eq!(s.submit(v1.to_bytes()).await.status(), 201);
    assert_eq!(s.submit(v2.to_bytes()).await.status(), 201);
    // v1 again is the same return: its old receipt, nothing new.
    assert_eq!(s.submit(v1.to_bytes()).await.status(), 200);
    // A different version 1 (a second phone's, say) is refused.
    let rival = sign(&s.election, "DEMO-001", [50, 50, 50, 50], &PHONE_1, None);
    let resp = s.submit(rival.to_bytes()).await;
    assert_eq!(resp.status(), 409);
    assert_eq!(error_code(resp).await, ErrorCode::ReturnVersionTaken);

    let r = s.results().await;
    let votes: Vec<u64> = r.results.candidates.iter().map(|c| c.votes).collect();
    assert_eq!(votes, vec![41, 29, 20, 10]);
    let listed = &s.bureaux("limit=1").await.bureaux[0];
    assert_eq!(listed.version, Some(2));
    assert_eq!(listed.human_code.as_deref(), Some(v2.human_code().as_str()));
    assert_eq!(s.stored(), 2, "both versions are kept");
}
