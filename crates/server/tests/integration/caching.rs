//! Election-night viewers: the public reads (results, bureaux, record) say
//! for how long a browser or a cache in front may keep them, carry an ETag
//! that changes with every return stored and every enrollment, and answer
//! `304 Not Modified` to a client whose copy is current; nothing a phone
//! needs fresh (enrollment, submit, recovery) is ever cacheable.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PHONE_1, PHONE_2, sign, start};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};

const PUBLIC: [&str; 3] = ["results", "bureaux?state=received", "record"];

async fn get(s: &crate::common::Server, path: &str, tag: Option<&str>) -> reqwest::Response {
    let mut req = s.client.get(format!("{}/{path}", s.base));
    if let Some(t) = tag {
        req = req.header(IF_NONE_MATCH, t);
    }
    req.send().await.unwrap()
}

fn header(resp: &reqwest::Response, name: reqwest::header::HeaderName) -> String {
    resp.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Each public read's tag, checking it is cacheable for a few seconds.
async fn tags(s: &crate::common::Server) -> Vec<String> {
    let mut out = Vec::new();
    for path in PUBLIC {
        let resp = get(s, path, None).await;
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&resp, CACHE_CONTROL),
            "public, max-age=5, stale-while-revalidate=30",
            "{path}"
        );
        let tag = header(&resp, ETAG);
        assert!(tag.starts_with("W/\""), "{path}: {tag}");
        out.push(tag);
    }
    out
}

#[tokio::test]
async fn a_current_copy_is_answered_304_and_every_change_gives_a_new_tag() {
    let s = start().await;
    let before = tags(&s).await;
    for (path, tag) in PUBLIC.iter().zip(&before) {
        let resp = get(&s, path, Some(tag)).await;
        assert_eq!(resp.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(header(&resp, ETAG), *tag);
        assert!(resp.bytes().await.unwrap().is_empty(), "{path}");
        // Another tag, or a list naming ours among others.
        let resp = get(&s, path, Some("W/\"0-old\"")).await;
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let listed = format!("\"x\", {tag}");
        let resp = get(&s, path, Some(&listed)).await;
        assert_eq!(resp.status(), StatusCode::NOT_MODIFIED, "{path}");
    }

    // A phone enrolls: every public read changes.
    let e = s.election.clone();
    s.enrolled(&s.code("DEMO-001"), &PHONE_1).await;
    let enrolled = tags(&s).await;
    for ((path, old), new) in PUBLIC.iter().zip(&before).zip(&enrolled) {
        assert_ne!(old, new, "{path}");
        let resp = get(&s, path, Some(old)).await;
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
    }

    // A return is stored: again.
    let ret = sign(&e, "DEMO-001", [10, 20, 30, 40], &PHONE_1, None);
    assert_eq!(s.submit(ret.to_bytes()).await.status(), 201);
    let received = tags(&s).await;
    for ((path, old), new) in PUBLIC.iter().zip(&enrolled).zip(&received) {
        assert_ne!(old, new, "{path}");
    }
    // And the answer under the new tag is the new one.
    let page = get(&s, "bureaux?state=received", Some(&enrolled[1])).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("DEMO-001"));

    // Sending the same return again changes nothing: the tags stay.
    assert_eq!(s.submit(ret.to_bytes()).await.status(), 200);
    assert_eq!(tags(&s).await, received);
}

#[tokio::test]
async fn two_servers_never_share_a_tag() {
    let (a, b) = (start().await, start().await);
    assert_ne!(tags(&a).await, tags(&b).await);
}

#[tokio::test]
async fn what_a_phone_needs_fresh_is_never_cacheable() {
    let s = start().await;
    let resp = s.enroll(&s.code("DEMO-002"), &PHONE_2).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, CACHE_CONTROL), "no-store");
    assert!(header(&resp, ETAG).is_empty());
    let ret = sign(&s.election, "DEMO-002", [10, 20, 30, 40], &PHONE_2, None);
    let resp = s.submit(ret.to_bytes()).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(header(&resp, CACHE_CONTROL), "no-store");
    for path in ["health", "results?election=nope"] {
        let resp = get(&s, path, None).await;
        assert_eq!(header(&resp, CACHE_CONTROL), "no-store", "{path}");
    }
}

/// The elections never change once stored: their list is kept a few
/// seconds, known by a tag, and a copy still current costs a 304; an
/// election imported meanwhile changes the tag.
#[tokio::test]
async fn the_elections_list_is_tagged_and_changes_only_with_a_new_election() {
    let s = start().await;
    let resp = get(&s, "elections", None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        header(&resp, CACHE_CONTROL),
        pointage_server::api::http_cache::PUBLIC_CACHE
    );
    let tag = header(&resp, ETAG);
    let listed: Vec<pointage_core::Election> = resp.json().await.unwrap();
    assert_eq!(listed, vec![s.election.clone()]);
    let again = get(&s, "elections", Some(&tag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let mut other = s.election.info();
    other.id = "autre-election".into();
    s.db.store_election(&pointage_core::Election::new(other).unwrap(), 0)
        .unwrap();
    let changed = get(&s, "elections", Some(&tag)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(header(&changed, ETAG), tag);
    let listed: Vec<pointage_core::Election> = changed.json().await.unwrap();
    assert_eq!(listed.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn results_are_computed_once_per_change_however_many_ask_at_once() {
    use std::sync::atomic::Ordering::Relaxed;
    let s = start().await;
    s.enrolled(&s.code("DEMO-003"), &PHONE_1).await;
    let ret = sign(&s.election, "DEMO-003", [10, 20, 30, 40], &PHONE_1, None);
    assert_eq!(s.submit(ret.to_bytes()).await.status(), 201);
    let before = s.state.results_computed.load(Relaxed);
    let mut asks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let (client, url) = (s.client.clone(), format!("{}/results", s.base));
        asks.spawn(async move { client.get(url).send().await.unwrap().text().await.unwrap() });
    }
    let answers = asks.join_all().await;
    assert!(
        answers
            .iter()
            .all(|a| *a == answers[0] && a.contains("\"reporting\":1"))
    );
    assert_eq!(s.state.results_computed.load(Relaxed), before + 1);
    // Nothing changed: the next ones are answered from what was computed.
    s.results().await;
    s.bureaux("state=received").await;
    assert_eq!(s.state.results_computed.load(Relaxed), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_computes_the_results_when_it_starts_not_when_first_asked() {
    use std::sync::atomic::Ordering::Relaxed;
    let s = start().await;
    s.enrolled(&s.code("DEMO-003"), &PHONE_1).await;
    let ret = sign(&s.election, "DEMO-003", [10, 20, 30, 40], &PHONE_1, None);
    assert_eq!(s.submit(ret.to_bytes()).await.status(), 201);
    let before = s.state.results_computed.load(Relaxed);
    // What a node does once it has started (a node started again at the
    // peak, say): nobody has asked for the results yet.
    pointage_server::results::warm_up(s.state.clone());
    for _ in 0..200 {
        if s.state.results_computed.load(Relaxed) > before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(s.state.results_computed.load(Relaxed), before + 1);
    // The first viewer is answered from what was computed.
    assert_eq!(s.results().await.results.coverage.reporting, 1);
    assert_eq!(s.state.results_computed.load(Relaxed), before + 1);
}
