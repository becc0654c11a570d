//! Every signed-return vector of `crates/core/tests/vectors/returns/` sent to
//! a running server: each is answered with exactly the code core gives it
//! (or stored, for the `pass_` ones), so the server follows the spec's
//! order of checks, not only core does. Each vector gets a server of its
//! own, with the vectors' election, bureau 001 enrolled with the vectors'
//! key, and the vector's `latest` version stored first.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::Election;
use pointage_core::wire::{ApiErrorBody, ErrorCode};
use pointage_server::{AppState, router};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Meta {
    latest: Option<String>,
    expect: Option<ErrorCode>,
}

#[derive(Deserialize)]
struct Keys {
    bureau_001_key: String,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/vectors/returns")
}

fn read_in(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A server with the election of the vectors in `dir`, bureau 001 enrolled
/// with their key.
async fn start_in(dir: &Path) -> (String, reqwest::Client, tempfile::TempDir) {
    let read = |name: &str| read_in(dir, name);
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let db = crate::common::fresh_db(&tmp.path().join("data")).await;
    let election: Election = serde_json::from_slice(&read("election.json")).unwrap();
    let codes = db.store_election(&election, 0).unwrap();
    let state = AppState::new(db).unwrap();
    let addr = pointage_server::serve::on_free_port(router(state, dist))
        .await
        .unwrap();
    let base = format!("http://{addr}/api/v1");
    let client = reqwest::Client::new();
    let keys: Keys = serde_json::from_slice(&read("keys.json")).unwrap();
    let code = &codes.iter().find(|c| c.bureau == "001").unwrap().code;
    let enrolled = client
        .post(format!("{base}/enroll"))
        .json(&serde_json::json!({ "code": code, "device_key": keys.bureau_001_key }))
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), 200, "enrolling bureau 001");
    (base, client, tmp)
}

/// Sends every vector `NAME.<ext>` of `dir` (at least `at_least` of them)
/// to `/api/v1/<path>` of a server of its own, its `latest` stored first,
/// and checks the answer: stored for a `pass_`, else exactly its code.
/// The codes it was refused with.
async fn refusals(dir: &Path, ext: &str, path: &str, at_least: usize) -> Vec<ErrorCode> {
    refusals_after(dir, dir, None, (ext, path, at_least)).await
}

/// [`refusals`], on servers of the election in `election_dir`, each given
/// `first` (an API path and the bytes posted to it) before anything.
async fn refusals_after(
    dir: &Path,
    election_dir: &Path,
    first: Option<(&str, Vec<u8>)>,
    (ext, path, at_least): (&str, &str, usize),
) -> Vec<ErrorCode> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(ext).map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(names.len() >= at_least, "vectors missing: {names:?}");
    let mut refused_with = Vec::new();
    for name in &names {
        let meta: Meta = serde_json::from_slice(&read_in(dir, &format!("{name}.json"))).unwrap();
        let (base, client, _tmp) = start_in(election_dir).await;
        if let Some((to, bytes)) = &first {
            let sent = client
                .post(format!("{base}/{to}"))
                .body(bytes.clone())
                .send();
            assert_eq!(sent.await.unwrap().status(), 201, "{name}: before it");
        }
        let post = |bytes: Vec<u8>| client.post(format!("{base}/{path}")).body(bytes).send();
        if let Some(latest) = &meta.latest {
            let stored = post(read_in(dir, &format!("{latest}{ext}"))).await.unwrap();
            assert_eq!(stored.status(), 201, "{name}: its latest, {latest}");
        }
        let answer = post(read_in(dir, &format!("{name}{ext}"))).await.unwrap();
        let status = answer.status();
        match meta.expect {
            None => assert_eq!(status, 201, "{name}: must be stored"),
            Some(code) => {
                assert!(status.is_client_error(), "{name}: {status}");
                let body: ApiErrorBody = answer.json().await.unwrap();
                assert_eq!(body.error.code, code, "{name}: {}", body.error.message);
                refused_with.push(code);
            }
        }
    }
    refused_with
}

#[tokio::test]
async fn every_return_vector_gets_its_exact_code_from_the_server() {
    let refused_with = refusals(&dir(), ".return", "returns", 16).await;
    // Not a vacuous pass: the refusals cover the kinds of forgery.
    for needed in [
        ErrorCode::ReturnBadSignature,
        ErrorCode::ReturnUnknownBureau,
        ErrorCode::ReturnKeyNotEnrolled,
        ErrorCode::ReturnBrokenChain,
    ] {
        assert!(
            refused_with.contains(&needed),
            "no vector refused with {needed:?}"
        );
    }
}

/// Every turnout-report vector of `crates/core/tests/vectors/reports/` sent
/// to a running server (`POST /api/v1/reports`): each gets exactly the code
/// core gives it, or is stored.
#[tokio::test]
async fn every_report_vector_gets_its_exact_code_from_the_server() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/vectors/reports");
    let refused_with = refusals(&dir, ".report", "reports", 9).await;
    assert!(refused_with.len() >= 6, "{refused_with:?}");
}

/// Every photo-document vector of `crates/core/tests/vectors/photos/` sent
/// to a server that has the return they name (`pass_v1_clean`): each gets
/// exactly the code core gives it, or is stored.
#[tokio::test]
async fn every_photo_vector_gets_its_exact_code_from_the_server() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/vectors/photos");
    let ret = read_in(&self::dir(), "pass_v1_clean.return");
    let refused_with = refusals_after(
        &dir,
        &self::dir(),
        Some(("returns", ret)),
        (".photos", "photos", 13),
    )
    .await;
    for needed in [
        ErrorCode::PhotosBadSignature,
        ErrorCode::PhotosBadPages,
        ErrorCode::PhotosUnknownReturn,
        ErrorCode::PhotosBrokenChain,
    ] {
        assert!(
            refused_with.contains(&needed),
            "no vector refused with {needed:?}"
        );
    }
}
