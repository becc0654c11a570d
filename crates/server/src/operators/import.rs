//! `/operateur/election`: an admin prepares an election from the
//! organisers' spreadsheet of bureaux, in a plain form (no script): the
//! election's name, round, date and candidates, and the file. Every
//! problem of the file is shown with its line and nothing is stored while
//! one is left (core's `roster`, as `election import` on the command
//! line); the columns are found by their titles, or chosen by hand. Once
//! stored, the bureaux' letters (one PDF) and codes (CSV) wait an hour
//! for the admin alone, then are forgotten: codes are kept as hashes only.

use super::changes::{may_with, refusal};
use super::import_form::{Offered, Sent, column_name, day, election, form, read};
use super::import_texts as words;
use super::pages::{answer, frame, to_signin};
use super::{new_token, signed_in, token_hash};
use crate::AppState;
use crate::db::operators::{NewToken, TokenKind};
use crate::spreadsheet::cells;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use maud::html;
use pointage_core::election::is_identifier;
use pointage_core::operator::Action;
use pointage_core::roster::{self, Columns, Field};
use pointage_texts::Lang;
use std::collections::HashMap;

pub const PATH: &str = "/operateur/election";
pub const DOWNLOAD: &str = "/operateur/telechargement";
/// How long an import's letters and codes wait for its admin.
pub const DOWNLOAD_MS: u64 = 3_600_000;

pub async fn page(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = serde_urlencoded::from_str::<HashMap<String, String>>(q.as_deref().unwrap_or(""))
        .ok()
        .and_then(|m| m.get("lang").and_then(|l| Lang::from_code(l)))
        .unwrap_or_default();
    let signed = match signed_in(&app, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return to_signin(lang),
        Err(e) => return e.into_response(),
    };
    let t = words::of(lang);
    if !signed.op.role.may(Action::ManageElection) {
        return refusal(
            &app,
            lang,
            StatusCode::FORBIDDEN,
            super::texts::of(lang).refused_role,
        );
    }
    let earlier = match earlier(&app).await {
        Ok(e) => e,
        Err(e) => return e.into_response(),
    };
    let offered = Offered {
        earlier: &earlier,
        kept: None,
    };
    let main = form(t, lang, &signed, &Sent::default(), offered, &[], &[]);
    answer(
        StatusCode::OK,
        frame(&app.operator_head, lang, t.title, PATH, main),
    )
}

/// The spreadsheet of this attempt: the one chosen now, kept an hour for
/// this admin (so that a form sent back for its columns, its times or its
/// identifier need not pick it again), or else the one kept from the
/// previous attempt (`kept`). Its file name and token, if there is one.
async fn keep_sheet(
    app: &AppState,
    operator: &str,
    sent: &mut Sent,
) -> Result<Option<(String, String)>, crate::api::ApiError> {
    let operator = operator.to_owned();
    if let Some((name, bytes)) = sent.file.clone() {
        let link = app
            .db
            .run(move |db| {
                keep(
                    db,
                    &operator,
                    &name,
                    "application/octet-stream",
                    &bytes,
                    crate::system::now_ms(),
                )
            })
            .await?;
        let token = link.rsplit('/').next().unwrap_or_default().to_owned();
        let name = sent
            .file
            .as_ref()
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        return Ok(Some((name, token)));
    }
    let token = sent.get("kept").trim().to_owned();
    if token.is_empty() {
        return Ok(None);
    }
    let hash = token_hash(&token);
    let held = app
        .read(move |db| db.token_peek(TokenKind::Download, &hash, crate::system::now_ms()))
        .await?;
    let Some(file) = held
        .filter(|(owner, _)| owner.as_deref() == Some(operator.as_str()))
        .and_then(|(_, data)| serde_json::from_str::<serde_json::Value>(&data).ok())
    else {
        return Ok(None);
    };
    let name = file["name"].as_str().unwrap_or_default().to_owned();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file["bytes"].as_str().unwrap_or_default())
        .unwrap_or_default();
    sent.file = Some((name.clone(), bytes));
    Ok(Some((name, token)))
}

/// The elections stored, as a later round may be made of them: id, name
/// and round, newest first.
async fn earlier(app: &AppState) -> Result<Vec<(String, String, u8)>, crate::api::ApiError> {
    let ids = app.read(|db| db.election_ids()).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids.iter().rev() {
        if let Some(e) = app.election(id).await? {
            out.push((id.clone(), e.name().to_owned(), e.round()));
        }
    }
    Ok(out)
}

pub async fn import(
    State(app): State<AppState>,
    headers: HeaderMap,
    form_data: Multipart,
) -> Response {
    let sent = match read(form_data).await {
        Ok(s) => s,
        Err(e) => {
            let lang = Lang::default();
            return refusal(&app, lang, StatusCode::BAD_REQUEST, &e);
        }
    };
    let lang = sent.lang();
    let signed = match may_with(
        &app,
        &headers,
        lang,
        sent.fields.get("csrf").map(String::as_str),
        Some(Action::ManageElection),
    )
    .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    let t = words::of(lang);
    let earlier = match earlier(&app).await {
        Ok(e) => e,
        Err(e) => return e.into_response(),
    };
    let mut sent = sent;
    let kept = match keep_sheet(&app, &signed.op.id, &mut sent).await {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    let again = |header: &[String], problems: Vec<String>| {
        answer(
            StatusCode::BAD_REQUEST,
            frame(
                &app.operator_head,
                lang,
                t.title,
                PATH,
                form(
                    t,
                    lang,
                    &signed,
                    &sent,
                    Offered {
                        earlier: &earlier,
                        kept: kept.as_ref(),
                    },
                    header,
                    &problems,
                ),
            ),
        )
    };
    let id = sent.get("id").trim().to_owned();
    if !is_identifier(&id) {
        return again(&[], vec![format!("{} : {}", t.id, t.id_hint)]);
    }
    // The bureaux: an earlier election's (a later round, its phones
    // carried over), or the spreadsheet's.
    let from = Some(sent.get("from").trim().to_owned()).filter(|f| !f.is_empty());
    let (header, bureaux, details, round) = match &from {
        Some(from) => {
            let first = match app.election(from).await {
                Ok(Some(e)) => e,
                Ok(None) => return again(&[], vec![t.from_unknown.to_owned()]),
                Err(e) => return crate::api::ApiError::from(e).into_response(),
            };
            let details = {
                let from = from.clone();
                match app.read(move |db| db.bureau_details(&from)).await {
                    Ok(d) => d,
                    Err(e) => return e.into_response(),
                }
            };
            let round = first.round().saturating_add(1);
            (vec![], first.bureaux().to_vec(), details, round)
        }
        None => {
            let Some((file_name, bytes)) = &sent.file else {
                return again(&[], vec![t.no_file.to_owned()]);
            };
            let rows = match cells(file_name, bytes) {
                Ok(r) => r,
                Err(e) => return again(&[], vec![words::sheet(lang, &e)]),
            };
            let header = rows.first().cloned().unwrap_or_default();
            let mut columns = Columns::guess(&header);
            for f in Field::ALL {
                if let Ok(i) = sent.get(&column_name(f)).parse::<usize>()
                    && i < header.len()
                {
                    columns.set(f, i);
                }
            }
            let read = match roster::read(&rows, &columns) {
                Ok(r) => r,
                Err(problems) => {
                    let said = problems
                        .iter()
                        .map(|p| match p.line {
                            0 => words::problem(lang, &p.problem),
                            n => format!("{} {n} : {}", t.line, words::problem(lang, &p.problem)),
                        })
                        .collect();
                    return again(&header, said);
                }
            };
            let round = if sent.get("round") == "2" { 2 } else { 1 };
            (header, read.bureaux, read.details, round)
        }
    };
    if day(&sent).is_err() {
        return again(&header, vec![t.bad_times.to_owned()]);
    }
    let election = match election(&sent, bureaux, round) {
        Ok(e) => e,
        Err(why) => return again(&header, vec![format!("{} {why}", t.invalid)]),
    };
    let known = app.read({
        let id = id.clone();
        move |db| db.election(&id)
    });
    match known.await {
        Ok(Some(_)) => return again(&header, vec![t.exists.to_owned()]),
        Ok(None) => {}
        Err(e) => return e.into_response(),
    }
    let public = app.operators.public_url().unwrap_or_default();
    let team_phone = Some(sent.get("team_phone").trim().to_owned()).filter(|p| !p.is_empty());
    let operator = signed.op.id.clone();
    let stored = app
        .db
        .run(move |db| {
            let now = crate::system::now_ms();
            let codes = match &from {
                Some(from) => db.store_next_round(&election, &details, from, now)?,
                None => db.store_election_with(&election, &details, now)?,
            };
            // The team's phone, for this import's letters and any reissue's
            // (a second round keeps the first's unless another is given).
            let team_phone = match (team_phone, &from) {
                (Some(p), _) => Some(p),
                (None, Some(from)) => db.team_phone(from)?,
                (None, None) => None,
            };
            if let Some(p) = &team_phone {
                db.team_phone_set(election.id(), p)?;
            }
            let carried = election.bureaux().len() - codes.len();
            let by_bureau: HashMap<String, (String, String)> = codes
                .iter()
                .map(|c| {
                    (
                        c.bureau.clone(),
                        (
                            c.code.clone(),
                            crate::admin::enrollment_url(&public, &c.code),
                        ),
                    )
                })
                .collect();
            let file = |what: &str, dep: Option<&str>| match dep {
                Some(d) => format!("{what}-{}-{}.pdf", election.id(), file_safe(d)),
                None => format!("{what}-{}.pdf", election.id()),
            };
            let mut links = Vec::new();
            if !codes.is_empty() {
                // All of them, then one pile per département (a team posts
                // its own).
                let mut deps: Vec<Option<&str>> = vec![None];
                let mut seen = std::collections::BTreeSet::new();
                for d in &details {
                    if let Some(dep) = d.departement.as_deref()
                        && by_bureau.contains_key(&d.bureau)
                    {
                        seen.insert(dep);
                    }
                }
                if seen.len() > 1 {
                    deps.extend(seen.into_iter().map(Some));
                }
                for dep in deps {
                    let (pdf, letters, _) = crate::letters::pile(
                        &election,
                        &details,
                        &by_bureau,
                        dep,
                        team_phone.as_deref(),
                        lang_letters(lang),
                    );
                    let link = keep(
                        db,
                        &operator,
                        &file("lettres", dep),
                        "application/pdf",
                        &pdf,
                        now,
                    )?;
                    links.push((dep.map(str::to_owned), letters, link));
                }
            }
            let csv = crate::admin::codes_text(&election, &codes, &public);
            let codes_link = keep(
                db,
                &operator,
                &format!("codes-{}.csv", election.id()),
                "text/csv; charset=utf-8",
                csv.as_bytes(),
                now,
            )?;
            Ok((election, links, codes_link, carried))
        })
        .await;
    let (election, links, codes_link, carried) = match stored {
        Ok(s) => s,
        Err(e) => return crate::api::ApiError::from(e).into_response(),
    };
    // Stored: the spreadsheet kept for another attempt is not needed.
    if let Some((_, token)) = kept {
        let hash = token_hash(&token);
        let _ = app
            .db
            .run(move |db| db.token_take(TokenKind::Download, &hash, crate::system::now_ms()))
            .await;
    }
    let (all, by_dep) = links.split_at(links.len().min(1));
    let main = html! {
        main.operator aria-labelledby="done-title" {
            h1 #done-title { (t.done_title) }
            p { strong { (election.name()) } " (" (election.id()) ") : " (election.bureaux().len()) " " (super::texts::of(lang).bureaux) ", " (election.candidates().len()) " " (t.candidates.to_lowercase()) "." }
            @if carried > 0 {
                p #carried { ((t.carried)(carried)) }
            }
            p { (t.done_intro) }
            ul {
                @for (_, letters, link) in all {
                    li { a href=(link) download { (t.download_letters) } " — " (letters) }
                }
                li { a href=(codes_link) download { (t.download_codes) } }
            }
            @if !by_dep.is_empty() {
                p { (t.by_departement) }
                ul #by-departement {
                    @for (dep, letters, link) in by_dep {
                        li { a href=(link) download { (dep.as_deref().unwrap_or_default()) } " — " (letters) }
                    }
                }
            }
            p { a href={ (super::pages::BOARD) "?lang=" (lang.code()) "&election=" (election.id()) } { (super::texts::of(lang).back) } }
        }
    };
    answer(
        StatusCode::OK,
        frame(&app.operator_head, lang, t.done_title, PATH, main),
    )
}

/// A département as a file name's part: letters and digits kept.
fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

pub(super) fn lang_letters(lang: Lang) -> crate::letters::Lang {
    match lang {
        Lang::Fr => crate::letters::Lang::Fr,
        Lang::En => crate::letters::Lang::En,
    }
}

/// Keeps `bytes` for `operator` for [`DOWNLOAD_MS`]: its address.
pub(super) fn keep(
    db: &crate::db::Db,
    operator: &str,
    name: &str,
    kind: &str,
    bytes: &[u8],
    now: u64,
) -> Result<String, crate::db::DbError> {
    let (token, hash) = new_token()?;
    let data = serde_json::json!({
        "name": name,
        "type": kind,
        "bytes": base64::engine::general_purpose::STANDARD.encode(bytes),
    })
    .to_string();
    db.token_put(
        &NewToken {
            hash: &hash,
            kind: TokenKind::Download,
            operator: Some(operator),
            data: &data,
            expires_at: now + DOWNLOAD_MS,
        },
        now,
    )?;
    Ok(format!("{DOWNLOAD}/{token}"))
}

/// A kept file, for the operator it was made for, within the hour.
pub async fn download(
    State(app): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::default();
    let signed = match signed_in(&app, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return to_signin(lang),
        Err(e) => return e.into_response(),
    };
    let hash = token_hash(&token);
    let kept = match app
        .read(move |db| db.token_peek(TokenKind::Download, &hash, crate::system::now_ms()))
        .await
    {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    let file = kept
        .filter(|(owner, _)| owner.as_deref() == Some(signed.op.id.as_str()))
        .and_then(|(_, data)| serde_json::from_str::<serde_json::Value>(&data).ok());
    let Some(file) = file else {
        return refusal(
            &app,
            lang,
            StatusCode::NOT_FOUND,
            words::of(lang).download_gone,
        );
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file["bytes"].as_str().unwrap_or_default())
        .unwrap_or_default();
    let kind = HeaderValue::from_str(file["type"].as_str().unwrap_or("application/octet-stream"))
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        file["name"]
            .as_str()
            .unwrap_or("pointage")
            .replace(['"', '\\'], "")
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}
