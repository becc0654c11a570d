//! Every integration test of pointage-device, in one
//! binary, one module per subject beside this file: one link instead of
//! one per file (each linked the whole dependency tree: slow on two
//! cores).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod count_session;
mod deposit_round;
mod evening;
mod migrate_handover;
mod next_round;
mod outbox_walk;
mod photos;
mod pv_review;
mod pv_session;
mod pv_session_walk;
mod pv_store;
mod tables;
mod tally_store;
mod turnout;
mod witness;
