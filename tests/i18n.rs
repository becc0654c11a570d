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
        let t = lang.texts();
        for code in ErrorCode::ALL {
            let text = (t.api_error)(code);
            assert!(!text.trim().is_empty());
            let bare = text.contains(code.as_str());
            assert_eq!(bare, generic.contains(&code), "{lang:?} {code:?}: {text}");
        }
    }
}
