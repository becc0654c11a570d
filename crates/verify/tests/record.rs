//! The verifier on records a real server produced: returns, a correction, a
//! reissued key. It passes on the record as published, and fails, naming
//! the bureau, on one byte changed anywhere in a return or a receipt, on a
//! return removed, and on a published total changed. The command answers
//! 0 or 1 accordingly, from a file and from the server's address.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../server/tests/common/mod.rs"]
mod common;

use common::{PHONE_1, PHONE_2, Server, sign, start};
use pointage_core::wire::{BureauPage, ResultsResponse};
use pointage_verify::report::{Lang, render};
use pointage_verify::{Figure, Problem, Published, verify};

/// A record with four bureaux' returns; DEMO-001's key reissued between its
/// version 1 and its correction.
async fn election_night() -> Server {
    let s = start().await;
    let old = s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    let v1 = sign(&old.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    assert_eq!(s.submit(v1.to_bytes()).await.status(), 201);
    for (bureau, key, votes) in [
        ("DEMO-002", [21; 32], [25, 25, 25, 25]),
        ("DEMO-003", [22; 32], [10, 20, 30, 40]),
    ] {
        let e = s.enrolled(&s.code(bureau), &key).await;
        let r = sign(&e.election, bureau, votes, &key, None);
        assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
    }
    let new_code = s.reissue("DEMO-001", 1);
    let new = s.enrolled(&new_code.code, &PHONE_2).await;
    let v2 = sign(
        &new.election,
        "DEMO-001",
        [41, 29, 20, 10],
        &PHONE_2,
        Some((&v1, "Erreur de report.".into())),
    );
    assert_eq!(s.submit(v2.to_bytes()).await.status(), 201);
    s
}

#[tokio::test]
async fn a_bureau_counted_on_table_phones_verifies_and_a_sheet_changed_after_signing_fails() {
    let s = start().await;
    let e = s.enrolled(&s.code("DEMO-004"), &PHONE_1).await;
    let r = common::sign_with_tables(&e.election, "DEMO-004", &PHONE_1);
    assert_eq!(r.body().format, "pointage-return/2");
    assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
    let (record, published) = published(&s).await;
    let ok = verify(&record, Some(&published));
    assert!(ok.problems.is_empty(), "{:?}", ok.problems);
    assert_eq!(ok.accepted, 1);
    assert_eq!(ok.results.as_ref().unwrap().exprimes, 100);

    // A table's recorder renamed in the record: its sheet no longer holds
    // (and so neither does the bureau's signature over it).
    let doctored = record.replacen("\"recorder\":\"Farid\"", "\"recorder\":\"Fared\"", 1);
    assert_ne!(doctored, record);
    let report = verify(&doctored, Some(&published));
    assert!(
        report
            .problems
            .iter()
            .any(|p| matches!(p, Problem::Return { bureau: Some(b), .. } if b == "DEMO-004")),
        "{:?}",
        report.problems
    );
}

async fn published(s: &Server) -> (String, Published) {
    let record = s.record().await;
    let results: ResultsResponse = s.results().await;
    let page: BureauPage = s.bureaux("limit=200").await;
    (
        record,
        Published {
            results: results.results,
            bureaux: Some(page.bureaux),
        },
    )
}

fn is_return(line: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(line).unwrap()["type"] == "return"
}

fn bureau_of(line: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["return"]["body"]["bureau"].as_str().unwrap().to_owned()
}

/// Another ASCII character of the same kind, so that the change is one
/// byte and most often still well-formed JSON.
fn other(c: u8) -> u8 {
    match c {
        b'0'..=b'8' | b'a'..=b'e' | b'A'..=b'Y' => c + 1,
        b'9' => b'0',
        b'f' => b'a',
        b'Z' => b'A',
        b'g'..=b'y' => c + 1,
        b'z' => b'a',
        _ => b'x',
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_record_as_published_holds_and_its_results_are_the_servers() {
    let s = election_night().await;
    let (record, published) = published(&s).await;
    let report = verify(&record, Some(&published));
    assert_eq!(report.problems, vec![]);
    assert!(report.holds());
    assert_eq!((report.returns, report.accepted), (4, 4));
    let results = report.results.as_ref().unwrap();
    assert_eq!(results.coverage.reporting, 3);
    assert_eq!(results.counted["DEMO-001"].version, 2);
    let fr = render(Lang::Fr, &report);
    assert!(fr.contains("TOUT CONCORDE"), "{fr}");
    assert!(render(Lang::En, &report).contains("EVERYTHING HOLDS"));
}

#[tokio::test(flavor = "multi_thread")]
async fn one_byte_changed_anywhere_in_a_return_or_its_receipt_fails_naming_the_bureau() {
    let s = election_night().await;
    let (record, published) = published(&s).await;
    let lines: Vec<&str> = record.lines().collect();
    let mut tried = 0;
    for (i, line) in lines.iter().enumerate() {
        if !is_return(line) {
            continue;
        }
        let bureau = bureau_of(line);
        for p in 0..line.len() {
            let mut bytes = line.as_bytes().to_vec();
            if !bytes[p].is_ascii() {
                continue;
            }
            bytes[p] = other(bytes[p]);
            let changed = String::from_utf8(bytes).unwrap();
            let mut doctored = lines.clone();
            doctored[i] = &changed;
            let report = verify(&doctored.join("\n"), Some(&published));
            assert!(!report.holds(), "line {i} byte {p} changed: still holds");
            // Named, unless the byte changed is the bureau's own name.
            let text = render(Lang::En, &report);
            let in_name = line
                .match_indices(&bureau)
                .any(|(at, _)| (at..at + bureau.len()).contains(&p));
            assert!(
                in_name || text.contains(&format!("station {bureau}")),
                "line {i} byte {p}: {text}"
            );
            tried += 1;
        }
    }
    assert!(tried > 4_000, "{tried}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_return_removed_fails_naming_its_bureau() {
    let s = election_night().await;
    let (record, published) = published(&s).await;
    let lines: Vec<&str> = record.lines().collect();
    let returns: Vec<usize> = (0..lines.len()).filter(|&i| is_return(lines[i])).collect();
    for &gone in &returns {
        let bureau = bureau_of(lines[gone]);
        let kept: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != gone)
            .map(|(_, l)| *l)
            .collect();
        let report = verify(&kept.join("\n"), Some(&published));
        assert!(!report.holds());
        // A gap in the receipts shows, but for the last one, which only the
        // published figures and counted versions reveal.
        let last = Some(&gone) == returns.last();
        assert_eq!(
            report
                .problems
                .iter()
                .any(|p| matches!(p, Problem::Missing { .. })),
            !last,
            "{:?}",
            report.problems
        );
        let text = render(Lang::Fr, &report);
        assert!(text.contains(&format!("bureau {bureau}")), "{text}");
    }
    // The last return removed from a file with no published results: the
    // gap cannot show, but a correction without its version does.
    let without_v1: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != returns[0])
        .map(|(_, l)| *l)
        .collect();
    let report = verify(&without_v1.join("\n"), None);
    assert!(!report.holds());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_published_total_changed_fails_naming_the_figure() {
    let s = election_night().await;
    let (record, published) = published(&s).await;
    let mut p = published.clone();
    p.results.candidates[1].votes += 1;
    let report = verify(&record, Some(&p));
    let name = p.results.candidates[1].name.clone();
    assert_eq!(
        report.problems,
        vec![Problem::Figure {
            what: Figure::Votes(name.clone()),
            published: (published.results.candidates[1].votes + 1).to_string(),
            recomputed: published.results.candidates[1].votes.to_string(),
        }]
    );
    assert!(render(Lang::Fr, &report).contains(&format!("voix de {name}")));
    let mut p = published.clone();
    p.results.coverage.reporting = 4;
    assert!(!verify(&record, Some(&p)).holds());
    let mut p = published.clone();
    p.results.turnout = None;
    p.results.exprimes -= 1;
    assert_eq!(verify(&record, Some(&p)).problems.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_answers_0_on_the_server_and_its_file_and_1_on_a_doctored_file() {
    let s = election_night().await;
    let (record, _) = published(&s).await;
    let origin = s.base.trim_end_matches("/api/v1").to_owned();
    let bin = env!("CARGO_BIN_EXE_pointage-verify");
    let run = move |args: Vec<String>| std::process::Command::new(bin).args(args).output().unwrap();
    let out = tokio::task::spawn_blocking({
        let origin = origin.clone();
        move || run(vec![origin])
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Comparés aux résultats publiés."), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("record.jsonl");
    std::fs::write(&file, &record).unwrap();
    let out = run(vec!["--en".into(), file.display().to_string()]);
    assert_eq!(out.status.code(), Some(0));
    let doctored = record.replacen("\"blancs\":2", "\"blancs\":3", 1);
    assert_ne!(doctored, record);
    std::fs::write(&file, &doctored).unwrap();
    let out = run(vec!["--en".into(), file.display().to_string()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("station DEMO-001"), "{text}");
    let out = run(vec!["/no/such/record".into()]);
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_elections_record_is_final_and_its_last_return_cannot_be_cut_off() {
    let s = election_night().await;
    s.db.close_election(s.election.id(), 1_900_000_000_000)
        .unwrap()
        .unwrap();
    let (record, published) = published(&s).await;
    let report = verify(&record, None);
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.closed_at, Some(1_900_000_000_000));
    assert!(render(Lang::Fr, &report).contains("Registre définitif"));
    assert!(render(Lang::En, &report).contains("Final record"));
    // The last return removed: without published results an open record
    // cannot show it (above); a final one names every receipt it ends with.
    let lines: Vec<&str> = record.lines().collect();
    let last = (0..lines.len())
        .rev()
        .find(|&i| is_return(lines[i]))
        .unwrap();
    let cut: Vec<&str> = lines[..last].to_vec();
    let report = verify(&cut.join("\n"), None);
    assert_eq!(report.problems, vec![Problem::Missing { from: 4, to: 4 }]);
    // A return slipped in after the closure: named.
    let closed_line = lines
        .iter()
        .position(|l| l.contains("\"type\":\"closed\""))
        .unwrap();
    let mut earlier = lines.clone();
    earlier[closed_line] = r#"{"type":"closed","closed_at":1900000000000,"last_sequence":3}"#;
    let report = verify(&earlier.join("\n"), Some(&published));
    assert!(
        report.problems.contains(&Problem::AfterClosure {
            sequence: 4,
            last: 3
        }),
        "{:?}",
        report.problems
    );
}
