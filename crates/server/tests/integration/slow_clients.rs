//! The connections a client cannot stretch: headers sent too slowly, or a
//! connection that says nothing, cut off after the header timeout; one on
//! which nothing moves, after the idle bound; more from one address than
//! its share, closed at once; a path of doubled slashes kept on this host.
//! A client that asks in time is answered.
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
    let bounds = pointage_server::serve::Bounds {
        header_timeout: timeout,
        ..Default::default()
    };
    tokio::spawn(serve(listener, app, bounds, std::future::pending()));
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

async fn start_bounded(
    bounds: pointage_server::serve::Bounds,
) -> (std::net::SocketAddr, tempfile::TempDir) {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").unwrap();
    std::fs::create_dir(dist.path().join("public")).unwrap();
    std::fs::write(
        dist.path().join("public").join("index.html"),
        "<!doctype html>",
    )
    .unwrap();
    let db = Db::open_in_memory().unwrap();
    demo::seed_if_empty(&db, 0).unwrap();
    let app = router(AppState::new(db).unwrap(), dist.path().to_path_buf());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, app, bounds, std::future::pending()));
    (addr, dist)
}

/// A client that asks, is answered, then neither reads nor sends for
/// longer than the idle bound, is cut off; so is one that sends a body a
/// byte at a time to a path that does not read it.
#[tokio::test(flavor = "multi_thread")]
async fn a_connection_on_which_nothing_moves_is_closed_after_the_idle_bound() {
    let (addr, _dist) = start_bounded(pointage_server::serve::Bounds {
        idle_timeout: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let (took, said) = tokio::task::spawn_blocking(move || {
        send_and_wait(addr, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    })
    .await
    .unwrap();
    assert!(said.starts_with("HTTP/1.1 200 OK"), "{said}");
    assert!(took < Duration::from_secs(5), "kept open {took:?}");
    let (took, _) = tokio::task::spawn_blocking(move || {
        send_and_wait(
            addr,
            "GET /compter HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nab",
        )
    })
    .await
    .unwrap();
    assert!(took < Duration::from_secs(5), "kept open {took:?}");
}

/// Past the bound of connections from one address, a new one is closed at
/// once; once one closes, the address connects again.
#[tokio::test(flavor = "multi_thread")]
async fn one_address_holds_at_most_its_share_of_connections() {
    let (addr, _dist) = start_bounded(pointage_server::serve::Bounds {
        max_per_client: 3,
        ..Default::default()
    })
    .await;
    tokio::task::spawn_blocking(move || {
        let held: Vec<std::net::TcpStream> = (0..3)
            .map(|_| std::net::TcpStream::connect(addr).unwrap())
            .collect();
        // Let the server take them.
        std::thread::sleep(Duration::from_millis(200));
        let (took, said) = send_and_wait(addr, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(said, "", "a fourth connection is answered");
        assert!(took < Duration::from_secs(2), "{took:?}");
        drop(held);
        std::thread::sleep(Duration::from_millis(200));
        let (_, said) = send_and_wait(
            addr,
            "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert!(said.starts_with("HTTP/1.1 200 OK"), "{said}");
    })
    .await
    .unwrap();
}

/// Runs of slashes are one: `//public` is the path `/public`, never a
/// redirect to the host `public`.
#[tokio::test(flavor = "multi_thread")]
async fn a_doubled_slash_never_sends_the_browser_to_another_host() {
    let (addr, _dist) = start_bounded(Default::default()).await;
    for path in ["//public", "///public", "//public/", "//api//v1//health"] {
        let (_, said) = tokio::task::spawn_blocking(move || {
            send_and_wait(
                addr,
                &format!(
                    "GET {path} HTTP/1.1\r\nHost: pointage.example\r\nConnection: close\r\n\r\n"
                ),
            )
        })
        .await
        .unwrap();
        let location = said.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("location: ")
                .map(str::to_owned)
        });
        assert!(
            location
                .as_deref()
                .is_none_or(|l| l.starts_with('/') && !l.starts_with("//")),
            "{path}: {said}"
        );
        assert!(!said.starts_with("HTTP/1.1 5"), "{path}: {said}");
    }
}
