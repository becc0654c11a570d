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

use leptos::prelude::*;

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

    /// The counting screen's texts (tracked), without the rest of [`Texts`].
    pub fn count(self) -> &'static CountTexts {
        self.lang().count()
    }

    /// The table phones' texts (tracked), without the rest of [`Texts`].
    pub fn tables(self) -> &'static TablesTexts {
        self.lang().tables()
    }

    /// What went wrong at start (tracked), without the rest of [`Texts`].
    pub fn startup(self) -> &'static StartupTexts {
        self.lang().startup()
    }

    /// The sections the counting and table screens read (tracked), which
    /// a table phone's app shares with the bureau app: never [`Texts`]
    /// (see [`LangTexts`]).
    pub fn s(self) -> Sections {
        let lang = self.lang();
        Sections {
            count: lang.count(),
            tables: lang.tables(),
            common: lang.common_texts(),
            colon: match lang {
                Lang::Fr => fr::COLON,
                Lang::En => en::COLON,
            },
        }
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

/// [`tr`] for the table phones' texts (see [`LangTexts`]).
pub fn trt(
    f: fn(&'static TablesTexts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || f(i18n.tables())
}

/// [`tr`] for the counting screen's texts (see [`LangTexts`]).
pub fn trk(
    f: fn(&'static CountTexts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || f(i18n.count())
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
