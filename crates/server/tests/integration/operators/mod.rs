//! The central team's accounts over HTTP, with a software passkey
//! (webauthn-authenticator-rs) where the journeys use Chromium's virtual
//! authenticator: an invitation made into an account, sign-ins, the board,
//! each role's rights, the form proof, sign-out everywhere, and wrong
//! sign-ins slowed (here); the board and a bureau's page (`board.rs`);
//! the import from a spreadsheet (`import.rs`).

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

mod board;
mod import;
mod rounds;

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

pub async fn start() -> Site {
    start_with(Operators::new(SITE).unwrap().signins_per_minute(1_000)).await
}

pub async fn start_with(operators: Operators) -> Site {
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

impl Site {
    /// A new account `name` with `role`, its passkey made: its session's
    /// `Set-Cookie`.
    pub async fn account(&self, name: &str, role: Role) -> String {
        let token = invite(&self.db, name, role, pointage_server::system::now_ms()).unwrap();
        accept(&self.client, &self.base, &token, &mut authenticator())
            .await
            .unwrap()
    }

    /// The public record of election `id`, as text.
    pub async fn record(&self, id: &str) -> String {
        self.client
            .get(format!("{}/api/v1/record?election={id}", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The demo election's code of `bureau`.
    pub fn code(&self, bureau: &str) -> String {
        self.codes
            .iter()
            .find(|c| c.bureau == bureau)
            .unwrap()
            .code
            .clone()
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
pub fn proof(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a form proof") + 19;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

pub async fn change(
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
    // With the bureau's new letter, for the coordinator alone.
    let at = shown
        .find("href=\"/operateur/telechargement/")
        .expect("the letter")
        + 6;
    let letter = &shown[at..at + shown[at..].find('"').unwrap()];
    let fetch = |cookie: &str| {
        client
            .get(format!("{base}{letter}"))
            .header("cookie", session(cookie))
            .send()
    };
    let pdf = fetch(&malik).await.unwrap().bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF") && pdf.windows(8).any(|w| w == b"/Count 1"));
    assert_eq!(fetch(&first).await.unwrap().status(), StatusCode::NOT_FOUND);
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
        "/operateur/note",
        "/operateur/clore",
    ] {
        let (status, page) = change(&site, path, None, &[("csrf", &claire_proof)]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(page.contains("Vous n’êtes plus connecté"), "{path}: {page}");
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
