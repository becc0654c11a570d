//! The app's two languages. French is the default: most volunteers count in
//! French. Every string a person reads comes from a text table ([`Texts`]
//! for the bureau app, [`PublicTexts`] for the public pages, [`CommonTexts`]
//! for what both say), so a missing translation is a compile error, not an
//! English word on a French screen.
//!
//! It never formats a figure that a rule depends on: numbers come from core.

mod en;
mod en_common;
mod en_public;
mod en_pv;
mod en_tables;
mod fr;
mod fr_common;
mod fr_public;
mod fr_pv;
mod fr_tables;
mod tables;
mod tables_texts;

pub use tables::{
    CommonTexts, CountTexts, EveningTexts, PublicTexts, PvTexts, StartupTexts, Texts,
};
pub use tables_texts::TablesTexts;

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

    /// The locale dates and times are written in: day before month in
    /// English too (a bureau's volunteers read dates the European way).
    pub fn date_locale(self) -> &'static str {
        match self {
            Lang::Fr => "fr-FR",
            Lang::En => "en-GB",
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

    pub fn common_texts(self) -> &'static CommonTexts {
        match self {
            Lang::Fr => &fr_common::COMMON,
            Lang::En => &en_common::COMMON,
        }
    }

    pub fn public_texts(self) -> &'static PublicTexts {
        match self {
            Lang::Fr => &fr_public::TEXTS,
            Lang::En => &en_public::TEXTS,
        }
    }
}

/// A share in basis points as the language writes a percentage:
/// "30,93 %" or "30.93%".
pub fn percent(t: &CommonTexts, bp: u32) -> String {
    pointage_core::results::percent_text(bp, t.decimal_comma)
}

/// French "de" before a name: "d’" before a vowel sound ("Voix d’Inès",
/// "Voix d’Éloïse"), else "de " ("Voix de Jules").
pub fn de(name: &str) -> &'static str {
    // Both cases listed: `char::to_lowercase` would link Unicode's case
    // tables (12 KB of the phone's download) for one letter.
    let first = name.trim_start().chars().next().unwrap_or('x');
    let vowel = matches!(
        first,
        'a' | 'à'
            | 'â'
            | 'e'
            | 'é'
            | 'è'
            | 'ê'
            | 'ë'
            | 'i'
            | 'î'
            | 'ï'
            | 'o'
            | 'ô'
            | 'u'
            | 'û'
            | 'ü'
            | 'y'
            | 'A'
            | 'À'
            | 'Â'
            | 'E'
            | 'É'
            | 'È'
            | 'Ê'
            | 'Ë'
            | 'I'
            | 'Î'
            | 'Ï'
            | 'O'
            | 'Ô'
            | 'U'
            | 'Û'
            | 'Ü'
            | 'Y'
    );
    if vowel { "d’" } else { "de " }
}

/// A count with the language's thousands separator.
pub fn count(t: &CommonTexts, n: u64) -> String {
    let sep = if t.decimal_comma { '\u{202f}' } else { ',' };
    pointage_core::results::group_digits(n, sep)
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

    /// What both apps say, in the language in force (tracked).
    pub fn c(self) -> &'static CommonTexts {
        self.lang().common_texts()
    }

    /// The public pages' texts of the language in force (tracked).
    pub fn p(self) -> &'static PublicTexts {
        self.lang().public_texts()
    }

    /// Saves the choice, then shows it: the screen changes only once the
    /// choice is kept.
    pub fn choose(self, lang: Lang) -> Result<(), crate::storage::StorageError> {
        crate::storage::save_lang(lang)?;
        self.0.set(lang);
        Ok(())
    }
}

/// One text of the language in force, for a view: redrawn when the language
/// changes. Every text goes through this one closure type, so the views
/// share one copy of the code that draws and redraws a text (a closure per
/// text costs the wasm bundle about a kilobyte each).
pub fn tr(
    f: fn(&'static Texts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || f(i18n.t())
}

/// [`tr`] for the texts both apps say.
pub fn trc(
    f: fn(&'static CommonTexts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || f(i18n.c())
}

/// [`tr`] for the public pages' texts.
pub fn trp(
    f: fn(&'static PublicTexts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || f(i18n.p())
}

/// The language in force. Panics only if a component is mounted outside
/// [`crate::app::App`], a programming error that the browser tests catch.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
