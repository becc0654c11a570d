//! `/mur`: the wall screen, for a projector in the central team's room or
//! a newsroom: where the bureaux stand — phones enrolled, each of the
//! day's reports, signed PVs received and corrected, bureaux late — as
//! counts only: no bureau named, nothing personal, so it is public. Every
//! count comes from core's `board::wall` over what the server holds;
//! `refresh.js` (the results page's) puts the new counts in place every
//! 30 s, and says when the server cannot be asked.

use super::{Ask, Page, html};
use crate::api::ApiError;
use crate::api::http_cache::{etag, not_modified};
use crate::results::{resolve, stamp};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use maud::{Markup, html as markup};
use pointage_core::Election;
use pointage_core::board::{Wall, wall};
use pointage_core::wire::ErrorCode;
use pointage_texts::Lang;

/// The wall's address.
pub const PATH: &str = "/mur";

pub(super) async fn page(
    State(page): State<Page>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let ask = Ask::from_raw(query.as_deref());
    match load(&page, &ask, &headers).await {
        Ok(Err(same)) => same,
        Ok(Ok((tag, election, counts))) => html(
            StatusCode::OK,
            Some(tag),
            view(&page.head, ask.lang, Ok((&election, &counts))),
        ),
        Err(e) => html(e.status, None, view(&page.head, ask.lang, Err(e.code))),
    }
}

type Counted = (HeaderValue, std::sync::Arc<Election>, Wall);

/// The counts, unless the reader's copy is current. A bureau becomes late
/// by the clock alone: the tag names the minute too.
async fn load(
    page: &Page,
    ask: &Ask,
    headers: &HeaderMap,
) -> Result<Result<Counted, Response>, ApiError> {
    let app = &page.app;
    let election = resolve(app, ask.election.clone()).await?;
    let stamp = stamp(app, election.id()).await?;
    let now = crate::system::now_ms();
    let results = etag(app, &election, stamp);
    let tag = HeaderValue::from_str(&format!(
        "{}-wall-{}-{}\"",
        results.to_str().unwrap_or_default().trim_end_matches('"'),
        now / 60_000,
        page.head_tag
    ))
    .unwrap_or(HeaderValue::from_static("W/\"\""));
    if let Some(same) = not_modified(headers, &tag) {
        return Ok(Err(same));
    }
    let id = election.id().to_owned();
    let (facts, due) = app
        .read(move |db| Ok::<_, crate::db::DbError>((db.board_facts(&id)?, db.returns_due(&id)?)))
        .await?;
    let counts = wall(&election, &facts, now, due);
    Ok(Ok((tag, election, counts)))
}

fn view(head: &str, lang: Lang, counts: Result<(&Election, &Wall), ErrorCode>) -> Markup {
    let (c, t) = (lang.common_texts(), lang.results_texts());
    let nav = markup! {
        a href={ (super::PATHS[0]) "?lang=" (lang.code()) } { (c.nav_results) }
    };
    let main = markup! {
        main.wall aria-labelledby="wall-title" {
            h1 #wall-title { (t.wall_title) }
            p.error #offline role="alert" hidden { (t.results_offline) }
            @match counts {
                Ok((e, w)) => {
                    p.note { (e.name()) }
                    ul.wall-counts {
                        li { ((t.wall_enrolled)(w.enrolled, w.bureaux)) }
                        @for ((id, opening, n), checkpoint) in w.checkpoints.iter().zip(e.day().map(|d| d.checkpoints.as_slice()).unwrap_or_default()) {
                            li data-checkpoint=(id) {
                                @if *opening {
                                    ((t.wall_opened)(checkpoint.local_time(), *n, w.bureaux))
                                } @else {
                                    ((t.wall_reported)(checkpoint.local_time(), *n, w.bureaux))
                                }
                            }
                        }
                        li.wall-counted {
                            ((t.wall_counted)(w.counted, w.bureaux))
                            @if w.corrected > 0 { ", " ((t.wall_corrected)(w.corrected)) }
                        }
                        li.wall-late { ((t.wall_late)(w.late)) }
                        @if w.refused > 0 { li.wall-refused { ((t.wall_refused)(w.refused)) } }
                    }
                    p.hint { (t.wall_intro) }
                }
                Err(code) => p.error role="alert" { ((c.api_error)(code)) },
            }
        }
    };
    super::view::frame(
        lang,
        head,
        (t.wall_title, t.wall_description),
        |l| format!("{PATH}?lang={}", l.code()),
        nav,
        main,
    )
}
