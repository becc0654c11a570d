//! Where each bureau stands and since when, and the wall's counts: late
//! only once a checkpoint's time has passed without its report, never
//! once the bureau has counted.

use pointage_core::board::{BureauFacts, Stage, Standing, standing, wall};
use pointage_core::day::rfc3339_ms;
use pointage_testkit::{bureau_code, election, with_day};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn at(e: &pointage_core::Election, time: &str) -> u64 {
    rfc3339_ms(&format!("{}T{time}:00+01:00", e.date())).unwrap()
}

#[test]
fn a_bureau_goes_from_enrolled_to_each_report_to_counted_and_is_late_only_when_a_time_passed() {
    let e = with_day(&election("b", 3, 2));
    let mut f = BureauFacts {
        code: bureau_code(0),
        ..BureauFacts::default()
    };
    let seven = at(&e, "07:00");
    assert_eq!(
        standing(&e, &f, seven),
        Standing {
            stage: Stage::NotEnrolled,
            since: None,
            late: None
        }
    );
    // Past 08:00 with no opening report: late for the opening.
    assert_eq!(
        standing(&e, &f, at(&e, "08:01")).late.as_deref(),
        Some("ouverture")
    );
    f.enrolled_at = Some(seven);
    assert_eq!(standing(&e, &f, seven).stage, Stage::Enrolled);
    f.reports.push(("ouverture".into(), at(&e, "07:55")));
    let noon = standing(&e, &f, at(&e, "11:59"));
    assert_eq!(
        noon,
        Standing {
            stage: Stage::Reported {
                checkpoint: "ouverture".into()
            },
            since: Some(at(&e, "07:55")),
            late: None
        }
    );
    assert_eq!(
        standing(&e, &f, at(&e, "12:01")).late.as_deref(),
        Some("12h")
    );
    // A report sent late still counts as reported: the next missed one is
    // the one said.
    f.reports.push(("12h".into(), at(&e, "12:30")));
    assert_eq!(standing(&e, &f, at(&e, "16:00")).late, None);
    assert_eq!(
        standing(&e, &f, at(&e, "18:00")).late.as_deref(),
        Some("17h")
    );
    // Counted: never late, since its first return; a correction moves it.
    f.returns.push(at(&e, "20:40"));
    let counted = standing(&e, &f, at(&e, "21:00"));
    assert_eq!(counted.stage, Stage::Counted { version: 1 });
    assert_eq!((counted.since, counted.late), (Some(at(&e, "20:40")), None));
    f.returns.push(at(&e, "21:10"));
    assert_eq!(
        standing(&e, &f, at(&e, "22:00")).stage,
        Stage::Counted { version: 2 }
    );
}

#[test]
fn the_wall_counts_every_bureau_of_the_election_and_names_none() {
    let e = with_day(&election("w", 4, 2));
    let now = at(&e, "12:30");
    let facts = vec![
        BureauFacts {
            code: bureau_code(0),
            enrolled_at: Some(at(&e, "07:00")),
            reports: vec![
                ("ouverture".into(), at(&e, "08:00")),
                ("12h".into(), at(&e, "12:05")),
            ],
            returns: vec![],
        },
        BureauFacts {
            code: bureau_code(1),
            enrolled_at: Some(at(&e, "07:10")),
            reports: vec![("ouverture".into(), at(&e, "08:02"))],
            returns: vec![at(&e, "12:20"), at(&e, "12:25")],
        },
        BureauFacts {
            code: bureau_code(2),
            enrolled_at: Some(at(&e, "09:00")),
            ..BureauFacts::default()
        },
        // Not of this election: not counted.
        BureauFacts {
            code: "ailleurs".into(),
            enrolled_at: Some(0),
            ..BureauFacts::default()
        },
    ];
    let w = wall(&e, &facts, now);
    assert_eq!(w.bureaux, 4);
    assert_eq!(w.enrolled, 3);
    assert_eq!(
        w.checkpoints,
        vec![
            ("ouverture".to_owned(), true, 2),
            ("12h".to_owned(), false, 1),
            ("17h".to_owned(), false, 0),
        ]
    );
    assert_eq!((w.counted, w.corrected), (1, 1));
    // Bureau 2 (no opening report) and bureau 3 (nothing at all) are late;
    // bureau 1 counted.
    assert_eq!(w.late, 2);
}
