//! `/resultats` as a reader's browser gets it: the page the server writes,
//! with the same figures as `GET /api/v1/results`, the bureaux they cover,
//! in the language its address names, and the bureaux the reader filters
//! or searches for.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::signed_return::human_code;
use pointage_server::{AppState, router};
use pointage_texts::Lang;

use crate::common::*;

/// The page at `query`: its status, Content-Security-Policy and HTML.
async fn page(s: &Server, query: &str) -> (u16, String, String) {
    let base = s.base.trim_end_matches("/api/v1");
    let resp = s
        .client
        .get(format!("{base}/resultats{query}"))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    assert_eq!(
        resp.headers()["content-type"],
        "text/html; charset=utf-8",
        "{query}"
    );
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    (status, csp, resp.text().await.unwrap())
}

/// The codes of the bureaux the page lists, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("<span class=\"bureau-code\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_page_shows_the_servers_totals_and_the_bureaux_they_cover() {
    let s = start().await;
    s.enroll(&s.code("DEMO-001"), &PHONE_1).await;
    s.enroll(&s.code("DEMO-002"), &PHONE_2).await;
    let a = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    let b = sign(&s.election, "DEMO-002", [1000, 20, 30, 45], &PHONE_2, None);
    for r in [&a, &b] {
        assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
    }
    let r = s.results().await;
    let (status, csp, html) = page(&s, "").await;
    assert_eq!(status, 200);
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"fr\">"),
        "{html}"
    );
    // Never a total without the bureaux it covers.
    assert!(
        html.contains("Ces totaux portent sur 2 bureaux sur 13 (15,38\u{a0}%)"),
        "{html}"
    );
    let fr = Lang::Fr.common_texts();
    for c in &r.results.candidates {
        let row = format!(
            "<th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            c.name,
            fr.count(c.votes),
            fr.percent(c.percent_of_exprimes_bp.unwrap())
        );
        assert!(html.contains(&row), "{row}");
    }
    // 1,040 votes, as French writes it.
    assert!(html.contains("1\u{202f}040"), "{html}");
    // What the bureaux left could change cannot be said: the demo's have
    // no list of inscrits.
    let still = r.still_open.as_ref().unwrap();
    assert_eq!(still.outstanding.bureaux, 11);
    assert_eq!(still.outstanding.inscrits, None);
    assert!(
        html.contains("11 bureaux restants sur 13, dont un au moins sans liste d’inscrits"),
        "{html}"
    );
    assert!(html.contains(&format!(
        "PV reçu — version 1 · code {}",
        human_code(b.id())
    )));
    assert!(html.contains("Enrôlé, PV attendu (0)"));
    assert!(html.contains("Non enrôlé (11)"));
    assert_eq!(listed(&html).len(), 13);
    // The record anyone recomputes them from is one tap away.
    assert!(html.contains(&format!(
        "href=\"/api/v1/record?election={}\"",
        r.results.election_id
    )));
    // The "out of reach" line, hidden, as the service worker finds it
    // (public/sw.js, OFFLINE_LINE) to show it on a page kept offline.
    assert!(html.contains("<p class=\"error\" id=\"offline\" role=\"alert\" hidden>"));
    // No script but the server's own file.
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(!html.contains("<script>"), "{html}");

    let (_, _, en) = page(&s, "?lang=en").await;
    assert!(en.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert!(en.contains("These totals cover 2 of 13 polling stations (15.38%)"));
    assert!(en.contains("1,040"));
    // The language switch keeps the reader where they are.
    let (_, _, en) = page(&s, "?lang=en&state=received&q=demo").await;
    assert!(
        en.contains("href=\"/resultats?lang=fr&amp;state=received&amp;q=demo\""),
        "{en}"
    );
}

#[tokio::test]
async fn the_reader_filters_searches_and_asks_for_more() {
    let s = start().await;
    s.enroll(&s.code("DEMO-001"), &PHONE_1).await;
    s.enroll(&s.code("DEMO-002"), &PHONE_2).await;
    let r = sign(&s.election, "DEMO-002", [10, 20, 30, 45], &PHONE_2, None);
    assert_eq!(s.submit(r.to_bytes()).await.status(), 201);

    let (_, _, html) = page(&s, "?state=received").await;
    assert_eq!(listed(&html), ["DEMO-002"]);
    assert!(html.contains(
        "id=\"state-received\" type=\"radio\" name=\"state\" value=\"received\" checked"
    ));
    let (_, _, html) = page(&s, "?state=enrolled").await;
    assert_eq!(listed(&html), ["DEMO-001"]);
    // Text, in code, name or commune, whatever the case; the same as the
    // API's.
    let api: Vec<String> = s
        .bureaux("q=beauval")
        .await
        .bureaux
        .into_iter()
        .map(|b| b.code)
        .collect();
    let (_, _, html) = page(&s, "?q=BEAUVAL").await;
    assert_eq!(listed(&html), api);
    assert!(!api.is_empty());
    assert!(html.contains("value=\"BEAUVAL\""));
    // Typed on a phone, without accents and with a space for the hyphen:
    // found, and the text stays as typed.
    let (_, _, html) = page(&s, "?q=ecole+jules+ferry").await;
    assert_eq!(listed(&html), ["DEMO-001"]);
    assert!(html.contains("value=\"ecole jules ferry\""));

    // A few at a time: "show the next ones" adds five, and leads to the
    // first of them.
    let (_, _, html) = page(&s, "?shown=5").await;
    assert_eq!(listed(&html).len(), 5);
    assert!(html.contains("5 affiché(s) sur 13"));
    assert!(
        html.contains("href=\"/resultats?lang=fr&amp;shown=55#b-6\""),
        "{html}"
    );
    let (_, _, html) = page(&s, "?shown=55").await;
    assert_eq!(listed(&html).len(), 13);
    assert!(!html.contains("id=\"more\""));
    let (_, _, html) = page(&s, "?q=nowhere").await;
    assert!(html.contains("Aucun bureau ne correspond."));

    // An address typed wrong still shows the page, with what it could read.
    for query in [
        "?shown=abc&state=lost&lang=de",
        "?shown=0",
        "?%zz",
        "?shown=1&shown=2",
    ] {
        let (status, _, html) = page(&s, query).await;
        assert_eq!(status, 200, "{query}");
        assert!(
            html.contains("Ces totaux portent sur 1 bureau sur 13"),
            "{query}"
        );
    }
}

#[tokio::test]
async fn what_a_reader_types_is_written_back_as_text() {
    let s = start().await;
    let (status, _, html) = page(&s, "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        html.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;\""),
        "{html}"
    );
    // And a long one is cut, not refused.
    let long = "a".repeat(5000);
    let (status, _, html) = page(&s, &format!("?q={long}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("value=\"{}\"", "a".repeat(100))));
    assert!(!html.contains(&"a".repeat(101)));
}

#[tokio::test]
async fn a_server_without_an_election_says_so_in_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(&dir.path().join("data")).await;
    let state = AppState::new(db).unwrap();
    let addr = pointage_server::serve::on_free_port(router(state, dir.path().join("dist")))
        .await
        .unwrap();
    let client = reqwest::Client::new();
    for (lang, sentence) in [
        ("fr", "Le serveur ne connaît pas encore d’élection."),
        ("en", "The server has no election yet."),
    ] {
        let resp = client
            .get(format!("http://{addr}/resultats?lang={lang}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404);
        assert_eq!(resp.headers()["cache-control"], "no-store");
        let html = resp.text().await.unwrap();
        assert!(html.contains(sentence), "{html}");
        assert!(!html.contains("id=\"bureaux\""));
    }
    let script = client
        .get(format!("http://{addr}/resultats.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
}

#[tokio::test]
async fn a_reader_whose_copy_is_current_gets_304_and_a_new_return_sends_the_page_again() {
    let s = start().await;
    let url = format!("{}/resultats?lang=en", s.base.trim_end_matches("/api/v1"));
    let first = s.client.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(
        first.headers()["cache-control"],
        "public, max-age=5, stale-while-revalidate=30"
    );
    let tag = first.headers()["etag"].clone();
    let again =
        |tag: reqwest::header::HeaderValue| s.client.get(&url).header("if-none-match", tag).send();
    assert_eq!(again(tag.clone()).await.unwrap().status(), 304);
    // A return arrives: the copy is no longer current.
    s.enroll(&s.code("DEMO-001"), &PHONE_1).await;
    let r = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE_1, None);
    assert_eq!(s.submit(r.to_bytes()).await.status(), 201);
    let fresh = again(tag.clone()).await.unwrap();
    assert_eq!(fresh.status(), 200);
    assert_ne!(fresh.headers()["etag"], tag);
    assert!(
        fresh
            .text()
            .await
            .unwrap()
            .contains("These totals cover 1 of 13 polling stations")
    );
}

/// The wall screen: counts only, every bureau of the election counted,
/// updated with what arrives, a 304 while nothing changed, no bureau named.
#[tokio::test(flavor = "multi_thread")]
async fn the_wall_counts_where_the_bureaux_stand_and_names_none() {
    let s = start().await;
    let origin = s.base.trim_end_matches("/api/v1").to_owned();
    let wall = |lang: &'static str| {
        let (client, url) = (s.client.clone(), format!("{origin}/mur?lang={lang}"));
        async move { client.get(url).send().await.unwrap() }
    };
    let n = s.election.bureaux().len();
    let first = wall("fr").await;
    assert_eq!(first.status(), 200);
    assert!(
        first.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    let tag = first.headers()["etag"].clone();
    let page = first.text().await.unwrap();
    assert!(
        page.contains(&format!("Téléphones de bureau enrôlés\u{a0}: 0 sur {n}")),
        "{page}"
    );
    assert!(
        page.contains(&format!("Procès-verbaux signés reçus\u{a0}: 0 sur {n}")),
        "{page}"
    );
    // Nothing changed: a 304.
    let same = s
        .client
        .get(format!("{origin}/mur?lang=fr"))
        .header("if-none-match", tag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 304);

    // A bureau enrolls, reports its noon count, sends its return, then
    // corrects it.
    s.enrolled(&s.code("DEMO-001"), &[41; 32]).await;
    let noon = &s.election.day().unwrap().checkpoints[1];
    let report =
        pointage_testkit::turnout_report(&s.election, "DEMO-001", &[41; 32], &noon.id, 120, None);
    let sent = s
        .client
        .post(format!("{}/reports", s.base))
        .body(report.to_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    let v1 = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &[41; 32], None);
    assert_eq!(s.submit(v1.to_bytes()).await.status(), 201);
    let v2 = sign(
        &s.election,
        "DEMO-001",
        [41, 29, 20, 10],
        &[41; 32],
        Some((&v1, "inversion".into())),
    );
    assert_eq!(s.submit(v2.to_bytes()).await.status(), 201);
    let moved = s
        .client
        .get(format!("{origin}/mur?lang=fr"))
        .header("if-none-match", tag)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let page = moved.text().await.unwrap();
    assert!(
        page.contains(&format!("enrôlés\u{a0}: 1 sur {n}")),
        "{page}"
    );
    assert!(
        page.contains(&format!("reçus\u{a0}: 1 sur {n}, dont 1 corrigé")),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "Relevé de {}\u{a0}: 1 bureau sur {n}",
            noon.local_time()
        )),
        "{page}"
    );
    // Each checkpoint of the day has its line; one line says who is late.
    for c in &s.election.day().unwrap().checkpoints {
        assert!(
            page.contains(&format!("data-checkpoint=\"{}\"", c.id)),
            "{page}"
        );
    }
    assert!(page.contains("class=\"wall-late\""));
    // No bureau is named on it.
    for b in s.election.bureaux() {
        assert!(
            !page.contains(&b.code) && !page.contains(&b.name),
            "{} on the wall",
            b.code
        );
    }
    // The results page leads to it.
    let results = s
        .client
        .get(format!("{origin}/resultats"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(results.contains("href=\"/mur?lang=fr\""), "{results}");
    let english = wall("en").await.text().await.unwrap();
    assert!(
        english.contains(&format!(
            "Signed reports received: 1 of {n}, of which 1 corrected"
        )),
        "{english}"
    );
}
