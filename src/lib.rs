//! pointage: the bureau app, a Leptos client-side app compiled to WebAssembly.
//! A library so that the browser tests in `tests/` can mount its components;
//! `main.rs` only mounts [`app::App`] (the bureau app); `public_main.rs`
//! starts the deposit page, built on its own (`pages/deposit.rs`, no
//! framework);
//! `table_main.rs` a table phone's app, built on its own as well.
//!
//! It never decides a rule of the count: it displays and enforces what
//! `pointage-core` returns.

pub mod api;
#[cfg(feature = "ui")]
pub mod app;
#[cfg(feature = "ui")]
pub mod camera;
#[cfg(feature = "ui")]
pub mod components;
pub mod crypto;
pub mod dom;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ui")]
pub mod public_app;
pub mod session;
pub mod storage;
#[cfg(feature = "ui")]
pub mod sync;
#[cfg(feature = "ui")]
pub mod wake_lock;
pub mod worker;
