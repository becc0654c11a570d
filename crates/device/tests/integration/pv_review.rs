//! The PV session's review and corrections: the rules found and each
//! explanation started from what was typed (or from the version a
//! correction replaces), a broken rule detailed, a correction's reason and
//! fields, and signing through a signer that fails or signs as another.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_executor::block_on;
use pointage_core::rules::Severity;
use pointage_core::{Field, RuleCode};
use pointage_device::pv::Draft;
use pointage_device::pv_session::{CorrectionError, Edit, PvSignError, Screen, Turn};
use pointage_device::{MemStore, WriteError};
use std::collections::BTreeMap;

use crate::common::election;
use crate::common::pv::*;

#[test]
fn the_review_finds_the_rules_and_starts_each_explanation_from_what_was_typed() {
    let s = MemStore::new();
    let mut pv = open(&s);
    let e = election();
    let mut d = typed("Awa", "2");
    // 101 signatures for 100 envelopes: W1.
    d.values[1].1 = "101".into();
    enter_both(&s, &mut pv, &d);
    let r = pv.review(&e, None, &[], None).unwrap();
    assert!(!r.blocked());
    assert_eq!(r.explanations, vec![(RuleCode::W1, String::new())]);
    let mut why = BTreeMap::new();
    why.insert(RuleCode::W1, "Un électeur a signé deux fois.".to_owned());
    edit(&s, &mut pv, Edit::Explain(why)).unwrap();
    let back = open(&s.disk().open());
    assert_eq!(
        back.review(&e, None, &[], None).unwrap().explanations,
        vec![(RuleCode::W1, "Un électeur a signé deux fois.".to_owned())]
    );
    // A PV whose figures break a hard rule cannot be signed.
    let s = MemStore::new();
    let mut pv = open(&s);
    let mut d = typed("Awa", "2");
    d.values[7].1 = "97".into(); // exprimés ≠ the candidates' votes
    enter_both(&s, &mut pv, &d);
    let r = pv.review(&e, None, &[], None).unwrap();
    assert!(r.blocked());
    assert!(
        r.findings
            .iter()
            .any(|f| f.code.severity() == Severity::Error)
    );
}

#[test]
fn a_correction_names_its_reason_and_fields_and_can_be_left_before_anyone_enters_it() {
    let s = MemStore::new();
    let mut pv = agreed(&s);
    let c = election().candidates;
    sign(&s, &mut pv, &WORKS).unwrap();
    assert_eq!(
        pv.correction_of("  ", &[Field::Blancs], &c),
        Err(CorrectionError::NoReason)
    );
    assert_eq!(
        pv.correction_of(&"x".repeat(4001), &[Field::Blancs], &c),
        Err(CorrectionError::TooLong(4001))
    );
    assert_eq!(
        pv.correction_of("Erreur", &[], &c),
        Err(CorrectionError::NoFields)
    );
    let correction = pv
        .correction_of(" Erreur de report ", &[Field::Exprimes, Field::Blancs], &c)
        .unwrap();
    assert_eq!(correction.reason, "Erreur de report");
    assert_eq!(correction.fields, vec![Field::Blancs, Field::Exprimes]);
    edit(&s, &mut pv, Edit::Correct(correction.clone())).unwrap();
    let back = open(&s.disk().open());
    assert_eq!(back.screen(), Screen::First);
    assert_eq!(back.correction(), Some(&correction));
    // The correction's form asks only its fields, and starts from the
    // replaced version's names and observations (text, not figures).
    let form = back.form(&Turn::First, &c);
    assert_eq!(form.fields, vec![Field::Blancs, Field::Exprimes]);
    assert_eq!(form.start.members.president, "Awa Diallo");
    assert!(form.start.values.is_empty());
    edit(&s, &mut pv, Edit::CancelCorrection).unwrap();
    assert_eq!(open(&s.disk().open()).screen(), Screen::Signed);
}

#[test]
fn a_key_that_does_not_sign_or_signs_as_another_keeps_the_entry_and_stores_nothing() {
    let s = MemStore::new();
    let mut pv = agreed(&s);
    for signer in [
        TestSigner {
            secret: SECRET,
            works: false,
        },
        TestSigner {
            secret: [9; 32],
            works: true,
        },
    ] {
        assert_eq!(sign(&s, &mut pv, &signer), Err(PvSignError::KeyUnreadable));
        let back = open(&s.disk().open());
        assert_eq!(back.screen(), Screen::Review);
        assert!(back.returns().is_empty());
    }
    // A full storage: nothing signed is kept, the entry stays.
    s.fail_next_write(WriteError::Full);
    assert_eq!(
        sign(&s, &mut pv, &WORKS),
        Err(PvSignError::Write(WriteError::Full))
    );
    assert_eq!(open(&s.disk().open()).screen(), Screen::Review);
    sign(&s, &mut pv, &WORKS).unwrap();
    assert_eq!(open(&s.disk().open()).returns().len(), 1);
}

#[test]
fn the_review_details_a_broken_rule_with_the_definitions_inscrits_and_the_tallys_counts() {
    use pointage_core::{Mark, TallyEvent, TallyLog};
    use pointage_device::pv_session::Detail;
    let e = election();
    // The tally: 100 envelopes, 60 for a, 38 for b, 2 blancs; and a second
    // packet opened and never closed.
    let mut log = TallyLog::new(vec!["a".into(), "b".into()], [0; 32]);
    let mut events = vec![
        TallyEvent::ClosePolls {
            emargements: 101,
            enveloppes: 101,
            explanation: String::new(),
        },
        TallyEvent::OpenPacket {
            table: "T".into(),
            envelopes: 100,
        },
    ];
    events.extend((0..60).map(|_| TallyEvent::Mark(Mark::Candidate("a".into()))));
    events.extend((0..38).map(|_| TallyEvent::Mark(Mark::Candidate("b".into()))));
    events.extend((0..2).map(|_| TallyEvent::Mark(Mark::Blanc)));
    events.extend([
        TallyEvent::ClosePacket,
        TallyEvent::ConfirmPacket,
        TallyEvent::OpenPacket {
            table: "T".into(),
            envelopes: 1,
        },
    ]);
    for ev in events {
        log.append(ev).unwrap();
    }
    // The PV says 250 inscrits (the definition: 200) and 3 blancs, 59 for a.
    let s = MemStore::new();
    let mut pv = open(&s);
    let mut d = typed("Awa", "3");
    d.values[0].1 = "250".into();
    d.values[5].1 = "59".into();
    enter_both(&s, &mut pv, &d);
    let r = pv.review(&e, Some(&log), &[], None).unwrap();
    assert!(r.blocked());
    let of = |code: RuleCode| {
        let f = r.findings.iter().find(|f| f.code == code).expect("found");
        r.details(f)
    };
    assert_eq!(of(RuleCode::H4), vec![Detail::InscritsDefined(200)]);
    assert_eq!(
        of(RuleCode::H5),
        vec![
            Detail::TallyGap {
                field: Field::Blancs,
                counted: 2,
                typed: 3
            },
            Detail::TallyGap {
                field: Field::Voix("a".into()),
                counted: 60,
                typed: 59
            },
            Detail::PacketOpen(2),
        ]
    );
}

#[test]
fn a_correction_starts_each_warning_from_the_explanation_of_the_version_it_replaces() {
    let s = MemStore::new();
    let mut pv = open(&s);
    let e = election();
    let c = e.candidates.clone();
    // 5 blank ballots of 100: W2, explained.
    let mut d = typed("Awa", "5");
    d.values[5].1 = "57".into();
    d.values[7].1 = "95".into();
    enter_both(&s, &mut pv, &d);
    let why = "Une consigne de vote blanc a circulé.".to_owned();
    let explained: BTreeMap<RuleCode, String> = [(RuleCode::W2, why.clone())].into();
    let unsigned = pv
        .unsigned(&e, &key(), (None, &[]), None, explained, 1_800_000_000_000)
        .unwrap();
    let v1 = block_on(pv.store().sign(&s, &[], unsigned, &WORKS)).unwrap();
    pv.signed(v1);
    // Version 2 corrects the candidates' votes; W2 still stands.
    let correction = pv
        .correction_of(
            "Voix inversées.",
            &[Field::Voix("a".into()), Field::Voix("b".into())],
            &c,
        )
        .unwrap();
    edit(&s, &mut pv, Edit::Correct(correction)).unwrap();
    // As the correction's form starts: the replaced version's names.
    let start = pv.form(&Turn::First, &c).start;
    let fix = |name: &str| Draft {
        name: name.into(),
        values: vec![
            (Field::Voix("a".into()), "38".into()),
            (Field::Voix("b".into()), "57".into()),
        ],
        ..start.clone()
    };
    enter(&s, &mut pv, &Turn::First, &fix("Awa"));
    enter(&s, &mut pv, &Turn::Second("Awa".into()), &fix("Bruno"));
    let r = open(&s.disk().open()).review(&e, None, &[], None).unwrap();
    assert_eq!(r.explanations, vec![(RuleCode::W2, why)]);
}
