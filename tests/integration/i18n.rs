//! The bureau app's sentences in both languages. (That every error code has
//! its own sentence is `pointage-texts`' own test.)

use pointage::i18n::{Lang, LangTexts};
use pointage_core::wire::ErrorCode;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn a_return_refused_because_the_election_is_closed_is_not_offered_again() {
    use pointage::components::sync_badge::parked;
    for lang in Lang::ALL {
        let t = lang.texts();
        let closed = parked(t, 1, ErrorCode::ElectionClosed);
        assert!(
            closed.contains(&(t.common.api_error)(ErrorCode::ElectionClosed)),
            "{closed}"
        );
        assert!(!closed.contains(t.pv.sync_parked), "{lang:?}: {closed}");
        let fixable = parked(t, 1, ErrorCode::ReturnRulesBroken);
        assert!(fixable.contains(t.pv.sync_parked), "{lang:?}: {fixable}");
    }
}

#[wasm_bindgen_test]
fn french_elides_de_before_a_vowel_and_english_writes_dates_day_first() {
    let fr = Lang::Fr.texts();
    assert_eq!((fr.pv.voix_of)("Inès Lefèvre"), "Voix d’Inès Lefèvre");
    assert_eq!((fr.pv.voix_of)("Éloïse Martin"), "Voix d’Éloïse Martin");
    assert_eq!((fr.pv.voix_of)("Jules Bertrand"), "Voix de Jules Bertrand");
    assert_eq!((Lang::En.texts().pv.voix_of)("Inès"), "Votes for Inès");
    // 2027-01-22 19:00 UTC, in each language's order.
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(1_800_644_400_000.0));
    let en: String = d
        .to_locale_date_string(Lang::En.date_locale(), &wasm_bindgen::JsValue::UNDEFINED)
        .into();
    assert!(en.starts_with("22/"), "{en}");
    let fr: String = d
        .to_locale_date_string(Lang::Fr.date_locale(), &wasm_bindgen::JsValue::UNDEFINED)
        .into();
    assert!(fr.starts_with("22/"), "{fr}");
}
