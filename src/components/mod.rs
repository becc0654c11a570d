//! Pieces shared by several screens. Each reads the language from the context
//! and holds no rule of the count.

pub mod confirm;
pub mod lang_switch;
pub mod not_enrolled;
pub mod qr;
pub mod scanner;
pub mod startup_notice;
pub mod sync_badge;
pub mod topbar;
pub mod update_banner;
