//! Turnout during the day on a real server: reports taken with a receipt in
//! the election's one sequence of leaves, refused for what T1, the key or
//! the chain forbid; published per checkpoint as the sum over the
//! reporting bureaux, their coverage (3 of 13), participation over their
//! inscrits only, and lateness; every version in the record (which the
//! verifier's tests recompute).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{Server, start};
use pointage_core::turnout::SignedReport;
use pointage_core::{Election, Receipt};
use pointage_testkit::{forged_report, polling_today, turnout_report};

fn secret(i: u8) -> [u8; 32] {
    [40 + i; 32]
}

fn report(
    e: &Election,
    i: u8,
    checkpoint: &str,
    count: u32,
    previous: Option<&SignedReport>,
) -> SignedReport {
    turnout_report(
        e,
        &format!("J-{i:03}"),
        &secret(i),
        checkpoint,
        count,
        previous,
    )
}

async fn send(s: &Server, r: &SignedReport) -> (u16, serde_json::Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}/reports", s.base))
        .body(r.to_bytes())
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

fn code_of(body: &serde_json::Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread")]
async fn three_of_thirteen_report_and_the_turnout_covers_them_only() {
    let s = start().await;
    let e = polling_today("jour", 13, 4);
    let codes = s.db.store_election(&e, 0).unwrap();
    for i in 1..=4u8 {
        let code = &codes
            .iter()
            .find(|c| c.bureau == format!("J-{i:03}"))
            .unwrap()
            .code;
        s.enrolled(code, &secret(i)).await;
    }
    let server_key = s.key.clone();

    // Three bureaux at "matin" (late: it was due hours ago); J-002 typed
    // 900 for 90 and corrects it.
    let a = report(&e, 1, "matin", 120, None);
    let b1 = report(&e, 2, "matin", 900, None);
    let b2 = report(&e, 2, "matin", 90, Some(&b1));
    let c = report(&e, 3, "matin", 60, None);
    let mut sequences = Vec::new();
    for r in [&a, &b1, &b2, &c] {
        let (status, body) = send(&s, r).await;
        assert_eq!(status, 201, "{body}");
        let receipt: Receipt = serde_json::from_value(body["receipt"].clone()).unwrap();
        receipt.verify(&server_key, r.id()).unwrap();
        sequences.push(receipt.body.sequence);
    }
    assert!(
        sequences.windows(2).all(|w| w[1] == w[0] + 1),
        "{sequences:?}"
    );
    // The same report again: the same receipt, nothing stored twice.
    let (status, again) = send(&s, &a).await;
    assert_eq!(status, 200);
    assert_eq!(again["receipt"]["body"]["sequence"], sequences[0]);

    // The figures computed now, then a report: the next figures have it
    // (the turnout is kept between computations only until a report
    // comes).
    let before: pointage_core::wire::ResultsResponse = s.get_json("results?election=jour").await;
    assert_eq!(
        (before.turnout[0].reporting, before.turnout[1].reporting),
        (3, 0)
    );

    // "soir" from J-001, not late.
    assert_eq!(send(&s, &report(&e, 1, "soir", 400, None)).await.0, 201);

    let results: pointage_core::wire::ResultsResponse = s.get_json("results?election=jour").await;
    let matin = &results.turnout[0];
    assert_eq!(matin.checkpoint, "matin");
    assert_eq!(matin.signatures, 120 + 90 + 60);
    assert_eq!((matin.reporting, matin.bureaux, matin.late), (3, 13, 3));
    assert_eq!(matin.inscrits_reporting, Some(3_000));
    // 270 / 3 000 = 9 %: over the three bureaux, never over 13 000.
    assert_eq!(matin.participation_bp, Some(900));
    let soir = &results.turnout[1];
    assert_eq!((soir.signatures, soir.reporting, soir.late), (400, 1, 0));
    assert_eq!(soir.participation_bp, Some(4_000));

    // Refused: over the inscrits (T1, forged past the phone), a version
    // taken, a chain broken, another bureau's key, an unknown checkpoint.
    let mut over = report(&e, 4, "matin", 10, None).body().clone();
    over.count = Some(1_001);
    let forged = forged_report(&over, &secret(4));
    let (status, body) = send(&s, &forged).await;
    assert_eq!((status, code_of(&body)), (422, "report_over_inscrits"));
    let (status, body) = send(&s, &report(&e, 2, "matin", 91, None)).await;
    assert_eq!((status, code_of(&body)), (409, "report_version_taken"));
    let (status, body) = send(&s, &report(&e, 2, "matin", 92, Some(&b1))).await;
    assert_eq!((status, code_of(&body)), (409, "report_version_taken"));
    let mut stolen = report(&e, 5, "matin", 10, None).body().clone();
    stolen.bureau = "J-005".into();
    let (status, body) = send(&s, &forged_report(&stolen, &secret(5))).await;
    assert_eq!((status, code_of(&body)), (403, "report_key_not_enrolled"));
    let mut nowhen = report(&e, 4, "matin", 10, None).body().clone();
    nowhen.checkpoint = "midi".into();
    let (status, body) = send(&s, &forged_report(&nowhen, &secret(4))).await;
    assert_eq!((status, code_of(&body)), (422, "report_unknown_checkpoint"));

    // The results page says each checkpoint with its coverage, in each
    // language, the day above the (empty) totals.
    let base = s.base.trim_end_matches("/api/v1");
    let fr = reqwest::get(format!("{base}/resultats?election=jour&lang=fr"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        fr.contains("270\u{a0}émargements dans 3\u{a0}bureaux sur 13, soit 9,00\u{a0}% de leurs inscrits (dont 3 en retard)."),
        "{fr}"
    );
    assert!(fr.find("id=\"turnout\"").unwrap() < fr.find("id=\"totals\"").unwrap());
    assert!(fr.contains("href=\"/api/v1/open-data/turnout.csv?election=jour\""));
    let en = reqwest::get(format!("{base}/resultats?election=jour&lang=en"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        en.contains("400 signatures in 1 of 13 stations, 40.00% of their registered voters."),
        "{en}"
    );

    // The record holds every version, each in the one sequence.
    let record = reqwest::get(format!("{}/record?election=jour", s.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(record.matches("\"type\":\"report\"").count(), 5);

    // The open data: each bureau's latest report per checkpoint (J-002's
    // corrected 90, never its 900), summing to what the API publishes,
    // naming the head of the record they come from.
    let (text, rows) = s.open_data("turnout.csv?election=jour").await;
    let head = pointage_core::open_data::RecordHead::read(&text).unwrap();
    let log: pointage_core::log::SignedTreeHead = s.get_json("log?election=jour").await;
    assert_eq!(head.size, log.head.tree_size);
    assert_eq!(head.root, log.head.root_hash);
    assert_eq!(
        rows[0],
        [
            "Code du b.vote",
            "Libellé du b.vote",
            "Commune",
            "Inscrits",
            "Émargements 00:00",
            "Émargements 23:59"
        ]
    );
    assert_eq!(rows.len(), 1 + 13);
    let column = |n: usize| -> Vec<&str> { rows[1..].iter().map(|r| r[n].as_str()).collect() };
    let mut matin = vec!["120", "90", "60"];
    matin.resize(13, "");
    assert_eq!(column(4), matin);
    let sum: u64 = column(4).iter().filter_map(|c| c.parse::<u64>().ok()).sum();
    assert_eq!(sum, results.turnout[0].signatures);
    assert_eq!(column(5)[0], "400");
    assert_eq!(column(3)[0], "1000");
}
