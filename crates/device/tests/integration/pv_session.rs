//! The PV session, as the screens use it: which screen, what a form asks
//! and starts from, what typed text becomes (or why not), the comparison's
//! entrants named once, edits applied to the entry as stored, the hand-over
//! between the typists (the review and corrections: `pv_review.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_executor::block_on;
use pointage_core::{EntryStep, Field, RuleCode, TextField, TransitionError};
use pointage_device::pv::{Draft, PvStore, Stage};
use pointage_device::pv_session::{Edit, EditError, Entrant, EntryError, Screen, Turn};
use pointage_device::{MemStore, WriteError};
use std::collections::BTreeMap;

use crate::common::election;
use crate::common::pv::*;

#[test]
fn the_screens_follow_the_double_entry_to_the_signed_version_and_a_reload_finds_each() {
    let s = MemStore::new();
    let mut pv = open(&s);
    assert_eq!(pv.screen(), Screen::First);
    enter(&s, &mut pv, &Turn::First, &typed("Awa", "2"));
    // Awa hands the phone over: a screen of its own, after a reload too,
    // until the second person gives their name.
    assert_eq!(pv.screen(), Screen::Handover("Awa".into()));
    assert_eq!(
        open(&s.disk().open()).screen(),
        Screen::Handover("Awa".into())
    );
    let here = pv.hand_over("Bruno").unwrap();
    edit(&s, &mut pv, here).unwrap();
    assert_eq!(pv.screen(), Screen::Second("Awa".into()));
    assert_eq!(
        open(&s.disk().open()).screen(),
        Screen::Second("Awa".into())
    );
    enter(
        &s,
        &mut pv,
        &Turn::Second("Awa".into()),
        &typed("Bruno", "3"),
    );
    assert_eq!(pv.screen(), Screen::Reconcile);
    enter(&s, &mut pv, &Turn::Redo("Awa".into()), &typed("Awa", "2"));
    enter(
        &s,
        &mut pv,
        &Turn::Redo("Bruno".into()),
        &typed("Bruno", "2"),
    );
    assert_eq!(pv.screen(), Screen::Review);
    assert_eq!(open(&s.disk().open()).screen(), Screen::Review);
    sign(&s, &mut pv, &WORKS).unwrap();
    assert_eq!(pv.screen(), Screen::Signed);
    assert_eq!(pv.version(), 2);
    let back = open(&s.disk().open());
    assert_eq!(back.screen(), Screen::Signed);
    assert_eq!(back.returns().len(), 1);
    // What was typed, trimmed: the members without the blank assesseur.
    let body = back.returns()[0].body();
    assert_eq!(body.pv.members.president, "Awa Diallo");
    assert_eq!(body.pv.members.assesseurs, vec!["Chloé", "Djamel"]);
    assert_eq!(body.pv.observations, "RAS.");
}

#[test]
fn a_form_starts_from_its_own_stage_draft_never_from_the_other_typists() {
    let s = MemStore::new();
    let mut pv = open(&s);
    let candidates = election().candidates;
    let half = Draft {
        name: "Awa".into(),
        values: vec![(Field::Blancs, "7".into())],
        ..Draft::default()
    };
    edit(&s, &mut pv, Edit::Draft(Stage::First, half.clone())).unwrap();
    // A reload brings her draft back in her form.
    let back = open(&s.disk().open());
    assert_eq!(back.form(&Turn::First, &candidates).start, half);
    enter(&s, &mut pv, &Turn::First, &typed("Awa", "2"));
    // Her entry is kept, her draft gone: the second form starts empty, on
    // this tab and after a reload, and the stored entry holds no draft.
    for p in [&pv, &open(&s.disk().open())] {
        let form = p.form(&Turn::Second("Awa".into()), &candidates);
        assert_eq!(form.start, Draft::default());
        assert!(p.entry().record.drafts.is_empty());
    }
    assert!(!pv.form(&Turn::Second("Awa".into()), &candidates).with_text);
}

#[test]
fn a_late_keystroke_of_the_first_typist_neither_undoes_her_entry_nor_reaches_the_second() {
    let s = MemStore::new();
    let mut pv = open(&s);
    let version = pv.version();
    let store = pv.store().clone();
    // The keystroke's draft and the finished entry were both asked before
    // either was kept: the step is written first, then the draft.
    let step = pv
        .typed_step(&Turn::First, &typed("Awa", "2"), &election().candidates)
        .unwrap();
    let late = Draft {
        name: "Awa".into(),
        values: vec![(Field::Blancs, "9".into())],
        ..Draft::default()
    };
    let (a, b) = block_on(async {
        let a = store.edit(&s, version, Edit::Step(step));
        let b = store.edit(&s, version, Edit::Draft(Stage::First, late));
        (a.await, b.await)
    });
    a.unwrap();
    pv.edited(b.unwrap());
    let back = open(&s.disk().open());
    for p in [&pv, &back] {
        assert_eq!(p.screen(), Screen::Handover("Awa".into()));
        assert!(
            p.entry().record.drafts.is_empty(),
            "{:?}",
            p.entry().record.drafts
        );
    }
}

#[test]
fn what_was_typed_is_refused_with_its_cause_and_nothing_is_stored() {
    let s = MemStore::new();
    let pv = open(&s);
    let c = election().candidates;
    // No name: empty, spaces, or only an invisible character.
    for name in ["", "   ", "\u{200b}"] {
        assert_eq!(
            pv.typed_step(&Turn::First, &typed(name, "2"), &c),
            Err(EntryError::NoName)
        );
    }
    // Figures not numbers, too large, and empty ones, each named in the
    // form's order.
    let mut d = typed("Awa", "deux");
    d.values
        .retain(|(f, _)| *f != Field::Nuls && *f != Field::Exprimes);
    d.values.retain(|(f, _)| *f != Field::Voix("a".into()));
    d.values
        .push((Field::Voix("a".into()), "99999999999".into()));
    d.values
        .push((Field::Exprimes, "12345678901234567890".into()));
    assert_eq!(
        pv.typed_step(&Turn::First, &d, &c),
        Err(EntryError::Figures {
            not_numbers: vec![Field::Blancs],
            too_large: vec![Field::Voix("a".into()), Field::Exprimes],
            empty: vec![Field::Nuls],
        })
    );
    // Inscrits may be left empty (an open primary); contributions too.
    let mut d = typed("Awa", "2");
    d.values.retain(|(f, _)| *f != Field::Inscrits);
    assert!(pv.typed_step(&Turn::First, &d, &c).is_ok());
    // Texts over the limit of a return, by field and size.
    let mut d = typed("Awa", "2");
    d.observations = "é".repeat(2001);
    assert_eq!(
        pv.typed_step(&Turn::First, &d, &c),
        Err(EntryError::TextTooLong(TextField::Observations, 4002))
    );
    let long = "A".repeat(4001);
    assert_eq!(
        pv.typed_step(&Turn::First, &typed(&long, "2"), &c),
        Err(EntryError::TextTooLong(TextField::Entrant, 4001))
    );
    assert_eq!(open(&s.disk().open()).entry().record.steps.len(), 0);
    assert_eq!(s.disk().len(), 0);
}

#[test]
fn the_same_person_under_another_spelling_is_refused_as_second_typist() {
    let s = MemStore::new();
    let mut pv = open(&s);
    enter(&s, &mut pv, &Turn::First, &typed("Claire Dupont", "2"));
    let c = election().candidates;
    assert_eq!(
        pv.hand_over(" claire  DUPONT "),
        Err(pointage_device::pv_session::SecondEntrantError::SamePerson)
    );
    // A step that went round the hand-over is refused by core all the same.
    let Ok(EntryStep::First { pv: typed_pv, .. }) =
        pv.typed_step(&Turn::First, &typed("x", "2"), &c)
    else {
        panic!("a first entry's step");
    };
    let step = EntryStep::Second {
        by: " claire  DUPONT ".into(),
        pv: typed_pv,
    };
    assert_eq!(
        edit(&s, &mut pv, Edit::Step(step)),
        Err(EditError::Refused(TransitionError::SamePerson))
    );
    assert_eq!(
        open(&s.disk().open()).screen(),
        Screen::Handover("Claire Dupont".into())
    );
}

#[test]
fn an_entrant_who_re_enters_as_bob_instead_of_bob_is_listed_once_and_still_waiting() {
    let s = MemStore::new();
    let mut pv = open(&s);
    let c = election().candidates;
    enter(&s, &mut pv, &Turn::First, &typed("Awa", "2"));
    enter(&s, &mut pv, &Turn::Second("Awa".into()), &typed("Bob", "3"));
    edit(
        &s,
        &mut pv,
        Edit::Step(EntryStep::Discard { by: "Bob".into() }),
    )
    .unwrap();
    enter(&s, &mut pv, &Turn::Second("Awa".into()), &typed("bob", "4"));
    let d = pv.differing(&c).unwrap();
    assert_eq!(d.fields, vec![Field::Blancs]);
    assert_eq!(
        d.entrants,
        vec![
            Entrant {
                name: "Awa".into(),
                waiting: true
            },
            Entrant {
                name: "Bob".into(),
                waiting: true
            },
        ]
    );
    // His re-typing draft is one draft, however his name is spelt.
    assert_eq!(
        Turn::Redo("Bob".into()).stage(),
        Turn::Redo(" bob ".into()).stage()
    );
    let draft = Draft {
        name: "Bob".into(),
        values: vec![(Field::Blancs, "3".into())],
        ..Draft::default()
    };
    edit(
        &s,
        &mut pv,
        Edit::Draft(Turn::Redo("Bob".into()).stage(), draft.clone()),
    )
    .unwrap();
    assert_eq!(
        open(&s.disk().open())
            .form(&Turn::Redo("bob".into()), &c)
            .start,
        draft
    );
    // Once he has re-typed, he is no longer waiting; Awa still is.
    enter(&s, &mut pv, &Turn::Redo("bob".into()), &typed("bob", "2"));
    let waiting: Vec<bool> = pv
        .differing(&c)
        .unwrap()
        .entrants
        .iter()
        .map(|e| e.waiting)
        .collect();
    assert_eq!(waiting, vec![true, false]);
}

#[test]
fn a_draft_stored_under_an_older_spelling_of_the_stage_is_read_as_that_stage() {
    let s = MemStore::new();
    let store = PvStore::new(&election().hash, "001");
    let text = r#"{"version":1,"drafts":{"redo:Bob":{"name":"Bob","values":[],"members":{"president":"","secretaire":"","assesseurs":[]},"observations":""}}}"#;
    s.disk().set_raw(
        pointage_device::Key::Entry {
            election: election().hash,
            bureau: "001".into(),
        },
        Some(text.into()),
    );
    let entry = store.load(&s.disk().open()).unwrap().entry;
    let stages: Vec<&Stage> = entry.drafts.keys().collect();
    assert_eq!(stages, vec![&Stage::redo("bob")]);
}

#[test]
fn a_refused_step_and_a_failed_write_change_nothing() {
    let s = MemStore::new();
    let mut pv = open(&s);
    assert_eq!(
        edit(
            &s,
            &mut pv,
            Edit::Step(EntryStep::Discard { by: "Awa".into() })
        ),
        Err(EditError::Refused(TransitionError::WrongPhase))
    );
    let step = pv
        .typed_step(&Turn::First, &typed("Awa", "2"), &election().candidates)
        .unwrap();
    s.fail_next_write(WriteError::Full);
    assert_eq!(
        edit(&s, &mut pv, Edit::Step(step)),
        Err(EditError::Write(WriteError::Full))
    );
    assert_eq!(pv.screen(), Screen::First);
    assert_eq!(open(&s.disk().open()).screen(), Screen::First);
}

/// Claire, the first typist, keeps the phone by mistake: the hand-over asks
/// the second person's name before the blind form opens and refuses hers
/// under any spelling; when an entry is refused all the same, what she
/// typed is dropped, and the form that opens for Mehdi is empty.
#[test]
fn the_first_typist_is_stopped_at_the_hand_over_and_nothing_of_hers_reaches_the_second() {
    use pointage_device::pv_session::SecondEntrantError;
    let s = MemStore::new();
    let mut pv = open(&s);
    let candidates = election().candidates;
    enter(&s, &mut pv, &Turn::First, &typed("Claire Dupont", "2"));
    assert_eq!(pv.screen(), Screen::Handover("Claire Dupont".into()));
    for claire in [
        "Claire Dupont",
        " claire  DUPONT ",
        "Clai\u{200B}re Dupont",
        "\u{0421}laire Dupont",
    ] {
        assert_eq!(
            pv.hand_over(claire),
            Err(SecondEntrantError::SamePerson),
            "{claire:?}"
        );
    }
    for blank in ["", "  ", "\u{200B}\u{3164}"] {
        assert_eq!(
            pv.hand_over(blank),
            Err(SecondEntrantError::NoName),
            "{blank:?}"
        );
    }
    assert_eq!(pv.screen(), Screen::Handover("Claire Dupont".into()));

    // A form opened under another name that Claire fills all the same:
    // leaving it drops her figures with the name.
    let here = pv.hand_over("Mehdi Haddad").unwrap();
    edit(&s, &mut pv, here).unwrap();
    let second = Turn::Second("Claire Dupont".into());
    assert_eq!(pv.form(&second, &candidates).start.name, "Mehdi Haddad");
    let mut hers = typed("Mehdi Haddad", "9");
    edit(&s, &mut pv, Edit::Draft(Stage::Second, hers.clone())).unwrap();
    edit(&s, &mut pv, Edit::leave_second()).unwrap();
    assert_eq!(pv.screen(), Screen::Handover("Claire Dupont".into()));
    let here = pv.hand_over("Mehdi Haddad").unwrap();
    edit(&s, &mut pv, here).unwrap();
    let start = pv.form(&second, &candidates).start;
    assert!(start.values.is_empty(), "{start:?}");
    assert_eq!(start.name, "Mehdi Haddad");
    // Whatever name the page sends, the step is the one named at the
    // hand-over's.
    hers.name = "Claire Dupont".into();
    match pv.typed_step(&second, &hers, &candidates) {
        Ok(EntryStep::Second { by, .. }) => assert_eq!(by, "Mehdi Haddad"),
        other => panic!("{other:?}"),
    }
    // After a reload too, the form is Mehdi's and empty.
    let back = open(&s.disk().open());
    assert_eq!(back.screen(), Screen::Second("Claire Dupont".into()));
    assert!(back.form(&second, &candidates).start.values.is_empty());
}

/// A phone updated mid-evening may hold a second draft the previous app
/// kept: Claire's own name and figures in the blind form. It is the
/// hand-over again, and the name given there replaces that draft whole.
#[test]
fn a_second_draft_under_the_first_typists_name_is_the_hand_over_again() {
    let s = MemStore::new();
    let mut pv = open(&s);
    let candidates = election().candidates;
    enter(&s, &mut pv, &Turn::First, &typed("Claire Dupont", "2"));
    edit(
        &s,
        &mut pv,
        Edit::Draft(Stage::Second, typed("claire dupont", "9")),
    )
    .unwrap();
    assert_eq!(pv.screen(), Screen::Handover("Claire Dupont".into()));
    edit(&s, &mut pv, Edit::Draft(Stage::Second, typed("", "9"))).unwrap();
    assert_eq!(pv.screen(), Screen::Handover("Claire Dupont".into()));
    let here = pv.hand_over("Mehdi Haddad").unwrap();
    edit(&s, &mut pv, here).unwrap();
    let start = pv
        .form(&Turn::Second("Claire Dupont".into()), &candidates)
        .start;
    assert!(start.values.is_empty(), "{start:?}");
}

#[test]
fn only_a_newer_draft_of_the_same_stage_or_newer_explanations_replace_a_waiting_edit() {
    let draft = |stage: Stage, name: &str| Edit::Draft(stage, typed(name, "2"));
    let explain = |text: &str| Edit::Explain(BTreeMap::from([(RuleCode::W1, text.to_owned())]));
    assert!(draft(Stage::First, "Awa B").replaces(&draft(Stage::First, "Awa")));
    assert!(explain("deux").replaces(&explain("de")));
    // A draft of another stage, or of another entrant's re-typing, is
    // kept as well: both must reach the disk.
    assert!(!draft(Stage::Second, "Bruno").replaces(&draft(Stage::First, "Awa")));
    assert!(!draft(Stage::redo("Awa"), "Awa").replaces(&draft(Stage::redo("Bruno"), "Bruno")));
    // Nothing replaces a step, and a step replaces nothing.
    let step = Edit::Step(EntryStep::Restart);
    assert!(!draft(Stage::First, "Awa").replaces(&step));
    assert!(!step.replaces(&draft(Stage::First, "Awa")));
    assert!(!explain("x").replaces(&draft(Stage::First, "Awa")));
    assert!(!draft(Stage::First, "Awa").replaces(&Edit::DropDraft(Stage::First)));
}
