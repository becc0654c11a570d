//! Results: totals from the latest accepted version of each bureau's return,
//! always with the bureaux they cover.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::common::{BUREAU_SECRET, clean_pv};
use pointage_core::results::{self, Coverage, basis_points};
use pointage_core::signed_return::public_key_hex;
use pointage_core::wire::BureauState;
use pointage_core::{
    Bureau, Candidate, Election, ElectionInfo, EnteredBy, Mode, ProcesVerbal, ReturnBody,
};

fn election() -> Election {
    Election::new(ElectionInfo {
        day: None,
        qualification: None,
        id: "e".into(),
        name: "Municipales".into(),
        round: 1,
        date: "2027-03-14".into(),
        mode: Mode::Test,
        candidates: ["a", "b", "c"]
            .iter()
            .zip(1..)
            .map(|(id, panel)| Candidate {
                id: (*id).into(),
                panel,
                name: id.to_uppercase(),
            })
            .collect(),
        bureaux: ["001", "002", "003"]
            .iter()
            .map(|code| Bureau {
                code: (*code).into(),
                name: format!("Bureau {code}"),
                commune: "Arles".into(),
                inscrits: None,
            })
            .collect(),
    })
    .unwrap()
}

fn body(e: &Election, bureau: &str, version: u32, pv: ProcesVerbal) -> ReturnBody {
    ReturnBody {
        format: pointage_core::signed_return::RETURN_FORMAT.into(),
        election_id: e.id().into(),
        election_hash: e.hash().into(),
        mode: e.mode(),
        bureau: bureau.into(),
        version,
        replaces: None,
        pv,
        explanations: Default::default(),
        tally: None,
        entered_by: EnteredBy {
            first: "Awa".into(),
            second: "Bruno".into(),
        },
        device_key: public_key_hex(&BUREAU_SECRET),
        signed_at: 0,
    }
}

fn votes(r: &results::Results) -> Vec<u64> {
    r.candidates.iter().map(|c| c.votes).collect()
}

#[test]
fn with_no_return_every_total_is_zero_and_covers_no_bureau() {
    let e = election();
    let r = results::compute(&e, []);
    assert_eq!(
        r.coverage,
        Coverage {
            reporting: 0,
            total: 3
        }
    );
    assert_eq!(votes(&r), vec![0, 0, 0]);
    assert!(
        r.candidates
            .iter()
            .all(|c| c.percent_of_exprimes_bp.is_none())
    );
    assert_eq!(r.turnout, None);
}

#[test]
fn totals_add_the_reporting_bureaux_and_say_how_many_they_are() {
    let e = election();
    let b1 = body(&e, "001", 1, clean_pv()); // a 50, b 30, c 17; 2 blancs, 1 nul
    let mut pv2 = clean_pv();
    pv2.inscrits = Some(400);
    pv2.voix.insert("a".into(), Some(10));
    pv2.voix.insert("c".into(), Some(57));
    let b2 = body(&e, "002", 1, pv2);
    let r = results::compute(&e, [("id1", &b1), ("id2", &b2)]);
    assert_eq!(
        r.coverage,
        Coverage {
            reporting: 2,
            total: 3
        }
    );
    assert_eq!(r.coverage.basis_points(), 6667);
    assert_eq!(votes(&r), vec![60, 60, 74]);
    assert_eq!(
        (r.exprimes, r.blancs, r.nuls, r.enveloppes),
        (194, 4, 2, 200)
    );
    // 60 of 194 exprimés: 30.93 %.
    assert_eq!(r.candidates[0].percent_of_exprimes_bp, Some(3093));
    // Turnout only over the bureau whose inscrits are known: 100 of 400.
    let t = r.turnout.unwrap();
    assert_eq!(
        (t.emargements, t.inscrits, t.basis_points),
        (100, 400, Some(2500))
    );
    assert_eq!(
        t.coverage,
        Coverage {
            reporting: 1,
            total: 3
        }
    );
    assert_eq!(r.counted["002"].return_id, "id2");
}

#[test]
fn only_the_latest_version_of_a_bureau_counts_whatever_the_order() {
    let e = election();
    let v1 = body(&e, "001", 1, clean_pv());
    let mut fixed = clean_pv();
    fixed.voix.insert("a".into(), Some(49));
    fixed.voix.insert("b".into(), Some(31));
    let v2 = body(&e, "001", 2, fixed);
    for order in [[("v1", &v1), ("v2", &v2)], [("v2", &v2), ("v1", &v1)]] {
        let r = results::compute(&e, order);
        assert_eq!(r.coverage.reporting, 1);
        assert_eq!(votes(&r), vec![49, 31, 17]);
        assert_eq!(r.counted["001"].version, 2);
    }
}

#[test]
fn returns_for_another_definition_or_an_unknown_bureau_are_not_counted() {
    let e = election();
    let mut other = body(&e, "001", 1, clean_pv());
    other.election_hash = "0".repeat(64);
    let unknown = body(&e, "999", 1, clean_pv());
    let r = results::compute(&e, [("x", &other), ("y", &unknown)]);
    assert_eq!(r.coverage.reporting, 0);
    assert_eq!(votes(&r), vec![0, 0, 0]);
}

#[test]
fn basis_points_round_half_up_in_integers() {
    assert_eq!(basis_points(1, 3), Some(3333));
    assert_eq!(basis_points(2, 3), Some(6667));
    assert_eq!(basis_points(1, 20_000), Some(1)); // 0.5 bp rounds up
    assert_eq!(basis_points(5, 5), Some(10_000));
    assert_eq!(basis_points(1, 0), None);
    assert_eq!(basis_points(u64::MAX, u64::MAX), Some(10_000));
}

#[test]
fn figures_are_written_with_grouped_digits_and_percentages_in_each_convention() {
    use pointage_core::results::{group_digits, percent_text};
    assert_eq!(group_digits(0, ','), "0");
    assert_eq!(group_digits(999, ','), "999");
    assert_eq!(group_digits(1_787, ','), "1,787");
    assert_eq!(group_digits(70_000, '\u{202f}'), "70\u{202f}000");
    assert_eq!(group_digits(1_234_567, ','), "1,234,567");
    assert_eq!(percent_text(3_093, true), "30,93\u{a0}%");
    assert_eq!(percent_text(3_093, false), "30.93%");
    assert_eq!(percent_text(5, false), "0.05%");
    assert_eq!(percent_text(10_000, true), "100,00\u{a0}%");
}

#[test]
fn each_bureau_is_received_enrolled_or_neither_and_the_counts_add_up() {
    let e = election();
    let b2 = body(&e, "002", 1, clean_pv());
    let r = results::compute(&e, [("id2", &b2)]);
    // 001 holds a key but sent nothing; 002's return is counted (its key
    // enrolled too); 003 has neither.
    let (list, counts) = results::bureau_states(&e, &r, |code| code == "001" || code == "002");
    let states: Vec<(&str, BureauState, Option<u32>)> = list
        .iter()
        .map(|b| (b.code.as_str(), b.state, b.version))
        .collect();
    assert_eq!(
        states,
        [
            ("001", BureauState::Enrolled, None),
            ("002", BureauState::Received, Some(1)),
            ("003", BureauState::NotEnrolled, None),
        ]
    );
    assert_eq!(
        list[1].human_code.as_deref(),
        Some(pointage_core::signed_return::human_code("id2").as_str())
    );
    assert_eq!(
        (counts.received, counts.enrolled, counts.not_enrolled),
        (1, 1, 1)
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod counting {
    use super::*;
    use proptest::prelude::*;

    /// A return: (bureau 0..4 — the fourth unknown —, version, votes for
    /// a, another definition's hash or not).
    fn returns() -> impl Strategy<Value = Vec<(usize, u32, u32, bool)>> {
        prop::collection::vec(
            (0usize..4, 1u32..4, 0u32..90, prop::bool::weighted(0.1)),
            0..30,
        )
    }

    proptest! {
        /// What the server does: returns added a batch at a time (some
        /// twice, after a computation that failed half-way), the results
        /// computed over what counts after each batch — always what
        /// `compute` gives over every return up to there.
        #[test]
        fn adding_in_batches_gives_the_results_of_all_at_once(
            returns in returns(),
            cuts in prop::collection::vec(0usize..30, 0..5),
        ) {
            let e = election();
            let bodies: Vec<(String, ReturnBody)> = returns
                .iter()
                .enumerate()
                .map(|(i, &(b, version, a, other))| {
                    let mut pv = clean_pv();
                    pv.voix.insert("a".into(), Some(a));
                    let mut body = body(&e, ["001", "002", "003", "999"][b], version, pv);
                    if other {
                        body.election_hash = "0".repeat(64);
                    }
                    (format!("r{i}"), body)
                })
                .collect();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bodies.len())).collect();
            cuts.push(bodies.len());
            cuts.sort_unstable();
            let mut counting = results::Counting::default();
            let mut from = 0;
            for to in cuts {
                // A computation that failed half-way read some of these
                // already: adding them again changes nothing.
                for (id, body) in bodies[from..to].iter().take((to - from) / 2) {
                    counting.add(&e, id.clone(), body.clone());
                }
                for (id, body) in &bodies[from..to] {
                    counting.add(&e, id.clone(), body.clone());
                }
                from = to;
                let all = results::compute(&e, bodies[..to].iter().map(|(id, b)| (id.as_str(), b)));
                prop_assert_eq!(counting.results(&e), all);
            }
        }
    }
}
