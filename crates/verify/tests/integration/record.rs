//! The verifier on records a real server produced: returns, a correction, a
//! reissued key. It passes on the record as published (listing the
//! re-keying and the version signed by the new key), and fails on one byte
//! changed anywhere in a return leaf (naming the bureau when the byte is
//! the return's), on a return removed, on a published total changed. The
//! command answers 0 or 1 accordingly, from a file and from the server's
//! address. `forged.rs` has the records a dishonest operator makes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "record/forged.rs"]
mod forged;

use crate::common::{PHONE_1, PHONE_2, Server, sign, start};
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
    let r = crate::common::sign_with_tables(&e.election, "DEMO-004", &PHONE_1);
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
            turnout: Some(results.turnout),
            still_open: results.still_open,
        },
    )
}

fn is_return(line: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(line).unwrap()["entry"]["type"] == "return"
}

fn bureau_of(line: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["entry"]["return"]["body"]["bureau"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Where the signed return is in a return leaf's line.
fn return_span(line: &str) -> std::ops::Range<usize> {
    let start = line.find("\"return\":").unwrap() + 9;
    let end = line.rfind(",\"type\":\"return\"").unwrap();
    start..end
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
    // The reissue, and the version signed by the new key, are listed: a
    // rogue reissue is well formed, and visible.
    assert_eq!(report.rekeyed.len(), 2, "{:?}", report.rekeyed);
    assert_eq!(
        report.other_key_versions,
        vec![pointage_verify::OtherKeyVersion {
            bureau: "DEMO-001".into(),
            version: 2,
            sequence: 9,
        }]
    );
    let fr = render(Lang::Fr, &report);
    assert!(fr.contains("TOUT CONCORDE"), "{fr}");
    assert!(
        fr.contains("bureau DEMO-001 : code réémis par la ligne de commande du serveur le"),
        "{fr}"
    );
    assert!(
        fr.contains("bureau DEMO-001, version 2 (feuille 9) : signée par une autre clé"),
        "{fr}"
    );
    let en = render(Lang::En, &report);
    assert!(en.contains("EVERYTHING HOLDS"), "{en}");
    assert!(en.contains("station DEMO-001: new key"), "{en}");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_byte_changed_anywhere_in_a_return_leaf_fails_naming_the_bureau_when_it_is_the_returns()
{
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
            // Named when the byte is the signed return's, unless it is the
            // bureau's own name; the leaf's time or number, the head's root.
            let text = render(Lang::En, &report);
            let in_name = line
                .match_indices(&bureau)
                .any(|(at, _)| (at..at + bureau.len()).contains(&p));
            if return_span(line).contains(&p) && !in_name {
                assert!(
                    text.contains(&format!("station {bureau}")),
                    "line {i} byte {p}: {text}"
                );
            }
            tried += 1;
        }
    }
    assert!(tried > 3_000, "{tried}");
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
        // The head covers one more leaf than the record gives; a gap in
        // the numbers shows, but for the last leaf.
        assert!(
            report
                .problems
                .iter()
                .any(|p| matches!(p, Problem::HeadSize { .. })),
            "{:?}",
            report.problems
        );
        let last = gone == lines.len() - 1;
        assert_eq!(
            report
                .problems
                .iter()
                .any(|p| matches!(p, Problem::LeafOrder { .. })),
            !last,
            "{:?}",
            report.problems
        );
        let text = render(Lang::Fr, &report);
        assert!(text.contains(&format!("bureau {bureau}")), "{text}");
    }
    // The first return removed from a file with no published results: the
    // head shows it, and so does the correction without its version.
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
    // What the bureaux left could still change, published otherwise than
    // the record's results give it: named.
    let mut p = published.clone();
    assert!(p.still_open.is_some());
    p.still_open.as_mut().unwrap().outstanding.bureaux -= 1;
    let report = verify(&record, Some(&p));
    assert!(
        matches!(report.problems.as_slice(), [Problem::StillOpen { .. }]),
        "{:?}",
        report.problems
    );
    assert!(
        render(Lang::Fr, &report).contains("ce que les bureaux restants peuvent encore changer")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bureau_listed_in_another_state_than_the_record_gives_fails_naming_it() {
    use pointage_core::wire::BureauState;
    let s = election_night().await;
    // A phone enrolled for DEMO-005, which has not sent: the record holds
    // its key, so the server must list it as enrolled.
    s.enrolled(&s.code("DEMO-005"), &[25; 32]).await;
    let (record, published) = published(&s).await;
    assert_eq!(verify(&record, Some(&published)).problems, vec![]);
    let list = published.bureaux.clone().unwrap();
    let state_of = |code: &str| list.iter().find(|b| b.code == code).unwrap().state;
    assert_eq!(state_of("DEMO-005"), BureauState::Enrolled);
    assert_eq!(state_of("DEMO-006"), BureauState::NotEnrolled);

    // The server hides the phone (or claims one where there is none).
    for (code, lie) in [
        ("DEMO-005", BureauState::NotEnrolled),
        ("DEMO-006", BureauState::Enrolled),
    ] {
        let mut p = published.clone();
        let b = p
            .bureaux
            .as_mut()
            .unwrap()
            .iter_mut()
            .find(|b| b.code == code)
            .unwrap();
        b.state = lie;
        let report = verify(&record, Some(&p));
        assert_eq!(
            report.problems,
            vec![Problem::State {
                bureau: code.into(),
                published: Some(lie),
                recomputed: Some(state_of(code)),
            }]
        );
        assert!(render(Lang::Fr, &report).contains("le registre le dit"));
    }
    // A bureau left out of the list, and one listed twice.
    let mut p = published.clone();
    p.bureaux.as_mut().unwrap().retain(|b| b.code != "DEMO-006");
    let twice = p.bureaux.as_ref().unwrap()[0].clone();
    p.bureaux.as_mut().unwrap().push(twice.clone());
    let mut named: Vec<String> = verify(&record, Some(&p))
        .problems
        .into_iter()
        .filter_map(|x| match x {
            Problem::State {
                bureau,
                published: None,
                ..
            } => Some(bureau),
            _ => None,
        })
        .collect();
    named.sort();
    let mut want = vec![twice.code, "DEMO-006".to_owned()];
    want.sort();
    assert_eq!(named, want);
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
    // --help is an answer, in both languages; an unknown option an error.
    let out = run(vec!["--help".into()]);
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{help}");
    assert!(
        help.contains("--watch") && help.contains("Vérifie un registre public"),
        "{help}"
    );
    let out = run(vec!["--no-such-option".into(), file.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    // A key of a bureau that signed nothing, misspelt: the record does not
    // hold, though the leaf is the server's to write.
    let key = crate::common::public_key_hex_of(&[22; 32]);
    let malformed = record.replacen(&key, &key.to_uppercase(), 1);
    assert_ne!(malformed, record);
    std::fs::write(&file, &malformed).unwrap();
    let out = run(vec!["--en".into(), file.display().to_string()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    let misspelt = record.replacen("\"device_key\":", "\"device_kee\":", 1);
    std::fs::write(&file, &misspelt).unwrap();
    let out = run(vec!["--en".into(), file.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_elections_record_is_final_and_its_last_return_cannot_be_cut_off() {
    let s = election_night().await;
    s.db.close_election(
        s.election.id(),
        1_900_000_000_000,
        pointage_core::operator::Actor::CommandLine,
    )
    .unwrap()
    .unwrap();
    let (record, published) = published(&s).await;
    let report = verify(&record, None);
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.closed_at, Some(1_900_000_000_000));
    assert!(render(Lang::Fr, &report).contains("Registre définitif"));
    assert!(render(Lang::En, &report).contains("Final record"));
    // The closing is the last leaf; the last return cut off before it
    // leaves a gap, and a head covering one leaf more.
    let lines: Vec<&str> = record.lines().collect();
    assert!(lines.last().unwrap().contains("\"type\":\"closed\""));
    let last = (0..lines.len())
        .rev()
        .find(|&i| is_return(lines[i]))
        .unwrap();
    let mut cut = lines.clone();
    cut.remove(last);
    let report = verify(&cut.join("\n"), None);
    assert!(
        report
            .problems
            .iter()
            .any(|p| matches!(p, Problem::LeafOrder { .. })),
        "{:?}",
        report.problems
    );
    // A return slipped in after the closing: named, and the head's root
    // is not its.
    let closed_line = lines.len() - 1;
    let mut after = lines.clone();
    after.swap(last, closed_line);
    let renumbered: Vec<String> = after
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == last || i == closed_line {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["index"] = (i as u64 - 2).into();
                serde_json::to_string(&v).unwrap()
            } else {
                (*l).to_owned()
            }
        })
        .collect();
    let report = verify(&renumbered.join("\n"), Some(&published));
    assert!(
        report.problems.contains(&Problem::AfterClosure {
            index: closed_line as u64 - 2
        }),
        "{:?}",
        report.problems
    );
    assert!(
        report.problems.contains(&Problem::HeadRoot),
        "{:?}",
        report.problems
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_rounds_record_says_which_keys_were_carried_from_the_first() {
    use pointage_core::election::{Election, ElectionInfo};
    let s = start().await;
    let first = s.election.clone();
    for (bureau, key) in [("DEMO-001", PHONE_1), ("DEMO-002", PHONE_2)] {
        s.enrolled(&s.code(bureau), &key).await;
    }
    let second = Election::new(ElectionInfo {
        id: "demo-2027-t2".into(),
        name: format!("{}, second tour", first.name()),
        round: 2,
        date: "2027-01-29".into(),
        mode: first.mode(),
        candidates: first.candidates().to_vec(),
        bureaux: first.bureaux().to_vec(),
        day: None,
        qualification: None,
    })
    .unwrap();
    let codes = s.db.store_next_round(&second, &[], first.id(), 5).unwrap();
    assert_eq!(
        codes.len(),
        first.bureaux().len() - 2,
        "no code for the carried"
    );
    // The carried key signs the second round's return.
    let r = sign(&second, "DEMO-002", [25, 25, 25, 25], &PHONE_2, None);
    assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
    let record = s
        .client
        .get(format!("{}/record?election=demo-2027-t2", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let report = verify(&record, None);
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.accepted, 1);
    assert_eq!(report.carried, vec![(first.id().to_owned(), 2)]);
    assert!(report.rekeyed.is_empty(), "a carried key is no re-keying");
    let fr = render(Lang::Fr, &report);
    assert!(
        fr.contains("2 bureaux gardent la clé de leur téléphone de l’élection demo-2027-t1"),
        "{fr}"
    );
    let en = render(Lang::En, &report);
    assert!(
        en.contains("2 stations keep their phone's key from election demo-2027-t1"),
        "{en}"
    );
}
