//! Closing an election (`pointage-server election close`): the server takes
//! no more returns, enrollments or codes for it, a return it already has
//! still gets its receipt again, and its record says it is final and may
//! be kept for good.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PHONE_1, PHONE_2, error_code, sign, start};
use pointage_core::wire::ErrorCode;
use pointage_server::db::DbError;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};

const FINAL: &str = "public, max-age=31536000, immutable";

#[tokio::test]
async fn a_closed_election_takes_nothing_more_and_its_record_is_final() {
    let s = start().await;
    let id = s.election.id().to_owned();
    s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    let v1 = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    let first = s.submit(v1.to_bytes()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let receipt: serde_json::Value = first.json().await.unwrap();
    let open_record = s
        .client
        .get(format!("{}/record", s.base))
        .send()
        .await
        .unwrap();
    assert_ne!(open_record.headers()[CACHE_CONTROL], FINAL);

    let closure =
        s.db.close_election(&id, 5_000, pointage_core::operator::Actor::CommandLine)
            .unwrap()
            .unwrap();
    // Leaf 3, after the opening, the key and the return; a clock behind
    // the return's takes the return's time: no leaf is older than the one
    // before.
    assert_eq!(closure.last_sequence, 3);
    let received_at = receipt["receipt"]["body"]["received_at"].as_u64().unwrap();
    assert_eq!(closure.closed_at, received_at);
    // Closing again changes nothing.
    assert_eq!(
        s.db.close_election(&id, 9_000, pointage_core::operator::Actor::CommandLine)
            .unwrap(),
        Some(closure)
    );
    assert_eq!(
        s.db.close_election(
            "no-such-election",
            9_000,
            pointage_core::operator::Actor::CommandLine
        )
        .unwrap(),
        None
    );

    // The return it has: its receipt again, for a phone whose answer was lost.
    let again = s.submit(v1.to_bytes()).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<serde_json::Value>().await.unwrap(), receipt);
    // A correction, another bureau's return, an enrollment, a new code: no.
    let v2 = sign(
        &s.election,
        "DEMO-001",
        [41, 29, 20, 10],
        &PHONE_1,
        Some((&v1, "Erreur de report.".into())),
    );
    let refused = s.submit(v2.to_bytes()).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(refused).await, ErrorCode::ElectionClosed);
    let late = s.enroll(&s.code("DEMO-002"), &PHONE_2).await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(late).await, ErrorCode::ElectionClosed);
    assert!(matches!(
        s.db.reissue_code(
            &id,
            "DEMO-003",
            9_000,
            pointage_core::operator::Actor::CommandLine
        ),
        Err(DbError::Closed(_))
    ));
    assert_eq!(s.stored(), 1);

    // The record: final, says so, and is kept for good.
    let record = s
        .client
        .get(format!("{}/record", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(record.status(), StatusCode::OK);
    assert_eq!(record.headers()[CACHE_CONTROL], FINAL);
    let tag = record.headers()[ETAG].to_str().unwrap().to_owned();
    let text = record.text().await.unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let leaves: Vec<&serde_json::Value> = lines.iter().filter(|l| l["type"] == "leaf").collect();
    let closed = leaves.last().unwrap();
    assert_eq!(closed["entry"]["type"], "closed");
    assert_eq!(closed["index"], 3);
    assert_eq!(closed["entry"]["at"], received_at);
    let returns = leaves.iter().filter(|l| l["entry"]["type"] == "return");
    assert_eq!(returns.count(), 1);
    let same = s
        .client
        .get(format!("{}/record", s.base))
        .header(IF_NONE_MATCH, &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(same.headers()[CACHE_CONTROL], FINAL);
    assert_eq!(same.headers()[ETAG], tag.as_str());
}
