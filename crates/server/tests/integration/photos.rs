//! The paper PV's photos on a real server: the signed document taken with
//! a receipt in the election's one sequence of leaves and refused for what
//! its key, its return or its chain forbid; the pictures taken piece by
//! piece, each checked against the signed hashes, resumed after a
//! connection dropped in the middle of a piece, and served whole at their
//! hash for good.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{Server, error_code, sign, start, start_limited};
use pointage_core::photo::{PIECE_BYTES, SignedPhotos};
use pointage_core::wire::{ErrorCode, PiecesHeld};
use pointage_core::{Receipt, SignedReturn};
use pointage_testkit::{photos_of, picture};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PHONE_1: [u8; 32] = [61; 32];
const PHONE_2: [u8; 32] = [62; 32];

async fn send(s: &Server, p: &SignedPhotos) -> reqwest::Response {
    s.client
        .post(format!("{}/photos", s.base))
        .body(p.to_bytes())
        .send()
        .await
        .unwrap()
}

async fn put(s: &Server, sha: &str, n: usize, bytes: &[u8]) -> reqwest::Response {
    s.client
        .put(format!("{}/photos/{sha}/pieces/{n}", s.base))
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap()
}

async fn held(s: &Server, sha: &str) -> PiecesHeld {
    s.get_json(&format!("photos/{sha}/pieces")).await
}

/// DEMO-001 enrolled with PHONE_1 and its return received.
async fn bureau_with_return(s: &Server) -> SignedReturn {
    s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    let ret = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    assert_eq!(s.submit(ret.to_bytes()).await.status(), 201);
    ret
}

#[tokio::test(flavor = "multi_thread")]
async fn photos_get_a_receipt_and_their_pictures_arrive_piece_by_piece() {
    let s = start().await;
    let ret = bureau_with_return(&s).await;
    let pages = [picture(1, 400 * 1024), picture(2, 90_000)];
    let doc = photos_of(&s.election, &ret, &PHONE_1, &pages, None);

    let first = send(&s, &doc).await;
    assert_eq!(first.status(), 201);
    let first: serde_json::Value = first.json().await.unwrap();
    let receipt: Receipt = serde_json::from_value(first["receipt"].clone()).unwrap();
    receipt.verify(&s.key, doc.id()).unwrap();
    // The same document again: the same receipt, nothing stored twice.
    let again = send(&s, &doc).await;
    assert_eq!(again.status(), 200);
    let again: serde_json::Value = again.json().await.unwrap();
    assert_eq!(again["receipt"], first["receipt"]);
    assert!(s.record().await.contains("\"type\":\"photos\""));

    let page = &doc.body().pages[0];
    assert_eq!(page.pieces.len(), 7);
    let sha = page.sha256.as_str();
    assert_eq!(held(&s, sha).await.held, Vec::<u32>::new());
    // Not whole yet: no picture.
    let early = s
        .client
        .get(format!("{}/photos/{sha}", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(early).await, ErrorCode::PhotoPieceUnknown);

    // A piece that is not the one signed is refused and not kept.
    let mut wrong = pages[0][..PIECE_BYTES].to_vec();
    wrong[100] ^= 1;
    let refused = put(&s, sha, 0, &wrong).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(error_code(refused).await, ErrorCode::PhotoPieceNotSigned);
    // Nor a piece the page does not have, nor a picture nobody signed.
    let beyond = put(&s, sha, 7, &pages[0][..10]).await;
    assert_eq!(error_code(beyond).await, ErrorCode::PhotoPieceUnknown);
    let unsigned = put(&s, &"ab".repeat(32), 0, &pages[0][..10]).await;
    assert_eq!(unsigned.status(), 404);

    for (n, piece) in pages[0].chunks(PIECE_BYTES).enumerate() {
        let now: PiecesHeld = put(&s, sha, n, piece).await.json().await.unwrap();
        assert_eq!(now.held.len(), n + 1);
        assert_eq!(now.complete(), n == 6);
    }
    let got = s
        .client
        .get(format!("{}/photos/{sha}", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "image/jpeg");
    assert!(
        got.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(got.bytes().await.unwrap().as_ref(), pages[0].as_slice());
    // The bureaux listing and the results page name the picture held
    // whole, and only it (page 2 has not arrived).
    let listed = s.bureaux("").await;
    let b = listed
        .bureaux
        .iter()
        .find(|b| b.code == "DEMO-001")
        .unwrap();
    assert_eq!(b.photos, vec![sha.to_owned()]);
    let page = s
        .client
        .get(s.base.replace("/api/v1", "/resultats"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("src=\"/api/v1/photos/{sha}\"")),
        "{page}"
    );
    assert!(!page.contains(&doc.body().pages[1].sha256));
    // A piece sent again once held changes nothing.
    let twice: PiecesHeld = put(&s, sha, 3, &pages[0][3 * PIECE_BYTES..4 * PIECE_BYTES])
        .await
        .json()
        .await
        .unwrap();
    assert!(twice.complete());
}

/// Sends `PUT …/pieces/{n}` announcing the whole piece and sending only
/// its first `sent` bytes, then drops the connection.
async fn put_cut(s: &Server, sha: &str, n: usize, piece: &[u8], sent: usize) {
    let addr = s.base.trim_start_matches("http://");
    let host = &addr[..addr.find('/').unwrap()];
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "PUT /api/v1/photos/{sha}/pieces/{n} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\n\r\n",
        piece.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&piece[..sent]).await.unwrap();
    stream.flush().await.unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut answer),
    )
    .await;
    drop(stream);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_cut_in_the_middle_resumes_without_sending_the_whole_again() {
    let s = start().await;
    let ret = bureau_with_return(&s).await;
    let page = picture(3, 400 * 1024);
    let doc = photos_of(
        &s.election,
        &ret,
        &PHONE_1,
        std::slice::from_ref(&page),
        None,
    );
    assert_eq!(send(&s, &doc).await.status(), 201);
    let sha = doc.body().pages[0].sha256.clone();
    let pieces: Vec<&[u8]> = page.chunks(PIECE_BYTES).collect();

    // Three pieces arrive; the fourth is cut half-way and the connection
    // dropped.
    for (n, piece) in pieces.iter().enumerate().take(3) {
        assert_eq!(put(&s, &sha, n, piece).await.status(), 200);
    }
    put_cut(&s, &sha, 3, pieces[3], PIECE_BYTES / 2).await;

    // The phone asks what is held, and sends only the rest.
    let now = held(&s, &sha).await;
    assert_eq!(now.held, vec![0, 1, 2], "the cut piece is not kept");
    assert_eq!(now.next_missing(), Some(3));
    let mut sent_again = 0;
    for (n, piece) in pieces.iter().enumerate() {
        if !now.held.contains(&(n as u32)) {
            assert_eq!(put(&s, &sha, n, piece).await.status(), 200);
            sent_again += piece.len();
        }
    }
    assert!(sent_again < page.len() / 2 + PIECE_BYTES, "{sent_again}");
    assert!(held(&s, &sha).await.complete());
    let got = s
        .client
        .get(format!("{}/photos/{sha}", s.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(got.as_ref(), page.as_slice());
}

#[tokio::test(flavor = "multi_thread")]
async fn photos_are_refused_for_what_their_key_return_or_chain_forbid() {
    let s = start().await;
    let ret = bureau_with_return(&s).await;
    s.enrolled(&s.code("DEMO-002"), &PHONE_2).await;
    let pages = [picture(4, 50_000)];

    // DEMO-002's phone shows DEMO-001's return: not its bureau's.
    let mut foreign = ret.clone();
    let theirs = photos_of(&s.election, &foreign, &PHONE_2, &pages, None);
    assert_eq!(
        error_code(send(&s, &theirs).await).await,
        ErrorCode::PhotosKeyNotEnrolled
    );
    // A return the server never received.
    foreign = sign(&s.election, "DEMO-001", [41, 30, 20, 10], &PHONE_1, None);
    let unknown = photos_of(&s.election, &foreign, &PHONE_1, &pages, None);
    let refused = send(&s, &unknown).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(error_code(refused).await, ErrorCode::PhotosUnknownReturn);

    // Version 1, then a retake replacing it; another version 1 is refused.
    let v1 = photos_of(&s.election, &ret, &PHONE_1, &pages, None);
    assert_eq!(send(&s, &v1).await.status(), 201);
    let v2 = photos_of(
        &s.election,
        &ret,
        &PHONE_1,
        &[picture(5, 60_000)],
        Some(&v1),
    );
    assert_eq!(send(&s, &v2).await.status(), 201);
    let other_v1 = photos_of(&s.election, &ret, &PHONE_1, &[picture(6, 60_000)], None);
    let taken = send(&s, &other_v1).await;
    assert_eq!(taken.status(), 409);
    assert_eq!(error_code(taken).await, ErrorCode::PhotosVersionTaken);
    // Not canonical: refused before anything.
    let mut bytes = v1.to_bytes();
    bytes.insert(1, b' ');
    let resp = s
        .client
        .post(format!("{}/photos", s.base))
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(resp).await, ErrorCode::PhotosNotCanonical);
}

/// A picture is its hash: a client holding it gets a 304 for nothing, and
/// one that downloads far more copies than a reader waits.
#[tokio::test(flavor = "multi_thread")]
async fn pictures_are_served_with_their_hash_as_etag_and_within_an_allowance() {
    let s = start_limited(
        pointage_server::Limits::new(60, Vec::new())
            .pictures_per_minute(3)
            .without_tarpit(),
    )
    .await;
    let ret = bureau_with_return(&s).await;
    let pages = [picture(7, 1_000)];
    let doc = photos_of(&s.election, &ret, &PHONE_1, &pages, None);
    assert_eq!(send(&s, &doc).await.status(), 201);
    let sha = doc.body().pages[0].sha256.clone();
    assert!(put(&s, &sha, 0, &pages[0]).await.status().is_success());
    let url = format!("{}/photos/{sha}", s.base);
    for _ in 0..3 {
        let got = s.client.get(&url).send().await.unwrap();
        assert_eq!(got.status(), 200);
        assert_eq!(got.headers()["etag"], format!("\"{sha}\"").as_str());
        assert_eq!(got.bytes().await.unwrap().as_ref(), pages[0].as_slice());
    }
    let over = s.client.get(&url).send().await.unwrap();
    assert_eq!(over.status(), 429);
    assert!(over.headers().contains_key("retry-after"));
    assert_eq!(error_code(over).await, ErrorCode::RateLimited);
    // A copy held costs nothing, even over the allowance.
    let held = s
        .client
        .get(&url)
        .header("if-none-match", format!("\"{sha}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(held.status(), 304);
    // Not a hash: refused before any allowance or database.
    let odd = s
        .client
        .get(format!("{}/photos/{}", s.base, "AB".repeat(32)))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(odd).await, ErrorCode::PhotoPieceUnknown);
}
