//! The verifier on a record with turnout reports a real server took, a
//! correction among them: it passes, recomputing each checkpoint as the
//! server published it; it fails naming the bureau when a report's count
//! is altered in the record, and naming the checkpoint when a published
//! figure is changed.

use crate::common::start;
use pointage_core::open_data::{File, RecordHead};
use pointage_core::wire::ResultsResponse;
use pointage_testkit::{polling_today, turnout_report};
use pointage_verify::report::{Lang, render};
use pointage_verify::{Held, Problem, Published, verify, verify_held};

fn secret(i: u8) -> [u8; 32] {
    [60 + i; 32]
}

#[tokio::test(flavor = "multi_thread")]
async fn a_record_with_reports_verifies_and_an_altered_count_or_figure_fails() {
    let s = start().await;
    let e = polling_today("jour", 13, 4);
    let codes = s.db.store_election(&e, 0).unwrap();
    let client = reqwest::Client::new();
    let mut sent = Vec::new();
    let mut early = Vec::new();
    for i in 1..=3u8 {
        let bureau = format!("J-{i:03}");
        let code = &codes.iter().find(|c| c.bureau == bureau).unwrap().code;
        s.enrolled(code, &secret(i)).await;
        let first = turnout_report(&e, &bureau, &secret(i), "matin", 100 * u32::from(i), None);
        sent.push(first.clone());
        if i == 2 {
            sent.push(turnout_report(
                &e,
                &bureau,
                &secret(i),
                "matin",
                20,
                Some(&first),
            ));
        }
    }
    let csv = |name: &'static str| {
        let client = client.clone();
        let base = s.base.clone();
        async move {
            client
                .get(format!("{base}/open-data/{name}?election=jour"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    for (n, r) in sent.iter().enumerate() {
        if n == 2 {
            // Open data written before J-002's correction arrived.
            early.push(csv("turnout.csv").await);
        }
        let resp = client
            .post(format!("{}/reports", s.base))
            .body(r.to_bytes())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    let record = client
        .get(format!("{}/record?election=jour", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let results: ResultsResponse = s.get_json("results?election=jour").await;
    let published = Published {
        results: results.results.clone(),
        bureaux: None,
        turnout: Some(results.turnout.clone()),
        still_open: results.still_open.clone(),
    };
    let report = verify(&record, Some(&published));
    assert_eq!(report.problems, vec![]);
    assert_eq!((report.reports, report.reports_accepted), (4, 4));
    assert_eq!(report.turnout, results.turnout);
    assert_eq!(report.turnout[0].signatures, 100 + 20 + 300);

    // J-003's count changed in the record: its signature no longer holds.
    let doctored = record.replacen("\"count\":300", "\"count\":30", 1);
    assert_ne!(doctored, record);
    let report = verify(&doctored, Some(&published));
    assert!(
        report.problems.iter().any(|p| matches!(
            p,
            Problem::Report { bureau: Some(b), .. } if b == "J-003"
        )),
        "{:?}",
        report.problems
    );
    assert!(render(Lang::Fr, &report).contains("J-003"));

    // A published checkpoint figure changed: named with both figures.
    let mut lied = published.clone();
    lied.turnout.as_mut().unwrap()[0].signatures += 1_000;
    let report = verify(&record, Some(&lied));
    assert_eq!(
        report.problems,
        vec![Problem::Turnout {
            checkpoint: "matin".into(),
            what: "signatures",
            published: "1420".into(),
            recomputed: "420".into(),
        }]
    );
    assert!(render(Lang::En, &report).contains("checkpoint \"matin\", signatures"));

    // The open data, whenever fetched, are what the record's first leaves
    // give: the file written before the correction (J-002 at 200) as
    // much as the one after (J-002 at 20, once the server writes it
    // again).
    let results_csv = csv("results.csv").await;
    let turnout_csv = csv("turnout.csv").await;
    assert!(
        early[0].contains("\r\nJ-002;Bureau 2;Arles;1000;200;\r\n"),
        "{}",
        early[0]
    );
    let held = |files: Vec<String>| Held {
        open_data: files,
        ..Held::default()
    };
    let all = vec![early[0].clone(), results_csv.clone(), turnout_csv.clone()];
    let report = verify_held(&record, None, &held(all));
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.open_data_checked, 3);
    assert!(render(Lang::Fr, &report).contains("comparées : 3 fichier(s)"));

    // A line changed: named by its bureau.
    let altered = early[0].replace(
        "J-002;Bureau 2;Arles;1000;200",
        "J-002;Bureau 2;Arles;1000;250",
    );
    assert_ne!(altered, early[0]);
    let report = verify_held(&record, None, &held(vec![altered]));
    assert_eq!(
        report.problems,
        vec![Problem::OpenData {
            file: File::Turnout,
            bureau: Some("J-002".into())
        }]
    );
    assert!(render(Lang::Fr, &report).contains("J-002"));
    // A file that names a head the record does not have.
    let head = RecordHead::read(&results_csv).unwrap();
    let other = results_csv.replace(&head.root, &"0".repeat(64));
    let report = verify_held(&record, None, &held(vec![other]));
    assert_eq!(
        report.problems,
        vec![Problem::OpenDataHead {
            file: File::Results
        }]
    );
}
