//! A client that sends its request's headers too slowly, or opens a
//! connection and says nothing, is cut off after the header timeout; a
//! client that asks in time is answered, and its address reaches the rate
//! limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_server::{AppState, db::Db, demo, router, serve::serve};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

async fn start(timeout: Duration) -> std::net::SocketAddr {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").unwrap();
    let db = Db::open_in_memory().unwrap();
    demo::seed_if_empty(&db, 0).unwrap();
    let app = router(AppState::new(db).unwrap(), dist.keep());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, app, timeout, std::future::pending()));
    addr
}

/// Writes `head`, then reads until the server closes; how long that took
/// and what it said.
fn send_and_wait(addr: std::net::SocketAddr, head: &str) -> (Duration, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let start = Instant::now();
    s.write_all(head.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    (start.elapsed(), String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn headers_that_never_end_are_cut_off_after_the_timeout() {
    let addr = start(Duration::from_secs(1)).await;
    let (took, said) = tokio::task::spawn_blocking(move || {
        send_and_wait(addr, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
    })
    .await
    .unwrap();
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(!said.contains("200 OK"), "{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_that_says_nothing_is_closed_and_a_prompt_one_is_answered() {
    let addr = start(Duration::from_secs(1)).await;
    let (took, said) = tokio::task::spawn_blocking(move || send_and_wait(addr, ""))
        .await
        .unwrap();
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(said, "");
    let (_, said) = tokio::task::spawn_blocking(move || {
        send_and_wait(
            addr,
            "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
    })
    .await
    .unwrap();
    assert!(said.starts_with("HTTP/1.1 200 OK"), "{said}");
}
