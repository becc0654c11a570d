//! The operators' pages, written by the server (maud escapes every text):
//! the sign-in, the invitation, and the board with each role's actions.
//! Only layout and the checks of who may do what: the board's lines are
//! `crate::board::read`'s, each role's rights core's `operator::Role::may`.

use super::texts::{self, Texts};
use super::{Signed, signed_in};
use crate::AppState;
use crate::board::{Board, read};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use pointage_core::board::Stage;
use pointage_core::day::utc_rfc3339;
use pointage_core::operator::{Action, Role};
use pointage_texts::Lang;
use serde::Deserialize;
use std::collections::BTreeSet;

pub const BOARD: &str = "/operateur";
pub const SIGNIN: &str = "/operateur/connexion";
pub const INVITATION: &str = "/operateur/invitation";
pub const SCRIPT: &str = "/operateur.js";
/// Bureaux a board page lists.
pub const PAGE: usize = 100;

/// Scripts from this site only, forms to this site only, never framed.
const POLICY: &str = "default-src 'self'; script-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// What every page's query or form may carry.
#[derive(Deserialize, Default)]
pub struct Ask {
    lang: Option<String>,
    election: Option<String>,
    departement: Option<String>,
    commune: Option<String>,
    late: Option<String>,
    state: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

impl Ask {
    /// The bureaux this board lists.
    fn filter(&self) -> crate::board::Filter {
        crate::board::Filter {
            departement: self.departement.clone().filter(|d| !d.is_empty()),
            commune: self
                .commune
                .as_deref()
                .map(|c| c.trim().chars().take(100).collect::<String>())
                .filter(|c| !c.is_empty()),
            late: self.late.is_some(),
            stage: self
                .state
                .clone()
                .filter(|s| Stage::CODES.contains(&s.as_str())),
            q: self
                .q
                .as_deref()
                .map(|q| q.trim().chars().take(100).collect::<String>())
                .filter(|q| !q.is_empty()),
        }
    }

    fn from_raw(raw: Option<&str>) -> Ask {
        serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default()
    }

    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or_default()
    }
}

pub(super) fn answer(status: StatusCode, page: Markup) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            // Personal data: never kept by a cache or the browser.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(POLICY),
            ),
        ],
        page.into_string(),
    )
        .into_response()
}

/// Sends a signed-out browser to the sign-in.
pub(super) fn to_signin(lang: Lang) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("{SIGNIN}?lang={}", lang.code()))],
    )
        .into_response()
}

/// A page of the operators' side: the app's stylesheet, the script, the
/// top bar with the language switch, then `main`.
pub(super) fn frame(head: &str, lang: Lang, title: &str, path: &str, main: Markup) -> Markup {
    let c = lang.common_texts();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · " (c.app_name) }
                (PreEscaped(head))
                script src=(SCRIPT) defer {}
            }
            body {
                header.topbar {
                    a.brand href=(BOARD) { (c.app_name) }
                    div.lang-switch role="group" aria-label=(c.language) {
                        @for l in Lang::ALL {
                            a href={ (path) "?lang=" (l.code()) } lang=(l.code()) hreflang=(l.code())
                                aria-current=[(l == lang).then_some("true")] { (l.native_name()) }
                        }
                    }
                }
                (main)
            }
        }
    }
}

/// Each refusal's sentence, hidden until `operator.js` shows one.
fn errors(t: &Texts) -> Markup {
    let all = [
        ("no_account", t.err_no_account),
        ("not_recognised", t.err_not_recognised),
        ("slowed", t.err_slowed),
        ("invite_used", t.err_invite_used),
        ("name_taken", t.err_name_taken),
        ("expired", t.err_expired),
        ("cancelled", t.err_cancelled),
        ("unavailable", t.err_unavailable),
        ("no_passkeys", t.err_no_passkeys),
        ("bad_name", t.bad_name),
        ("missing", t.invitation_missing),
    ];
    html! {
        div #errors hidden {
            @for (code, text) in all { p data-error=(code) { (text) } }
        }
        p #working hidden { (t.working) }
        p.error #status role="alert" {}
    }
}

pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("operator.js"),
    )
        .into_response()
}

pub async fn signin(State(app): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let lang = Ask::from_raw(q.as_deref()).lang();
    let t = texts::of(lang);
    let main = html! {
        main aria-labelledby="signin-title" {
            h1 #signin-title { (t.signin_title) }
            p { (t.signin_intro) }
            form #signin {
                label for="name" { (t.name_label) }
                input #name name="name" type="text" required maxlength="64"
                    autocomplete="username webauthn" autocapitalize="none";
                button.primary type="submit" { (t.signin_button) }
            }
            (errors(t))
        }
    };
    answer(
        StatusCode::OK,
        frame(&app.operator_head, lang, t.signin_title, SIGNIN, main),
    )
}

pub async fn invitation(State(app): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let lang = Ask::from_raw(q.as_deref()).lang();
    let t = texts::of(lang);
    let main = html! {
        main aria-labelledby="invitation-title" {
            h1 #invitation-title { (t.invitation_title) }
            p { (t.invitation_intro) }
            p #invited {}
            button.primary #make type="button" { (t.invitation_button) }
            (errors(t))
        }
    };
    answer(
        StatusCode::OK,
        frame(
            &app.operator_head,
            lang,
            t.invitation_title,
            INVITATION,
            main,
        ),
    )
}

fn role_name(t: &Texts, r: Role) -> &'static str {
    match r {
        Role::Admin => t.role_admin,
        Role::Coordinator => t.role_coordinator,
        Role::Observer => t.role_observer,
    }
}

/// Each stage's name, in the order of `Stage::CODES`.
fn stage_names(t: &Texts) -> [&'static str; 5] {
    [
        t.stage_not_enrolled,
        t.stage_enrolled,
        t.stage_reported,
        t.stage_counted,
        t.stage_corrected_short,
    ]
}

pub(super) fn stage_text(t: &Texts, s: &Stage) -> String {
    match s {
        Stage::NotEnrolled => t.stage_not_enrolled.to_owned(),
        Stage::Enrolled => t.stage_enrolled.to_owned(),
        Stage::Reported { checkpoint } => format!("{} ({checkpoint})", t.stage_reported),
        Stage::Counted { version: 1 } => t.stage_counted.to_owned(),
        Stage::Counted { version } => format!("{} {version}", t.stage_corrected),
    }
}

/// The board's address with this filter, at page `n`.
fn board_href(lang: Lang, ask: &Ask, election: &str, n: usize) -> String {
    let mut pairs = vec![
        ("lang", lang.code().to_owned()),
        ("election", election.to_owned()),
    ];
    if let Some(d) = ask.departement.as_ref().filter(|d| !d.is_empty()) {
        pairs.push(("departement", d.clone()));
    }
    if let Some(c) = ask.filter().commune {
        pairs.push(("commune", c));
    }
    if ask.late.is_some() {
        pairs.push(("late", "1".into()));
    }
    if let Some(s) = ask.filter().stage {
        pairs.push(("state", s));
    }
    if let Some(q) = ask.filter().q {
        pairs.push(("q", q));
    }
    if n > 0 {
        pairs.push(("page", n.to_string()));
    }
    format!(
        "{BOARD}?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

pub async fn board(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let ask = Ask::from_raw(q.as_deref());
    let lang = ask.lang();
    let signed = match signed_in(&app, &headers).await {
        Ok(Some(s)) => s,
        Ok(None) => return to_signin(lang),
        Err(e) => return e.into_response(),
    };
    let t = texts::of(lang);
    let asked = ask.election.clone().filter(|e| !e.is_empty());
    let id = match asked {
        Some(id) => Some(id),
        None => match app.read(|db| db.latest_election_id()).await {
            Ok(id) => id,
            Err(e) => return e.into_response(),
        },
    };
    let election = match id {
        Some(id) => match app.election(&id).await {
            Ok(e) => e,
            Err(e) => return crate::api::ApiError::from(e).into_response(),
        },
        None => None,
    };
    let now = crate::system::now_ms();
    let operators = if signed.op.role.may(Action::Invite) {
        app.read(|db| db.operators()).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    // The page changes with what the server holds of the election (its
    // stamp), the clock (a bureau becomes late by it alone), the accounts
    // an admin sees, and what this session asked: a refresh while none
    // changed is a 304.
    let stamp = match &election {
        Some(e) => match crate::results::stamp(&app, e.id()).await {
            Ok(s) => s,
            Err(e) => return e.into_response(),
        },
        None => -1,
    };
    let tag = board_tag(q.as_deref(), &signed, stamp, operators.len(), now);
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == tag.as_bytes())
    {
        let mut same = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&tag) {
            same.headers_mut().insert(header::ETAG, v);
        }
        same.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return same;
    }
    let (board, closure) = match &election {
        Some(e) => {
            let (e, filter) = (e.clone(), ask.filter());
            match app
                .read(move |db| Ok((read(db, &e, &filter, now)?, db.closure(e.id())?)))
                .await
            {
                Ok((b, c)) => (Some(b), c),
                Err(e) => return e.into_response(),
            }
        }
        None => (None, None),
    };
    let main = html! {
        main.operator #board aria-labelledby="board-title" data-tag=(tag) {
            (who(t, lang, &signed))
            @match (&election, &board) {
                (Some(e), Some(b)) => (lines(t, lang, &ask, &signed, e, b)),
                _ => p { (t.no_election) },
            }
            @if let Some(c) = &closure {
                p.closed { strong { (t.closed_on) " " (utc_rfc3339(c.closed_at)) } }
            }
            @if signed.op.role.may(Action::ManageElection) {
                p { a href={ (super::import::PATH) "?lang=" (lang.code()) } { (super::import_texts::of(lang).link) } }
                @if let (Some(e), None) = (&election, &closure) {
                    form method="post" action="/operateur/clore" data-confirm=(t.close_confirm) {
                        input type="hidden" name="csrf" value=(signed.csrf);
                        input type="hidden" name="lang" value=(lang.code());
                        input type="hidden" name="election" value=(e.id());
                        button.secondary type="submit" { (t.close_button) }
                    }
                }
            }
            @if signed.op.role.may(Action::Invite) {
                (invite_form(t, lang, &signed))
                section aria-labelledby="accounts-title" {
                    h2 #accounts-title { (t.accounts_title) }
                    ul { @for o in &operators { li { (o.name) " — " (role_name(t, o.role)) } } }
                }
            }
        }
    };
    let mut page = answer(
        StatusCode::OK,
        frame(&app.operator_head, lang, t.title, BOARD, main),
    );
    if let Ok(v) = HeaderValue::from_str(&tag) {
        page.headers_mut().insert(header::ETAG, v);
    }
    page
}

/// The board page's entity tag (see [`board`]).
fn board_tag(query: Option<&str>, s: &Signed, stamp: i64, accounts: usize, now: u64) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [query.unwrap_or(""), &s.op.id, &s.csrf] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest = hex::encode(&h.finalize()[..12]);
    format!("W/\"board-{stamp}-{accounts}-{}-{digest}\"", now / 60_000)
}

fn who(t: &Texts, lang: Lang, s: &Signed) -> Markup {
    html! {
        div.who {
            p { (t.signed_in_as) " " strong { (s.op.name) } " (" (role_name(t, s.op.role)) ")" }
            form method="post" action="/operateur/deconnexion" {
                input type="hidden" name="csrf" value=(s.csrf);
                input type="hidden" name="lang" value=(lang.code());
                button.secondary type="submit" { (t.signout_button) }
            }
        }
    }
}

fn lines(
    t: &Texts,
    lang: Lang,
    ask: &Ask,
    s: &Signed,
    e: &pointage_core::Election,
    b: &Board,
) -> Markup {
    let w = &b.wall;
    let departements: BTreeSet<&str> = b
        .details
        .values()
        .filter_map(|d| d.departement.as_deref())
        .collect();
    // The communes offered: those of the département chosen (a list of a
    // whole country's would weigh more than the page).
    let communes: BTreeSet<&str> = match ask.filter().departement {
        Some(dep) => e
            .bureaux()
            .iter()
            .filter(|x| {
                b.details
                    .get(&x.code)
                    .and_then(|d| d.departement.as_deref())
                    == Some(dep.as_str())
            })
            .map(|x| x.commune.as_str())
            .collect(),
        None => BTreeSet::new(),
    };
    let pages = b.lines.len().div_ceil(PAGE).max(1);
    let n = ask
        .page
        .as_deref()
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(0)
        .min(pages - 1);
    let shown = &b.lines[(n * PAGE).min(b.lines.len())..((n + 1) * PAGE).min(b.lines.len())];
    let may_reissue = s.op.role.may(Action::Reissue);
    // The PVs' deadline, in the election's time zone.
    let zone = super::changes::time_zone(e);
    let due = b
        .returns_due
        .and_then(|d| pointage_core::day::local_hhmm(zone, e.date(), d));
    html! {
        h1 #board-title { (t.title) " — " (e.name()) }
        section aria-labelledby="counts-title" {
            h2 #counts-title { (t.counts_title) }
            ul.counts {
                li { strong { (w.bureaux) } " " (t.bureaux) }
                li { strong { (w.enrolled) } " " (t.enrolled) }
                li { strong { (w.counted) } " " (t.counted) " (" (t.corrected) " " (w.corrected) ")" }
                li { strong { (w.late) } " " (t.late) }
                @if w.refused > 0 { li { strong { (w.refused) } " " (t.refused) } }
            }
            @if let Some(time) = &due { p #deadline { ((t.deadline_set)(time, zone)) } }
        }
        section aria-labelledby="lines-title" {
            h2 #lines-title { (t.board_title) }
            form method="get" action=(BOARD) {
                input type="hidden" name="lang" value=(lang.code());
                input type="hidden" name="election" value=(e.id());
                label for="departement" { (t.filter_departement) }
                select #departement name="departement" {
                    option value="" { "—" }
                    @for d in &departements {
                        option value=(d) selected[ask.departement.as_deref() == Some(*d)] { (d) }
                    }
                }
                label for="commune" { (t.filter_commune) }
                input #commune name="commune" type="text" maxlength="100" list="communes"
                    value=(ask.commune.as_deref().unwrap_or_default());
                datalist #communes {
                    @for c in &communes { option value=(c) {} }
                }
                label for="state" { (t.filter_state) }
                select #state name="state" {
                    option value="" { "—" }
                    @for (code, name) in Stage::CODES.iter().zip(stage_names(t)) {
                        option value=(code) selected[ask.state.as_deref() == Some(*code)] { (name) }
                    }
                }
                label for="q" { (t.filter_search) }
                input #q name="q" type="search" maxlength="100" value=(ask.q.as_deref().unwrap_or_default());
                label { input type="checkbox" name="late" value="1" checked[ask.late.is_some()]; " " (t.filter_late) }
                button.secondary type="submit" { (t.filter_button) }
            }
            p { (t.showing) " " (shown.len()) " / " (b.lines.len()) }
            table.results.board {
                thead { tr {
                    th scope="col" { (t.col_bureau) }
                    th scope="col" { (t.col_stage) }
                    th scope="col" { (t.col_since) }
                    th scope="col" { (t.col_president) }
                    @if may_reissue { th scope="col" { (t.col_action) } }
                } }
                tbody {
                    @for (code, st) in shown {
                        @let bureau = e.bureau(code);
                        @let d = b.details.get(code);
                        tr data-bureau=(code) {
                            th scope="row" {
                                a href=(super::bureau::href(lang, e.id(), code)) { (code) }
                                " " @if let Some(bu) = bureau { (bu.name) ", " (bu.commune) }
                            }
                            td {
                                (stage_text(t, &st.stage))
                                @if let Some(cp) = &st.late {
                    " " strong.late {
                        (t.late_for) " "
                        @if cp == pointage_core::board::RETURNS_LATE { (t.late_pv) } @else { (cp) }
                    }
                }
                                @if let Some(code) = &st.refused { " " strong.late.refused { (t.refused_for) " " code { (code) } } }
                            }
                            td { @if let Some(at) = st.since { (utc_rfc3339(at)) } }
                            td {
                                @if let Some(p) = d.and_then(|d| d.president.as_deref()) { (p) " " }
                                @if let Some(tel) = d.and_then(|d| d.phone.as_deref()) {
                                    a href={ "tel:" (tel.replace(' ', "")) } { (tel) }
                                }
                            }
                            @if may_reissue {
                                td {
                                    form method="post" action="/operateur/reemettre" data-confirm=(t.reissued_intro) {
                                        input type="hidden" name="csrf" value=(s.csrf);
                                        input type="hidden" name="lang" value=(lang.code());
                                        input type="hidden" name="election" value=(e.id());
                                        input type="hidden" name="bureau" value=(code);
                                        button.secondary type="submit" aria-label={ (t.reissue_button) " " (code) } { (t.reissue_button) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            nav.pages aria-label=(t.board_title) {
                @if n > 0 { a href=(board_href(lang, ask, e.id(), n - 1)) { (t.previous_page) } " " }
                @if n + 1 < pages { a href=(board_href(lang, ask, e.id(), n + 1)) { (t.next_page) } }
            }
        }
        @if s.op.role.may(Action::ManageElection) {
            section aria-labelledby="deadline-title" {
                h2 #deadline-title { (t.deadline_label) }
                form.deadline method="post" action="/operateur/echeance" {
                    input type="hidden" name="csrf" value=(s.csrf);
                    input type="hidden" name="lang" value=(lang.code());
                    input type="hidden" name="election" value=(e.id());
                    label for="deadline-time" { (t.deadline_label) }
                    input #deadline-time name="time" type="time" value=(due.as_deref().unwrap_or_default()) aria-describedby="deadline-hint";
                    p.hint #deadline-hint { (t.deadline_hint) }
                    button.secondary type="submit" { (t.deadline_button) }
                }
            }
        }
    }
}

fn invite_form(t: &Texts, lang: Lang, s: &Signed) -> Markup {
    html! {
        section aria-labelledby="invite-title" {
            h2 #invite-title { (t.invite_title) }
            form method="post" action="/operateur/invitations" {
                input type="hidden" name="csrf" value=(s.csrf);
                input type="hidden" name="lang" value=(lang.code());
                label for="invite-name" { (t.invite_name) }
                input #invite-name name="name" type="text" required maxlength="64";
                label for="invite-role" { (t.invite_role) }
                select #invite-role name="role" {
                    @for r in Role::ALL { option value=(r.code()) { (role_name(t, r)) } }
                }
                button.secondary type="submit" { (t.invite_button) }
            }
        }
    }
}
