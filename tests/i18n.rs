//! Every error code the server can send has its own sentence in both
//! languages: a volunteer never reads a bare code, except for the ones a
//! correct app cannot cause (a malformed request, a code added later).

use pointage::i18n::Lang;
use pointage_core::wire::ErrorCode;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_error_code_a_person_can_meet_has_a_sentence() {
    let generic = [ErrorCode::BadRequest, ErrorCode::Unknown];
    for lang in Lang::ALL {
        for code in ErrorCode::ALL {
            let text = (lang.common_texts().api_error)(code);
            assert!(!text.trim().is_empty());
            let bare = text.contains(code.as_str());
            assert_eq!(bare, generic.contains(&code), "{lang:?} {code:?}: {text}");
        }
    }
}

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
