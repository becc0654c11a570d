//! "Could the bureaux not yet counted still change it?" on hand-made
//! totals: decided, still open, and not known yet (an outstanding bureau
//! without inscrits), for the order of neighbours, the leader's majority and
//! the first k, by France's two rounds or the rule the definition names.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use pointage_core::results::Results;
use pointage_core::still_open::{Outstanding, Reach, Verdict, still_open};
use pointage_core::{Bureau, Election, ElectionError, Qualification};
use pointage_testkit::{election, hand_made_results};

/// Four bureaux of `inscrits` each (or none), the first `counted` of them
/// counted, with these votes for candidates 0, 1, 2.
fn totals(inscrits: [Option<u32>; 4], counted: usize, votes: [u64; 3]) -> (Election, Results) {
    totals_under(None, inscrits, counted, votes)
}

/// [`totals`], under the qualification rule `rule`.
fn totals_under(
    rule: Option<Qualification>,
    inscrits: [Option<u32>; 4],
    counted: usize,
    votes: [u64; 3],
) -> (Election, Results) {
    let mut info = election("e", 4, 3).info();
    info.qualification = rule;
    for (b, i) in info.bureaux.iter_mut().zip(inscrits) {
        *b = Bureau {
            inscrits: i,
            ..b.clone()
        };
    }
    let e = Election::new(info).unwrap();
    let results = hand_made_results(&e, counted, &votes);
    (e, results)
}

#[test]
fn with_few_inscrits_left_the_order_and_the_majority_are_decided() {
    // Two bureaux left, 100 inscrits each: R = 200.
    let (e, r) = totals(
        [Some(1_000), Some(1_000), Some(100), Some(100)],
        2,
        [900, 500, 100],
    );
    let s = still_open(&e, &r);
    assert_eq!(
        s.outstanding,
        Outstanding {
            bureaux: 2,
            inscrits: Some(200)
        }
    );
    let ids: Vec<String> = e.candidates().iter().map(|c| c.id.clone()).collect();
    assert_eq!(
        s.order
            .iter()
            .map(|o| (o.ahead.clone(), o.behind.clone(), o.verdict))
            .collect::<Vec<_>>(),
        vec![
            (ids[0].clone(), ids[1].clone(), Verdict::Decided), // 400 > 200
            (ids[1].clone(), ids[2].clone(), Verdict::Decided), // 400 > 200
        ]
    );
    // 2 × 900 = 1 800 > 1 500 + 200.
    assert_eq!(s.majority, Some((ids[0].clone(), Reach::Certainly)));
    assert_eq!(
        s.first.iter().map(|x| x.1).collect::<Vec<_>>(),
        vec![Reach::Certainly, Reach::Certainly, Reach::CertainlyNot]
    );
}

#[test]
fn with_many_inscrits_left_it_is_still_open() {
    // R = 2 000: the gap of 400 could close, the majority go either way.
    let (e, r) = totals(
        [Some(1_000), Some(1_000), Some(1_000), Some(1_000)],
        2,
        [900, 500, 100],
    );
    let s = still_open(&e, &r);
    assert_eq!(s.outstanding.inscrits, Some(2_000));
    assert!(s.order.iter().all(|o| o.verdict == Verdict::Open));
    assert_eq!(s.majority.unwrap().1, Reach::Open);
    assert!(s.first.iter().all(|x| x.1 == Reach::Open));
    // Exactly at the bound: 2 × V + R = E is certainly no majority.
    let (e, r) = totals(
        [Some(1_000), Some(1_000), Some(100), Some(0)],
        2,
        [450, 500, 50],
    );
    let s = still_open(&e, &r);
    assert_eq!(
        s.majority.unwrap(),
        (e.candidates()[1].id.clone(), Reach::Open)
    );
    let (e, r) = totals(
        [Some(1_000), Some(1_000), Some(0), Some(0)],
        2,
        [400, 500, 100],
    );
    let s = still_open(&e, &r);
    // Nothing left to count: 2 × 500 = 1 000 is not more than E = 1 000.
    assert_eq!(s.majority.unwrap().1, Reach::CertainlyNot);
}

#[test]
fn an_outstanding_bureau_without_inscrits_makes_it_unknown_yet() {
    let (e, r) = totals(
        [Some(1_000), Some(1_000), None, Some(100)],
        2,
        [900, 500, 100],
    );
    let s = still_open(&e, &r);
    assert_eq!(
        s.outstanding,
        Outstanding {
            bureaux: 2,
            inscrits: None
        }
    );
    assert!(s.order.iter().all(|o| o.verdict == Verdict::Unknown));
    assert_eq!(s.majority.unwrap().1, Reach::Unknown);
    // Once every bureau is counted, whatever their lists: decided.
    let (e, r) = totals([None, None, None, None], 4, [900, 500, 100]);
    let s = still_open(&e, &r);
    assert_eq!(s.outstanding.inscrits, Some(0));
    assert!(s.order.iter().all(|o| o.verdict == Verdict::Decided));
}

#[test]
fn the_rule_the_definition_names_is_the_one_applied() {
    let rule = |majority, first| Some(Qualification { majority, first });
    // R = 200 as above; 900, 500, 100.
    let at = |q| {
        let (e, r) = totals_under(
            q,
            [Some(1_000), Some(1_000), Some(100), Some(100)],
            2,
            [900, 500, 100],
        );
        still_open(&e, &r)
    };
    // None named: France's two rounds, said so.
    let s = at(None);
    assert_eq!(s.rule, Qualification::TWO_ROUNDS);
    // The first only, no majority: the leader is certainly first, the
    // others certainly not; nothing said of a majority.
    let s = at(rule(false, 1));
    assert_eq!(s.majority, None);
    assert_eq!(
        s.first.iter().map(|x| x.1).collect::<Vec<_>>(),
        vec![Reach::Certainly, Reach::CertainlyNot, Reach::CertainlyNot]
    );
    // A majority only: no places said.
    let s = at(rule(true, 0));
    assert!(s.first.is_empty());
    assert_eq!(s.majority.unwrap().1, Reach::Certainly);
    // Two of three go on, with 2 000 inscrits left: open for each.
    let (e, r) = totals_under(rule(false, 2), [Some(1_000); 4], 2, [900, 500, 100]);
    let s = still_open(&e, &r);
    assert!(s.first.iter().all(|x| x.1 == Reach::Open), "{:?}", s.first);
    // The rule is part of the definition, and so of its hash.
    let (named, _) = totals_under(rule(true, 2), [None; 4], 0, [0, 0, 0]);
    let (unnamed, _) = totals(
        None.into_iter()
            .chain([None; 4])
            .collect::<Vec<_>>()
            .try_into()
            .unwrap(),
        0,
        [0, 0, 0],
    );
    assert_ne!(named.hash(), unnamed.hash());
}

#[test]
fn a_rule_that_decides_nothing_or_sends_everyone_on_is_refused_on_import() {
    for (majority, first) in [(false, 0), (true, 3), (false, 4)] {
        let mut info = election("e", 4, 3).info();
        info.qualification = Some(Qualification { majority, first });
        assert_eq!(
            Election::new(info).map(|_| ()),
            Err(ElectionError::Qualification {
                first,
                candidates: 3
            }),
            "{majority} {first}"
        );
    }
}
