//! A client's allowances over real HTTP: enrollment attempts, returns
//! (by count and by announced length) and whole-record downloads, each
//! counted per client (behind a trusted proxy, by its forwarding header),
//! so that one client's flood never holds back another's phone.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use pointage_core::wire::ErrorCode;

#[tokio::test]
async fn enrollment_attempts_are_limited_per_client() {
    let s = start().await;
    let mut last = 0;
    for _ in 0..pointage_server::ENROLL_ATTEMPTS_PER_MINUTE + 1 {
        last = s.enroll("ZZZZ-ZZZZ-ZZZZ", &PHONE_1).await.status().as_u16();
    }
    assert_eq!(last, 429);
    // Even a good code waits now.
    let resp = s.enroll(&s.code("DEMO-002"), &PHONE_1).await;
    assert_eq!(error_code(resp).await, ErrorCode::RateLimited);
}

/// Behind a reverse proxy every request comes from its address: the
/// server reads who the client is from the proxy's forwarding header, and
/// only from a proxy it was told to trust.
#[tokio::test]
async fn behind_a_trusted_proxy_one_client_s_junk_does_not_block_another_s_code() {
    let proxy: pointage_server::rate_limit::Cidr = "127.0.0.1".parse().unwrap();
    let s = crate::common::start_limited(pointage_server::Limits::new(2, vec![proxy])).await;
    let enroll_from = |client: &'static str, code: String| {
        let s = &s;
        async move {
            s.client
                .post(format!("{}/enroll", s.base))
                .header("x-forwarded-for", client)
                .json(
                    &serde_json::json!({ "code": code, "device_key": public_key_hex_of(&PHONE_1) }),
                )
                .send()
                .await
                .unwrap()
        }
    };
    // One client's guesses use its allowance up.
    for _ in 0..2 {
        let resp = enroll_from("203.0.113.7", "ZZZZ-ZZZZ-ZZZZ".into()).await;
        assert_eq!(error_code(resp).await, ErrorCode::EnrollmentCodeUnknown);
    }
    let resp = enroll_from("203.0.113.7", "ZZZZ-ZZZZ-ZZZZ".into()).await;
    assert_eq!(resp.headers()["retry-after"], "60");
    assert_eq!(error_code(resp).await, ErrorCode::RateLimited);
    // Another client, through the same proxy, enrolls.
    let resp = enroll_from("198.51.100.9", s.code("DEMO-001")).await;
    assert_eq!(resp.status(), 200);
    // An IPv6 client counts by its /64: another address of it is refused.
    for _ in 0..2 {
        enroll_from("2001:db8:1:2::1", "ZZZZ-ZZZZ-ZZZZ".into()).await;
    }
    let resp = enroll_from("2001:db8:1:2::ff", "ZZZZ-ZZZZ-ZZZZ".into()).await;
    assert_eq!(error_code(resp).await, ErrorCode::RateLimited);

    // A server that trusts no proxy ignores the header: anyone can write
    // one, and every request counts as its connection's address.
    let s = crate::common::start_limited(pointage_server::Limits::new(2, Vec::new())).await;
    let mut said = Vec::new();
    for client in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        let resp = s
            .client
            .post(format!("{}/enroll", s.base))
            .header("x-forwarded-for", client)
            .json(&serde_json::json!({ "code": "ZZZZ-ZZZZ-ZZZZ", "device_key": public_key_hex_of(&PHONE_1) }))
            .send()
            .await
            .unwrap();
        said.push(error_code(resp).await);
    }
    assert_eq!(
        said,
        [
            ErrorCode::EnrollmentCodeUnknown,
            ErrorCode::EnrollmentCodeUnknown,
            ErrorCode::RateLimited
        ]
    );
}

/// A bureau's key that sends new returns far beyond what a phone makes
/// (each refused after its checks) is held back; another phone is not,
/// and the stored return sent again is still answered.
#[tokio::test]
async fn a_key_sending_far_more_returns_than_a_phone_is_held_back_alone() {
    let s = crate::common::start_limited(
        pointage_server::Limits::default()
            .returns_per_minute(1_000)
            .returns_per_key(3, 1),
    )
    .await;
    s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    s.enrolled(&s.code("DEMO-002"), &PHONE_2).await;
    let stored = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    assert_eq!(s.submit(stored.to_bytes()).await.status(), 201);
    // Other versions 1: each refused at the version chain, then held back.
    let mut said = Vec::new();
    for n in 0..4u32 {
        let rival = sign(
            &s.election,
            "DEMO-001",
            [30 + n, 40, 20, 10],
            &PHONE_1,
            None,
        );
        said.push(error_code(s.submit(rival.to_bytes()).await).await);
    }
    assert_eq!(
        said,
        [
            ErrorCode::ReturnVersionTaken,
            ErrorCode::ReturnVersionTaken,
            ErrorCode::RateLimited,
            ErrorCode::RateLimited
        ]
    );
    // Its stored return again: answered, from what is stored.
    assert_eq!(s.submit(stored.to_bytes()).await.status(), 200);
    // Another bureau's phone is not held back.
    let other = sign(&s.election, "DEMO-002", [35, 30, 25, 10], &PHONE_2, None);
    assert_eq!(s.submit(other.to_bytes()).await.status(), 201);
}

/// Each client's returns cost it tokens by their announced length, and a
/// request past its allowance is refused from its headers: the server
/// answers before a byte of the body arrives; the tokens left still let a
/// phone's small return through.
#[tokio::test]
async fn a_client_s_large_returns_spend_its_allowance_and_are_refused_unread() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = crate::common::start_limited(
        pointage_server::Limits::new(60, Vec::new()).returns_per_minute(20),
    )
    .await;
    // 60 KB of junk costs 15 of the 20 tokens: read, and refused as junk.
    let junk = vec![b'x'; 60_000];
    let first = s.submit(junk.clone()).await;
    assert_eq!(error_code(first).await, ErrorCode::ReturnNotCanonical);
    // The next 60 KB: refused with only its headers sent, and said so at once.
    let host = s
        .base
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let mut conn = tokio::net::TcpStream::connect(&host).await.unwrap();
    conn.write_all(
        format!("POST /api/v1/returns HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\ncontent-length: 60000\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut answer = vec![0u8; 4096];
    let asked = std::time::Instant::now();
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), conn.read(&mut answer))
        .await
        .expect("answered before the body is sent")
        .unwrap();
    let head = String::from_utf8_lossy(&answer[..n]).to_lowercase();
    assert!(head.starts_with("http/1.1 429"), "{head}");
    assert!(head.contains("retry-after"), "{head}");
    // Not at once, though: a client looping on refusals makes a few a
    // second, not thousands.
    assert!(asked.elapsed() >= pointage_server::api::TARPIT);
    // A 1 KB return costs one token: the five left let a small one through.
    s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    let r = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
}

/// A client may download the whole record a few times a minute; an
/// unchanged copy's 304 does not count, and another client is not held
/// back.
#[tokio::test]
async fn the_whole_record_is_a_few_downloads_a_minute_per_client() {
    let s = crate::common::start_limited(
        pointage_server::Limits::new(60, vec!["127.0.0.1".parse().unwrap()]).records_per_minute(2),
    )
    .await;
    let get = |who: &'static str, tag: Option<String>| {
        let mut r = s
            .client
            .get(format!("{}/record", s.base))
            .header("x-forwarded-for", who);
        if let Some(t) = tag {
            r = r.header("if-none-match", t);
        }
        r.send()
    };
    let first = get("198.51.100.1", None).await.unwrap();
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(get("198.51.100.1", None).await.unwrap().status(), 200);
    assert_eq!(get("198.51.100.1", Some(tag)).await.unwrap().status(), 304);
    let third = get("198.51.100.1", None).await.unwrap();
    assert_eq!(third.status(), 429);
    assert!(third.headers().contains_key("retry-after"));
    assert_eq!(get("198.51.100.2", None).await.unwrap().status(), 200);
}
