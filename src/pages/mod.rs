//! One module per screen of the bureau app.

#[cfg(feature = "ui")]
pub mod count;
#[cfg(feature = "ui")]
pub mod day;
pub mod deposit;
#[cfg(feature = "ui")]
pub mod enroll;
#[cfg(feature = "ui")]
pub mod home;
#[cfg(feature = "ui")]
pub mod photos;
#[cfg(feature = "ui")]
pub mod pv;
#[cfg(feature = "ui")]
pub mod table;
#[cfg(feature = "ui")]
pub mod tables;
