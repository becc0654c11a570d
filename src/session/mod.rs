//! The device's sessions on this tab's storage, for the screens. A screen
//! draws a session and hands it what a person did; the writes, the key and
//! the other tabs are reached only from here, so `src/pages` holds no
//! storage access.

#[cfg(feature = "ui")]
pub mod count;
#[cfg(feature = "ui")]
pub mod day;
pub mod deposit;
pub mod handover;
#[cfg(feature = "ui")]
pub mod photos;
#[cfg(feature = "ui")]
pub mod pv;
#[cfg(feature = "ui")]
mod screens;
#[cfg(feature = "ui")]
pub mod tables;

#[cfg(feature = "ui")]
pub use screens::*;
