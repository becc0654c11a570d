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
        standing(&e, &f, seven, None),
        Standing {
            stage: Stage::NotEnrolled,
            since: None,
            late: None,
            refused: None,
        }
    );
    // Past 08:00 with no opening report: late for the opening.
    assert_eq!(
        standing(&e, &f, at(&e, "08:01"), None).late.as_deref(),
        Some("ouverture")
    );
    f.enrolled_at = Some(seven);
    assert_eq!(standing(&e, &f, seven, None).stage, Stage::Enrolled);
    f.reports.push(("ouverture".into(), at(&e, "07:55")));
    let noon = standing(&e, &f, at(&e, "11:59"), None);
    assert_eq!(
        noon,
        Standing {
            stage: Stage::Reported {
                checkpoint: "ouverture".into()
            },
            since: Some(at(&e, "07:55")),
            late: None,
            refused: None,
        }
    );
    assert_eq!(
        standing(&e, &f, at(&e, "12:01"), None).late.as_deref(),
        Some("12h")
    );
    // A report sent late still counts as reported: the next missed one is
    // the one said.
    f.reports.push(("12h".into(), at(&e, "12:30")));
    assert_eq!(standing(&e, &f, at(&e, "16:00"), None).late, None);
    assert_eq!(
        standing(&e, &f, at(&e, "18:00"), None).late.as_deref(),
        Some("17h")
    );
    // Counted: never late, since its first return; a correction moves it.
    f.returns.push(at(&e, "20:40"));
    let counted = standing(&e, &f, at(&e, "21:00"), None);
    assert_eq!(counted.stage, Stage::Counted { version: 1 });
    assert_eq!((counted.since, counted.late), (Some(at(&e, "20:40")), None));
    f.returns.push(at(&e, "21:10"));
    assert_eq!(
        standing(&e, &f, at(&e, "22:00"), None).stage,
        Stage::Counted { version: 2 }
    );
    // A refusal before the latest return received is over; one after it
    // is said, and sorts the bureau first.
    f.refused = Some(("return_key_not_enrolled".into(), at(&e, "21:00")));
    assert_eq!(standing(&e, &f, at(&e, "22:00"), None).refused, None);
    f.refused = Some(("return_key_not_enrolled".into(), at(&e, "21:30")));
    let refused = standing(&e, &f, at(&e, "22:00"), None);
    assert_eq!(refused.refused.as_deref(), Some("return_key_not_enrolled"));
    let mut lines = vec![
        (
            "late".to_owned(),
            standing(
                &e,
                &BureauFacts {
                    code: bureau_code(1),
                    ..BureauFacts::default()
                },
                at(&e, "22:00"),
                None,
            ),
        ),
        (bureau_code(0), refused),
    ];
    pointage_core::board::worst_first(&e, &mut lines);
    assert_eq!(lines[0].0, bureau_code(0), "the refused before the late");
    let w = wall(&e, &[f], at(&e, "22:00"), None);
    assert_eq!(w.refused, 1);
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
            refused: None,
        },
        BureauFacts {
            code: bureau_code(1),
            enrolled_at: Some(at(&e, "07:10")),
            reports: vec![("ouverture".into(), at(&e, "08:02"))],
            returns: vec![at(&e, "12:20"), at(&e, "12:25")],
            refused: None,
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
    let w = wall(&e, &facts, now, None);
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

#[test]
fn the_board_puts_the_late_first_then_the_least_advanced_longest_waiting() {
    use pointage_core::board::worst_first;
    let e = with_day(&election("o", 6, 2));
    let now = at(&e, "12:30");
    let f = |i: usize, enrolled: Option<&str>, reports: &[&str], returns: usize| BureauFacts {
        code: bureau_code(i),
        enrolled_at: enrolled.map(|t| at(&e, t)),
        reports: reports
            .iter()
            .map(|c| ((*c).to_owned(), at(&e, "08:00")))
            .collect(),
        returns: vec![at(&e, "12:10"); returns],
        refused: None,
    };
    let facts = [
        f(0, Some("07:00"), &["ouverture", "12h"], 0), // on time
        f(1, None, &[], 0),                            // late since the opening
        f(2, Some("07:30"), &["ouverture"], 0),        // late for 12h
        f(3, Some("07:00"), &["ouverture"], 1),        // counted
        f(4, Some("06:00"), &[], 0),                   // late since the opening, enrolled
        f(5, Some("07:00"), &["ouverture", "12h"], 0), // on time
    ];
    let mut board: Vec<_> = facts
        .iter()
        .map(|x| (x.code.clone(), standing(&e, x, now, None)))
        .collect();
    worst_first(&e, &mut board);
    let order: Vec<String> = board.into_iter().map(|(c, _)| c).collect();
    let code = bureau_code;
    assert_eq!(
        order,
        [code(1), code(4), code(2), code(0), code(5), code(3)]
    );
}

#[test]
fn a_time_written_in_utc_reads_back_to_the_same_second() {
    use pointage_core::day::utc_rfc3339;
    assert_eq!(utc_rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(utc_rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
    for ms in [1_800_000_000_000u64, 4_102_444_799_000, 1_709_164_800_123] {
        let text = utc_rfc3339(ms);
        assert_eq!(rfc3339_ms(&text), Some(ms / 1000 * 1000), "{text}");
    }
    assert_eq!(
        rfc3339_ms(&utc_rfc3339(at(&with_day(&election("t", 1, 2)), "12:00"))),
        Some(at(&with_day(&election("t", 1, 2)), "12:00"))
    );
}

#[test]
fn each_stage_has_one_code_in_the_order_a_bureau_goes() {
    let stages = [
        Stage::NotEnrolled,
        Stage::Enrolled,
        Stage::Reported {
            checkpoint: "12h".into(),
        },
        Stage::Counted { version: 1 },
        Stage::Counted { version: 3 },
    ];
    let codes: Vec<&str> = stages.iter().map(Stage::code).collect();
    assert_eq!(codes, Stage::CODES);
}

#[test]
fn a_day_prepared_by_hand_takes_paris_summer_time_and_overseas_offsets() {
    use pointage_core::day::{day_of, offset_on};
    // 2027: summer time from Sunday 28 March to Sunday 31 October.
    assert_eq!(offset_on("Europe/Paris", "2027-03-27"), Some("+01:00"));
    assert_eq!(offset_on("Europe/Paris", "2027-03-28"), Some("+02:00"));
    assert_eq!(offset_on("Europe/Paris", "2027-10-30"), Some("+02:00"));
    assert_eq!(offset_on("Europe/Paris", "2027-10-31"), Some("+01:00"));
    assert_eq!(offset_on("Europe/Paris", "2027-01-22"), Some("+01:00"));
    assert_eq!(offset_on("America/Cayenne", "2027-06-13"), Some("-03:00"));
    assert_eq!(offset_on("Mars/Olympus", "2027-06-13"), None);
    let day = day_of(
        "Europe/Paris",
        "2027-06-13",
        Some("08:00"),
        &["12:00", "17:30"],
    )
    .unwrap();
    let said: Vec<(&str, &str)> = day
        .checkpoints
        .iter()
        .map(|c| (c.id.as_str(), c.due.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            ("ouverture", "2027-06-13T08:00:00+02:00"),
            ("12h", "2027-06-13T12:00:00+02:00"),
            ("17h30", "2027-06-13T17:30:00+02:00"),
        ]
    );
    assert_eq!(day_of("Europe/Paris", "2027-06-13", None, &["25:00"]), None);
}

#[test]
fn past_the_pvs_deadline_the_team_set_a_bureau_without_its_pv_is_late() {
    use pointage_core::board::RETURNS_LATE;
    use pointage_core::day::local_ms;
    let e = with_day(&election("d", 2, 2));
    let due = local_ms("Europe/Paris", e.date(), "21:30").unwrap();
    let offset = pointage_core::day::offset_on("Europe/Paris", e.date()).unwrap();
    let local =
        |t: &str| pointage_core::day::rfc3339_ms(&format!("{}T{t}:00{offset}", e.date())).unwrap();
    assert_eq!(due, local("21:30"));
    // Past midnight is the next morning's.
    assert_eq!(
        local_ms("Europe/Paris", e.date(), "00:30").unwrap() - local("00:30"),
        86_400_000
    );
    assert_eq!(local_ms("Europe/Paris", e.date(), "25:00"), None);
    assert_eq!(
        pointage_core::day::local_hhmm("Europe/Paris", e.date(), due).as_deref(),
        Some("21:30")
    );
    let noumea = local_ms("Pacific/Noumea", e.date(), "07:05").unwrap();
    assert_eq!(
        pointage_core::day::local_hhmm("Pacific/Noumea", e.date(), noumea).as_deref(),
        Some("07:05")
    );
    let all = |n| BureauFacts {
        code: bureau_code(n),
        enrolled_at: Some(at(&e, "07:00")),
        reports: ["ouverture", "12h", "17h"]
            .iter()
            .map(|c| ((*c).to_owned(), at(&e, "08:00")))
            .collect(),
        ..BureauFacts::default()
    };
    let waiting = all(0);
    assert_eq!(standing(&e, &waiting, due - 60_000, Some(due)).late, None);
    assert_eq!(
        standing(&e, &waiting, due + 60_000, Some(due))
            .late
            .as_deref(),
        Some(RETURNS_LATE)
    );
    assert_eq!(standing(&e, &waiting, due + 60_000, None).late, None);
    let mut counted = all(1);
    counted.returns.push(at(&e, "21:00"));
    assert_eq!(standing(&e, &counted, due + 60_000, Some(due)).late, None);
    let w = wall(&e, &[waiting, counted], due + 60_000, Some(due));
    assert_eq!(w.late, 1);
}
