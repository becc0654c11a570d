//! `pointage-device`: what a bureau's phone does and keeps, without the
//! browser. The counting session ([`count_session`]) and the PV session
//! ([`pv_session`]) are the bureau's procedure as its screens drive it; the
//! stores keep the tally, the PV, the hand-over and the enrollment. The app
//! gives them a [`Storage`] (IndexedDB in the browser) and a
//! [`Signer`] (WebCrypto); host tests give them [`MemStore`]
//! and a dalek signer. Everything here is pure like core: no web-sys, no
//! clock, no random source.
//!
//! It must never acknowledge a value that the storage has not durably kept:
//! every write is a [`Batch`] that the storage applies whole or not at all,
//! and only after it completes do the stores and sessions change what they
//! hold in memory.

pub mod count_session;
pub mod enrolled;
pub mod evening;
pub mod handover;
pub mod journal;
pub mod migrate;
pub mod next_round;
pub mod outbox;
pub mod photos;
pub mod ports;
pub mod pv;
pub mod pv_session;
pub mod queue;
pub mod tables;
pub mod tally;
pub mod turnout;
pub mod witness;

pub use enrolled::EnrolledDevice;
pub use ports::{Batch, Key, MemDisk, MemStore, Signer, Storage, WriteError};
