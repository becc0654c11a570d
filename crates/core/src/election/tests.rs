//! The election's own checks, unit by unit.

use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn candidate(id: &str, panel: u32) -> Candidate {
    Candidate {
        id: id.into(),
        panel,
        name: format!("Candidate {id}"),
    }
}

fn bureau(code: &str) -> Bureau {
    Bureau {
        code: code.into(),
        name: format!("Bureau {code}"),
        commune: "Lyon".into(),
        inscrits: None,
    }
}

fn info(candidates: &[&str], bureaux: &[&str]) -> ElectionInfo {
    ElectionInfo {
        day: None,
        qualification: None,
        id: "e1".into(),
        name: "Primaire".into(),
        round: 1,
        date: "2027-01-22".into(),
        mode: Mode::Test,
        candidates: (1..)
            .zip(candidates)
            .map(|(n, c)| candidate(c, n))
            .collect(),
        bureaux: bureaux.iter().map(|b| bureau(b)).collect(),
    }
}

fn build(candidates: &[&str], bureaux: &[&str]) -> Result<Election, ElectionError> {
    Election::new(info(candidates, bureaux))
}

#[test]
fn a_well_formed_election_is_built() {
    let e = build(&["a", "b"], &["001", "002"]).expect("valid election");
    assert_eq!(e.candidates().len(), 2);
    assert_eq!(e.bureau("002").map(|b| b.name.as_str()), Some("Bureau 002"));
    assert_eq!(e.bureau("003"), None);
}

#[test]
fn duplicate_candidates_and_bureaux_are_refused() {
    assert_eq!(
        build(&["a", "a"], &["001"]),
        Err(ElectionError::DuplicateCandidate("a".into()))
    );
    assert_eq!(
        build(&["a"], &["001", "001"]),
        Err(ElectionError::DuplicateBureau("001".into()))
    );
}

#[test]
fn empty_or_blank_parts_are_refused() {
    assert_eq!(build(&[], &["001"]), Err(ElectionError::NoCandidate));
    assert_eq!(build(&["a"], &[]), Err(ElectionError::NoBureau));
    assert_eq!(
        build(&[" "], &["001"]),
        Err(ElectionError::BlankCandidate(" ".into()))
    );
    assert_eq!(
        build(&["a"], &[""]),
        Err(ElectionError::BlankBureau(String::new()))
    );
    let no_name = Election::new(ElectionInfo {
        day: None,
        qualification: None,
        name: " ".into(),
        ..info(&["a"], &["1"])
    });
    assert_eq!(no_name, Err(ElectionError::MissingName));
    let round0 = Election::new(ElectionInfo {
        day: None,
        qualification: None,
        round: 0,
        ..info(&["a"], &["1"])
    });
    assert_eq!(round0, Err(ElectionError::InvalidRound));
    let mut no_commune = info(&["a"], &["1"]);
    no_commune.bureaux[0].commune = String::new();
    assert_eq!(
        Election::new(no_commune),
        Err(ElectionError::BlankBureau("1".into()))
    );
}

#[test]
fn identifiers_dates_and_panel_order_are_checked() {
    assert_eq!(
        build(&["a b"], &["001"]),
        Err(ElectionError::BlankCandidate("a b".into()))
    );
    assert_eq!(
        build(&["a"], &["075/012"]),
        Err(ElectionError::BlankBureau("075/012".into()))
    );
    let bad_id = Election::new(ElectionInfo {
        day: None,
        qualification: None,
        id: "é".into(),
        ..info(&["a"], &["1"])
    });
    assert_eq!(bad_id, Err(ElectionError::InvalidId("é".into())));
    for date in ["2027-13-01", "2027-1-22", "22/01/2027", "2027-01-00", ""] {
        let e = Election::new(ElectionInfo {
            day: None,
            qualification: None,
            date: date.into(),
            ..info(&["a"], &["1"])
        });
        assert_eq!(e, Err(ElectionError::InvalidDate(date.into())), "{date}");
    }
    let mut swapped = info(&["a", "b"], &["1"]);
    swapped.candidates[1].panel = 1;
    assert_eq!(
        Election::new(swapped),
        Err(ElectionError::PanelOrder("b".into()))
    );
}

#[test]
fn the_hash_names_the_exact_definition() {
    let e = build(&["a", "b"], &["001"]).expect("valid election");
    assert_eq!(e.hash().len(), 64);
    let bytes = canonical::encode(&e).expect("encodes");
    assert_eq!(e.hash(), hex::encode(Sha256::digest(&bytes)));
    let again = Election::new(e.info()).expect("valid");
    assert_eq!(again.hash(), e.hash());
    let renamed = Election::new(ElectionInfo {
        day: None,
        qualification: None,
        name: "Primaire!".into(),
        ..e.info()
    })
    .expect("valid");
    assert_ne!(renamed.hash(), e.hash());
    let live = Election::new(ElectionInfo {
        day: None,
        qualification: None,
        mode: Mode::Live,
        ..e.info()
    })
    .expect("valid");
    assert_ne!(live.hash(), e.hash());
    let mut moved = info(&["a", "b"], &["001"]);
    moved.bureaux[0].commune = "Lyon 3e".into();
    assert_ne!(Election::new(moved).expect("valid").hash(), e.hash());
}

#[test]
fn enrollment_names_the_election_and_the_bureau() {
    let e = build(&["a"], &["001", "002"]).expect("valid election");
    let d = e.enrollment_for("002").expect("bureau exists");
    assert_eq!(d.election_name, "Primaire");
    assert_eq!(d.bureau_code, "002");
    assert_eq!(d.bureau_name, "Bureau 002");
    assert_eq!(e.enrollment_for("999"), None);
}

#[test]
fn an_invalid_election_cannot_be_deserialised() {
    let ok = build(&["a", "b"], &["001"]).expect("valid election");
    let json = serde_json::to_string(&ok).expect("serialises");
    let back: Election = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, ok);
    assert_eq!(back.hash(), ok.hash());
    let dup = json.replace("\"id\":\"b\"", "\"id\":\"a\"");
    let err = serde_json::from_str::<Election>(&dup).expect_err("duplicate refused");
    assert!(err.to_string().contains("two candidates share"), "{err}");
}

#[test]
fn enrollment_survives_a_json_round_trip() {
    let e = build(&["a"], &["001"]).expect("valid election");
    let d = e.enrollment_for("001").expect("bureau exists");
    let json = serde_json::to_string(&d).expect("serialises");
    let back: DeviceEnrollment = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, d);
}
