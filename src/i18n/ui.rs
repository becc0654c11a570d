//! The language in force for the Leptos screens: a signal every component
//! reads through the context, and one closure type per text table.

use super::{CountTexts, LangTexts, PublicTexts, Sections, StartupTexts, TablesTexts, Texts};
use super::{en, fr};
use leptos::prelude::*;
use pointage_texts::{CommonTexts, Lang};

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
