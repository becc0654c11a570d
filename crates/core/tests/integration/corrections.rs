//! The version chain of a bureau's returns: a correction is the next
//! version, naming the one it replaces and why, entered blind again on the
//! fields corrected, and a bureau has at most 100 versions.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::common::{BUREAU_SECRET, SIGNED_AT, abc, agreed, clean_pv, draft, key, signed};
use pointage_core::{
    ChainError, DoubleEntry, Field, Figure, Phase, ReturnDraft, SignError, SignedReturn,
    VerifyError,
};
use std::collections::BTreeMap;

#[test]
fn a_correction_is_version_two_naming_version_one_and_its_reason() {
    let e = abc();
    let v1 = signed();
    let mut fixed = clean_pv();
    fixed.blancs = Some(3);
    fixed.nuls = Some(0);
    let de = agreed(fixed);
    let correction = ReturnDraft {
        turnout: None,
        tables: &[],
        correction: Some((&v1, "Un bulletin nul était blanc.".into())),
        ..draft(&de)
    };
    let v2 = SignedReturn::sign(&e, correction, &BUREAU_SECRET, SIGNED_AT + 60_000).unwrap();
    let replaces = v2.body().replaces.as_ref().unwrap();
    assert_eq!((v2.body().version, replaces.id.as_str()), (2, v1.id()));
    assert_eq!(replaces.reason, "Un bulletin nul était blanc.");
    v2.check(&e, &key(), Some(&v1)).unwrap();

    // Without the version it replaces, or against another, it does not chain.
    assert_eq!(
        v2.check(&e, &key(), None),
        Err(VerifyError::Chain(ChainError::MissingPrevious))
    );
    assert_eq!(
        v2.check(&e, &key(), Some(&v2)),
        Err(VerifyError::Chain(ChainError::VersionTaken))
    );
    // A second version 1 when one is already in is refused.
    assert_eq!(
        v1.check(&e, &key(), Some(&v1)),
        Err(VerifyError::Chain(ChainError::VersionTaken))
    );
    let no_reason = ReturnDraft {
        turnout: None,
        tables: &[],
        correction: Some((&v1, " ".into())),
        ..draft(&de)
    };
    assert_eq!(
        SignedReturn::sign(&e, no_reason, &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::NoReason)
    );
}

#[test]
fn a_bureau_has_at_most_100_versions() {
    let e = abc();
    let mut latest = signed();
    for v in 2..=pointage_core::signed_return::MAX_VERSIONS {
        let de = agreed(clean_pv());
        let next = ReturnDraft {
            turnout: None,
            tables: &[],
            correction: Some((&latest, format!("Correction {v}."))),
            ..draft(&de)
        };
        let signed = SignedReturn::sign(&e, next, &BUREAU_SECRET, SIGNED_AT).unwrap();
        signed.check(&e, &key(), Some(&latest)).unwrap();
        latest = signed;
    }
    assert_eq!(latest.body().version, 100);
    let de = agreed(clean_pv());
    let one_more = ReturnDraft {
        turnout: None,
        tables: &[],
        correction: Some((&latest, "Encore une.".into())),
        ..draft(&de)
    };
    assert_eq!(
        SignedReturn::sign(&e, one_more, &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::TooManyVersions)
    );
}

/// A correction goes through blind double entry of just the fields being
/// corrected: each person re-types those, the rest comes from version 1.
#[test]
fn a_correction_is_double_entered_on_the_corrected_fields_only() {
    let e = abc();
    let v1 = signed();
    let base = &v1.body().pv;
    let fields = |blancs: u64, nuls: u64| -> BTreeMap<Field, Figure> {
        [(Field::Blancs, Some(blancs)), (Field::Nuls, Some(nuls))].into()
    };
    let de = DoubleEntry::new()
        .finish_first("Awa", base.corrected(&fields(3, 0)).unwrap())
        .unwrap()
        .finish_second("Bruno", base.corrected(&fields(3, 1)).unwrap())
        .unwrap();
    assert_eq!(
        de.phase(),
        Phase::Reconciling {
            fields: [Field::Nuls].into(),
            waiting_for: vec!["Awa".into(), "Bruno".into()],
        }
    );
    let de = de
        .reenter("Awa", [(Field::Nuls, Some(0))].into())
        .unwrap()
        .reenter("Bruno", [(Field::Nuls, Some(0))].into())
        .unwrap();
    let draft = ReturnDraft {
        turnout: None,
        tables: &[],
        correction: Some((&v1, "Un bulletin nul était blanc.".into())),
        ..draft(&de)
    };
    let v2 = SignedReturn::sign(&e, draft, &BUREAU_SECRET, SIGNED_AT).unwrap();
    assert_eq!((v2.body().pv.blancs, v2.body().pv.nuls), (Some(3), Some(0)));
    assert_eq!(
        v2.body().pv.voix,
        base.voix,
        "untouched fields come from v1"
    );
    v2.check(&e, &key(), Some(&v1)).unwrap();
}
