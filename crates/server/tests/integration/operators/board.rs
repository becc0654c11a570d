//! The board: its 304 refresh, its filters, a bureau's page with its
//! history and notes, and the election closed by an admin.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{board, change, proof, session, start};
use crate::common::public_key_hex_of;
use pointage_core::operator::Role;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_refreshed_while_nothing_changed_is_a_304() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let cookie = site.account("Ana", Role::Observer).await;
    let get = |tag: Option<String>| {
        let mut req = client
            .get(format!("{base}/operateur?lang=en"))
            .header("cookie", session(&cookie));
        if let Some(t) = tag {
            req = req.header("if-none-match", t);
        }
        req.send()
    };
    let first = get(None).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    let same = get(Some(tag.clone())).await.unwrap();
    assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(same.headers()["cache-control"], "no-store");
    // A code reissued: the board changed.
    site.db
        .reissue_code(
            site.election.id(),
            "DEMO-004",
            pointage_server::system::now_ms(),
            pointage_core::operator::Actor::CommandLine,
        )
        .unwrap();
    let changed = get(Some(tag.clone())).await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), tag);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bureau_s_page_shows_its_history_and_the_team_s_notes() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let now = pointage_server::system::now_ms();
    let malik = site.account("Malik", Role::Coordinator).await;
    let ana = site.account("Ana", Role::Observer).await;
    // The bureau's phone enrolls; its code is then reissued from the
    // command line.
    let code = site.code("DEMO-005");
    site.db
        .enroll(&code, &crate::common::public_key_hex_of(&[5; 32]), now)
        .unwrap();
    site.db
        .reissue_code(
            site.election.id(),
            "DEMO-005",
            now + 1,
            pointage_core::operator::Actor::CommandLine,
        )
        .unwrap();
    let url = format!(
        "{base}/operateur/bureau?lang=en&election={}&code=DEMO-005",
        site.election.id()
    );
    let page_of = |cookie: String| {
        let req = client.get(&url).header("cookie", session(&cookie));
        async move {
            let r = req.send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (status, page) = page_of(malik.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("phone enrolled, key"), "{page}");
    assert!(
        page.contains("code reissued by the server&#39;s command line")
            || page.contains("code reissued by the server's command line"),
        "{page}"
    );
    assert!(page.contains("No note."));
    // A coordinator notes a call; an observer reads it, and may not write.
    let malik_proof = proof(&page);
    let (status, _) = change(
        &site,
        "/operateur/note",
        Some(&malik),
        &[
            ("csrf", &malik_proof),
            ("lang", "en"),
            ("election", site.election.id()),
            ("bureau", "DEMO-005"),
            ("text", "Called the président: new phone at 14:00"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = page_of(ana.clone()).await;
    assert!(
        page.contains("Malik") && page.contains("Called the président: new phone at 14:00"),
        "{page}"
    );
    assert!(
        !page.contains("/operateur/note"),
        "an observer is offered no note"
    );
    let (status, _) = change(
        &site,
        "/operateur/note",
        Some(&ana),
        &[
            ("csrf", &proof(&board(client, base, Some(&ana)).await.1)),
            ("election", site.election.id()),
            ("bureau", "DEMO-005"),
            ("text", "x"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An empty note is refused, with why.
    let (status, page) = change(
        &site,
        "/operateur/note",
        Some(&malik),
        &[
            ("csrf", &malik_proof),
            ("lang", "en"),
            ("election", site.election.id()),
            ("bureau", "DEMO-005"),
            ("text", "   "),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("A note of 1 to 1,000 characters is needed."));
    // Notes are never public.
    let record = client
        .get(format!(
            "{base}/api/v1/record?election={}",
            site.election.id()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!record.contains("Called the président"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_is_filtered_by_stage_and_searched_as_the_results_page() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let now = pointage_server::system::now_ms();
    let ana = site.account("Ana", Role::Observer).await;
    let code = site.code("DEMO-007");
    site.db
        .enroll(&code, &crate::common::public_key_hex_of(&[7; 32]), now)
        .unwrap();
    let listed = |query: &'static str| {
        let req = client
            .get(format!("{base}/operateur?{query}"))
            .header("cookie", session(&ana));
        async move {
            let page = req.send().await.unwrap().text().await.unwrap();
            page.split("data-bureau=\"")
                .skip(1)
                .map(|s| s[..s.find('"').unwrap()].to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed("state=enrolled").await, ["DEMO-007"]);
    assert_eq!(listed("state=not_enrolled").await.len(), 12);
    assert_eq!(listed("q=ecole%20jules").await, ["DEMO-001"]);
    assert_eq!(listed("q=beauval&state=enrolled").await, ["DEMO-007"]);
    assert_eq!(listed("state=nonsense").await.len(), 13);
    // By commune, written as a person types it.
    assert_eq!(
        listed("commune=val-d%27orge").await,
        ["DEMO-001", "DEMO-002", "DEMO-003", "DEMO-010", "DEMO-011"]
    );
    assert_eq!(listed("commune=BEAUVAL&state=enrolled").await, ["DEMO-007"]);
    assert!(listed("commune=Nulle%20part").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_closes_the_election_and_the_record_says_so() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let malik = site.account("Malik", Role::Coordinator).await;
    let claire = site.account("Claire", Role::Admin).await;
    let id = site.election.id();
    let (_, page) = board(client, base, Some(&malik)).await;
    assert!(!page.contains("/operateur/clore"));
    let (status, _) = change(
        &site,
        "/operateur/clore",
        Some(&malik),
        &[("csrf", &proof(&page)), ("election", id)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(site.db.closure(id).unwrap(), None);
    let (_, page) = board(client, base, Some(&claire)).await;
    assert!(page.contains("/operateur/clore"));
    let (status, _) = change(
        &site,
        "/operateur/clore",
        Some(&claire),
        &[("csrf", &proof(&page)), ("election", id)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = board(client, base, Some(&claire)).await;
    assert!(page.contains("Election closed, its record final"), "{page}");
    assert!(!page.contains("/operateur/clore"));
    let record = client
        .get(format!("{base}/api/v1/record?election={id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let last = record.lines().last().unwrap();
    assert!(
        last.contains("\"closed\"") && last.contains("\"by\":\"admin\""),
        "{last}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bureaux_that_report_and_sign_through_the_api_stand_on_the_board_the_late_first() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let now = pointage_server::system::now_ms();
    // Polling today; its "matin" checkpoint long past, "soir" to come.
    let e = pointage_testkit::polling_today("jour", 5, 4);
    let codes = site.db.store_election(&e, 0).unwrap();
    let secret = |i: u8| [90 + i; 32];
    for i in 1..=4u8 {
        let code = &codes
            .iter()
            .find(|c| c.bureau == format!("J-{i:03}"))
            .unwrap()
            .code;
        let r = client
            .post(format!("{base}/api/v1/enroll"))
            .json(&serde_json::json!({
                "code": code,
                "device_key": crate::common::public_key_hex_of(&secret(i)),
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    // J-001 reports the morning; J-002 signs its PV; J-003 and J-004 are
    // silent; J-005 never enrolled.
    let report = pointage_testkit::turnout_report(&e, "J-001", &secret(1), "matin", 120, None);
    let r = client
        .post(format!("{base}/api/v1/reports"))
        .body(report.to_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let ret = pointage_testkit::signed_return(
        &e,
        "J-002",
        pointage_testkit::plausible_pv(2, 4),
        &secret(2),
        now,
    );
    let r = client
        .post(format!("{base}/api/v1/returns"))
        .body(ret.to_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    let ana = site.account("Ana", Role::Observer).await;
    let page = client
        .get(format!("{base}/operateur?lang=en&election=jour"))
        .header("cookie", session(&ana))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let rows: Vec<&str> = page.split("<tr data-bureau=\"").skip(1).collect();
    let order: Vec<&str> = rows.iter().map(|r| &r[..5]).collect();
    // The late first (the least advanced first), then the others.
    assert_eq!(
        order,
        ["J-005", "J-003", "J-004", "J-001", "J-002"],
        "{page}"
    );
    for r in &rows[..3] {
        assert!(r.contains("late: matin"), "{r}");
    }
    assert!(rows[0].contains("not enrolled"));
    assert!(
        rows[1].contains(">enrolled") || rows[1].contains("enrolled "),
        "{}",
        rows[1]
    );
    assert!(
        rows[3].contains("reported (matin)") && !rows[3].contains("late:"),
        "{}",
        rows[3]
    );
    assert!(rows[4].contains("PV received"), "{}", rows[4]);
    assert!(page.contains("<strong>3</strong> late"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bureau_whose_phone_s_return_was_refused_comes_first_with_its_code() {
    use crate::common::sign;
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let e = site.election.clone();
    let now = pointage_server::system::now_ms();
    let post = |bytes: Vec<u8>| {
        let req = client
            .post(format!("{base}/api/v1/returns"))
            .header("content-type", "application/json")
            .body(bytes);
        async move { req.send().await.unwrap().status() }
    };
    let old = [41; 32];
    site.db
        .enroll(&site.code("DEMO-004"), &public_key_hex_of(&old), now)
        .unwrap();
    let v1 = sign(&e, "DEMO-004", [40, 30, 20, 10], &old, None);
    assert_eq!(post(v1.to_bytes()).await, StatusCode::CREATED);
    // The code reissued (the phone said lost), the old phone still sends
    // its correction: refused, and the board says so.
    let new_code = site
        .db
        .reissue_code(
            e.id(),
            "DEMO-004",
            now,
            pointage_core::operator::Actor::Coordinator,
        )
        .unwrap();
    let v2 = sign(
        &e,
        "DEMO-004",
        [41, 29, 20, 10],
        &old,
        Some((&v1, "Erreur de report.".into())),
    );
    assert_eq!(post(v2.to_bytes()).await, StatusCode::FORBIDDEN);
    // A key that never was DEMO-005's: refused, and nothing said of
    // DEMO-005 (anyone can make a key).
    let stranger = sign(&e, "DEMO-005", [40, 30, 20, 10], &[99; 32], None);
    assert_eq!(post(stranger.to_bytes()).await, StatusCode::FORBIDDEN);

    let malik = site.account("Malik", Role::Coordinator).await;
    let (_, page) = board(client, base, Some(&malik)).await;
    let first = page.split("data-bureau=\"").nth(1).unwrap();
    assert!(first.starts_with("DEMO-004"), "the refused first");
    assert!(
        first[..first.find("</tr>").unwrap()]
            .contains("PV refused: <code>return_key_not_enrolled</code>"),
        "{first}"
    );
    assert_eq!(page.matches("PV refused:").count(), 1, "not DEMO-005");
    let wall = client
        .get(format!("{base}/mur"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        wall.contains("1\u{a0}bureau dont le dernier PV envoyé a été refusé"),
        "{wall}"
    );

    // The new phone's correction is received: the refusal is over.
    let new = [42; 32];
    site.db
        .enroll(&new_code.code, &public_key_hex_of(&new), now)
        .unwrap();
    let v2 = sign(
        &e,
        "DEMO-004",
        [41, 29, 20, 10],
        &new,
        Some((&v1, "Erreur de report.".into())),
    );
    assert_eq!(post(v2.to_bytes()).await, StatusCode::CREATED);
    let (_, page) = board(client, base, Some(&malik)).await;
    assert!(!page.contains("PV refused:"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_the_pvs_deadline_past_which_a_bureau_without_its_pv_is_late() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let id = site.election.id().to_owned();
    let claire = site.account("Claire", Role::Admin).await;
    let malik = site.account("Malik", Role::Coordinator).await;
    let (_, page) = board(client, base, Some(&malik)).await;
    assert!(!page.contains("/operateur/echeance"), "an admin's");
    let (status, _) = change(
        &site,
        "/operateur/echeance",
        Some(&malik),
        &[
            ("csrf", &proof(&page)),
            ("election", &id),
            ("time", "21:30"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, page) = board(client, base, Some(&claire)).await;
    let claire_proof = proof(&page);
    let (status, page) = change(
        &site,
        "/operateur/echeance",
        Some(&claire),
        &[
            ("csrf", &claire_proof),
            ("election", &id),
            ("time", "21h30"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Cette heure ne se lit pas"), "{page}");
    let (status, _) = change(
        &site,
        "/operateur/echeance",
        Some(&claire),
        &[
            ("csrf", &claire_proof),
            ("election", &id),
            ("time", "21:30"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let due = pointage_core::day::local_ms("Europe/Paris", site.election.date(), "21:30");
    assert_eq!(site.db.returns_due(&id).unwrap(), due);
    let (_, page) = board(client, base, Some(&claire)).await;
    assert!(page.contains("PVs due by 21:30 (Europe/Paris)."), "{page}");
    assert!(!page.contains("PV due</strong>"), "not yet past");

    // Past it (the clock moved on): every bureau without its PV is late.
    let now = pointage_server::system::now_ms();
    site.db.returns_due_set(&id, Some(now - 1_000)).unwrap();
    let (_, page) = board(client, base, Some(&claire)).await;
    assert_eq!(page.matches("late: PV due").count(), 13, "{page}");
    // Lifted.
    let (status, _) = change(
        &site,
        "/operateur/echeance",
        Some(&claire),
        &[("csrf", &claire_proof), ("election", &id), ("time", "")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(site.db.returns_due(&id).unwrap(), None);
}
