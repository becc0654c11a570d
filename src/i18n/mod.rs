//! The app's two languages. French is the default: most volunteers count in
//! French. Every string a person reads comes from a [`Texts`] table, so a
//! missing translation is a compile error, not an English word on a French
//! screen.
//!
//! It never formats a figure that a rule depends on: numbers come from core.

mod en;
mod fr;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 code, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, as a language switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Fr => &fr::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }
}

/// Every sentence of the app, in one language.
pub struct Texts {
    pub app_name: &'static str,
    pub language: &'static str,
    pub home_title: &'static str,
    pub election: &'static str,
    pub bureau: &'static str,
    pub enrolled_note: &'static str,
    pub not_enrolled_title: &'static str,
    pub not_enrolled_body: &'static str,
    pub storage_failed: &'static str,
    /// "1er tour" / "Round 1".
    pub round: fn(u8) -> String,
}

/// The language in force, shared by every component through the context.
#[derive(Clone, Copy)]
pub struct I18n(RwSignal<Lang>);

impl I18n {
    /// The language saved on this device, or French.
    pub fn from_storage() -> Self {
        Self(RwSignal::new(crate::storage::lang().unwrap_or_default()))
    }

    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// The texts of the language in force (tracked: a view that calls it is
    /// redrawn when the language changes).
    pub fn t(self) -> &'static Texts {
        self.lang().texts()
    }

    /// Saves the choice, then shows it: the screen changes only once the
    /// choice is kept.
    pub fn choose(self, lang: Lang) -> Result<(), crate::storage::StorageError> {
        crate::storage::save_lang(lang)?;
        self.0.set(lang);
        Ok(())
    }
}

/// The language in force. Panics only if a component is mounted outside
/// [`crate::app::App`], a programming error that the browser tests catch.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
