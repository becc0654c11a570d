//! One module per screen of the bureau app.

pub mod home;
