//! The passkey ceremonies, as JSON for `operator.js`: an invitation made
//! into an account with its passkey, and a sign-in. Each begins with the
//! options the browser hands to `navigator.credentials` and a ceremony
//! token (its state waits in the database, for any node to finish), and
//! ends with the browser's credential. A refusal is `{"error": code}`:
//! the page holds each code's sentence in its language.

use super::{CEREMONY_MS, Passkeys, new_token, open_session, token_hash};
use crate::AppState;
use crate::api::ClientAddr;
use crate::db::operators::{NewToken, Operator, TokenKind};
use crate::db::{Db, DbError};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use pointage_core::operator::{Role, account_name};
use serde::Deserialize;
use serde_json::{Value, json};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Uuid,
};

#[derive(Deserialize)]
pub struct InvitationStart {
    token: String,
}

#[derive(Deserialize)]
pub struct SigninStart {
    name: String,
}

#[derive(Deserialize)]
pub struct Finish {
    ceremony: String,
    credential: Value,
}

/// A refusal the page words: `code` names its sentence.
fn refused(status: StatusCode, code: &'static str) -> Response {
    Refused(status, code).into_response()
}

/// A refusal on its way out of a step.
struct Refused(StatusCode, &'static str);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

fn failed(e: impl std::fmt::Display) -> Refused {
    eprintln!("operators: {e}");
    Refused(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
}

fn unavailable(e: impl std::fmt::Display) -> Response {
    failed(e).into_response()
}

/// Runs `op` on the database off the async threads.
async fn on_db<T: Send + 'static>(
    app: &AppState,
    op: impl FnOnce(&Db) -> Result<T, DbError> + Send + 'static,
) -> Result<T, Refused> {
    app.db.run(op).await.map_err(failed)
}

/// The relying party, and this client's allowance to begin a ceremony.
fn begin<'a>(app: &'a AppState, client: &ClientAddr) -> Result<&'a Passkeys, Refused> {
    let Some(p) = app.operators.passkeys.as_ref() else {
        return Err(Refused(StatusCode::SERVICE_UNAVAILABLE, "no_passkeys"));
    };
    if !app
        .operators
        .signins
        .allow(&client.0, crate::system::now_ms())
    {
        return Err(Refused(StatusCode::TOO_MANY_REQUESTS, "slowed"));
    }
    Ok(p)
}

/// Keeps a ceremony's `data` for [`CEREMONY_MS`]; its token.
async fn keep_ceremony(app: &AppState, data: Value) -> Result<String, Refused> {
    on_db(app, move |db| {
        let (token, hash) = new_token()?;
        let now = crate::system::now_ms();
        db.token_put(
            &NewToken {
                hash: &hash,
                kind: TokenKind::Ceremony,
                operator: None,
                data: &data.to_string(),
                expires_at: now + CEREMONY_MS,
            },
            now,
        )?;
        Ok(token)
    })
    .await
}

/// Takes the ceremony `token` (used once), as kept.
async fn take_ceremony(app: &AppState, token: &str) -> Result<Value, Refused> {
    let hash = token_hash(token);
    let kept = on_db(app, move |db| {
        db.token_take(TokenKind::Ceremony, &hash, crate::system::now_ms())
    })
    .await?;
    kept.and_then(|(_, data)| serde_json::from_str(&data).ok())
        .ok_or(Refused(StatusCode::BAD_REQUEST, "expired"))
}

/// Answers with a new session for `op`.
async fn signed_in(app: &AppState, op: Operator) -> Response {
    match on_db(app, move |db| {
        open_session(db, &op, crate::system::now_ms())
    })
    .await
    {
        Ok(cookie) => (
            [(header::SET_COOKIE, cookie)],
            Json(json!({ "next": super::pages::BOARD })),
        )
            .into_response(),
        Err(r) => r.into_response(),
    }
}

/// Where a passkey is kept: its credential's id as webauthn-rs writes it.
fn cred_key(p: &Passkey) -> String {
    serde_json::to_value(p.cred_id())
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub async fn invitation_start(
    State(app): State<AppState>,
    client: ClientAddr,
    Json(ask): Json<InvitationStart>,
) -> Response {
    let p = match begin(&app, &client) {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let invite = token_hash(&ask.token);
    let peeked = invite.clone();
    let found = match on_db(&app, move |db| {
        db.token_peek(TokenKind::Invite, &peeked, crate::system::now_ms())
    })
    .await
    {
        Ok(f) => f,
        Err(r) => return r.into_response(),
    };
    let Some((_, data)) = found else {
        return refused(StatusCode::BAD_REQUEST, "invite_used");
    };
    let Ok(invited) = serde_json::from_str::<Value>(&data) else {
        return unavailable("an invitation's data is not JSON");
    };
    let name = invited["name"].as_str().unwrap_or_default().to_owned();
    let mut id = [0u8; 16];
    if let Err(e) = getrandom::fill(&mut id) {
        return unavailable(e);
    }
    let id = Uuid::from_bytes(id);
    let (options, state) = match p
        .webauthn
        .start_passkey_registration(id, &name, &name, None)
    {
        Ok(s) => s,
        Err(e) => return unavailable(e),
    };
    let kept = json!({
        "invite": invite, "id": id.to_string(), "name": name,
        "role": invited["role"], "state": state,
    });
    match keep_ceremony(&app, kept).await {
        Ok(ceremony) => Json(json!({
            "ceremony": ceremony, "options": options,
            "name": name, "role": invited["role"],
        }))
        .into_response(),
        Err(r) => r.into_response(),
    }
}

pub async fn invitation_finish(State(app): State<AppState>, Json(ask): Json<Finish>) -> Response {
    let Some(p) = app.operators.passkeys.as_ref() else {
        return refused(StatusCode::SERVICE_UNAVAILABLE, "no_passkeys");
    };
    let kept = match take_ceremony(&app, &ask.ceremony).await {
        Ok(k) => k,
        Err(r) => return r.into_response(),
    };
    let (Ok(state), Some(role), Some(name), Some(id), Some(invite)) = (
        serde_json::from_value::<PasskeyRegistration>(kept["state"].clone()),
        kept["role"].as_str().and_then(Role::from_code),
        kept["name"].as_str(),
        kept["id"].as_str(),
        kept["invite"].as_str(),
    ) else {
        return refused(StatusCode::BAD_REQUEST, "expired");
    };
    let passkey = match serde_json::from_value::<RegisterPublicKeyCredential>(ask.credential)
        .map_err(|e| e.to_string())
        .and_then(|c| {
            p.webauthn
                .finish_passkey_registration(&c, &state)
                .map_err(|e| e.to_string())
        }) {
        Ok(k) => k,
        Err(_) => return refused(StatusCode::BAD_REQUEST, "not_recognised"),
    };
    let op = Operator {
        id: id.to_owned(),
        name: name.to_owned(),
        role,
        created_at: crate::system::now_ms(),
    };
    let (made, invite) = (op.clone(), invite.to_owned());
    let Ok(json) = serde_json::to_string(&passkey) else {
        return unavailable("a passkey could not be written");
    };
    let key = cred_key(&passkey);
    let stored = on_db(&app, move |db| {
        if db
            .token_take(TokenKind::Invite, &invite, crate::system::now_ms())?
            .is_none()
        {
            return Ok(Err("invite_used"));
        }
        Ok(if db.operator_create(&made, &key, &json)? {
            Ok(())
        } else {
            Err("name_taken")
        })
    })
    .await;
    match stored {
        Ok(Ok(())) => signed_in(&app, op).await,
        Ok(Err(code)) => refused(StatusCode::CONFLICT, code),
        Err(r) => r.into_response(),
    }
}

pub async fn signin_start(
    State(app): State<AppState>,
    client: ClientAddr,
    Json(ask): Json<SigninStart>,
) -> Response {
    let p = match begin(&app, &client) {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let Some(name) = account_name(&ask.name) else {
        return refused(StatusCode::BAD_REQUEST, "bad_name");
    };
    let found = match on_db(&app, move |db| db.operator_named(&name)).await {
        Ok(f) => f,
        Err(r) => return r.into_response(),
    };
    let Some((op, stored)) = found else {
        return refused(StatusCode::NOT_FOUND, "no_account");
    };
    let passkeys: Vec<Passkey> = stored
        .iter()
        .filter_map(|j| serde_json::from_str(j).ok())
        .collect();
    let (options, state) = match p.webauthn.start_passkey_authentication(&passkeys) {
        Ok(s) => s,
        Err(e) => return unavailable(e),
    };
    let kept = json!({ "id": op.id, "name": op.name, "state": state });
    match keep_ceremony(&app, kept).await {
        Ok(ceremony) => Json(json!({ "ceremony": ceremony, "options": options })).into_response(),
        Err(r) => r.into_response(),
    }
}

pub async fn signin_finish(State(app): State<AppState>, Json(ask): Json<Finish>) -> Response {
    let Some(p) = app.operators.passkeys.as_ref() else {
        return refused(StatusCode::SERVICE_UNAVAILABLE, "no_passkeys");
    };
    let kept = match take_ceremony(&app, &ask.ceremony).await {
        Ok(k) => k,
        Err(r) => return r.into_response(),
    };
    let (Ok(state), Some(name)) = (
        serde_json::from_value::<PasskeyAuthentication>(kept["state"].clone()),
        kept["name"].as_str().map(str::to_owned),
    ) else {
        return refused(StatusCode::BAD_REQUEST, "expired");
    };
    // Every attempt on an account costs it one of its few: past them, one
    // a minute, whatever the credential.
    if !app.operators.failures.allow(&name, crate::system::now_ms()) {
        tokio::time::sleep(app.limits.tarpit).await;
        return refused(StatusCode::TOO_MANY_REQUESTS, "slowed");
    }
    let result = match serde_json::from_value::<PublicKeyCredential>(ask.credential)
        .map_err(|e| e.to_string())
        .and_then(|c| {
            p.webauthn
                .finish_passkey_authentication(&c, &state)
                .map_err(|e| e.to_string())
        }) {
        Ok(r) => r,
        Err(_) => {
            // A wrong sign-in is answered after the API's tarpit: a
            // sleeping task costs the server nothing, the guesser time.
            tokio::time::sleep(app.limits.tarpit).await;
            return refused(StatusCode::UNAUTHORIZED, "not_recognised");
        }
    };
    let found = on_db(&app, move |db| {
        let Some((op, stored)) = db.operator_named(&name)? else {
            return Ok(None);
        };
        // The passkey's counter moves on: a cloned authenticator shows.
        for json in stored {
            let Ok(mut passkey) = serde_json::from_str::<Passkey>(&json) else {
                continue;
            };
            if passkey.update_credential(&result) == Some(true) {
                let text = serde_json::to_string(&passkey).map_err(DbError::from_json)?;
                db.operator_passkey_update(&cred_key(&passkey), &text)?;
            }
        }
        Ok(Some(op))
    })
    .await;
    match found {
        Ok(Some(op)) => signed_in(&app, op).await,
        Ok(None) => refused(StatusCode::NOT_FOUND, "no_account"),
        Err(r) => r.into_response(),
    }
}
