//! The results and the public record over real HTTP: totals of the bureaux
//! that reported and which are silent, the bureaux a page at a time, and a
//! record from which anyone recomputes every figure.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::log::{LogEntry, RecordLine, Tree};
use pointage_core::signed_return::human_code;
use pointage_core::signed_return::public_key_hex;
use pointage_core::wire::{BureauCounts, BureauPage};
use pointage_core::{Election, SignedReturn};

use crate::common::*;

#[tokio::test]
async fn results_add_the_reporting_bureaux_and_say_which_are_silent() {
    let s = start().await;
    s.enroll(&s.code("DEMO-001"), &PHONE_1).await;
    s.enroll(&s.code("DEMO-002"), &PHONE_2).await;
    s.enroll(&s.code("DEMO-003"), &[13; 32]).await;
    let a = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    let b = sign(&s.election, "DEMO-002", [10, 20, 30, 45], &PHONE_2, None);
    for r in [&a, &b] {
        assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
    }
    let r = s.results().await;
    assert_eq!(
        (r.results.coverage.reporting, r.results.coverage.total),
        (2, 13)
    );
    let votes: Vec<u64> = r.results.candidates.iter().map(|c| c.votes).collect();
    assert_eq!(votes, vec![50, 50, 50, 55]);
    assert_eq!(r.results.exprimes, 205);
    // 55 of 205: 26.83 %.
    assert_eq!(r.results.candidates[3].percent_of_exprimes_bp, Some(2683));
    assert_eq!(r.results.turnout, None, "an open primary has no inscrits");
    assert_eq!(
        r.bureaux,
        BureauCounts {
            received: 2,
            enrolled: 1,
            not_enrolled: 10
        }
    );
    use pointage_core::wire::BureauState::*;
    let all = s.bureaux("limit=200").await;
    let states: Vec<_> = all.bureaux.iter().map(|b| b.state).collect();
    let mut expected = vec![Received, Received, Enrolled];
    expected.resize(13, NotEnrolled);
    assert_eq!(states, expected);
    assert_eq!(all.matching, 13);
    // A received bureau names the version and human code it counts.
    assert_eq!(all.bureaux[0].version, Some(1));
    assert_eq!(
        all.bureaux[0].human_code.as_deref(),
        Some(a.human_code().as_str())
    );

    // The open data: a line per bureau in the ministry's layout, the two
    // counted with their figures, version and paper code, the others
    // empty; each candidate's column sums to the API's total.
    let (_, rows) = s.open_data("results.csv").await;
    let names: Vec<&str> = s
        .election
        .candidates()
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let mut header = vec![
        "Code du b.vote",
        "Libellé du b.vote",
        "Commune",
        "Inscrits",
        "Votants",
        "Blancs",
        "Nuls",
        "Exprimés",
    ];
    header.extend(&names);
    header.extend(["Version du PV", "Code du PV"]);
    assert_eq!(rows[0], header);
    assert_eq!(rows.len(), 1 + 13);
    assert_eq!(rows[1][0], "DEMO-001");
    assert_eq!(rows[1][12..], ["1".to_owned(), a.human_code()]);
    assert!(rows[3][3..].iter().all(String::is_empty), "{:?}", rows[3]);
    for (i, c) in r.results.candidates.iter().enumerate() {
        let sum: u64 = rows[1..]
            .iter()
            .filter_map(|row| row[8 + i].parse::<u64>().ok())
            .sum();
        assert_eq!(sum, c.votes, "{}", c.name);
    }
    let exprimes: u64 = rows[1..]
        .iter()
        .filter_map(|row| row[7].parse::<u64>().ok())
        .sum();
    assert_eq!(exprimes, r.results.exprimes);
}

#[tokio::test]
async fn the_bureaux_come_a_page_at_a_time_filtered_by_state_or_text() {
    let s = start().await;
    s.enroll(&s.code("DEMO-001"), &PHONE_1).await;
    s.enroll(&s.code("DEMO-002"), &PHONE_2).await;
    let r = sign(&s.election, "DEMO-002", [10, 20, 30, 45], &PHONE_2, None);
    assert_eq!(s.submit(r.to_bytes()).await.status(), 201);

    let codes = |p: &BureauPage| p.bureaux.iter().map(|b| b.code.clone()).collect::<Vec<_>>();
    let first = s.bureaux("limit=5").await;
    assert_eq!(
        (first.matching, first.offset, first.bureaux.len()),
        (13, 0, 5)
    );
    let second = s.bureaux("limit=5&offset=5").await;
    assert_eq!(codes(&second)[0], "DEMO-006");
    let last = s.bureaux("limit=5&offset=10").await;
    assert_eq!(codes(&last), vec!["DEMO-011", "DEMO-012", "DEMO-013"]);
    assert!(s.bureaux("offset=99").await.bureaux.is_empty());
    // Without a limit, 50; never more than 200.
    assert_eq!(s.bureaux("").await.bureaux.len(), 13);

    assert_eq!(codes(&s.bureaux("state=received").await), vec!["DEMO-002"]);
    assert_eq!(codes(&s.bureaux("state=enrolled").await), vec!["DEMO-001"]);
    assert_eq!(s.bureaux("state=not_enrolled").await.matching, 11);
    // Text, in code, name or commune, whatever the case.
    assert_eq!(
        codes(&s.bureaux("q=beauval").await),
        vec!["DEMO-004", "DEMO-007"]
    );
    assert_eq!(
        codes(&s.bureaux("q=demo-01").await),
        vec!["DEMO-010", "DEMO-011", "DEMO-012", "DEMO-013"]
    );
    assert_eq!(
        codes(&s.bureaux("q=Val-d%27Orge&state=not_enrolled").await),
        vec!["DEMO-003", "DEMO-010", "DEMO-011"]
    );
    // As a phone's keyboard types it: without accents, with spaces or
    // another apostrophe for the hyphens, the code without its dash.
    assert_eq!(
        codes(&s.bureaux("q=ecole%20jules%20ferry").await),
        vec!["DEMO-001"]
    );
    assert_eq!(
        codes(&s.bureaux("q=ECOLE").await),
        vec!["DEMO-001", "DEMO-006", "DEMO-010"]
    );
    assert_eq!(
        codes(&s.bureaux("q=val%20d%E2%80%99orge&state=not_enrolled").await),
        vec!["DEMO-003", "DEMO-010", "DEMO-011"]
    );
    assert_eq!(codes(&s.bureaux("q=demo013").await), vec!["DEMO-013"]);
    assert_eq!(s.bureaux("q=%20-%20").await.matching, 13);
    assert_eq!(s.bureaux("q=ecole%20jean").await.matching, 0);
    let bad = s
        .client
        .get(format!("{}/bureaux?state=lost", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn the_public_record_lets_anyone_recompute_the_results() {
    let s = start().await;
    let enrolled = s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    let v1 = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    let v2 = sign(
        &s.election,
        "DEMO-001",
        [41, 29, 20, 10],
        &PHONE_1,
        Some((&v1, "Erreur.".into())),
    );
    s.submit(v1.to_bytes()).await;
    s.submit(v2.to_bytes()).await;

    let text = s.record().await;
    let lines: Vec<RecordLine> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Recompute from the record alone, verifying every signature with core.
    let RecordLine::Definition { hash, definition } = &lines[0] else {
        panic!("the definition first: {:?}", lines[0]);
    };
    let election: Election = serde_json::from_value(definition.clone()).unwrap();
    assert_eq!(*hash, election.hash());
    let RecordLine::Head(head) = &lines[1] else {
        panic!("then the head: {:?}", lines[1]);
    };
    head.verify(&enrolled.server_key).unwrap();
    let mut accepted = Vec::new();
    let mut tree = Tree::new();
    for l in &lines[2..] {
        let RecordLine::Leaf { entry, .. } = l else {
            panic!("then the leaves: {l:?}");
        };
        tree.push(entry.leaf_hash().unwrap());
        match entry {
            LogEntry::Election { server_key, .. } => assert_eq!(*server_key, enrolled.server_key),
            LogEntry::Key { device_key, .. } => assert_eq!(*device_key, public_key_hex(&PHONE_1)),
            LogEntry::Return { .. } => accepted.push(entry.signed_return().unwrap().unwrap()),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(head.head.root(), tree.root(tree.len()));
    assert_eq!(accepted.len(), 2);
    let mut recomputed =
        pointage_core::results::compute(&election, accepted.iter().map(|r| (r.id(), r.body())));
    // The version each bureau counts is what the bureaux list says.
    let listed = &s.bureaux("state=received").await.bureaux[0];
    let counted = &recomputed.counted[&listed.code];
    assert_eq!(Some(counted.version), listed.version);
    assert_eq!(listed.human_code, Some(human_code(&counted.return_id)));
    // The totals are the served ones (which do not carry `counted`).
    recomputed.counted.clear();
    assert_eq!(recomputed, s.results().await.results);
}

#[tokio::test]
async fn the_record_streams_every_version_across_batches_in_order() {
    let s = start_with(Some(100)).await;
    // More versions than two batches of the stream hold, and a bit, spread
    // over the bureaux (each has at most 100).
    let bureaux: Vec<String> = (1..=13).map(|k| format!("DEMO-{k:03}")).collect();
    let key = |k: usize| [40 + k as u8; 32];
    for (k, b) in bureaux.iter().enumerate() {
        assert_eq!(s.enroll(&s.code(b), &key(k)).await.status(), 200);
    }
    let n = pointage_server::api::RECORD_BATCH as usize * 2 + 7;
    let mut latest: Vec<Option<SignedReturn>> = vec![None; bureaux.len()];
    let mut prev: Option<SignedReturn> = None;
    for i in 0..n {
        let k = i % bureaux.len();
        let votes = [40 + (i % 3) as u32, 30, 20, 10];
        let r = sign(
            &s.election,
            &bureaux[k],
            votes,
            &key(k),
            latest[k].as_ref().map(|p| (p, format!("Correction {i}."))),
        );
        assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
        latest[k] = Some(r.clone());
        prev = Some(r);
    }
    let text = s.record().await;
    let leaves: Vec<(u64, String)> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l["type"] == "leaf")
        .map(|l| {
            (
                l["index"].as_u64().unwrap(),
                l["entry"]["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The opening, the 13 keys, then every version.
    assert_eq!(leaves.len(), 1 + 13 + n);
    assert_eq!(
        leaves.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        (0..leaves.len() as u64).collect::<Vec<_>>(),
        "in order, none twice, no gap"
    );
    assert_eq!(leaves.iter().filter(|(_, t)| t == "return").count(), n);
    let last = text.lines().last().unwrap();
    let latest = String::from_utf8(prev.unwrap().to_bytes()).unwrap();
    assert!(last.contains(&latest), "ends with the latest version");
}

#[tokio::test]
async fn results_follow_every_new_return_and_enrollment() {
    let s = start().await;
    let before = s.results().await;
    assert_eq!(before.results.coverage.reporting, 0);
    assert_eq!(s.results().await, before, "unchanged, the same answer");

    s.enroll(&s.code("DEMO-001"), &PHONE_1).await;
    s.enroll(&s.code("DEMO-002"), &PHONE_2).await;
    let enrolled = s.results().await;
    assert_eq!(enrolled.bureaux.enrolled, 2);

    let r = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    s.submit(r.to_bytes()).await;
    let after = s.results().await;
    assert_eq!(after.results.coverage.reporting, 1);
    assert_eq!(after.results.exprimes, 100);

    // A correction, then another bureau: the results read only what was
    // stored since the last time, and count each bureau's latest once.
    let fixed = sign(
        &s.election,
        "DEMO-001",
        [41, 29, 20, 9],
        &PHONE_1,
        Some((&r, "Erreur de report.".into())),
    );
    s.submit(fixed.to_bytes()).await;
    let corrected = s.results().await;
    assert_eq!(corrected.results.coverage.reporting, 1);
    assert_eq!(corrected.results.exprimes, 99);
    assert_eq!(corrected.results.candidates[0].votes, 41);
    const PHONE_3: [u8; 32] = [13; 32];
    s.enroll(&s.code("DEMO-003"), &PHONE_3).await;
    let third = sign(&s.election, "DEMO-003", [10, 20, 30, 40], &PHONE_3, None);
    s.submit(third.to_bytes()).await;
    let two = s.results().await;
    assert_eq!(two.results.coverage.reporting, 2);
    assert_eq!(two.results.exprimes, 199);
    assert_eq!(
        two.results
            .candidates
            .iter()
            .map(|c| c.votes)
            .collect::<Vec<_>>(),
        vec![51, 49, 50, 49]
    );

    // A code reissued by the command line (another process) revokes the
    // bureau's phone: the next answer shows it.
    s.reissue("DEMO-002", 5);
    let later = s.results().await;
    assert_eq!(
        later.bureaux,
        BureauCounts {
            received: 2,
            enrolled: 0,
            not_enrolled: 11
        }
    );
    use pointage_core::wire::BureauState::*;
    let states: Vec<_> = s
        .bureaux("limit=2")
        .await
        .bureaux
        .iter()
        .map(|b| b.state)
        .collect();
    assert_eq!(states, vec![Received, NotEnrolled]);
}
