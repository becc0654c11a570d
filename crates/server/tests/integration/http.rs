//! The server's HTTP surface, end to end through the router: health, the
//! elections API, the app's files with their content types and compression.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use pointage_server::{AppState, db::Db, demo, router};
use std::io::Read;
use tower::ServiceExt;

struct Fixture {
    app: axum::Router,
    _dist: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let dist = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Pointage</title>",
    )
    .expect("write");
    // A wasm module large enough to be worth compressing.
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend(std::iter::repeat_n(0u8, 4096));
    std::fs::write(dist.path().join("pointage-0123456789abcdef_bg.wasm"), wasm).expect("write");
    let db = Db::open_in_memory().expect("db");
    demo::seed_if_empty(&db, 0).expect("seed");
    Fixture {
        app: router(AppState::new(db).expect("state"), dist.path().to_path_buf()),
        _dist: dist,
    }
}

async fn get(f: &Fixture, uri: &str, accept_encoding: Option<&str>) -> axum::response::Response {
    let mut req = Request::get(uri);
    if let Some(enc) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, enc);
    }
    f.app
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("infallible")
}

async fn body(resp: axum::response::Response) -> Vec<u8> {
    resp.into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

fn header_of(resp: &axum::response::Response, name: header::HeaderName) -> &str {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn health_reports_the_server_and_its_database() {
    let f = fixture();
    let resp = get(&f, "/api/v1/health", None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header_of(&resp, header::CACHE_CONTROL), "no-store");
    let json: serde_json::Value = serde_json::from_slice(&body(resp).await).expect("json");
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"], "ok");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn the_demo_election_is_served() {
    let f = fixture();
    let resp = get(&f, "/api/v1/elections", None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let elections: Vec<pointage_core::Election> =
        serde_json::from_slice(&body(resp).await).expect("elections");
    assert_eq!(elections, vec![demo::election()]);
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404_not_the_app() {
    let f = fixture();
    let resp = get(&f, "/api/v1/nothing-here", None).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let json: serde_json::Value = serde_json::from_slice(&body(resp).await).expect("json");
    assert_eq!(json["error"]["code"], "not_found");
}

#[tokio::test]
async fn the_wasm_module_is_served_as_application_wasm_and_compressed() {
    let f = fixture();
    let path = "/pointage-0123456789abcdef_bg.wasm";
    let resp = get(&f, path, Some("gzip")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header_of(&resp, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(header_of(&resp, header::CONTENT_ENCODING), "gzip");
    assert_eq!(header_of(&resp, header::CACHE_CONTROL), "no-cache");
    let compressed = body(resp).await;
    let mut raw = Vec::new();
    flate2_decode(&compressed, &mut raw);
    assert_eq!(&raw[..4], b"\0asm");
    assert!(
        compressed.len() < raw.len() / 4,
        "{} vs {}",
        compressed.len(),
        raw.len()
    );

    let br = get(&f, path, Some("br")).await;
    assert_eq!(header_of(&br, header::CONTENT_ENCODING), "br");
    let plain = get(&f, path, None).await;
    assert_eq!(header_of(&plain, header::CONTENT_ENCODING), "");
    assert_eq!(body(plain).await.len(), 4096 + 8);
}

#[tokio::test]
async fn a_precompressed_twin_is_sent_as_it_is() {
    let f = fixture();
    // What `cargo xtask` writes beside a built file (here a marker, so that
    // sending it is told apart from compressing on the fly).
    let path = "pointage-0123456789abcdef_bg.wasm";
    std::fs::write(
        f._dist.path().join(format!("{path}.br")),
        b"precompressed br",
    )
    .expect("write");
    let resp = get(&f, &format!("/{path}"), Some("br, gzip")).await;
    assert_eq!(header_of(&resp, header::CONTENT_ENCODING), "br");
    assert_eq!(header_of(&resp, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(body(resp).await, b"precompressed br");
    // A browser without brotli gets gzip, compressed on the fly.
    let gz = get(&f, &format!("/{path}"), Some("gzip")).await;
    assert_eq!(header_of(&gz, header::CONTENT_ENCODING), "gzip");
}

#[tokio::test]
async fn client_routes_fall_back_to_the_app() {
    let f = fixture();
    for uri in ["/", "/bureau/count"] {
        let resp = get(&f, uri, None).await;
        assert_eq!(resp.status(), StatusCode::OK, "{uri}");
        assert!(
            header_of(&resp, header::CONTENT_TYPE).starts_with("text/html"),
            "{uri}"
        );
        let html = String::from_utf8(body(resp).await).expect("utf8");
        assert!(html.contains("<title>Pointage</title>"), "{uri}");
    }
}

fn flate2_decode(gz: &[u8], out: &mut Vec<u8>) {
    flate2::read::GzDecoder::new(gz)
        .read_to_end(out)
        .expect("valid gzip");
}

async fn post(
    f: &Fixture,
    uri: &str,
    content_type: &str,
    body: Vec<u8>,
) -> axum::response::Response {
    f.app
        .clone()
        .oneshot(
            Request::post(uri)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .expect("request"),
        )
        .await
        .expect("infallible")
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let f = fixture();
    for uri in ["/", "/compter", "/api/v1/elections", "/api/v1/nothing-here"] {
        let resp = get(&f, uri, None).await;
        assert_eq!(
            header_of(&resp, header::X_CONTENT_TYPE_OPTIONS),
            "nosniff",
            "{uri}"
        );
        assert_eq!(
            header_of(&resp, header::REFERRER_POLICY),
            "no-referrer",
            "{uri}"
        );
        assert_eq!(
            header_of(
                &resp,
                header::HeaderName::from_static("cross-origin-opener-policy")
            ),
            "same-origin",
            "{uri}"
        );
        assert!(
            header_of(&resp, header::HeaderName::from_static("permissions-policy"))
                .contains("camera=(self)"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn what_axum_refuses_gets_the_json_error_body_and_names_nothing_internal() {
    let f = fixture();
    let cases: [(&str, &str, Vec<u8>, StatusCode, &str); 3] = [
        (
            "/api/v1/returns",
            "application/json",
            vec![b' '; 70 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            "/api/v1/enroll",
            "application/json",
            b"{\"code\": 12}".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_request",
        ),
        (
            "/api/v1/enroll",
            "text/plain",
            b"hello".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_request",
        ),
    ];
    // Declared far larger than the API reads: refused from the headers.
    let huge = f
        .app
        .clone()
        .oneshot(
            Request::post("/api/v1/returns")
                .header(header::CONTENT_LENGTH, "10000000000")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let text = String::from_utf8(body(huge).await).expect("utf-8");
    assert!(text.contains("payload_too_large"), "{text}");
    for (uri, content_type, payload, status, code) in cases {
        let resp = post(&f, uri, content_type, payload).await;
        assert_eq!(resp.status(), status, "{uri} {content_type}");
        assert!(
            header_of(&resp, header::CONTENT_TYPE).starts_with("application/json"),
            "{uri} {content_type}"
        );
        let text = String::from_utf8(body(resp).await).expect("utf-8");
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(v["error"]["code"], code, "{text}");
        for internal in ["EnrollRequest", "struct", "serde", "axum"] {
            assert!(!text.contains(internal), "{uri}: {text}");
        }
    }
}
