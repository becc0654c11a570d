//! The checked-in OpenAPI document (`crates/server/openapi.json`) is the
//! one the code generates: a change to the API that is not reflected there
//! fails here. `UPDATE_OPENAPI=1 cargo test -p pointage-server --test
//! integration openapi` rewrites it.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_server::api::openapi;

#[test]
fn the_checked_in_openapi_document_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = openapi::document().to_pretty_json().unwrap() + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "crates/server/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p pointage-server --test integration openapi` and commit it"
    );
}

#[test]
fn every_api_route_is_documented_with_its_schemas() {
    let doc = serde_json::to_value(openapi::document()).unwrap();
    for path in [
        "/api/v1/health",
        "/api/v1/elections",
        "/api/v1/enroll",
        "/api/v1/returns",
        "/api/v1/reports",
        "/api/v1/results",
        "/api/v1/record",
        "/api/v1/log",
        "/api/v1/log/consistency",
        "/api/v1/log/inclusion",
        "/api/v1/log/bureau",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is not documented");
    }
    for schema in [
        "EnrollRequest",
        "EnrollResponse",
        "SignedReturnJson",
        "ReturnBody",
        "SignedReportJson",
        "ReportBody",
        "CheckpointTurnout",
        "SubmitResponse",
        "Receipt",
        "ResultsResponse",
        "ApiErrorBody",
        "ErrorCode",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "no schema {schema}"
        );
    }
}
