//! The central team's accounts over HTTP, with a software passkey
//! (webauthn-authenticator-rs) where the journeys use Chromium's virtual
//! authenticator: an invitation made into an account, sign-ins, the board,
//! each role's rights, the form proof, sign-out everywhere, and wrong
//! sign-ins slowed.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::operator::Role;
use pointage_server::operators::{Operators, invite};
use pointage_server::{AppState, router};
use reqwest::StatusCode;
use serde_json::{Value, json};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

/// The site the passkeys belong to (the test's client is no browser: the
/// port it reaches the server on does not matter to the ceremony).
pub const SITE: &str = "http://localhost:8080";

pub struct Site {
    pub base: String,
    pub db: pointage_server::db::Db,
    pub election: pointage_core::Election,
    pub codes: Vec<pointage_server::db::IssuedCode>,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn start() -> Site {
    start_with(Operators::new(SITE).unwrap().signins_per_minute(1_000)).await
}

async fn start_with(operators: Operators) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let db = crate::common::fresh_db(&dir.path().join("data")).await;
    let (election, codes) = pointage_server::demo::seed_if_empty(&db, 0)
        .unwrap()
        .unwrap();
    let mut state = AppState::new(db.clone()).unwrap();
    state.operators = std::sync::Arc::new(operators);
    state.limits = std::sync::Arc::new(pointage_server::Limits::default().without_tarpit());
    let addr = pointage_server::serve::on_free_port(router(state, dist))
        .await
        .unwrap();
    Site {
        base: format!("http://{addr}"),
        db,
        election,
        codes,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _dir: dir,
    }
}

pub fn authenticator() -> WebauthnAuthenticator<SoftPasskey> {
    // `true`: it says the person was verified (a passkey's PIN or finger).
    WebauthnAuthenticator::new(SoftPasskey::new(true))
}

pub async fn post_json(
    client: &reqwest::Client,
    url: String,
    body: Value,
) -> (StatusCode, Value, Option<String>) {
    let r = client.post(url).json(&body).send().await.unwrap();
    let status = r.status();
    let cookie = r
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, r.json().await.unwrap_or(Value::Null), cookie)
}

/// The session cookie's `name=value` of a `Set-Cookie`.
pub fn session(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

/// Makes the account of invitation `token` with `key`: the session's
/// `Set-Cookie`.
pub async fn accept(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    key: &mut WebauthnAuthenticator<SoftPasskey>,
) -> Result<String, (StatusCode, Value)> {
    let (status, begun, _) = post_json(
        client,
        format!("{base}/operateur/api/invitation/debut"),
        json!({ "token": token }),
    )
    .await;
    if status != StatusCode::OK {
        return Err((status, begun));
    }
    let options: CreationChallengeResponse =
        serde_json::from_value(begun["options"].clone()).unwrap();
    let credential = key
        .do_registration(Url::parse(SITE).unwrap(), options)
        .unwrap();
    let (status, done, cookie) = post_json(
        client,
        format!("{base}/operateur/api/invitation/fin"),
        json!({ "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await;
    match cookie {
        Some(c) if status == StatusCode::OK => Ok(c),
        _ => Err((status, done)),
    }
}

/// Signs in as `name` with `key`: the session's `Set-Cookie`, or the
/// refusal.
pub async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    name: &str,
    key: &mut WebauthnAuthenticator<SoftPasskey>,
) -> Result<String, (StatusCode, Value)> {
    let (status, begun, _) = post_json(
        client,
        format!("{base}/operateur/api/connexion/debut"),
        json!({ "name": name }),
    )
    .await;
    if status != StatusCode::OK {
        return Err((status, begun));
    }
    let options: RequestChallengeResponse =
        serde_json::from_value(begun["options"].clone()).unwrap();
    let credential = match key.do_authentication(Url::parse(SITE).unwrap(), options) {
        Ok(c) => serde_json::to_value(c).unwrap(),
        // An authenticator that holds no passkey for the account: what it
        // would present is a credential of its own.
        Err(_) => return Err((StatusCode::PRECONDITION_FAILED, Value::Null)),
    };
    let (status, done, cookie) = post_json(
        client,
        format!("{base}/operateur/api/connexion/fin"),
        json!({ "ceremony": begun["ceremony"], "credential": credential }),
    )
    .await;
    match cookie {
        Some(c) if status == StatusCode::OK => Ok(c),
        _ => Err((status, done)),
    }
}

/// The board as `cookie`'s holder sees it: status, page.
pub async fn board(
    client: &reqwest::Client,
    base: &str,
    cookie: Option<&str>,
) -> (StatusCode, String) {
    let mut req = client.get(format!("{base}/operateur?lang=en"));
    if let Some(c) = cookie {
        req = req.header("cookie", session(c));
    }
    let r = req.send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The form proof a board page carries.
fn proof(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a form proof") + 19;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

async fn change(
    site: &Site,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut req = site
        .client
        .post(format!("{}{path}", site.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(form).unwrap());
    if let Some(c) = cookie {
        req = req.header("cookie", session(c));
    }
    let r = req.send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_becomes_an_account_whose_role_bounds_what_it_may_do() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let token = invite(
        &site.db,
        "Claire Admin",
        Role::Admin,
        pointage_server::system::now_ms(),
    )
    .unwrap();
    let mut claire = authenticator();
    let first = accept(client, base, &token, &mut claire).await.unwrap();
    for part in [
        "__Host-pointage-op=",
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
    ] {
        assert!(first.contains(part), "{part} in {first}");
    }
    // An invitation serves once.
    let again = accept(client, base, &token, &mut authenticator()).await;
    assert_eq!(again.unwrap_err().1["error"], "invite_used");

    // The board, signed in; its form proof.
    let (status, page) = board(client, base, Some(&first)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Claire Admin") && page.contains("DEMO-001"),
        "{page}"
    );
    let claire_proof = proof(&page);

    // A second sign-in with the same passkey: a second session.
    let second = sign_in(client, base, "Claire Admin", &mut claire)
        .await
        .unwrap();
    assert_ne!(session(&first), session(&second));

    // The admin invites a coordinator; the link is shown once.
    let (status, shown) = change(
        &site,
        "/operateur/invitations",
        Some(&first),
        &[
            ("csrf", &claire_proof),
            ("name", "Malik"),
            ("role", "coordinator"),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    let link_at = shown.find("/operateur/invitation#").expect("the link") + 22;
    let malik_token = &shown[link_at..link_at + shown[link_at..].find('<').unwrap()];
    let mut malik_key = authenticator();
    let malik = accept(client, base, malik_token, &mut malik_key)
        .await
        .unwrap();
    let (_, malik_page) = board(client, base, Some(&malik)).await;
    let malik_proof = proof(&malik_page);
    assert!(
        !malik_page.contains("/operateur/invitations"),
        "a coordinator is offered no invitation"
    );

    // A coordinator cannot invite (403), even with its own proof.
    let (status, _) = change(
        &site,
        "/operateur/invitations",
        Some(&malik),
        &[("csrf", &malik_proof), ("name", "Eve"), ("role", "admin")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A change without the session's proof, or with another's: 403.
    for wrong in [None, Some(claire_proof.as_str())] {
        let mut form = vec![("election", site.election.id()), ("bureau", "DEMO-002")];
        if let Some(p) = wrong {
            form.push(("csrf", p));
        }
        let (status, page) = change(&site, "/operateur/reemettre", Some(&malik), &form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    }
    let before = site
        .db
        .enrolled_key(site.election.id(), "DEMO-002")
        .unwrap();

    // The coordinator reissues a bureau's code: shown once, with its link.
    let (status, shown) = change(
        &site,
        "/operateur/reemettre",
        Some(&malik),
        &[
            ("csrf", &malik_proof),
            ("election", site.election.id()),
            ("bureau", "DEMO-002"),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert!(
        shown.contains("DEMO-002 — ") && shown.contains("/enroler#code="),
        "{shown}"
    );
    assert_eq!(before, None);
    // The public record says who reissued it: a coordinator, never whom.
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
    let line = record
        .lines()
        .find(|l| l.contains("\"reissue\"") && l.contains("DEMO-002"))
        .expect("the reissue's line");
    assert!(line.contains("\"by\":\"coordinator\""), "{line}");
    assert!(!line.contains("Malik"), "{line}");

    // Signed out: every page sends to the sign-in, every change is 401.
    let (status, page) = board(client, base, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!page.contains("DEMO-001"));
    for path in [
        "/operateur/invitations",
        "/operateur/reemettre",
        "/operateur/deconnexion",
    ] {
        let (status, _) = change(&site, path, None, &[("csrf", &claire_proof)]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
    // A made-up cookie is no session.
    let (status, _) = board(client, base, Some("__Host-pointage-op=forged")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Signing out ends every session of the account, not another's.
    let (status, _) = change(
        &site,
        "/operateur/deconnexion",
        Some(&first),
        &[("csrf", &claire_proof)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        board(client, base, Some(&first)).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        board(client, base, Some(&second)).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(board(client, base, Some(&malik)).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_sign_ins_are_refused_then_slowed() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let now = pointage_server::system::now_ms();
    let mut right = authenticator();
    let token = invite(&site.db, "Ana", Role::Observer, now).unwrap();
    accept(client, base, &token, &mut right).await.unwrap();
    // Another person's passkey, presented for Ana's account.
    let mut other = authenticator();
    let token = invite(&site.db, "Bo", Role::Observer, now).unwrap();
    accept(client, base, &token, &mut other).await.unwrap();

    let unknown = sign_in(client, base, "Nobody", &mut right)
        .await
        .unwrap_err();
    assert_eq!(
        (unknown.0, unknown.1["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("no_account"))
    );

    let (_, bo, _) = post_json(
        client,
        format!("{base}/operateur/api/connexion/debut"),
        json!({ "name": "Bo" }),
    )
    .await;
    let bo_options: RequestChallengeResponse =
        serde_json::from_value(bo["options"].clone()).unwrap();
    let mut refusals = Vec::new();
    for _ in 0..6 {
        let (status, body, _) = post_json(
            client,
            format!("{base}/operateur/api/connexion/debut"),
            json!({ "name": "Ana" }),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // Bo's authenticator answers Ana's challenge with Bo's passkey.
        let ana: RequestChallengeResponse =
            serde_json::from_value(body["options"].clone()).unwrap();
        let mut options = bo_options.clone();
        options.public_key.challenge = ana.public_key.challenge;
        let credential = other
            .do_authentication(Url::parse(SITE).unwrap(), options)
            .unwrap();
        let (status, done, cookie) = post_json(
            client,
            format!("{base}/operateur/api/connexion/fin"),
            json!({ "ceremony": body["ceremony"], "credential": credential }),
        )
        .await;
        assert!(cookie.is_none());
        refusals.push((
            status,
            done["error"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    let not_recognised = (StatusCode::UNAUTHORIZED, "not_recognised".to_owned());
    let slowed = (StatusCode::TOO_MANY_REQUESTS, "slowed".to_owned());
    assert_eq!(refusals[..5], vec![not_recognised; 5][..]);
    assert_eq!(refusals[5], slowed);
    // Slowed even with the right passkey, until a minute has passed; Bo's
    // account is not.
    let held = sign_in(client, base, "Ana", &mut right).await.unwrap_err();
    assert_eq!(held.0, StatusCode::TOO_MANY_REQUESTS);
    sign_in(client, base, "Bo", &mut other).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_begins_ten_ceremonies_a_minute() {
    let site = start_with(Operators::new(SITE).unwrap()).await;
    let mut answers = Vec::new();
    for _ in 0..11 {
        let (status, body, _) = post_json(
            &site.client,
            format!("{}/operateur/api/connexion/debut", site.base),
            json!({ "name": "Nobody" }),
        )
        .await;
        answers.push((
            status,
            body["error"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    assert_eq!(answers[9], (StatusCode::NOT_FOUND, "no_account".to_owned()));
    assert_eq!(
        answers[10],
        (StatusCode::TOO_MANY_REQUESTS, "slowed".to_owned())
    );
}

#[test]
fn passkeys_need_a_host_name() {
    let refused = Operators::new("http://127.0.0.1:8080")
        .err()
        .expect("refused");
    assert!(refused.contains("host name"), "{refused}");
    assert!(Operators::new("https://pointage.example").is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_refreshed_while_nothing_changed_is_a_304() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let token = invite(
        &site.db,
        "Ana",
        Role::Observer,
        pointage_server::system::now_ms(),
    )
    .unwrap();
    let cookie = accept(client, base, &token, &mut authenticator())
        .await
        .unwrap();
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

/// A spreadsheet of `n` bureaux as the organisers write it, with French
/// titles; `bad` lines (from 2, after the titles) spoilt one way each.
fn spreadsheet(n: usize, bad: &[usize]) -> String {
    let mut out =
        String::from("N° du bureau;Nom du bureau;Commune;Département;Président;Téléphone\n");
    for i in 0..n {
        let line = i + 2;
        let row = match bad.iter().position(|&b| b == line) {
            Some(0) => format!("B{i:05};;Arles;13;Président {i};06 12 34 56 78\n"),
            Some(1) => format!(
                "B{:05};Bureau {i};Arles;13;Président {i};06 12 34 56 78\n",
                i - 1
            ),
            Some(_) => format!("B{i:05};Bureau {i};Arles;13;Président {i};appelez-moi\n"),
            None => format!(
                "B{i:05};Bureau {i};Commune {};{:02};Président {i};06 12 34 {:02} {:02}\n",
                i / 9,
                1 + i % 95,
                i % 100,
                i / 100 % 100
            ),
        };
        out.push_str(&row);
    }
    out
}

async fn send_import(site: &Site, cookie: &str, proof: &str, file: String) -> (StatusCode, String) {
    let form = reqwest::multipart::Form::new()
        .text("csrf", proof.to_owned())
        .text("lang", "fr")
        .text("id", "primaire-2027")
        .text("name", "Primaire citoyenne 2027")
        .text("round", "1")
        .text("date", "2027-01-22")
        .text("test", "1")
        .text("candidates", "Aline Martin\nBruno Petit\nChloé Durand\n")
        .text("team_phone", "01 23 45 67 89")
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.into_bytes()).file_name("bureaux.csv"),
        );
    let r = site
        .client
        .post(format!("{}/operateur/election", site.base))
        .header("cookie", session(cookie))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_imports_ten_thousand_bureaux_and_downloads_their_letters() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let now = pointage_server::system::now_ms();
    let token = invite(&site.db, "Claire", Role::Admin, now).unwrap();
    let admin = accept(client, base, &token, &mut authenticator())
        .await
        .unwrap();
    let (_, page) = board(client, base, Some(&admin)).await;
    assert!(
        page.contains("/operateur/election"),
        "the admin is offered the import"
    );
    let admin_proof = proof(&page);

    // Three bad lines among 10,000: each said with its line, nothing stored.
    let (status, page) = send_import(
        &site,
        &admin,
        &admin_proof,
        spreadsheet(10_000, &[5, 2_001, 9_999]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let listed: Vec<&str> = page
        .split("<ul id=\"problems\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap()
        .split("<li>")
        .skip(1)
        .collect();
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(
        listed[0].starts_with("ligne 5 : le bureau n’a pas de nom"),
        "{}",
        listed[0]
    );
    assert!(
        listed[1].contains("ligne 2001 : le code « B01998 » est déjà ligne 2000"),
        "{}",
        listed[1]
    );
    assert!(
        listed[2].contains("ligne 9999 : « appelez-moi » n’est pas un numéro de téléphone"),
        "{}",
        listed[2]
    );
    assert!(
        page.contains("value=\"Primaire citoyenne 2027\""),
        "what was typed is kept"
    );
    assert!(site.db.election("primaire-2027").unwrap().is_none());

    // Fixed: stored, and its letters and codes wait for the admin.
    let (status, page) = send_import(&site, &admin, &admin_proof, spreadsheet(10_000, &[])).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let e = site.db.election("primaire-2027").unwrap().expect("stored");
    assert_eq!(e.bureaux().len(), 10_000);
    let details = site.db.bureau_details("primaire-2027").unwrap();
    assert_eq!(details[42].phone.as_deref(), Some("06 12 34 42 00"));
    let links: Vec<&str> = page
        .split("href=\"/operateur/telechargement/")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(links.len(), 2);
    let fetch = |who: String, link: String| async move {
        let r = client
            .get(format!("{base}/operateur/telechargement/{link}"))
            .header("cookie", session(&who))
            .send()
            .await
            .unwrap();
        (
            r.status(),
            r.headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned()),
            r.bytes().await.unwrap(),
        )
    };
    let (status, kind, pdf) = fetch(admin.clone(), links[0].to_owned()).await;
    assert_eq!(
        (status, kind.as_deref()),
        (StatusCode::OK, Some("application/pdf"))
    );
    assert!(pdf.starts_with(b"%PDF"));
    let (_, _, csv) = fetch(admin.clone(), links[1].to_owned()).await;
    let csv = String::from_utf8(csv.to_vec()).unwrap();
    assert_eq!(csv.lines().count(), 10_001);
    // A code of the file enrolls its bureau's phone.
    let line = csv.lines().nth(7).unwrap();
    let code = line.split(',').nth(3).unwrap();
    assert!(line.starts_with("B00006,"), "{line}");
    let r = client
        .post(format!("{base}/api/v1/enroll"))
        .json(&json!({ "code": code, "device_key": crate::common::public_key_hex_of(&[9; 32]) }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Another operator cannot fetch them.
    let token = invite(&site.db, "Other", Role::Admin, now).unwrap();
    let other = accept(client, base, &token, &mut authenticator())
        .await
        .unwrap();
    assert_eq!(
        fetch(other.clone(), links[0].to_owned()).await.0,
        StatusCode::NOT_FOUND
    );
    // A coordinator is refused the import.
    let token = invite(&site.db, "Coord", Role::Coordinator, now).unwrap();
    let coordinator = accept(client, base, &token, &mut authenticator())
        .await
        .unwrap();
    let (_, page) = board(client, base, Some(&coordinator)).await;
    assert!(!page.contains("/operateur/election"));
    let (status, _) = send_import(&site, &coordinator, &proof(&page), spreadsheet(3, &[])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bureau_s_page_shows_its_history_and_the_team_s_notes() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let now = pointage_server::system::now_ms();
    let token = invite(&site.db, "Malik", Role::Coordinator, now).unwrap();
    let malik = accept(client, base, &token, &mut authenticator())
        .await
        .unwrap();
    let token = invite(&site.db, "Ana", Role::Observer, now).unwrap();
    let ana = accept(client, base, &token, &mut authenticator())
        .await
        .unwrap();
    // The bureau's phone enrolls; its code is then reissued from the
    // command line.
    let code = site
        .codes
        .iter()
        .find(|c| c.bureau == "DEMO-005")
        .unwrap()
        .code
        .clone();
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
    let token = invite(&site.db, "Ana", Role::Observer, now).unwrap();
    let ana = accept(client, base, &token, &mut authenticator())
        .await
        .unwrap();
    let code = site
        .codes
        .iter()
        .find(|c| c.bureau == "DEMO-007")
        .unwrap()
        .code
        .clone();
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_closes_the_election_and_the_record_says_so() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let now = pointage_server::system::now_ms();
    let token = invite(&site.db, "Malik", Role::Coordinator, now).unwrap();
    let malik = accept(client, base, &token, &mut authenticator())
        .await
        .unwrap();
    let token = invite(&site.db, "Claire", Role::Admin, now).unwrap();
    let claire = accept(client, base, &token, &mut authenticator())
        .await
        .unwrap();
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
