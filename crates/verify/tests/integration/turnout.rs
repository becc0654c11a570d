//! The verifier on a record with turnout reports a real server took, a
//! correction among them: it passes, recomputing each checkpoint as the
//! server published it; it fails naming the bureau when a report's count
//! is altered in the record, and naming the checkpoint when a published
//! figure is changed.

use crate::common::start;
use pointage_core::wire::ResultsResponse;
use pointage_testkit::{polling_today, turnout_report};
use pointage_verify::report::{Lang, render};
use pointage_verify::{Problem, Published, verify};

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
    for r in &sent {
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
}
