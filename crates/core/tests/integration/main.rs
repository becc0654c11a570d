//! Every integration test of pointage-core (on the host, and on wasm32 in Node), in one
//! binary, one module per subject beside this file: one link instead of
//! one per file (each linked the whole dependency tree: slow on two
//! cores).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod board;
mod canonical;
mod corrections;
mod double_entry;
mod fuzz;
mod gathering;
mod other_vectors;
mod outbox;
mod photos;
mod recovery;
mod results;
mod return_vectors;
mod roster;
mod rule_properties;
mod rule_vectors;
mod sheets;
mod signed_return;
mod still_open;
mod table_tally;
mod tally;
mod tally_earlier_logs;
mod tally_packets;
mod turnout;
