//! Every integration test of pointage-verify, in one
//! binary, one module per subject beside this file: one link instead of
//! one per file (each linked the whole dependency tree: slow on two
//! cores).
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The server's test kit: real servers, signed returns.
#[path = "../../../server/tests/integration/common/mod.rs"]
mod common;

mod fuzz;
mod photos;
mod record;
mod turnout;
mod vectors;
