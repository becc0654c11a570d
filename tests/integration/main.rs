//! Every integration test of the bureau app, in headless Chromium (wasm-bindgen-test), in one
//! binary, one module per subject beside this file: one link instead of
//! one per file (each linked the whole dependency tree: slow on two
//! cores).
#![allow(clippy::unwrap_used, clippy::expect_used)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

mod crypto;
mod handover;
mod home;
mod i18n;
mod idb_store;
