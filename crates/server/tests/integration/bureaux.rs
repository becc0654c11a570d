//! An election's bureaux from the organiser's spreadsheet: CSV, XLSX and
//! ODS (the same file, written by LibreOffice) give the same bureaux; a
//! bad file names every problem with its line and nothing is stored; what
//! the central team keeps beyond the definition (the président's phone
//! number among it) is stored with the election and never published.

use crate::common::start;
use pointage_core::roster::BureauDetails;
use pointage_server::spreadsheet::{SheetError, cells, definition};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/integration/bureaux")
        .join(name)
}

#[test]
fn csv_xlsx_and_ods_of_one_sheet_give_the_same_bureaux() {
    let (first, details) = definition(&fixture("primaire.json"), &fixture("bureaux.csv")).unwrap();
    let codes: Vec<&str> = first.bureaux().iter().map(|b| b.code.as_str()).collect();
    assert_eq!(codes, ["075-001", "075-002", "069-001"]);
    assert_eq!(first.bureaux()[0].name, "École Jean-Jaurès");
    assert_eq!(first.bureaux()[0].inscrits, Some(1234));
    assert_eq!(first.bureaux()[2].inscrits, None);
    assert_eq!(
        details[0],
        BureauDetails {
            bureau: "075-001".into(),
            address: Some("3 rue Haute".into()),
            departement: Some("75".into()),
            president: Some("Awa Diallo".into()),
            phone: Some("+33 6 12 34 56 78".into()),
        }
    );
    // A quoted cell keeps its separator.
    assert_eq!(
        details[1].address.as_deref(),
        Some("12, place de la Mairie")
    );
    for other in ["bureaux.xlsx", "bureaux.ods"] {
        let (e, d) = definition(&fixture("primaire.json"), &fixture(other)).unwrap();
        // The same definition, to its hash.
        assert_eq!(e.hash(), first.hash(), "{other}");
        assert_eq!(d, details, "{other}");
    }
}

#[test]
fn a_bad_sheet_names_every_problem_by_line() {
    let said = definition(&fixture("primaire.json"), &fixture("bad.csv")).unwrap_err();
    assert!(said.contains("3 problem(s), nothing was stored:"), "{said}");
    for line in [
        "line 3: the bureau has no name",
        "line 5: the code \"B1\" is already on line 2",
        "line 5: the number of registered voters \"abc\" is not a whole number",
    ] {
        assert!(said.contains(line), "{line} in {said}");
    }
    // A definition that lists bureaux too: one place only.
    let listed = tempfile::tempdir().unwrap();
    let with = listed.path().join("with.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("primaire.json")).unwrap()).unwrap();
    v["bureaux"] =
        serde_json::json!([{ "code": "X", "name": "X", "commune": "X", "inscrits": null }]);
    std::fs::write(&with, v.to_string()).unwrap();
    let twice = definition(&with, &fixture("bureaux.csv")).unwrap_err();
    assert!(twice.contains("keep them in one place"), "{twice}");
    // Files that are not spreadsheets.
    assert_eq!(cells("bureaux.pdf", b"%PDF"), Err(SheetError::UnknownKind));
    assert_eq!(
        cells("bureaux.csv", b"code;nom\n\xff\xfe"),
        Err(SheetError::NotUtf8)
    );
    assert!(matches!(
        cells("bureaux.xlsx", b"not a zip"),
        Err(SheetError::Workbook(_))
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_details_are_kept_for_the_central_team_and_never_published() {
    let s = start().await;
    let (e, details) = definition(&fixture("primaire.json"), &fixture("bureaux.ods")).unwrap();
    let codes = s.db.store_election_with(&e, &details, 0).unwrap();
    assert_eq!(codes.len(), 3);
    assert_eq!(s.db.bureau_details(e.id()).unwrap().len(), 3);
    let kept = s.db.bureau_details(e.id()).unwrap();
    assert_eq!(
        kept.iter().find(|d| d.bureau == "075-001"),
        Some(&details[0])
    );
    let origin = s.base.trim_end_matches("/api/v1").to_owned();
    for path in [
        format!("{}/record?election={}", s.base, e.id()),
        format!("{}/bureaux?election={}", s.base, e.id()),
        format!("{}/elections", s.base),
        format!("{origin}/resultats?election={}", e.id()),
    ] {
        let page = s.client.get(&path).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        let text = page.text().await.unwrap();
        assert!(text.contains("075-001"), "{path}: the bureau is listed");
        for private in [
            "Awa Diallo",
            "+33 6 12 34 56 78",
            "04 72 00 00 00",
            "3 rue Haute",
        ] {
            assert!(!text.contains(private), "{path} shows {private}");
        }
    }
}
