//! Three `pointage-server` processes on one PostgreSQL database answer as
//! one server: each return sent to two nodes at the same moment is stored
//! once and both senders get the same receipt; two rival version 1s of a
//! bureau raced on two nodes: one is kept; one node killed (SIGKILL) in the
//! middle loses nothing it acknowledged; every node publishes the same
//! results and record. And a node outlives the database dropping its
//! connections.
//!
//! Needs PostgreSQL: `cargo xtask test` runs it on a throwaway cluster
//! (`POINTAGE_TEST_POSTGRES`); without one it says so and does nothing.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::sign;
use pointage_core::log::{LogEntry, RecordLine, Tree};
use pointage_core::signed_return::public_key_hex;
use pointage_core::wire::{ApiErrorBody, ErrorCode};
use pointage_core::{Bureau, Election, ElectionInfo, Mode, SignedReturn};
use pointage_server::db::Db;
use pointage_server::demo;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

const RETURNS: usize = 1_000;
const RIVALS: usize = 20;
/// Requests in flight at once.
const IN_FLIGHT: usize = 48;

struct Node {
    child: Child,
    base: String,
}

impl Node {
    fn start(url: &str, dir: &Path, k: usize) -> Node {
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_pointage-server"))
            .args(["--port", "0", "--no-demo", "--database-url", url])
            // A night's returns from this one machine.
            .args(["--returns-per-minute", "1000000"])
            .args(["--records-per-minute", "1000000"])
            // The central team's passkeys belong to one site, whichever
            // node answers.
            .args(["--public-url", crate::operators::SITE])
            .arg("--dist")
            .arg(&dist)
            .arg("--data-dir")
            .arg(dir.join(format!("node{k}")))
            // The nodes share the pepper the codes are stored under.
            .arg("--code-pepper-file")
            .arg(dir.join("code-pepper"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the node stopped before listening")
                .unwrap();
            if let Some(url) = line.strip_prefix("Pointage is running at ") {
                break format!("{}api/v1", url.trim());
            }
        };
        // Keep reading what it prints, so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Node { child, base }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn election() -> Election {
    let demo = demo::election();
    Election::new(ElectionInfo {
        day: None,
        qualification: None,
        id: "multi-node".into(),
        name: "Trois serveurs, une base".into(),
        round: 1,
        date: "2027-04-11".into(),
        mode: Mode::Test,
        candidates: demo.candidates().to_vec(),
        bureaux: (0..RETURNS + RIVALS)
            .map(|i| Bureau {
                code: format!("B{i:04}"),
                name: format!("Bureau {i}"),
                commune: "Arles".into(),
                inscrits: None,
            })
            .collect(),
    })
    .unwrap()
}

fn secret(i: usize) -> [u8; 32] {
    let mut s = [7u8; 32];
    s[..4].copy_from_slice(&(i as u32).to_le_bytes());
    s
}

/// What a node answered to one submission: status and body, or `None`
/// when the node could not be reached (killed).
async fn submit(
    client: &reqwest::Client,
    base: &str,
    bytes: Vec<u8>,
) -> Option<(u16, serde_json::Value)> {
    let resp = client
        .post(format!("{base}/returns"))
        .body(bytes)
        .send()
        .await
        .ok()?;
    let status = resp.status().as_u16();
    Some((status, resp.json().await.ok()?))
}

async fn get(client: &reqwest::Client, url: String) -> String {
    let resp = client.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200, "GET {url}");
    resp.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_on_one_database_store_each_return_once_and_answer_alike() {
    let Some(url) = crate::common::postgres_database().await else {
        eprintln!(
            "multi_node: skipped, {} is not set (cargo xtask test sets it)",
            crate::common::POSTGRES_ENV
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let e = election();
    {
        let db = Db::open_postgres(
            &url,
            pointage_server::db::Secrets::with_pepper_file(&tmp.path().join("code-pepper"))
                .unwrap(),
        )
        .unwrap();
        let codes = db.store_election(&e, 0).unwrap();
        let keys: Vec<String> = (0..codes.len())
            .map(|i| public_key_hex(&secret(i)))
            .collect();
        let devices: Vec<(&str, &str)> = codes
            .iter()
            .map(|c| {
                let i: usize = c.bureau[1..].parse().unwrap();
                (c.code.as_str(), keys[i].as_str())
            })
            .collect();
        db.enroll_all(&devices, 0).unwrap();
    }
    let mut nodes: Vec<Node> = (0..3).map(|k| Node::start(&url, tmp.path(), k)).collect();
    let bases: Arc<Vec<String>> = Arc::new(nodes.iter().map(|n| n.base.clone()).collect());
    let client = reqwest::Client::new();

    // Every return to two nodes at once (k and k + 1); node 2 is killed
    // when half of them are sent.
    let returns: Vec<(String, Vec<u8>)> = (0..RETURNS)
        .map(|i| {
            let votes = [40 + (i % 7) as u32, 30, 20 + (i % 3) as u32, 10];
            let r = sign(&e, &format!("B{i:04}"), votes, &secret(i), None);
            (r.id().to_owned(), r.to_bytes())
        })
        .collect();
    let gate = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let mut sends = Vec::new();
    for (i, (id, bytes)) in returns.iter().enumerate() {
        if i == RETURNS / 2 {
            // Mid-flight: some of node 2's requests are being stored.
            nodes[2].child.kill().unwrap();
        }
        let permit = gate.clone().acquire_owned().await.unwrap();
        let (client, bases, id, bytes) = (client.clone(), bases.clone(), id.clone(), bytes.clone());
        sends.push(tokio::spawn(async move {
            let (a, b) = (i % 3, (i + 1) % 3);
            let (ra, rb) = tokio::join!(
                submit(&client, &bases[a], bytes.clone()),
                submit(&client, &bases[b], bytes.clone())
            );
            let mut answers: Vec<_> = [ra, rb].into_iter().flatten().collect();
            if answers.is_empty() {
                // As a phone would: again, to a node that answers.
                answers.extend(submit(&client, &bases[0], bytes).await);
            }
            drop(permit);
            (id, answers)
        }));
    }
    let mut receipts: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let mut unanswered = 0;
    for s in sends {
        let (id, answers) = s.await.unwrap();
        assert!(!answers.is_empty(), "return {id}: no node answered");
        let lost = 2usize.saturating_sub(answers.len());
        unanswered += lost;
        let mut created = 0;
        for (status, body) in answers {
            assert!(
                status == 201 || status == 200,
                "return {id}: {status} {body}"
            );
            created += usize::from(status == 201);
            let receipt = body["receipt"].clone();
            assert_eq!(receipt["body"]["return_id"], id.as_str());
            let first = receipts
                .entry(id.clone())
                .or_insert_with(|| receipt.clone());
            assert_eq!(*first, receipt, "return {id}: two nodes, two receipts");
        }
        // Stored once: one 201, the other node found it (200); or the
        // 201 went down with the killed node.
        assert!(
            created == 1 || (created == 0 && lost > 0),
            "return {id}: {created} nodes said they stored it"
        );
    }
    assert_eq!(receipts.len(), RETURNS);
    assert!(
        unanswered > 0,
        "node 2 was killed while returns were sent to it"
    );

    // Rival version 1s of one bureau, on nodes 0 and 1 at the same moment.
    for j in 0..RIVALS {
        let i = RETURNS + j;
        let bureau = format!("B{i:04}");
        let one = sign(&e, &bureau, [50, 30, 20, 10], &secret(i), None);
        let other = sign(&e, &bureau, [10, 20, 30, 50], &secret(i), None);
        let (r1, r2) = tokio::join!(
            submit(&client, &bases[0], one.to_bytes()),
            submit(&client, &bases[1], other.to_bytes())
        );
        let mut answers = [r1.unwrap(), r2.unwrap()];
        answers.sort_by_key(|a| a.0);
        assert_eq!(answers[0].0, 201, "{bureau}: one is kept");
        assert_eq!(answers[1].0, 409, "{bureau}: the other is refused");
        let refused: ApiErrorBody = serde_json::from_value(answers[1].1.clone()).unwrap();
        assert_eq!(refused.error.code, ErrorCode::ReturnVersionTaken);
        let kept = answers[0].1["receipt"].clone();
        receipts.insert(kept["body"]["return_id"].as_str().unwrap().to_owned(), kept);
    }

    // A node started again after the kill answers as the others.
    nodes[2] = Node::start(&url, tmp.path(), 2);
    let bases: Vec<String> = nodes.iter().map(|n| n.base.clone()).collect();

    // The record, from each node: the same log, every leaf numbered 0, 1,
    // 2… without a gap; every acknowledged return once, at the leaf its
    // receipt names, in the tree its receipt names.
    let mut records = BTreeSet::new();
    for base in &bases {
        let text = get(&client, format!("{base}/record")).await;
        let mut seen = BTreeMap::new();
        let mut tree = Tree::new();
        let mut head = None;
        for line in text.lines() {
            match serde_json::from_str::<RecordLine>(line).unwrap() {
                RecordLine::Head(h) => head = Some(h),
                RecordLine::Leaf { index, entry } => {
                    assert_eq!(index, tree.len(), "leaves in order, without a gap");
                    tree.push(entry.leaf_hash().unwrap());
                    if let LogEntry::Return { ret, .. } = &entry {
                        let bytes = pointage_core::canonical::encode(ret).unwrap();
                        let id = SignedReturn::id_of(&bytes).unwrap();
                        assert!(
                            seen.insert(id.clone(), index).is_none(),
                            "{id} twice in the record"
                        );
                    }
                }
                RecordLine::Definition { .. } => {}
            }
        }
        let head = head.unwrap();
        assert_eq!(head.head.tree_size, tree.len());
        assert_eq!(head.head.root(), tree.root(tree.len()));
        assert_eq!(
            seen.len(),
            receipts.len(),
            "the record is what the senders were told"
        );
        for (id, receipt) in &receipts {
            let index = seen[id];
            let body = &receipt["body"];
            assert_eq!(body["sequence"].as_u64(), Some(index), "{id}");
            let root = tree.root(index + 1).map(hex::encode);
            assert_eq!(body["root_hash"].as_str(), root.as_deref(), "{id}");
        }
        records.insert(text);
    }
    assert_eq!(records.len(), 1, "every node publishes the same record");

    // The results, from each node: the same.
    let mut results = BTreeSet::new();
    for base in &bases {
        let text = get(&client, format!("{base}/results?election=multi-node")).await;
        let r: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            r["bureaux"]["received"].as_u64(),
            Some((RETURNS + RIVALS) as u64)
        );
        results.insert(text);
    }
    assert_eq!(results.len(), 1, "every node publishes the same results");
}

/// The database drops every connection (a restart, a failover): the node
/// keeps running, at worst answers `storage_unavailable` (503, the phone
/// sends again) and stores again as soon as the database answers, without
/// being restarted; nothing it acknowledged before is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_outlives_the_database_dropping_its_connections() {
    let s = crate::common::start().await;
    let Some(database) = s.postgres.clone() else {
        eprintln!(
            "multi_node: skipped, {} is not set",
            crate::common::POSTGRES_ENV
        );
        return;
    };
    let key = |k: usize| [60 + k as u8; 32];
    let bureaux: Vec<String> = (1..=4).map(|k| format!("DEMO-{k:03}")).collect();
    for (k, b) in bureaux.iter().enumerate() {
        s.enrolled(&s.code(b), &key(k)).await;
    }
    let first = sign(&s.election, &bureaux[0], [40, 30, 20, 10], &key(0), None);
    assert_eq!(s.submit(first.to_bytes()).await.status(), 201);

    for (k, b) in bureaux.iter().enumerate().skip(1) {
        // Every connection of the node's database, cut from the server side.
        let url = std::env::var(crate::common::POSTGRES_ENV).unwrap();
        let (admin, conn) =
            tokio_postgres::connect(&format!("{url} dbname=postgres"), tokio_postgres::NoTls)
                .await
                .unwrap();
        tokio::spawn(conn);
        let cut = admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                &[&database],
            )
            .await
            .unwrap();
        assert!(cut > 0, "no connection of the node's was cut");
        let r = sign(&s.election, b, [35, 30, 25, 10], &key(k), None);
        let mut statuses = Vec::new();
        for _ in 0..5 {
            let status = s.submit(r.to_bytes()).await.status().as_u16();
            statuses.push(status);
            if status == 201 {
                break;
            }
            assert_eq!(status, 503, "{statuses:?}");
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert_eq!(statuses.last(), Some(&201), "{b}: {statuses:?}");
    }
    assert_eq!(s.stored(), 4);
    let listed = s.bureaux("state=received").await;
    assert_eq!(listed.matching, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_session_made_on_one_node_holds_on_the_others() {
    use crate::operators::{SITE, authenticator, board, post_json, session};
    use serde_json::json;
    use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};
    let Some(url) = crate::common::postgres_database().await else {
        eprintln!(
            "multi_node: skipped, {} is not set",
            crate::common::POSTGRES_ENV
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let nodes: Vec<Node> = (0..3).map(|k| Node::start(&url, tmp.path(), k)).collect();
    let site = |k: usize| nodes[k].base.trim_end_matches("/api/v1").to_owned();
    let db = Db::open_postgres(
        &url,
        pointage_server::db::Secrets::in_dir(tmp.path()).unwrap(),
    )
    .unwrap();
    let token = pointage_server::operators::invite(
        &db,
        "Claire",
        pointage_core::operator::Role::Coordinator,
        pointage_server::system::now_ms(),
    )
    .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut key = authenticator();
    // The passkey made through node 0, its ceremony finished by node 1.
    let (_, begun, _) = post_json(
        &client,
        format!("{}/operateur/api/invitation/debut", site(0)),
        json!({ "token": token }),
    )
    .await;
    let options: CreationChallengeResponse =
        serde_json::from_value(begun["options"].clone()).unwrap();
    let credential = key
        .do_registration(Url::parse(SITE).unwrap(), options)
        .unwrap();
    let (status, _, cookie) = post_json(
        &client,
        format!("{}/operateur/api/invitation/fin", site(1)),
        json!({ "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await;
    assert_eq!(status, 200);
    let first = cookie.unwrap();
    // The session opened by node 1 is one on every node.
    for k in 0..3 {
        let (status, page) = board(&client, &site(k), Some(&first)).await;
        assert_eq!(status, 200, "node {k}");
        assert!(page.contains("Claire"), "node {k}");
    }
    // A sign-in begun on node 2 and finished on node 0.
    let (_, begun, _) = post_json(
        &client,
        format!("{}/operateur/api/connexion/debut", site(2)),
        json!({ "name": "Claire" }),
    )
    .await;
    let options: RequestChallengeResponse =
        serde_json::from_value(begun["options"].clone()).unwrap();
    let credential = key
        .do_authentication(Url::parse(SITE).unwrap(), options)
        .unwrap();
    let (status, _, cookie) = post_json(
        &client,
        format!("{}/operateur/api/connexion/fin", site(0)),
        json!({ "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await;
    assert_eq!(status, 200);
    let second = cookie.unwrap();
    // Signed out on node 2: neither session holds anywhere.
    let (_, page) = board(&client, &site(2), Some(&second)).await;
    let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    let proof = &page[at..at + page[at..].find('"').unwrap()];
    let r = client
        .post(format!("{}/operateur/deconnexion", site(2)))
        .header("cookie", session(&second))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={proof}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    for k in 0..3 {
        assert_eq!(
            board(&client, &site(k), Some(&first)).await.0,
            303,
            "node {k}"
        );
        assert_eq!(
            board(&client, &site(k), Some(&second)).await.0,
            303,
            "node {k}"
        );
    }
}
