//! Properties of the rules over generated PVs: a PV whose figures come from a
//! real count raises no error, and any single count typed one off is caught.

// Host only: see crates/core/Cargo.toml.
#![cfg(not(target_arch = "wasm32"))]
// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::rules::{self, RuleCode, Severity, TallySummary};
use pointage_core::{Election, ProcesVerbal};
use proptest::prelude::*;

fn election(n: usize) -> Election {
    crate::common::election(&(0..n).map(|i| format!("c{i}")).collect::<Vec<_>>())
}

/// A count as it happens: blancs, nuls and votes per candidate, all typed in
/// faithfully, with its tally.
fn counted() -> impl Strategy<Value = (Election, ProcesVerbal, TallySummary)> {
    (
        1usize..8,
        0u32..500,
        0u32..500,
        prop::collection::vec(0u32..5000, 8),
        0u32..3,
    )
        .prop_map(|(n, blancs, nuls, votes, extra_inscrits)| {
            let e = election(n);
            let voix: Vec<u32> = votes[..n].to_vec();
            let exprimes: u32 = voix.iter().sum();
            let enveloppes = blancs + nuls + exprimes;
            let pv = ProcesVerbal {
                inscrits: Some(enveloppes + extra_inscrits * enveloppes),
                emargements: Some(enveloppes),
                enveloppes: Some(enveloppes),
                blancs: Some(blancs),
                nuls: Some(nuls),
                exprimes: Some(exprimes),
                voix: (0..n).map(|i| (format!("c{i}"), Some(voix[i]))).collect(),
                ..ProcesVerbal::default()
            };
            let tally = TallySummary {
                blancs: blancs.into(),
                nuls: nuls.into(),
                voix: (0..n)
                    .map(|i| (format!("c{i}"), u64::from(voix[i])))
                    .collect(),
                unbalanced_packets: vec![],
            };
            (e, pv, tally)
        })
}

proptest! {
    #[test]
    fn a_faithful_count_raises_no_error((e, pv, tally) in counted()) {
        let found = rules::check(&e, "001", &pv, Some(&tally));
        prop_assert!(rules::no_error(&found), "{found:?}");
        prop_assert!(found.iter().all(|f| f.code.severity() == Severity::Warning));
    }

    #[test]
    fn one_count_typed_one_off_is_an_error((e, pv, tally) in counted(), which in 0usize..12, up in any::<bool>()) {
        let mut typo = pv.clone();
        let n = e.candidates().len();
        let slot: &mut Option<u32> = match which % (5 + n) {
            0 => &mut typo.enveloppes,
            1 => &mut typo.blancs,
            2 => &mut typo.nuls,
            3 => &mut typo.exprimes,
            4 => &mut typo.emargements,
            i => typo.voix.get_mut(&format!("c{}", i - 5)).unwrap(),
        };
        let v = slot.unwrap();
        prop_assume!(up || v > 0);
        *slot = Some(if up { v + 1 } else { v - 1 });
        let found = rules::check(&e, "001", &typo, Some(&tally));
        let codes: Vec<RuleCode> = found.iter().map(|f| f.code).collect();
        if which % (5 + n) == 4 {
            // Émargements are not part of the arithmetic: the gap is W1.
            prop_assert!(codes.contains(&RuleCode::W1), "{codes:?}");
        } else {
            prop_assert!(!rules::no_error(&found), "typo not caught: {codes:?}");
        }
    }
}
