//! The operators' changes: each a form carrying its session's proof,
//! checked against core's `Role::may` (401 signed out, 403 without the
//! proof or the right): an invitation, a reissue, a note, signing out.

use super::pages::{BOARD, answer, frame, to_signin};
use super::texts;
use super::{Signed, closed_cookie, invitation_url, proof_holds, signed_in};
use crate::AppState;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;
use pointage_core::operator::{Action, Role, account_name};
use pointage_texts::Lang;
use serde::Deserialize;

/// A change's form: its proof, and what it names.
#[derive(Deserialize)]
pub struct Change {
    csrf: Option<String>,
    lang: Option<String>,
    name: Option<String>,
    role: Option<String>,
    election: Option<String>,
    bureau: Option<String>,
    text: Option<String>,
    time: Option<String>,
}

/// The operator who may make `change`, or the answer refusing it: 401
/// signed out, 403 without the session's proof or the role's right.
async fn may(
    app: &AppState,
    headers: &HeaderMap,
    change: &Change,
    action: Option<Action>,
) -> Result<Signed, Response> {
    may_with(
        app,
        headers,
        lang_of(change),
        change.csrf.as_deref(),
        action,
    )
    .await
}

/// [`may`], for a change read another way (a file sent with its form).
pub(super) async fn may_with(
    app: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    proof: Option<&str>,
    action: Option<Action>,
) -> Result<Signed, Response> {
    let t = texts::of(lang);
    let signed = match signed_in(app, headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return Err(refusal(app, lang, StatusCode::UNAUTHORIZED, t.signed_out)),
        Err(e) => return Err(e.into_response()),
    };
    if !proof.is_some_and(|p| proof_holds(&signed, p)) {
        return Err(refusal(app, lang, StatusCode::FORBIDDEN, t.refused_proof));
    }
    if action.is_some_and(|a| !signed.op.role.may(a)) {
        return Err(refusal(app, lang, StatusCode::FORBIDDEN, t.refused_role));
    }
    Ok(signed)
}

fn lang_of(change: &Change) -> Lang {
    change
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_default()
}

pub(super) fn refusal(app: &AppState, lang: Lang, status: StatusCode, why: &str) -> Response {
    let t = texts::of(lang);
    let main = html! {
        main aria-labelledby="refused-title" {
            h1 #refused-title { (t.refused_title) }
            p.error role="alert" { (why) }
            p { a href={ (BOARD) "?lang=" (lang.code()) } { (t.back) } }
        }
    };
    answer(
        status,
        frame(&app.operator_head, lang, t.refused_title, BOARD, main),
    )
}

/// A page shown once: a link or a code to hand over.
fn once(app: &AppState, lang: Lang, title: &str, intro: &str, shown: &[&str]) -> Response {
    once_with(app, lang, title, intro, shown, None)
}

/// [`once`], with a file to download (its address and its name).
fn once_with(
    app: &AppState,
    lang: Lang,
    title: &str,
    intro: &str,
    shown: &[&str],
    file: Option<(&str, &str)>,
) -> Response {
    let t = texts::of(lang);
    let main = html! {
        main aria-labelledby="once-title" {
            h1 #once-title { (title) }
            p { (intro) }
            @for s in shown { p { code.once { (s) } } }
            @if let Some((href, name)) = file { p { a href=(href) download { (name) } } }
            p { a href={ (BOARD) "?lang=" (lang.code()) } { (t.back) } }
        }
    };
    answer(
        StatusCode::OK,
        frame(&app.operator_head, lang, title, BOARD, main),
    )
}

pub async fn invite(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(change): Form<Change>,
) -> Response {
    if let Err(r) = may(&app, &headers, &change, Some(Action::Invite)).await {
        return r;
    }
    let lang = lang_of(&change);
    let t = texts::of(lang);
    let (Some(name), Some(role)) = (
        change.name.as_deref().and_then(account_name),
        change.role.as_deref().and_then(Role::from_code),
    ) else {
        return refusal(&app, lang, StatusCode::BAD_REQUEST, t.bad_name);
    };
    let Some(public) = app.operators.public_url() else {
        return refusal(
            &app,
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            t.err_no_passkeys,
        );
    };
    match app
        .db
        .run(move |db| super::invite(db, &name, role, crate::system::now_ms()))
        .await
    {
        Ok(token) => once(
            &app,
            lang,
            t.invited_title,
            t.invited_intro,
            &[&invitation_url(&public, &token)],
        ),
        Err(e) => crate::api::ApiError::from(e).into_response(),
    }
}

pub async fn reissue(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(change): Form<Change>,
) -> Response {
    let signed = match may(&app, &headers, &change, Some(Action::Reissue)).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = lang_of(&change);
    let t = texts::of(lang);
    let (e, election, bureau) = match bureau_named(&app, &change, lang).await {
        Ok(named) => named,
        Err(r) => return r,
    };
    let public = app.operators.public_url().unwrap_or_default();
    // May reissue: an admin or a coordinator, as the record will say.
    let Some(by) = pointage_core::operator::Actor::of(signed.op.role) else {
        return refusal(&app, lang, StatusCode::FORBIDDEN, t.refused_role);
    };
    let (link_base, operator) = (public.clone(), signed.op.id.clone());
    let made = app
        .db
        .run(move |db| {
            let now = crate::system::now_ms();
            let code = db.reissue_code(&election, &bureau, now, by)?;
            // The bureau's new letter, with its new code: kept an hour for
            // this operator, as an import's letters.
            let link = crate::admin::enrollment_url(&link_base, &code.code);
            let details = db.bureau_details(&election)?;
            let codes =
                std::collections::HashMap::from([(bureau.clone(), (code.code.clone(), link))]);
            let team_phone = db.team_phone(&election)?;
            let (pdf, _, _) = crate::letters::pile(
                &e,
                &details,
                &codes,
                None,
                team_phone.as_deref(),
                super::import::lang_letters(lang),
            );
            let name = format!("lettre-{bureau}.pdf");
            let letter = super::import::keep(db, &operator, &name, "application/pdf", &pdf, now)?;
            Ok((code, letter))
        })
        .await;
    match made {
        Ok((code, letter)) => once_with(
            &app,
            lang,
            t.reissued_title,
            t.reissued_intro,
            &[
                &format!("{} — {}", code.bureau, code.code),
                &crate::admin::enrollment_url(&public, &code.code),
            ],
            Some((&letter, t.reissued_letter)),
        ),
        Err(e) => crate::api::ApiError::from(e).into_response(),
    }
}

pub async fn sign_out(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(change): Form<Change>,
) -> Response {
    let signed = match may(&app, &headers, &change, None).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let id = signed.op.id.clone();
    if let Err(e) = app.db.run(move |db| db.sessions_drop(&id)).await {
        return crate::api::ApiError::from(e).into_response();
    }
    let mut r = to_signin(lang_of(&change));
    r.headers_mut().insert(header::SET_COOKIE, closed_cookie());
    r
}

pub async fn note(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(change): Form<Change>,
) -> Response {
    let signed = match may(&app, &headers, &change, Some(Action::Note)).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lang = lang_of(&change);
    let t = texts::of(lang);
    let text = change.text.as_deref().unwrap_or_default().trim().to_owned();
    let chars = text.chars().count();
    if !(1..=1000).contains(&chars)
        || text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return refusal(&app, lang, StatusCode::BAD_REQUEST, t.note_empty);
    }
    let (_, election, bureau) = match bureau_named(&app, &change, lang).await {
        Ok(named) => named,
        Err(r) => return r,
    };
    let note = crate::db::operators::Note {
        at: crate::system::now_ms(),
        author: signed.op.name.clone(),
        text,
    };
    let (e, b) = (election.clone(), bureau.clone());
    if let Err(e) = app.db.run(move |db| db.note_add(&e, &b, &note)).await {
        return crate::api::ApiError::from(e).into_response();
    }
    (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            super::bureau::href(lang, &election, &bureau),
        )],
    )
        .into_response()
}

/// The time zone an election's times are said in: its day's, else Paris.
pub(super) fn time_zone(e: &pointage_core::Election) -> &str {
    e.day().map_or("Europe/Paris", |d| d.time_zone.as_str())
}

/// An admin sets the time by which every PV is expected (`HH:MM` on the
/// polling day, in its time zone; before 06:00, the next morning), or
/// lifts it (empty): past it, a bureau without its PV is late on the
/// board and counted so on the wall screen.
pub async fn deadline(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(change): Form<Change>,
) -> Response {
    if let Err(r) = may(&app, &headers, &change, Some(Action::ManageElection)).await {
        return r;
    }
    let lang = lang_of(&change);
    let t = texts::of(lang);
    let e = match change.election.as_deref() {
        Some(id) => match app.election(id).await {
            Ok(Some(e)) => e,
            Ok(None) => return refusal(&app, lang, StatusCode::BAD_REQUEST, t.no_election),
            Err(e) => return crate::api::ApiError::from(e).into_response(),
        },
        None => return refusal(&app, lang, StatusCode::BAD_REQUEST, t.no_election),
    };
    let typed = change.time.as_deref().unwrap_or_default().trim();
    let due = match typed {
        "" => None,
        t_ => match pointage_core::day::local_ms(time_zone(&e), e.date(), t_) {
            Some(due) => Some(due),
            None => return refusal(&app, lang, StatusCode::BAD_REQUEST, t.deadline_unreadable),
        },
    };
    let id = e.id().to_owned();
    if let Err(err) = app.db.run(move |db| db.returns_due_set(&id, due)).await {
        return crate::api::ApiError::from(err).into_response();
    }
    back_to_board(lang, e.id())
}

pub async fn close(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(change): Form<Change>,
) -> Response {
    if let Err(r) = may(&app, &headers, &change, Some(Action::ManageElection)).await {
        return r;
    }
    let lang = lang_of(&change);
    let t = texts::of(lang);
    let Some(election) = change.election.clone() else {
        return refusal(&app, lang, StatusCode::BAD_REQUEST, t.no_election);
    };
    let id = election.clone();
    // Closed by an admin, as its record line says.
    match app
        .db
        .run(move |db| {
            db.close_election(
                &id,
                crate::system::now_ms(),
                pointage_core::operator::Actor::Admin,
            )
        })
        .await
    {
        Ok(Some(_)) => {}
        Ok(None) => return refusal(&app, lang, StatusCode::BAD_REQUEST, t.no_election),
        Err(e) => return crate::api::ApiError::from(e).into_response(),
    }
    back_to_board(lang, &election)
}

/// The election and bureau a change names (the election, its id, the
/// bureau's code), or the page saying there is no such bureau.
async fn bureau_named(
    app: &AppState,
    change: &Change,
    lang: Lang,
) -> Result<(std::sync::Arc<pointage_core::Election>, String, String), Response> {
    let no_bureau = || {
        refusal(
            app,
            lang,
            StatusCode::BAD_REQUEST,
            texts::of(lang).no_bureau,
        )
    };
    let (Some(election), Some(bureau)) = (change.election.clone(), change.bureau.clone()) else {
        return Err(no_bureau());
    };
    match app.election(&election).await {
        Ok(Some(e)) if e.bureau(&bureau).is_some() => Ok((e, election, bureau)),
        Ok(_) => Err(no_bureau()),
        Err(e) => Err(crate::api::ApiError::from(e).into_response()),
    }
}

/// After a change of the election's: its board again (303).
fn back_to_board(lang: Lang, election: &str) -> Response {
    let query = serde_urlencoded::to_string([("lang", lang.code()), ("election", election)])
        .unwrap_or_default();
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("{BOARD}?{query}"))],
    )
        .into_response()
}
