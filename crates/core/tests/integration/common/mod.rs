//! Helpers shared by core's integration tests.

#![allow(dead_code, clippy::expect_used)]

pub mod vectors;

use pointage_core::Election;

/// A test election with these candidate ids, in panel order, and one bureau
/// `001` with no known inscrits (an open primary).
pub fn election(candidates: &[String]) -> Election {
    election_with_inscrits(candidates, None)
}

/// [`election`], its bureau 001 with the inscrits of its definition.
pub fn election_with_inscrits(candidates: &[String], inscrits: Option<u32>) -> Election {
    let ids: Vec<&str> = candidates.iter().map(String::as_str).collect();
    pointage_testkit::one_bureau("vector", "Test vector election", &ids, inscrits)
}

/// The secret key of the test bureau's device (a fixed seed: tests must be
/// reproducible; a real device draws its key from the browser's random source).
pub const BUREAU_SECRET: [u8; 32] = [1; 32];
/// The secret key of the test server.
pub const SERVER_SECRET: [u8; 32] = [2; 32];
/// A time to sign at: 2027-01-22 19:00 UTC, in milliseconds.
pub const SIGNED_AT: u64 = 1_800_644_400_000;

/// A PV of 100 envelopes that breaks no rule and raises no warning for an
/// election of candidates a, b, c.
pub fn clean_pv() -> pointage_core::ProcesVerbal {
    pointage_core::ProcesVerbal {
        emargements: Some(100),
        enveloppes: Some(100),
        blancs: Some(2),
        nuls: Some(1),
        exprimes: Some(97),
        voix: [
            ("a".to_owned(), Some(50)),
            ("b".to_owned(), Some(30)),
            ("c".to_owned(), Some(17)),
        ]
        .into(),
        members: pointage_core::Members {
            president: "Awa Diallo".into(),
            secretaire: "Bruno Petit".into(),
            assesseurs: vec!["Chloé Martin".into(), "Djamel Haddad".into()],
        },
        observations: "RAS.".into(),
        ..Default::default()
    }
}

/// A double entry where Awa and Bruno typed the same PV.
pub fn agreed(pv: pointage_core::ProcesVerbal) -> pointage_core::DoubleEntry {
    pointage_core::DoubleEntry::new()
        .finish_first("Awa", pv.clone())
        .expect("first entry")
        .finish_second("Bruno", pv)
        .expect("second entry")
}

/// The test election for candidates a, b, c.
pub fn abc() -> Election {
    election(&["a".into(), "b".into(), "c".into()])
}

/// Bureau 001's draft of an agreed PV, with nothing else.
pub fn draft<'a>(entry: &'a pointage_core::DoubleEntry) -> pointage_core::ReturnDraft<'a> {
    pointage_core::ReturnDraft {
        turnout: None,
        tables: &[],
        bureau: "001",
        entry,
        explanations: std::collections::BTreeMap::new(),
        tally: None,
        correction: None,
    }
}

/// Bureau 001's public key.
pub fn key() -> String {
    pointage_core::signed_return::public_key_hex(&BUREAU_SECRET)
}

/// Bureau 001's version 1 of the clean PV, signed.
pub fn signed() -> pointage_core::SignedReturn {
    pointage_core::SignedReturn::sign(
        &abc(),
        draft(&agreed(clean_pv())),
        &BUREAU_SECRET,
        SIGNED_AT,
    )
    .expect("the clean PV signs")
}
