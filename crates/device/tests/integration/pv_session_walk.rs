//! A model-based walk through the PV session, like core's double-entry
//! walk: random steps (a keystroke's draft in any stage, the phone handed
//! over to one of three people, the second form left, an entry finished by
//! one of three people with figures that agree or not, a re-typing, a
//! discard, a restart, a write that fails, a reload), and after every step:
//! - the session read back from the disk alone holds exactly the entry this
//!   tab shows (no kept step lost, nothing shown that is not kept);
//! - every form the screen can show starts only from figures typed in its
//!   own stage: one typist's figures never reach the other's form;
//! - the first typist is never handed the phone for the second entry, the
//!   second form opens empty, and it is never open under her name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{Rng, election};
use futures_executor::block_on;
use pointage_core::{EntryStep, Field, Members, Phase};
use pointage_device::pv::{Draft, Stage};
use pointage_device::pv_session::{Edit, PvSession, Screen, Turn};
use pointage_device::{MemStore, WriteError};

const PEOPLE: [&str; 3] = ["Awa", "Bruno", "Chloé"];

/// The digit that tags every figure typed in a stage's draft: a draft's
/// figures say which stage they were typed in.
fn tag(stage: &Stage) -> char {
    match stage {
        Stage::First => '1',
        Stage::Second => '2',
        Stage::Redo(k) => match PEOPLE
            .iter()
            .position(|p| Stage::redo(p) == Stage::Redo(k.clone()))
        {
            Some(i) => char::from(b'3' + i as u8),
            None => '9',
        },
    }
}

/// A keystroke's draft in `stage`: every figure tagged with the stage.
fn draft(stage: &Stage, rng: &mut Rng) -> Draft {
    let t = tag(stage);
    Draft {
        name: PEOPLE[rng.below(3) as usize].into(),
        values: Field::entry_order(&election().candidates)
            .into_iter()
            .filter_map(|f| (rng.below(2) == 0).then(|| (f, format!("{t}{}", rng.below(100)))))
            .collect(),
        members: Members::default(),
        observations: String::new(),
    }
}

/// A whole entry: a PV that breaks no rule, with 0 or 1 blank ballot so
/// that two entries agree or differ.
fn typed(by: &str, blancs: u32) -> Draft {
    let a = 60 - blancs;
    Draft {
        name: by.into(),
        values: vec![
            (Field::Inscrits, "200".into()),
            (Field::Emargements, "100".into()),
            (Field::Enveloppes, "100".into()),
            (Field::Blancs, blancs.to_string()),
            (Field::Nuls, "0".into()),
            (Field::Voix("a".into()), a.to_string()),
            (Field::Voix("b".into()), "40".into()),
            (Field::Exprimes, (a + 40).to_string()),
        ],
        members: Members {
            president: "Awa Diallo".into(),
            secretaire: "Bruno Petit".into(),
            assesseurs: vec!["Chloé Martin".into(), "Djamel Haddad".into()],
        },
        observations: String::new(),
    }
}

/// The forms the screen can show now.
fn forms(pv: &PvSession) -> Vec<Turn> {
    match pv.screen() {
        Screen::First => vec![Turn::First],
        Screen::Second(first) => vec![Turn::Second(first)],
        Screen::Handover(_) => Vec::new(),
        Screen::Reconcile => match pv.entry().de.phase() {
            Phase::Reconciling { waiting_for, .. } => {
                waiting_for.into_iter().map(Turn::Redo).collect()
            }
            _ => Vec::new(),
        },
        Screen::Review | Screen::Signed => Vec::new(),
    }
}

fn open(s: &MemStore) -> PvSession {
    PvSession::open(s, &election().hash, "001").unwrap()
}

#[test]
fn a_random_evening_never_loses_a_kept_step_nor_shows_one_typists_figures_to_another() {
    let candidates = election().candidates;
    let (mut steps_kept, mut refused, mut failed) = (0, 0, 0);
    let (mut handed, mut not_handed, mut refused_same) = (0, 0, 0);
    for seed in 1..=150u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let disk = MemStore::new();
        let mut s = disk.disk().open();
        let mut pv = open(&s);
        for _ in 0..60 {
            let edit = match rng.below(12) {
                // A keystroke, in the stage on screen or any other.
                0..=2 => {
                    let stage = match forms(&pv).first() {
                        Some(m) if rng.below(4) > 0 => m.stage(),
                        _ => match rng.below(3) {
                            0 => Stage::First,
                            1 => Stage::Second,
                            _ => Stage::redo(PEOPLE[rng.below(3) as usize]),
                        },
                    };
                    Edit::Draft(stage.clone(), draft(&stage, &mut rng))
                }
                // An entry finished, or re-typed, by one of three people.
                3..=6 => {
                    let Some(mode) = forms(&pv).into_iter().next() else {
                        continue;
                    };
                    let by = match &mode {
                        Turn::Redo(n) => n.clone(),
                        // Named at the hand-over: what the form keeps.
                        Turn::Second(_) => pv.form(&mode, &candidates).start.name,
                        Turn::First => PEOPLE[rng.below(3) as usize].into(),
                    };
                    match pv.typed_step(&mode, &typed(&by, rng.below(2) as u32), &candidates) {
                        Ok(step) => Edit::Step(step),
                        Err(_) => continue,
                    }
                }
                7 => Edit::Step(EntryStep::Discard {
                    by: PEOPLE[rng.below(3) as usize].into(),
                }),
                8 => Edit::Step(EntryStep::Restart),
                // The phone handed to one of three people, first typist
                // included.
                9 => {
                    let Screen::Handover(first) = pv.screen() else {
                        continue;
                    };
                    let to = PEOPLE[rng.below(3) as usize];
                    match pv.hand_over(to) {
                        Ok(edit) => {
                            assert_ne!(to, first, "seed {seed}: handed back to {first}");
                            handed += 1;
                            edit
                        }
                        Err(_) => {
                            assert_eq!(to, first, "seed {seed}");
                            not_handed += 1;
                            continue;
                        }
                    }
                }
                10 => Edit::leave_second(),
                // The tab reloads: everything comes from the disk.
                _ => {
                    s = disk.disk().open();
                    pv = open(&s);
                    continue;
                }
            };
            let fails = rng.below(8) == 0;
            if fails {
                s.fail_next_write(WriteError::Full);
            }
            let before = pv.entry().record.clone();
            let handing = matches!(&edit, Edit::Draft(Stage::Second, d) if d.values.is_empty())
                && matches!(pv.screen(), Screen::Handover(_));
            let second_step = matches!(&edit, Edit::Step(EntryStep::Second { .. }));
            match block_on(pv.store().edit(&s, pv.version(), edit)) {
                Ok(entry) => {
                    assert!(!fails, "seed {seed}: a failed write was acknowledged");
                    pv.edited(entry);
                    steps_kept += 1;
                    if handing {
                        // The second form opens empty, named.
                        let start = pv.form(&forms(&pv)[0], &candidates).start;
                        assert!(start.values.is_empty(), "seed {seed}: {start:?}");
                    }
                }
                Err(e) => {
                    if fails {
                        failed += 1;
                    } else {
                        refused += 1;
                    }
                    assert_eq!(pv.entry().record, before, "seed {seed}");
                    // A second entry is never refused as the first typist's:
                    // a second form named so is the hand-over again.
                    assert!(
                        !(second_step
                            && e == pointage_device::pv_session::EditError::Refused(
                                pointage_core::TransitionError::SamePerson,
                            )),
                        "seed {seed}: a second form was open to the first typist"
                    );
                }
            }
            // The blind form is never open to the first typist: a second
            // draft under her name (as a previous app kept) is the
            // hand-over again.
            let second = pv.entry().record.drafts.get(&Stage::Second);
            match (pv.screen(), pv.entry().de.phase()) {
                (Screen::Second(first), _) => {
                    let by = &second.expect("a second form has its draft").name;
                    assert!(
                        !pointage_core::names::same_person(&first, by),
                        "seed {seed}: {first}'s second form"
                    );
                }
                (Screen::Handover(first), _) if second.is_some_and(|d| d.name == first) => {
                    refused_same += 1;
                }
                _ => {}
            }
            // What this tab shows is what the disk holds.
            let back = open(&disk.disk().open());
            assert_eq!(back.entry().record, pv.entry().record, "seed {seed}");
            assert_eq!(back.screen(), pv.screen(), "seed {seed}");
            // Each form starts only from figures typed in its own stage.
            for mode in forms(&pv) {
                // Which stage the form is, by what it is for (not by the
                // session's own mapping to stages, which this checks).
                let want = tag(&match &mode {
                    Turn::First => Stage::First,
                    Turn::Second(_) => Stage::Second,
                    Turn::Redo(n) => Stage::redo(n),
                });
                for (f, v) in pv.form(&mode, &candidates).start.values {
                    assert!(
                        v.starts_with(want),
                        "seed {seed}: the {mode:?} form starts with {f:?} = {v}"
                    );
                }
            }
        }
    }
    // The walk went everywhere it should: entries kept, refusals, failures.
    assert!(steps_kept > 2_000, "{steps_kept}");
    assert!(refused > 50, "{refused}");
    assert!(failed > 200, "{failed}");
    assert!(handed > 100 && not_handed > 50, "{handed} {not_handed}");
    assert!(refused_same > 0, "{refused_same}");
}
