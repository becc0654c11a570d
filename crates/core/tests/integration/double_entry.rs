//! Blind double entry: scenarios, and a property walk over random sequences of
//! steps checking that it never agrees on different entries and never shows a
//! person anything but their own entry.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use pointage_core::{
    DoubleEntry, EntryStep, Field, Figure, NotAFigure, Phase, ProcesVerbal, TransitionError,
};
use std::collections::{BTreeMap, BTreeSet};

fn pv(blancs: u32, voix_a: u32) -> ProcesVerbal {
    ProcesVerbal {
        emargements: Some(100),
        enveloppes: Some(100),
        blancs: Some(blancs),
        nuls: Some(0),
        exprimes: Some(100 - blancs),
        voix: [("a".to_owned(), Some(voix_a))].into(),
        ..ProcesVerbal::default()
    }
}

fn values(pairs: &[(Field, u64)]) -> BTreeMap<Field, Figure> {
    pairs.iter().map(|(f, v)| (f.clone(), Some(*v))).collect()
}

#[test]
fn two_equal_entries_agree() {
    let de = DoubleEntry::new()
        .finish_first("Awa", pv(2, 98))
        .unwrap()
        .finish_second("Bruno", pv(2, 98))
        .unwrap();
    assert_eq!(de.phase(), Phase::Agreed);
    assert_eq!(de.agreed(), Some(&pv(2, 98)));
}

#[test]
fn the_second_entry_needs_a_different_person() {
    let de = DoubleEntry::new().finish_first("Awa", pv(2, 98)).unwrap();
    assert_eq!(
        de.clone().finish_second(" awa ", pv(2, 98)),
        Err(TransitionError::SamePerson)
    );
    assert_eq!(
        de.clone().finish_second("  ", pv(2, 98)),
        Err(TransitionError::NoName)
    );
    assert_eq!(
        de.finish_first("Bruno", pv(2, 98)),
        Err(TransitionError::WrongPhase)
    );
}

#[test]
fn the_same_person_under_another_spelling_cannot_check_their_own_entry() {
    let de = DoubleEntry::new()
        .finish_first("Claire Dupont", pv(2, 98))
        .unwrap();
    // Inner spaces, a no-break space, a zero-width space, full-width
    // letters: the same person (DOMAIN.md).
    for other in [
        " claire  DUPONT ",
        "Claire\u{00A0}Dupont",
        "Clai\u{200B}re Dupont",
        "Ｃｌａｉｒｅ Ｄｕｐｏｎｔ",
    ] {
        assert_eq!(
            de.clone().finish_second(other, pv(2, 98)),
            Err(TransitionError::SamePerson),
            "{other:?}"
        );
    }
    assert_eq!(
        de.clone().finish_second("\u{200B}\u{00A0}", pv(2, 98)),
        Err(TransitionError::NoName)
    );
    assert!(de.finish_second("Claire Dupond", pv(2, 98)).is_ok());
}

#[test]
fn a_difference_names_only_the_fields_and_both_retype_them_blind() {
    let de = DoubleEntry::new()
        .finish_first("Awa", pv(2, 98))
        .unwrap()
        .finish_second("Bruno", pv(3, 97))
        .unwrap();
    let diff: BTreeSet<Field> = [Field::Blancs, Field::Exprimes, Field::Voix("a".into())].into();
    assert_eq!(
        de.phase(),
        Phase::Reconciling {
            fields: diff.clone(),
            waiting_for: vec!["Awa".into(), "Bruno".into()]
        }
    );
    // Each sees only their own entry.
    assert_eq!(de.own_entry("Bruno"), Some(&pv(3, 97)));
    assert_eq!(de.own_entry("Awa"), Some(&pv(2, 98)));
    assert_eq!(de.own_entry("Chloé"), None);

    let agreed = values(&[
        (Field::Blancs, 3),
        (Field::Exprimes, 97),
        (Field::Voix("a".into()), 97),
    ]);
    assert_eq!(
        de.clone().reenter("Awa", values(&[(Field::Blancs, 3)])),
        Err(TransitionError::WrongFields)
    );
    assert_eq!(
        de.clone().reenter("Chloé", agreed.clone()),
        Err(TransitionError::NotAnEntrant)
    );
    let de = de.reenter("Awa", agreed.clone()).unwrap();
    assert_eq!(
        de.clone().reenter("awa", agreed.clone()),
        Err(TransitionError::AlreadyReentered)
    );
    assert!(
        matches!(de.phase(), Phase::Reconciling { ref waiting_for, .. } if waiting_for == &["Bruno"])
    );
    let de = de.reenter("Bruno", agreed).unwrap();
    assert_eq!(de.agreed(), Some(&pv(3, 97)));
}

#[test]
fn retyping_that_still_differs_loops_on_the_remaining_fields() {
    let de = DoubleEntry::new()
        .finish_first("Awa", pv(2, 98))
        .unwrap()
        .finish_second("Bruno", pv(3, 97))
        .unwrap();
    let awa = values(&[
        (Field::Blancs, 3),
        (Field::Exprimes, 97),
        (Field::Voix("a".into()), 97),
    ]);
    let bruno = values(&[
        (Field::Blancs, 3),
        (Field::Exprimes, 97),
        (Field::Voix("a".into()), 96),
    ]);
    let de = de
        .reenter("Awa", awa)
        .unwrap()
        .reenter("Bruno", bruno)
        .unwrap();
    assert_eq!(
        de.phase(),
        Phase::Reconciling {
            fields: [Field::Voix("a".into())].into(),
            waiting_for: vec!["Awa".into(), "Bruno".into()]
        }
    );
}

#[test]
fn a_discarded_entry_is_typed_again_by_someone_else() {
    let de = DoubleEntry::new()
        .finish_first("Awa", pv(2, 98))
        .unwrap()
        .finish_second("Bruno", pv(3, 97))
        .unwrap()
        .discard("Awa")
        .unwrap();
    assert_eq!(
        de.phase(),
        Phase::AwaitingSecond {
            first_by: "Bruno".into()
        }
    );
    assert_eq!(de.own_entry("Awa"), None);
    assert_eq!(de.entrants(), None);
    let de = de.finish_second("Chloé", pv(3, 97)).unwrap();
    assert_eq!(de.agreed(), Some(&pv(3, 97)));
    // Bruno's entry, kept, is now the first.
    assert_eq!(de.entrants(), Some(("Bruno", "Chloé")));
    assert_eq!(
        DoubleEntry::new().discard("Awa"),
        Err(TransitionError::WrongPhase)
    );
}

#[test]
fn a_retyped_figure_too_large_for_a_count_is_refused() {
    let de = DoubleEntry::new()
        .finish_first("Awa", pv(2, 98))
        .unwrap()
        .finish_second("Bruno", pv(2, 97))
        .unwrap();
    let huge = values(&[(Field::Voix("a".into()), u64::from(u32::MAX) + 1)]);
    assert_eq!(de.reenter("Awa", huge), Err(TransitionError::TooLarge));
}

#[test]
fn stored_steps_rebuild_the_entry_and_a_tampered_step_is_named() {
    let steps = vec![
        EntryStep::First {
            by: "Awa".into(),
            pv: pv(2, 98),
        },
        EntryStep::Second {
            by: "Bruno".into(),
            pv: pv(3, 97),
        },
        EntryStep::Reenter {
            by: "Bruno".into(),
            values: vec![
                (Field::Blancs, Some(2)),
                (Field::Exprimes, Some(98)),
                (Field::Voix("a".into()), Some(98)),
            ],
        },
    ];
    let json = serde_json::to_string(&steps).unwrap();
    let back: Vec<EntryStep> = serde_json::from_str(&json).unwrap();
    let de = DoubleEntry::replay(&back).unwrap();
    assert_eq!(
        de.phase(),
        Phase::Reconciling {
            fields: [Field::Blancs, Field::Exprimes, Field::Voix("a".into())].into(),
            waiting_for: vec!["Awa".into()],
        }
    );
    // Awa re-types as Bruno did: they agree.
    let mut more = back.clone();
    more.push(EntryStep::Reenter {
        by: "Awa".into(),
        values: vec![
            (Field::Blancs, Some(2)),
            (Field::Exprimes, Some(98)),
            (Field::Voix("a".into()), Some(98)),
        ],
    });
    assert_eq!(
        DoubleEntry::replay(&more).unwrap().agreed(),
        Some(&pv(2, 98))
    );
    // A second entry stored under the first person's name is refused, and
    // the step is named.
    let mut tampered = back;
    tampered[1] = EntryStep::Second {
        by: "awa".into(),
        pv: pv(3, 97),
    };
    assert_eq!(
        DoubleEntry::replay(&tampered),
        Err((1, TransitionError::SamePerson))
    );
    // Restart drops both entries, from any phase.
    more.push(EntryStep::Restart);
    assert_eq!(
        DoubleEntry::replay(&more).unwrap().phase(),
        Phase::AwaitingFirst
    );
}

#[test]
fn an_entry_flags_what_is_empty_never_taking_it_for_zero() {
    let candidates = vec![
        pointage_core::Candidate {
            id: "b".into(),
            panel: 2,
            name: "B".into(),
        },
        pointage_core::Candidate {
            id: "a".into(),
            panel: 1,
            name: "A".into(),
        },
    ];
    // The paper form's order, candidates by panel number.
    assert_eq!(
        Field::entry_order(&candidates),
        vec![
            Field::Inscrits,
            Field::Emargements,
            Field::Enveloppes,
            Field::Blancs,
            Field::Nuls,
            Field::Voix("a".into()),
            Field::Voix("b".into()),
            Field::Exprimes,
            Field::Contributions,
        ]
    );
    let mut typed = pv(0, 100);
    typed.nuls = None;
    typed.voix.insert("b".into(), None);
    // Inscrits and contributions may stay empty; a 0 is typed, not empty.
    assert_eq!(
        typed.empty_required(&candidates),
        vec![Field::Nuls, Field::Voix("b".into())]
    );
    assert!(Field::Inscrits.optional() && Field::Contributions.optional());
    assert!(!Field::Blancs.optional());
}

#[cfg(not(target_arch = "wasm32"))]
mod walk {
    use super::*;
    use proptest::prelude::*;

    const PEOPLE: [&str; 3] = ["Awa", "Bruno", "Chloé"];

    /// A random step: (kind, person, choice).
    fn steps() -> impl Strategy<Value = Vec<(u8, usize, u8)>> {
        prop::collection::vec((0u8..4, 0usize..3, 0u8..4), 1..40)
    }

    proptest! {
        #[test]
        fn never_agrees_on_different_entries_and_never_shows_another_entry(steps in steps()) {
            let pool = [pv(2, 98), pv(3, 97), pv(2, 97), pv(3, 98)];
            let mut de = DoubleEntry::new();
            // What each person last typed, figure by figure: the model.
            let mut typed: BTreeMap<&str, ProcesVerbal> = BTreeMap::new();
            // Re-typed values not yet applied (the other has not re-typed).
            let mut pending: BTreeMap<&str, BTreeMap<Field, Figure>> = BTreeMap::new();
            let mut accepted: Vec<EntryStep> = Vec::new();
            for (kind, who, choice) in steps {
                let person = PEOPLE[who];
                let before = de.clone();
                let fields = match de.phase() {
                    Phase::Reconciling { fields, .. } => fields,
                    _ => BTreeSet::from([Field::Blancs]),
                };
                let retyped: BTreeMap<Field, Figure> =
                    fields.iter().map(|f| (f.clone(), Some(u64::from(choice % 2) + 96))).collect();
                let by = person.to_owned();
                let step = match kind {
                    0 => EntryStep::First { by, pv: pool[choice as usize].clone() },
                    1 => EntryStep::Second { by, pv: pool[choice as usize].clone() },
                    2 => EntryStep::Reenter { by, values: retyped.clone().into_iter().collect() },
                    _ => EntryStep::Discard { by },
                };
                let Ok(next) = de.clone().step(&step) else { continue };
                accepted.push(step);
                match kind {
                    0 | 1 => { typed.insert(person, pool[choice as usize].clone()); }
                    2 => {
                        pending.insert(person, retyped);
                        let completes = matches!(before.phase(), Phase::Reconciling { waiting_for, .. } if waiting_for.len() == 1);
                        if completes {
                            for (p, vals) in std::mem::take(&mut pending) {
                                let entry = typed.get_mut(p).expect("an entrant typed before");
                                for (f, v) in vals {
                                    entry.set_figure(&f, v).unwrap();
                                }
                            }
                        }
                    }
                    _ => {
                        typed.remove(person);
                        pending.clear();
                    }
                }
                // Agreement only between equal figures.
                if let Some(agreed) = next.agreed()
                    && before.agreed().is_none()
                {
                    let first = match before.phase() {
                        Phase::AwaitingSecond { first_by } => before.own_entry(&first_by).cloned(),
                        _ => None,
                    };
                    if let Some(first) = first {
                        prop_assert_eq!(first.figures(), agreed.figures());
                    }
                    if let Phase::Reconciling { .. } = before.phase() {
                        prop_assert!(kind == 2);
                    }
                    // Both entrants' figures, as they typed them, equal
                    // the agreed ones.
                    prop_assert_eq!(typed.len(), 2);
                    for entry in typed.values() {
                        prop_assert_eq!(entry.figures(), agreed.figures());
                    }
                }
                // Each person sees their own entry or nothing.
                for p in PEOPLE {
                    if let Some(own) = next.own_entry(p) {
                        prop_assert_eq!(Some(own), typed.get(p), "{} sees an entry not theirs", p);
                    }
                }
                de = next;
            }
            // What a device stores (the accepted steps, as JSON) rebuilds
            // exactly this entry.
            let stored = serde_json::to_string(&accepted).unwrap();
            let steps: Vec<EntryStep> = serde_json::from_str(&stored).unwrap();
            prop_assert_eq!(DoubleEntry::replay(&steps), Ok(de));
        }
    }
}

#[test]
fn typed_figures_are_read_and_nothing_is_guessed() {
    let count = Field::Blancs;
    assert_eq!(count.parse(""), Ok(None));
    assert_eq!(count.parse("  "), Ok(None));
    assert_eq!(count.parse("0"), Ok(Some(0)));
    assert_eq!(count.parse("1 787"), Ok(Some(1787)));
    assert_eq!(count.parse("1\u{202f}787"), Ok(Some(1787)));
    assert_eq!(count.parse("4294967295"), Ok(Some(u64::from(u32::MAX))));
    for bad in ["-1", "12a", "1,5", "1.5", "+3", "½"] {
        assert_eq!(
            count.parse(bad),
            Err(NotAFigure::NotANumber),
            "{bad:?} is not a count"
        );
    }
    // Digits, but too many: said as too large, not as "not digits".
    for big in [
        "4294967296",
        "12345678901234567890",
        "123456789012345678901234",
    ] {
        assert_eq!(count.parse(big), Err(NotAFigure::TooLarge), "{big:?}");
    }
    // The counting screen reads its counts with the same function.
    assert_eq!(pointage_core::pv::parse_count("1 787"), Ok(Some(1787)));
    assert_eq!(pointage_core::pv::parse_count(""), Ok(None));
    assert!(pointage_core::pv::parse_count("4294967296").is_err());
    let euros = Field::Contributions;
    assert_eq!(euros.parse("152,50"), Ok(Some(15_250)));
    assert_eq!(euros.parse("152.5"), Ok(Some(15_250)));
    assert_eq!(euros.parse("152 €"), Ok(Some(15_200)));
    assert_eq!(euros.parse("0,07"), Ok(Some(7)));
    for bad in ["1,234", ",50", "12,", "1.2.3", "abc"] {
        assert!(euros.parse(bad).is_err(), "{bad:?} is not an amount");
    }
    assert_eq!(
        euros.parse("99999999999999999999"),
        Err(NotAFigure::TooLarge)
    );
}
