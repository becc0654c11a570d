//! Every integration test of pointage-server, in one
//! binary, one module per subject beside this file: one link instead of
//! one per file (each linked the whole dependency tree: slow on two
//! cores).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod api;
mod bureaux;
mod caching;
mod closing;
mod http;
mod limits;
mod multi_node;
mod openapi;
mod operators;
mod photos;
mod recovery;
mod results;
mod results_page;
mod slow_clients;
mod storage;
mod turnout;
mod vectors;
