//! One module per screen of the bureau app.

pub mod count;
pub mod day;
pub mod deposit;
pub mod enroll;
pub mod home;
pub mod photos;
pub mod pv;
pub mod table;
pub mod tables;
