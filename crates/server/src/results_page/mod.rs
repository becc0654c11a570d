//! `/resultats`: the results page, written by the server as plain HTML, in
//! the language its address names (`?lang=en`; French otherwise, as the
//! app). Everyone watching election night opens it cold, on a phone and a
//! mobile network: the figures are in the page itself, with no application
//! to download and start first. The filter, the search and "show the next
//! ones" are a form and links, so they work without JavaScript;
//! `refresh.js`, where it runs, asks for the page again every 30 s while it
//! is shown and puts the new figures in place.
//!
//! Every figure comes from `results::computed` (core's results, the
//! same as `GET /api/v1/results` sends) and every text from
//! `pointage-texts`; this module only lays them out ([`view`]), never a
//! total without the bureaux it covers.

mod view;
pub mod wall;

use crate::AppState;
use crate::api::ApiError;
use crate::api::http_cache::{PUBLIC_CACHE, etag, not_modified};
use crate::results::{bureau_page, computed, resolve, stamp};
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use pointage_core::wire::BureauState;
use pointage_texts::Lang;
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;

/// The page's addresses.
pub const PATHS: [&str; 2] = ["/resultats", "/resultats/"];

/// Where the page's refresh script is served.
pub const SCRIPT_PATH: &str = "/resultats.js";

/// How many more bureaux "show the next ones" adds.
pub const STEP: u32 = 50;

/// The most bureaux the page lists at once (a national election has
/// 70,000: the search finds one).
pub const SHOWN_MAX: u32 = 1000;

/// The longest search text the page takes, in characters.
const QUERY_MAX_CHARS: usize = 100;

/// The page loads this server's own files only, and runs no inline script.
const POLICY: &str = "default-src 'self'; script-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// What a reader asked for, from the page's address. Read leniently: an
/// address typed or cut short shows the page with what could be read.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    election: Option<String>,
    lang: Option<String>,
    state: Option<String>,
    q: Option<String>,
    shown: Option<String>,
}

/// The request, read: what the view draws, and what its links keep.
pub struct Ask {
    pub lang: Lang,
    pub election: Option<String>,
    pub state: Option<BureauState>,
    pub q: String,
    pub shown: u32,
}

impl Ask {
    /// The page's address after `?` (an address that cannot be read whole
    /// is read as none).
    pub fn from_raw(query: Option<&str>) -> Ask {
        Self::read(serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default())
    }

    pub fn read(query: PageQuery) -> Ask {
        use BureauState::*;
        let state = [Received, Enrolled, NotEnrolled]
            .into_iter()
            .find(|&s| query.state.as_deref() == Some(state_code(s)));
        let shown = query
            .shown
            .and_then(|s| s.trim().parse::<u32>().ok())
            .unwrap_or(STEP)
            .clamp(1, SHOWN_MAX);
        Ask {
            lang: query
                .lang
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or_default(),
            election: query.election.filter(|e| !e.is_empty()),
            state,
            q: query
                .q
                .unwrap_or_default()
                .trim()
                .chars()
                .take(QUERY_MAX_CHARS)
                .collect(),
            shown,
        }
    }
}

/// The name a bureau state has in the page's address.
pub fn state_code(state: BureauState) -> &'static str {
    match state {
        BureauState::Received => "received",
        BureauState::Enrolled => "enrolled",
        BureauState::NotEnrolled => "not_enrolled",
    }
}

#[derive(Clone)]
struct Page {
    app: AppState,
    /// The bureau app's stylesheet and icon links (`dist/index.html`), so
    /// that the page looks like the app and the phone keeps one stylesheet.
    head: Arc<str>,
    /// What the page's tag says of `head`, computed once ([`head_tag`]).
    head_tag: Arc<str>,
}

/// The page and its script, over the app's state; `dist` is where the
/// bureau app's build is (its stylesheet is the page's).
pub fn router(app: AppState, dist: &Path) -> Router {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let head = shared_links(&index);
    let page = Page {
        app,
        head_tag: head_tag(&head).into(),
        head: head.into(),
    };
    let mut router = Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(wall::PATH, get(wall::page));
    for path in PATHS {
        router = router.route(path, get(results));
    }
    router.with_state(page)
}

/// The `<link>` tags of `index_html` for its stylesheet and its icon,
/// as they are (Trunk names the files by their hash).
pub fn shared_links(index_html: &str) -> String {
    let mut links = String::new();
    let mut rest = index_html;
    while let Some(start) = rest.find("<link ") {
        let after = &rest[start..];
        let Some(end) = after.find('>') else { break };
        let tag = &after[..=end];
        if tag.contains("rel=\"stylesheet\"") || tag.contains("rel=\"icon\"") {
            links.push_str(tag);
        }
        rest = &after[end + 1..];
    }
    links
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("refresh.js"),
    )
        .into_response()
}

async fn results(
    State(page): State<Page>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let ask = Ask::from_raw(query.as_deref());
    match load(&page, &ask, &headers).await {
        Ok(Loaded::Same(answer)) => answer,
        Ok(Loaded::Page(tag, computed, bureaux)) => html(
            StatusCode::OK,
            Some(tag),
            view::page(&page.head, &ask, Ok((&computed.results, &bureaux))),
        ),
        Err(e) => html(e.status, None, view::page(&page.head, &ask, Err(e.code))),
    }
}

/// The page as sent: a page with figures may be kept a few seconds and is
/// known by its tag; one without (an error) is not kept.
fn html(status: StatusCode, tag: Option<HeaderValue>, page: maud::Markup) -> Response {
    let cache = if tag.is_some() {
        PUBLIC_CACHE
    } else {
        "no-store"
    };
    let mut answer = (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(POLICY),
            ),
        ],
        page.into_string(),
    )
        .into_response();
    if let Some(tag) = tag {
        answer.headers_mut().insert(header::ETAG, tag);
    }
    answer
}

enum Loaded {
    /// The copy the reader holds is the current one (304).
    Same(Response),
    /// The page's tag, the election's results, the bureaux asked for.
    Page(
        HeaderValue,
        Arc<crate::Computed>,
        pointage_core::wire::BureauPage,
    ),
}

/// The election's results and the bureaux the reader asked for, unless the
/// reader's copy is current: the refresh script asks every 30 s, and most
/// of the time nothing changed.
async fn load(page: &Page, ask: &Ask, headers: &HeaderMap) -> Result<Loaded, ApiError> {
    let app = &page.app;
    let election = resolve(app, ask.election.clone()).await?;
    let stamp = stamp(app, election.id()).await?;
    let tag = page_tag(&etag(app, &election, stamp), &page.head_tag);
    if let Some(same) = not_modified(headers, &tag) {
        return Ok(Loaded::Same(same));
    }
    let computed = computed(app, election, stamp).await?;
    let bureaux = bureau_page(&computed, ask.state, &ask.q, 0, ask.shown);
    Ok(Loaded::Page(tag, computed, bureaux))
}

/// The page's tag: the results' (which changes with every return, code or
/// key), and `head_tag`, so a copy from before a new version of the app
/// (whose stylesheet the server no longer has) is sent again. The language
/// and the filter are in the address, which a copy is kept by.
fn page_tag(results: &HeaderValue, head_tag: &str) -> HeaderValue {
    let results = results.to_str().unwrap_or_default().trim_end_matches('"');
    HeaderValue::from_str(&format!("{results}-{head_tag}\""))
        .unwrap_or(HeaderValue::from_static("W/\"\""))
}

/// The stylesheet and icon links' part of the page's tag: the first 8
/// bytes of their SHA-256, in hex (their names change with the files).
fn head_tag(head: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(head.as_bytes())[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_takes_the_bureau_apps_stylesheet_and_icon_and_nothing_else() {
        let index = r#"<head><link rel="stylesheet" href="/style-1a.css" integrity="sha384-x"/>
            <link rel="icon" href="/favicon-2b.svg"/><link rel="manifest" href="/manifest.webmanifest" />
            <link rel="modulepreload" href="/pointage-3c.js"><script type="module">init()</script></head>"#;
        assert_eq!(
            shared_links(index),
            r#"<link rel="stylesheet" href="/style-1a.css" integrity="sha384-x"/><link rel="icon" href="/favicon-2b.svg"/>"#
        );
        assert_eq!(shared_links(""), "");
    }

    #[test]
    fn an_address_is_read_with_what_can_be_read() {
        let ask = |q: &str| Ask::read(serde_urlencoded::from_str(q).unwrap_or_default());
        let a = ask("lang=en&state=received&q=%20Beauval%20&shown=120&election=e1");
        assert_eq!(a.lang, Lang::En);
        assert_eq!(a.state, Some(BureauState::Received));
        assert_eq!((a.q.as_str(), a.shown), ("Beauval", 120));
        assert_eq!(a.election.as_deref(), Some("e1"));
        let b = ask("lang=de&state=lost&shown=-3&election=");
        assert_eq!((b.lang, b.state, b.shown), (Lang::Fr, None, STEP));
        assert_eq!(b.election, None);
        assert_eq!(ask("shown=999999").shown, SHOWN_MAX);
        assert_eq!(ask("shown=0").shown, 1);
    }
}
