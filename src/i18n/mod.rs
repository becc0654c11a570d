//! The app's two languages. French is the default: most volunteers count in
//! French. Every string a person reads comes from a text table ([`Texts`]
//! for the bureau app, [`PublicTexts`] for the deposit page, [`CommonTexts`]
//! for what both say, from `pointage-texts`, which the server's results
//! page shares), so a missing translation is a compile error, not an
//! English word on a French screen.
//!
//! It never formats a figure that a rule depends on: numbers come from core.

mod en;
mod fr;
mod table_phone_texts;
mod texts;

pub use pointage_texts::{CommonTexts, Lang};
pub use table_phone_texts::TablesTexts;
pub use texts::{
    CountTexts, DayTexts, EveningTexts, PhotoTexts, PublicTexts, PvTexts, StartupTexts, Texts,
};
#[cfg(feature = "ui")]
mod ui;
#[cfg(feature = "ui")]
pub use ui::{I18n, tr, trc, trk, trp, trt, use_i18n};

/// The app's own tables of a language (the shared ones are
/// [`Lang::common_texts`], in `pointage-texts`).
///
/// The screens a table phone's app shares with the bureau app (counting,
/// the table, the codes, the start's problems) read their sections
/// directly ([`LangTexts::count`], [`LangTexts::tables`],
/// [`LangTexts::startup`]), never through [`Texts`]: a build that names
/// `Texts` links every sentence of the bureau app, the PV's and the
/// photos' included, which a scrutateur's phone would download for
/// nothing.
pub trait LangTexts {
    fn texts(self) -> &'static Texts;
    fn public_texts(self) -> &'static PublicTexts;
    fn count(self) -> &'static CountTexts;
    fn tables(self) -> &'static TablesTexts;
    fn startup(self) -> &'static StartupTexts;
}

impl LangTexts for Lang {
    fn texts(self) -> &'static Texts {
        match self {
            Lang::Fr => &fr::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }

    fn public_texts(self) -> &'static PublicTexts {
        match self {
            Lang::Fr => &fr::public::TEXTS,
            Lang::En => &en::public::TEXTS,
        }
    }

    fn count(self) -> &'static CountTexts {
        match self {
            Lang::Fr => &fr::COUNT,
            Lang::En => &en::COUNT,
        }
    }

    fn tables(self) -> &'static TablesTexts {
        match self {
            Lang::Fr => &fr::table_phones::TABLES,
            Lang::En => &en::table_phones::TABLES,
        }
    }

    fn startup(self) -> &'static StartupTexts {
        match self {
            Lang::Fr => &fr::STARTUP,
            Lang::En => &en::STARTUP,
        }
    }
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

/// The sections of a language's texts that the screens shared by the
/// bureau app and a table phone's app read ([`I18n::s`]).
#[derive(Clone, Copy)]
pub struct Sections {
    pub count: &'static CountTexts,
    pub tables: &'static TablesTexts,
    pub common: &'static CommonTexts,
    /// [`Texts::colon`].
    pub colon: &'static str,
}

/// A definition's date (`2027-01-29`) spelt with the language's month
/// names (`29 janvier 2027`); as given when it is not such a date.
pub fn spelt_date(iso: &str, months: &[&str; 12], spell: fn(u32, &str, &str) -> String) -> String {
    let mut parts = iso.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_owned();
    };
    match (m.parse::<usize>(), d.parse::<u32>()) {
        (Ok(m @ 1..=12), Ok(d @ 1..=31)) if y.len() == 4 => spell(d, months[m - 1], y),
        _ => iso.to_owned(),
    }
}
