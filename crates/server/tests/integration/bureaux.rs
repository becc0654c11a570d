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

/// A greyscale page rendered from a PDF by pdftoppm (poppler-utils, which
/// `cargo xtask test` installs; `PDFTOPPM` names it), as (width, height,
/// pixels).
fn render_first_page(pdf: &std::path::Path) -> (usize, usize, Vec<u8>) {
    let tool = std::env::var("PDFTOPPM").unwrap_or_else(|_| "pdftoppm".into());
    let out = std::process::Command::new(&tool)
        .args(["-r", "150", "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // PGM: "P5\n<w> <h>\n255\n" then one byte a pixel.
    let pgm = out.stdout;
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, pgm[at + 1..].to_vec())
}

#[tokio::test(flavor = "multi_thread")]
async fn each_bureau_s_letter_holds_a_code_that_enrolls_its_phone() {
    use pointage_server::letters::{Lang, LettersAsked, letters_pdf};
    let s = start().await;
    let (e, details) = definition(&fixture("primaire.json"), &fixture("bureaux.csv")).unwrap();
    let codes = s.db.store_election_with(&e, &details, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("codes.csv");
    let origin = s.base.trim_end_matches("/api/v1").to_owned();
    pointage_server::admin::write_codes(&e, &codes, &csv, &origin).unwrap();
    let files = vec![csv];
    let asked = LettersAsked {
        election: e.id(),
        codes: &files,
        departement: None,
        team_phone: Some("01 23 45 67 89"),
        lang: Lang::Fr,
        out: &dir.path().join("unused.pdf"),
    };
    let (pdf, written, missing) = letters_pdf(&s.db, &asked).unwrap();
    assert_eq!((written, missing.len()), (3, 0));
    assert!(pdf.starts_with(b"%PDF-"));
    let file = dir.path().join("letters.pdf");
    std::fs::write(&file, &pdf).unwrap();
    // The first page is the first département's: 69, Lyon.
    let (w, h, pixels) = render_first_page(&file);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, url) = grids[0].decode().unwrap();
    let code = url
        .strip_prefix(&format!("{origin}/enroler#code="))
        .unwrap_or_else(|| panic!("{url}"));
    let lyon = codes.iter().find(|c| c.bureau == "069-001").unwrap();
    assert_eq!(code, lyon.code);
    // The code read off the paper enrolls the bureau's phone.
    let enrolled = s.enrolled(code, &[93; 32]).await;
    assert_eq!(enrolled.election.bureau.code, "069-001");

    // By département: the two Paris bureaux only.
    let paris = LettersAsked {
        departement: Some("75"),
        ..asked
    };
    let (_, written, _) = letters_pdf(&s.db, &paris).unwrap();
    assert_eq!(written, 2);
    // After a reissue, the letter carries the new code: the reissue's
    // file, given last, wins.
    let new =
        s.db.reissue_code(
            e.id(),
            "069-001",
            1,
            pointage_core::operator::Actor::CommandLine,
        )
        .unwrap();
    let again = dir.path().join("codes-reissue.csv");
    pointage_server::admin::write_codes(&e, std::slice::from_ref(&new), &again, &origin).unwrap();
    let files = vec![dir.path().join("codes.csv"), again];
    let lyon_only = LettersAsked {
        codes: &files,
        departement: Some("69"),
        ..asked
    };
    let (pdf, written, _) = letters_pdf(&s.db, &lyon_only).unwrap();
    assert_eq!(written, 1);
    std::fs::write(&file, &pdf).unwrap();
    let (w, h, pixels) = render_first_page(&file);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let (_, url) = image.detect_grids()[0].decode().unwrap();
    assert!(url.ends_with(&new.code), "{url}");

    // The older file alone: its code of 069-001 was replaced, and no
    // letter is made with it.
    let old_only = vec![dir.path().join("codes.csv")];
    let stale = LettersAsked {
        codes: &old_only,
        ..asked
    };
    let refused = letters_pdf(&s.db, &stale).unwrap_err();
    assert!(
        refused.contains("replaced by a reissue: 069-001."),
        "{refused}"
    );
    // Without --team-phone, the number the team gave for the election is
    // printed (the import page keeps it).
    s.db.team_phone_set(e.id(), "04 72 00 00 00").unwrap();
    let without = LettersAsked {
        team_phone: None,
        ..lyon_only
    };
    let (pdf, _, _) = letters_pdf(&s.db, &without).unwrap();
    std::fs::write(&file, &pdf).unwrap();
    let text = first_page_text(&file);
    assert!(text.contains("04 72 00 00 00"), "{text}");
}

/// The text of a PDF's first page, by pdftotext (poppler-utils, beside
/// pdftoppm).
fn first_page_text(pdf: &std::path::Path) -> String {
    let tool = std::env::var("PDFTOPPM")
        .map(|p| p.replace("pdftoppm", "pdftotext"))
        .unwrap_or_else(|_| "pdftotext".into());
    let out = std::process::Command::new(&tool)
        .args(["-f", "1", "-l", "1", "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_board_lists_the_late_first_with_the_phone_to_call() {
    use pointage_server::board::{BoardAsked, csv};
    let s = start().await;
    let (e, details) = definition(&fixture("primaire.json"), &fixture("bureaux.csv")).unwrap();
    let e = pointage_testkit::with_day(&e);
    let codes = s.db.store_election_with(&e, &details, 0).unwrap();
    let code = |b: &str| codes.iter().find(|c| c.bureau == b).unwrap().code.clone();
    // 075-001 enrolls and reports its opening; the others do nothing.
    s.enrolled(&code("075-001"), &[94; 32]).await;
    let opening = pointage_testkit::turnout_report(&e, "075-001", &[94; 32], "ouverture", 3, None);
    let sent = s
        .client
        .post(format!("{}/reports", s.base))
        .body(opening.to_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    let noon_thirty =
        pointage_core::day::rfc3339_ms(&format!("{}T12:30:00+01:00", e.date())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("board.csv");
    let mut asked = BoardAsked {
        election: e.id(),
        departement: None,
        late: false,
        out: &out,
    };
    let (_, text, lines) = csv(&s.db, &asked, noon_thirty).unwrap();
    assert_eq!(lines, 3);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows[0],
        "bureau,name,commune,departement,stage,since_utc,late_for,refused,president,phone"
    );
    // Late since the opening, no key: first, by code; then late for noon.
    assert_eq!(
        rows[1],
        "069-001,Salle des fêtes,Lyon,69,not_enrolled,,ouverture,,Bruno Martin,04 72 00 00 00"
    );
    assert!(
        rows[2].starts_with("075-002,Mairie annexe,Paris,75,not_enrolled,,ouverture,,,"),
        "{}",
        rows[2]
    );
    assert!(
        rows[3].starts_with("075-001,École Jean-Jaurès,Paris,75,reported:ouverture,20")
            // A cell a spreadsheet would take for a formula is made text.
            && rows[3].ends_with(",12h,,Awa Diallo,'+33 6 12 34 56 78"),
        "{}",
        rows[3]
    );
    asked.departement = Some("75");
    assert_eq!(csv(&s.db, &asked, noon_thirty).unwrap().2, 2);
    // At 07:00 nobody is late yet.
    asked.departement = None;
    asked.late = true;
    let seven = pointage_core::day::rfc3339_ms(&format!("{}T07:00:00+01:00", e.date())).unwrap();
    assert_eq!(csv(&s.db, &asked, seven).unwrap().2, 0);
    assert_eq!(csv(&s.db, &asked, noon_thirty).unwrap().2, 3);
}
