//! The results page's HTML: the totals with the bureaux they cover, then
//! the bureaux a page at a time. Only layout: the figures are the server's
//! computed results, the sentences `pointage-texts`' (maud escapes each).

use super::{Ask, STEP, state_code};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use pointage_core::Mode;
use pointage_core::wire::{BureauPage, BureauState, ErrorCode, ResultsResponse};
use pointage_texts::{CommonTexts, Lang, ResultsTexts};

impl Ask {
    /// This page's address in `lang`, listing `shown` bureaux, with the
    /// reader's filter and search.
    fn href(&self, lang: Lang, shown: u32) -> String {
        let mut pairs = vec![("lang", lang.code().to_owned())];
        if let Some(e) = &self.election {
            pairs.push(("election", e.clone()));
        }
        if let Some(s) = self.state {
            pairs.push(("state", state_code(s).to_owned()));
        }
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if shown != STEP {
            pairs.push(("shown", shown.to_string()));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/resultats?{query}")
    }
}

fn state_name(t: &ResultsTexts, s: BureauState) -> &'static str {
    match s {
        BureauState::Received => t.state_received,
        BureauState::Enrolled => t.state_enrolled,
        BureauState::NotEnrolled => t.state_not_enrolled,
    }
}

/// The whole page: the figures and the bureaux, or why they are missing.
pub fn page(
    head: &str,
    ask: &Ask,
    figures: Result<(&ResultsResponse, &BureauPage), ErrorCode>,
) -> Markup {
    let (lang, c, t) = (ask.lang, ask.lang.common_texts(), ask.lang.results_texts());
    let nav = html! {
        a href="/" { (c.nav_home) }
        a href="/compter" { (c.nav_count) }
        a href="/pv" { (c.nav_pv) }
        // The page afresh: no filter, no search.
        a href={ (super::PATHS[0]) "?lang=" (lang.code()) } aria-current="page" { (c.nav_results) }
    };
    let main = html! {
        main aria-labelledby="results-title" {
            h1 #results-title { (t.results_title) }
            // Shown, above the figures, when the server could not
            // be asked again: by refresh.js, and by the bureau
            // phone's service worker (public/sw.js, which looks for
            // this very tag) when it opens the last page kept.
            p.error #offline role="alert" hidden { (t.results_offline) }
            @match figures {
                // During the day, before any return: the day first.
                Ok((r, _)) if r.results.coverage.reporting == 0 => {
                    (day(c, t, r)) (totals(c, t, r))
                }
                Ok((r, _)) => { (totals(c, t, r)) (still_open(c, t, r)) (day(c, t, r)) }
                Err(code) => p.error role="alert" { ((c.api_error)(code)) },
            }
            p.note { (t.results_intro) }
            a.button.secondary #refresh href=(ask.href(lang, ask.shown)) { (t.results_refresh) }
            p.hint { a href={ (super::wall::PATH) "?lang=" (lang.code()) } { (t.results_wall_link) } }
            @if let Ok((r, page)) = figures {
                (bureaux(c, t, ask, r, page))
            }
        }
    };
    frame(
        lang,
        head,
        (t.results_title, t.results_description),
        |l| ask.href(l, ask.shown),
        nav,
        main,
    )
}

/// A page the server writes for everyone (the results page, the wall
/// screen): its head (the bureau app's stylesheet and icon, and the
/// refresh script), the top bar with the language switch (`switch` gives
/// each language's address) and `nav`, then `main`.
pub(super) fn frame(
    lang: Lang,
    head: &str,
    (title, description): (&str, &str),
    switch: impl Fn(Lang) -> String,
    nav: Markup,
    main: Markup,
) -> Markup {
    let c = lang.common_texts();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover";
                meta name="theme-color" content="#1d3a6e";
                meta name="description" content=(description);
                title { (title) " · " (c.app_name) }
                (PreEscaped(head))
                script src=(super::SCRIPT_PATH) defer {}
            }
            body {
                header.topbar {
                    a.brand href="/" { (c.app_name) }
                    div.lang-switch role="group" aria-label=(c.language) {
                        @for l in Lang::ALL {
                            a href=(switch(l)) lang=(l.code()) hreflang=(l.code())
                                aria-current=[(l == lang).then_some("true")] { (l.native_name()) }
                        }
                    }
                    nav aria-label=(c.app_name) { (nav) }
                }
                (main)
            }
        }
    }
}

/// What the bureaux not yet counted could still change, said with its
/// numbers; nothing before the first return.
fn still_open(c: &CommonTexts, t: &ResultsTexts, r: &ResultsResponse) -> Markup {
    use pointage_core::still_open::{Reach, Verdict};
    let Some(s) = &r.still_open else {
        return html! {};
    };
    let name = |id: &str| {
        r.results
            .candidates
            .iter()
            .find(|x| x.id == id)
            .map_or(id.to_owned(), |x| x.name.clone())
    };
    let (left, total) = (s.outstanding.bureaux, r.results.coverage.total);
    let joined = |reach: Reach| {
        s.first
            .iter()
            .filter(|(_, x)| *x == reach)
            .map(|(id, _)| name(id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (first_in, first_out) = (joined(Reach::Certainly), joined(Reach::CertainlyNot));
    let k = usize::from(s.rule.first);
    html! {
        section.card #still-open aria-labelledby="still-open-title" {
            h2 #still-open-title { (t.still_title) }
            @match (s.outstanding.bureaux, s.outstanding.inscrits) {
                (0, _) => p { (t.still_none) },
                (_, None) => p { ((t.still_unknown)(left, total)) },
                (_, Some(i)) => {
                    p { ((t.still_outstanding)(left, total, &c.count(i))) }
                    p.hint { ((t.still_rule)(s.rule.majority, s.rule.first)) }
                    ul.still-lines {
                        @for o in &s.order {
                            li {
                                @match o.verdict {
                                    Verdict::Decided => ((t.order_decided)(&name(&o.ahead), &name(&o.behind))),
                                    _ => ((t.order_open)(&name(&o.ahead), &name(&o.behind))),
                                }
                            }
                        }
                        @if let Some((id, reach)) = &s.majority {
                            li {
                                @match reach {
                                    Reach::Certainly => ((t.majority_certain)(&name(id))),
                                    Reach::CertainlyNot => ((t.majority_never)(&name(id))),
                                    _ => ((t.majority_open)(&name(id))),
                                }
                            }
                        }
                        @if s.first.len() > k && !first_in.is_empty() { li { ((t.first_in)(s.rule.first, &first_in)) } }
                        @if s.first.len() > k && !first_out.is_empty() { li { ((t.first_out)(s.rule.first, &first_out)) } }
                    }
                }
            }
        }
    }
}

/// Turnout during the day, a line a checkpoint with its coverage in the
/// same sentence; nothing for an election without a day.
fn day(c: &CommonTexts, t: &ResultsTexts, r: &ResultsResponse) -> Markup {
    html! {
        @if !r.turnout.is_empty() {
            section.card #turnout aria-labelledby="turnout-title" {
                h2 #turnout-title { (t.day_title) }
                ul.day-lines {
                    @for cp in &r.turnout {
                        @let time = cp.due.get(11..16).unwrap_or("");
                        li {
                            @match cp.kind {
                                pointage_core::CheckpointKind::Opening => {
                                    ((t.day_opening)(time, cp.reporting, cp.bureaux))
                                }
                                pointage_core::CheckpointKind::Count => {
                                    ((t.day_count)(time, &c.count(cp.signatures), cp.reporting, cp.bureaux))
                                    @if let Some(bp) = cp.participation_bp {
                                        ((t.day_participation)(&c.percent(bp)))
                                    }
                                }
                            }
                            @if cp.late > 0 { ((t.day_late)(cp.late)) }
                            "."
                        }
                    }
                }
                p.hint { (t.day_never_projected) }
            }
        }
    }
}

/// The totals, and the bureaux they cover, first: above the fold of a
/// small phone.
fn totals(c: &CommonTexts, t: &ResultsTexts, r: &ResultsResponse) -> Markup {
    let res = &r.results;
    let cov = res.coverage;
    let coverage = (t.coverage)(cov.reporting, cov.total, &c.percent(cov.basis_points()));
    let rows = [
        (t.exprimes, res.exprimes),
        (c.blancs, res.blancs),
        (c.nuls, res.nuls),
        (t.votants, res.emargements),
    ];
    // The record these totals are recomputed from, for anyone to check.
    let query = serde_urlencoded::to_string([("election", &res.election_id)]).unwrap_or_default();
    let record = format!("/api/v1/record?{query}");
    let open_results = format!("/api/v1/open-data/results.csv?{query}");
    let open_turnout = format!("/api/v1/open-data/turnout.csv?{query}");
    html! {
        section.card #totals aria-labelledby="totals-title" {
            h2 #totals-title {
                (r.election_name)
                span.round { " · " ((c.round)(r.round)) }
            }
            @if r.mode == Mode::Test {
                p.badge { (c.test_election) }
            }
            p.coverage { strong { (t.results_covering) " " (coverage) } }
            progress.coverage-bar max=(cov.total.max(1)) value=(cov.reporting)
                aria-valuetext=(coverage) aria-label=(coverage) {}
            table.results {
                caption.visually-hidden { (coverage) }
                thead {
                    tr {
                        th scope="col" { (t.candidate) }
                        th.num scope="col" { (t.votes) }
                        th.num scope="col" { (t.percent_of_exprimes) }
                    }
                }
                tbody {
                    @for cand in &res.candidates {
                        tr {
                            th scope="row" { (cand.name) }
                            td.num { (c.count(cand.votes)) }
                            td.num {
                                @match cand.percent_of_exprimes_bp {
                                    Some(bp) => (c.percent(bp)),
                                    None => "—",
                                }
                            }
                        }
                    }
                }
            }
            dl.totals {
                @for (label, n) in rows {
                    dt { (label) }
                    dd { (c.count(n)) }
                }
                dt { (t.turnout) }
                dd {
                    @match &res.turnout {
                        Some(turnout) => {
                            @if let Some(bp) = turnout.basis_points { (c.percent(bp)) " " }
                            ((t.turnout_over)(turnout.coverage.reporting))
                        }
                        None => (t.turnout_unknown),
                    }
                }
            }
            p.hint {
                (t.results_check) " "
                a href=(record) download="registre.jsonl" { (t.results_record) }
            }
            p.hint {
                (t.results_open_data) " "
                a href=(open_results) { (t.results_open_results) }
                @if !r.turnout.is_empty() {
                    ", "
                    a href=(open_turnout) { (t.results_open_turnout) }
                }
                "."
            }
        }
    }
}

/// How many bureaux are in each state, and the bureaux themselves, the
/// first `ask.shown` of those the filter and the search keep.
fn bureaux(
    c: &CommonTexts,
    t: &ResultsTexts,
    ask: &Ask,
    r: &ResultsResponse,
    page: &BureauPage,
) -> Markup {
    let counts = r.bureaux;
    let choices = [
        (
            None,
            counts.received + counts.enrolled + counts.not_enrolled,
        ),
        (Some(BureauState::Received), counts.received),
        (Some(BureauState::Enrolled), counts.enrolled),
        (Some(BureauState::NotEnrolled), counts.not_enrolled),
    ];
    let shown = page.bureaux.len() as u32;
    html! {
        section.card #bureaux aria-labelledby="bureaux-title" {
            h2 #bureaux-title { (t.bureaux_title) }
            form #bureaux-form role="search" method="get" action=(super::PATHS[0]) {
                input type="hidden" name="lang" value=(ask.lang.code());
                @if let Some(e) = &ask.election {
                    input type="hidden" name="election" value=(e);
                }
                fieldset.filters {
                    legend { (t.bureaux_filter) }
                    @for (s, n) in choices {
                        @let code = s.map_or("all", state_code);
                        label.choice {
                            input #{"state-" (code)} type="radio" name="state"
                                value=(s.map_or("", state_code)) checked[ask.state == s];
                            (s.map_or(t.bureaux_all, |s| state_name(t, s))) " (" (c.count(u64::from(n))) ")"
                        }
                    }
                }
                label for="bureau-search" { (t.bureaux_search) }
                input #bureau-search type="search" name="q" autocomplete="off" value=(ask.q);
                button.secondary type="submit" { (t.bureaux_apply) }
            }
            p #bureaux-shown aria-live="polite" { ((t.bureaux_shown)(shown, page.matching)) }
            ul.bureaux {
                @for (i, b) in page.bureaux.iter().enumerate() {
                    @let s = state_name(t, b.state);
                    li #{"b-" (i + 1)} class=(state_code(b.state).replace('_', "-")) {
                        span.bureau-code { (b.code) }
                        " "
                        span { (b.name) }
                        span.state {
                            @match (b.version, &b.human_code) {
                                (Some(v), Some(code)) => { (s) " — " ((c.received_version)(v, code)) }
                                _ => (s),
                            }
                        }
                        @if !b.photos.is_empty() {
                            // The paper PV beside the figures, loaded only
                            // when scrolled to: the figures never wait.
                            span.pv-photos {
                                @for (n, sha) in b.photos.iter().enumerate() {
                                    a href={ "/api/v1/photos/" (sha) } {
                                        img loading="lazy" decoding="async" width="60" height="80"
                                            src={ "/api/v1/photos/" (sha) }
                                            alt=((t.pv_photo)(&b.code, n + 1));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if shown < page.matching {
                // To the first bureau added, not the page's top.
                a.button.secondary #more href={ (ask.href(ask.lang, (ask.shown + STEP).min(super::SHOWN_MAX))) "#b-" (shown + 1) } {
                    (t.bureaux_more)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pointage_core::wire::BureauCounts;
    use pointage_core::{Bureau, Election, Qualification};

    /// Three bureaux of 100 inscrits, the first two counted with these
    /// votes for candidates 0, 1, 2, under `rule`: what the still-open
    /// section says, in `lang`.
    fn said(rule: Option<Qualification>, votes: [u64; 3], lang: Lang) -> String {
        let mut info = pointage_testkit::election("q", 3, 3).info();
        info.qualification = rule;
        for b in &mut info.bureaux {
            *b = Bureau {
                inscrits: Some(100),
                ..b.clone()
            };
        }
        let e = Election::new(info).unwrap_or_else(|err| panic!("{err}"));
        let results = pointage_testkit::hand_made_results(&e, 2, &votes);
        let r = ResultsResponse {
            still_open: Some(pointage_core::still_open::still_open(&e, &results)),
            election_name: e.name().into(),
            round: 1,
            date: e.date().into(),
            mode: e.mode(),
            results,
            bureaux: BureauCounts::default(),
            turnout: Vec::new(),
        };
        still_open(lang.common_texts(), lang.results_texts(), &r).into_string()
    }

    #[test]
    fn the_page_says_the_rule_and_each_case_it_decides() {
        let names: Vec<String> = pointage_testkit::election("q", 3, 3)
            .candidates()
            .iter()
            .map(|c| c.name.clone())
            .collect();
        // France's two rounds (none named), 100 inscrits left: 150 of 180
        // is a majority whatever they hold; the third is out of the two.
        let fr = said(None, [150, 20, 10], Lang::Fr);
        assert!(
            fr.contains("Règle de ce tour\u{a0}: la majorité absolue des exprimés élit, sinon les deux premiers vont au tour suivant."),
            "{fr}"
        );
        assert!(fr.contains(&format!(
            "{} a la majorité absolue des exprimés, quoi que contiennent les bureaux restants.",
            names[0]
        )));
        assert!(fr.contains(&format!(
            "L’ordre entre {} et {} peut encore changer.",
            names[1], names[2]
        )));
        // The first only goes on, no majority named: nothing said of one.
        let fr = said(
            Some(Qualification {
                majority: false,
                first: 1,
            }),
            [150, 20, 10],
            Lang::Fr,
        );
        assert!(
            fr.contains("Règle de ce tour\u{a0}: le premier va au tour suivant."),
            "{fr}"
        );
        assert!(
            fr.contains(&format!("Certainement en tête\u{a0}: {}.", names[0])),
            "{fr}"
        );
        assert!(!fr.contains("majorité absolue"), "{fr}");
        let en = said(
            Some(Qualification {
                majority: false,
                first: 1,
            }),
            [150, 20, 10],
            Lang::En,
        );
        assert!(
            en.contains("This round's rule: the first goes on to the next round."),
            "{en}"
        );
        assert!(
            en.contains(&format!("Certainly first: {}.", names[0])),
            "{en}"
        );
        // Still open: a gap of 40 with 100 inscrits left.
        let en = said(
            Some(Qualification {
                majority: true,
                first: 0,
            }),
            [60, 20, 10],
            Lang::En,
        );
        assert!(
            en.contains(&format!(
                "An absolute majority of valid votes can still be won or lost by {}.",
                names[0]
            )),
            "{en}"
        );
        assert!(en.contains("This round's rule: an absolute majority of valid votes elects."));
        assert!(!en.contains("Certainly"), "{en}");
    }
}
