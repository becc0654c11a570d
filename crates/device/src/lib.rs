//! `pointage-device`: what a bureau's phone keeps, and how, without the
//! browser. The app gives it a [`Storage`] (IndexedDB in the browser); host
//! tests give it [`MemStore`]. Everything here is pure like core: no web-sys,
//! no clock, no random source.
//!
//! It must never acknowledge a value that the storage has not durably kept:
//! every write is a [`Batch`] that the storage applies whole or not at all,
//! and only after it completes do the stores change what they hold in memory.

pub mod count_session;
pub mod enrolled;
pub mod handover;
pub mod journal;
pub mod migrate;
pub mod pv;
pub mod pv_session;
pub mod store;
pub mod tally;

pub use enrolled::EnrolledDevice;
pub use store::{Batch, Key, MemDisk, MemStore, Storage, WriteError};
