//! `/operateur/bureau`: one bureau for the central team — where it stands
//! and since when, its président and phone (a `tel:` link), everything the
//! server received of it in the record's order (its keys, reissues and by
//! whom, reports, returns, photos), the team's notes, and for an admin or
//! a coordinator, a note to add and its code to reissue.

use super::pages::{BOARD, answer, frame, to_signin};
use super::texts::{self, Texts};
use super::{Signed, signed_in};
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use pointage_core::board::standing;
use pointage_core::day::utc_rfc3339;
use pointage_core::log::LogEntry;
use pointage_core::operator::{Action, Actor};
use pointage_texts::Lang;
use std::collections::HashMap;

pub const PATH: &str = "/operateur/bureau";

/// A bureau page's address.
pub fn href(lang: Lang, election: &str, bureau: &str) -> String {
    let pairs = [
        ("lang", lang.code()),
        ("election", election),
        ("code", bureau),
    ];
    format!(
        "{PATH}?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

fn by(t: &Texts, by: Option<Actor>) -> &'static str {
    match by {
        Some(Actor::Admin) => t.by_admin,
        Some(Actor::Coordinator) => t.by_coordinator,
        Some(Actor::CommandLine) => t.by_command_line,
        None => "",
    }
}

/// A leaf of the bureau's part of the record, said for the team.
fn event(t: &Texts, entry: &LogEntry) -> String {
    let version = |doc: &serde_json::Value| doc["body"]["version"].as_u64().unwrap_or_default();
    match entry {
        LogEntry::Key { device_key, .. } => format!(
            "{} {}",
            t.ev_key,
            pointage_core::signed_return::key_fingerprint(device_key)
        ),
        LogEntry::Reissue { by: who, .. } => format!("{} {}", t.ev_reissue, by(t, *who)),
        LogEntry::Return { ret, .. } => format!("{} {}", t.ev_return, version(ret)),
        LogEntry::Report { report, .. } => format!(
            "{} {}",
            t.ev_report,
            report["body"]["checkpoint"].as_str().unwrap_or_default()
        ),
        LogEntry::Photos { photos, .. } => format!("{} {}", t.ev_photos, version(photos)),
        LogEntry::Closed { by: who, .. } => format!("{} {}", t.ev_closed, by(t, *who)),
        LogEntry::Election { .. } => String::new(),
    }
}

pub async fn page(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let ask: HashMap<String, String> =
        serde_urlencoded::from_str(q.as_deref().unwrap_or("")).unwrap_or_default();
    let lang = ask
        .get("lang")
        .and_then(|l| Lang::from_code(l))
        .unwrap_or_default();
    let signed = match signed_in(&app, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return to_signin(lang),
        Err(e) => return e.into_response(),
    };
    let t = texts::of(lang);
    let (Some(id), Some(code)) = (ask.get("election").cloned(), ask.get("code").cloned()) else {
        return super::changes::refusal(&app, lang, StatusCode::NOT_FOUND, t.no_bureau);
    };
    let election = match app.election(&id).await {
        Ok(Some(e)) if e.bureau(&code).is_some() => e,
        Ok(_) => return super::changes::refusal(&app, lang, StatusCode::NOT_FOUND, t.no_bureau),
        Err(e) => return crate::api::ApiError::from(e).into_response(),
    };
    let (e, b) = (election.clone(), code.clone());
    let read = app
        .read(move |db| {
            let facts = db
                .board_facts(e.id())?
                .into_iter()
                .find(|f| f.code == b)
                .unwrap_or_default();
            let details = db
                .bureau_details(e.id())?
                .into_iter()
                .find(|d| d.bureau == b);
            let size = db.log_size(e.id())?;
            let leaves = db.bureau_leaves(e.id(), &b, size)?;
            let notes = db.notes_of(e.id(), &b)?;
            let due = db.returns_due(e.id())?;
            Ok((facts, details, leaves, notes, due))
        })
        .await;
    let (facts, details, leaves, notes, due) = match read {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let now = crate::system::now_ms();
    let st = standing(&election, &facts, now, due);
    let bureau = election.bureau(&code);
    let history: Vec<(u64, String)> = leaves
        .iter()
        .filter_map(|l| serde_json::from_slice::<LogEntry>(&l.bytes).ok())
        .map(|entry| (entry.at(), event(t, &entry)))
        .collect();
    let main = html! {
        main.operator aria-labelledby="bureau-title" {
            p { a href={ (BOARD) "?lang=" (lang.code()) "&election=" (election.id()) } { (t.back) } }
            h1 #bureau-title {
                (t.col_bureau) " " (code)
                @if let Some(b) = bureau { " — " (b.name) ", " (b.commune) }
            }
            p {
                strong { (super::pages::stage_text(t, &st.stage)) }
                @if let Some(at) = st.since { " — " (t.col_since) " " (utc_rfc3339(at)) }
                @if let Some(cp) = &st.late { " " strong.late { (t.late_for) " " (cp) } }
            }
            @if let Some(d) = &details {
                dl {
                    @if let Some(a) = &d.address { dt { (t.address) } dd { (a) } }
                    @if let Some(dep) = &d.departement { dt { (t.departement) } dd { (dep) } }
                    @if d.president.is_some() || d.phone.is_some() {
                        dt { (t.col_president) }
                        dd {
                            @if let Some(p) = &d.president { (p) " " }
                            @if let Some(tel) = &d.phone { a href={ "tel:" (tel.replace(' ', "")) } { (tel) } }
                        }
                    }
                }
            }
            section aria-labelledby="history-title" {
                h2 #history-title { (t.history_title) }
                ol.history {
                    @for (at, said) in &history {
                        @if !said.is_empty() { li { (utc_rfc3339(*at)) " — " (said) } }
                    }
                }
            }
            (notes_section(t, lang, &signed, election.id(), &code, &notes))
        }
    };
    answer(
        StatusCode::OK,
        frame(
            &app.operator_head,
            lang,
            &format!("{} {code}", t.col_bureau),
            PATH,
            main,
        ),
    )
}

fn notes_section(
    t: &Texts,
    lang: Lang,
    s: &Signed,
    election: &str,
    bureau: &str,
    notes: &[crate::db::operators::Note],
) -> Markup {
    html! {
        section aria-labelledby="notes-title" {
            h2 #notes-title { (t.notes_title) }
            @if notes.is_empty() { p { (t.no_notes) } }
            ul.notes {
                @for n in notes {
                    li { (utc_rfc3339(n.at)) " — " strong { (n.author) } " : " (n.text) }
                }
            }
            @if s.op.role.may(Action::Note) {
                form method="post" action="/operateur/note" {
                    input type="hidden" name="csrf" value=(s.csrf);
                    input type="hidden" name="lang" value=(lang.code());
                    input type="hidden" name="election" value=(election);
                    input type="hidden" name="bureau" value=(bureau);
                    label for="note" { (t.note_label) }
                    textarea #note name="text" rows="3" maxlength="1000" required {}
                    button.secondary type="submit" { (t.note_button) }
                }
            }
        }
    }
}
