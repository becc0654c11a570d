//! A phone that lost its storage gets its bureau's versions and receipts
//! back from the server, over real HTTP, and no one else does.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::signed_return::public_key_hex;
use pointage_core::wire::ErrorCode;

use crate::common::*;

/// A recovery request from `secret` for `bureau`, made at `at`.
fn recover_request(s: &Server, bureau: &str, secret: &[u8; 32], at: u64) -> serde_json::Value {
    use ed25519_dalek::{Signer, SigningKey};
    let req = pointage_core::recovery::RecoverRequest::new(
        s.election.id(),
        bureau,
        &public_key_hex(secret),
        at,
    );
    let sig = SigningKey::from_bytes(secret).sign(&req.message().unwrap());
    serde_json::json!({ "request": req, "signature": hex::encode(sig.to_bytes()) })
}

#[tokio::test]
async fn a_phone_gets_back_its_bureaus_versions_and_receipts_and_no_one_else_does() {
    use pointage_core::recovery::{RecoverResponse, check_recovered};
    let s = start().await;
    let enrolled = s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    s.enroll(&s.code("DEMO-002"), &PHONE_2).await;
    let v1 = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    let v2 = sign(
        &s.election,
        "DEMO-001",
        [41, 29, 20, 10],
        &PHONE_1,
        Some((&v1, "Un bulletin mal classé.".into())),
    );
    let other = sign(&s.election, "DEMO-002", [10, 20, 30, 40], &PHONE_2, None);
    for r in [&v1, &other, &v2] {
        assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
    }
    let now = pointage_server::system::now_ms();
    let post = |body: serde_json::Value| {
        s.client
            .post(format!("{}/recover", s.base))
            .json(&body)
            .send()
    };

    let resp = post(recover_request(&s, "DEMO-001", &PHONE_1, now))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let back: RecoverResponse = resp.json().await.unwrap();
    let checked = check_recovered(
        &back,
        s.election.id(),
        "DEMO-001",
        &public_key_hex(&PHONE_1),
        &enrolled.server_key,
    )
    .unwrap();
    let ids: Vec<&str> = checked.iter().map(|(r, _)| r.id()).collect();
    assert_eq!(ids, vec![v1.id(), v2.id()]);
    // The receipts are the ones the sends got: leaves 3 and 5 (after the
    // opening and the two keys, and the other bureau's return at 4).
    let seqs: Vec<u64> = checked.iter().map(|(_, r)| r.body.sequence).collect();
    assert_eq!(seqs, vec![3, 5]);
    // The phone refuses what is not its own: here, with another phone's key.
    assert!(
        check_recovered(
            &back,
            s.election.id(),
            "DEMO-001",
            &public_key_hex(&PHONE_2),
            &enrolled.server_key
        )
        .is_err()
    );

    // Another bureau's phone asking for this bureau, a request signed by a
    // key other than the one it names, and an old request are all refused.
    let resp = post(recover_request(&s, "DEMO-001", &PHONE_2, now))
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(error_code(resp).await, ErrorCode::RecoverKeyNotEnrolled);
    let mut forged = recover_request(&s, "DEMO-001", &PHONE_2, now);
    forged["request"]["device_key"] = public_key_hex(&PHONE_1).into();
    let resp = post(forged).await.unwrap();
    assert_eq!(error_code(resp).await, ErrorCode::RecoverBadSignature);
    let old = now - pointage_core::recovery::RECOVER_WINDOW_MS - 1;
    let resp = post(recover_request(&s, "DEMO-001", &PHONE_1, old))
        .await
        .unwrap();
    assert_eq!(error_code(resp).await, ErrorCode::RecoverStale);
    // A bureau with nothing stored: an empty list, not an error.
    s.enroll(&s.code("DEMO-003"), &[13; 32]).await;
    let resp = post(recover_request(&s, "DEMO-003", &[13; 32], now))
        .await
        .unwrap();
    let none: RecoverResponse = resp.json().await.unwrap();
    assert!(none.versions.is_empty());
}
