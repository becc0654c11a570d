//! The bureau home page: which election and bureau this phone counts for,
//! the day's checkpoints (first until the evening begins), then the
//! bureau's evening in order (device's [`Evening`]): each step with its
//! state, and one large button for the step to take now, so a volunteer at
//! 22:00 never wonders what comes next. Not enrolled: how to enrol.
//!
//! It never writes anything: enrolling, counting and the PV are screens of
//! their own; "Envoyer maintenant" asks the outbox (`crate::sync`).

use crate::components::not_enrolled::NotEnrolled;
use crate::components::topbar::TopBar;
use crate::i18n::{self, tr, use_i18n};
use crate::session::{self, Device};
use crate::sync::use_sync;
use leptos::prelude::*;
use pointage_device::evening::{Evening, Place, State, Task};
use pointage_device::turnout::{DayItem, Standing, day_leads, next_to_report};

#[component]
pub fn HomePage() -> impl IntoView {
    let status = match session::device() {
        Some(device) => view! { <Enrolled device/> }.into_any(),
        None => view! { <NotEnrolled/> }.into_any(),
    };
    view! {
        <TopBar/>
        <main aria-labelledby="home-title">
            <h1 id="home-title">{tr(|t| t.home_title)}</h1>
            {status}
        </main>
    }
}

#[component]
fn Enrolled(device: Device) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let day = crate::session::day::Day::new(device.clone());
    // Drawn again when the outbox learns something (a receipt came), a
    // report is kept or the language changes: the evening and the day are
    // read from what the phone keeps.
    move || {
        i18n.lang();
        if let Some(s) = sync {
            s.status();
        }
        let e = session::enrollment()?;
        let evening = session::evening(&device);
        // Before anything is done: which bureau to check with the président.
        let fresh = evening.as_ref().is_some_and(Evening::untouched);
        // The day's report is the next step until the evening begins; the
        // evening's first step is then a tap away, and after, the day's
        // card goes below it.
        let items = day.items();
        let leads = day_leads(fresh, &items);
        // Above the evening until it begins, below it after.
        let (above, below) = if fresh {
            (Some(items), None)
        } else {
            (None, Some(items))
        };
        let t = i18n.t();
        let next_round = sync.and_then(|s| s.next_round()).map(|offered| {
            let waiting = session::still_to_send(&device);
            view! { <NextRound offered waiting/> }
        });
        Some(view! {
            {next_round}
            <section class="card" aria-labelledby="enrolled-title">
                <h2 id="enrolled-title" class="visually-hidden">{t.bureau}</h2>
                <p class="identity">
                    <span class="bureau-code">{e.bureau_code.clone()}</span>
                    " · "
                    <span class="bureau-name">{e.bureau_name}</span>
                </p>
                <p class="note election-line">
                    {e.election_name} " · " {(t.common.round)(e.round)}
                </p>
                {fresh.then(|| view! { <p class="note">{(t.enrolled_note)(&e.bureau_code)}</p> })}
            </section>
            {above.map(|items| view! { <DayCard items leads/> })}
            {evening.map(|evening| view! { <Checklist evening waits=leads/> })}
            {below.map(|items| view! { <DayCard items leads=false/> })}
            <section class="card" aria-labelledby="tables-home-title">
                <h2 id="tables-home-title">{t.tables.home_title}</h2>
                <p class="hint">{t.tables.home_intro}</p>
                <a class="button secondary" href="/tables">{t.tables.home_link}</a>
            </section>
        })
    }
}

/// A later round this phone's key was carried over to: what it is, and
/// the button that moves the phone to it once nothing of the current
/// round waits (`waiting` documents do).
#[component]
fn NextRound(offered: pointage_core::wire::EnrollResponse, waiting: usize) -> impl IntoView {
    let i18n = use_i18n();
    let (failed, set_failed) = signal(None::<String>);
    let taking = session::Intent::new(move |offered: &pointage_core::wire::EnrollResponse| {
        let offered = offered.clone();
        async move {
            use pointage_device::next_round::NotTaken;
            let t = i18n.t();
            match session::take_next_round(offered).await {
                // Every screen reads the new round from the start.
                Ok(_) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
                Err(NotTaken::Waiting(n)) => set_failed.set(Some((t.next_round_waiting)(n))),
                Err(NotTaken::NotOurs | NotTaken::NotWritten(_)) => {
                    set_failed.set(Some(t.next_round_failed.to_owned()))
                }
            }
        }
    });
    move || {
        let t = i18n.t();
        let e = &offered.election;
        let offered = offered.clone();
        view! {
            <section class="card next-round" aria-labelledby="next-round-title">
                <h2 id="next-round-title">{t.next_round_title}</h2>
                <p>{(t.next_round_body)(&e.name, e.round, &e.date)}</p>
                {if waiting > 0 {
                    view! { <p class="hint">{(t.next_round_waiting)(waiting)}</p> }.into_any()
                } else {
                    view! {
                        <button class="button primary" on:click=move |_| taking.dispatch(offered.clone())>
                            {t.next_round_take}
                        </button>
                    }.into_any()
                }}
                {move || failed.get().map(|f| view! { <p class="error" role="alert">{f}</p> })}
            </section>
        }
    }
}

/// The day's checkpoints (`items`): each with where it stands, and the one
/// to report next, as the next step while it `leads` (before the evening
/// begins). Nothing for an election without a day.
#[component]
fn DayCard(items: Vec<DayItem>, leads: bool) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return None;
    }
    let t = i18n.t();
    let next = next_to_report(&items).map(|i| crate::pages::day::label(t, &i.checkpoint));
    let lines = items
        .iter()
        .map(|item| {
            let class = match (&item.standing, item.late) {
                (Standing::NotReported, true) => "step late",
                (Standing::NotReported, false) => "step later",
                (Standing::Parked(..), _) => "step refused",
                _ => "step done",
            };
            view! {
                <li class=class>
                    <span class="step-name">{crate::pages::day::label(t, &item.checkpoint)}</span>
                    " "
                    <span class="step-detail">{crate::pages::day::standing_line(t, item)}</span>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="card day" aria-labelledby="day-home-title">
            <h2 id="day-home-title">{t.day.title}</h2>
            <ol class="steps">{lines}</ol>
            {match next {
                Some(n) if leads => view! { <a class="button primary next-step" href="/journee">{(t.day.go_named)(&n)}</a> }.into_any(),
                Some(n) => view! { <a class="button secondary" href="/journee">{(t.day.go_named)(&n)}</a> }.into_any(),
                None => view! { <a class="button secondary" href="/journee">{t.day.home_link}</a> }.into_any(),
            }}
        </section>
    })
}

/// The evening's steps; the one to take now with its button, the large one
/// unless it `waits` for the day's report.
#[component]
fn Checklist(evening: Evening, waits: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let e = &t.evening;
    let heading = if evening.version > 1 {
        format!("{} · {}", e.title, (e.correction)(evening.version))
    } else {
        e.title.to_owned()
    };
    let on_paper = matches!(evening.steps.first(), Some((_, State::Next)));
    let finished = evening.next().is_none();
    // Two steps may be to take now (the photos, and the receipt the phone
    // waits for by itself): the first leads.
    let first = evening.steps.iter().position(|(_, s)| *s == State::Next);
    let items = evening
        .steps
        .into_iter()
        .enumerate()
        .map(|(i, (task, state))| {
            let current = first == Some(i);
            let waits = waits || (state == State::Next && !current);
            view! { <Step task state waits current/> }
        })
        .collect_view();
    view! {
        <section class="card evening" aria-labelledby="evening-title">
            <h2 id="evening-title">{heading}</h2>
            {finished.then(|| view! {
                <p class="finished" role="status">{e.finished}</p>
                <a class="button secondary" href="/pv">{e.see_pv}</a>
            })}
            <ol class="steps">{items}</ol>
            {on_paper.then(|| view! {
                <p class="note on-paper">
                    {e.on_paper} " " <a href="/pv">{e.on_paper_link}</a>
                </p>
            })}
        </section>
    }
}

#[component]
fn Step(task: Task, state: State, waits: bool, current: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let e = &t.evening;
    let (name, detail) = describe(t, &task, state);
    let (class, said) = match state {
        State::Done => ("step done", e.done),
        State::Elsewhere => ("step elsewhere", e.done),
        State::Next => ("step next", e.next),
        State::Later => ("step later", e.later),
    };
    let button = (state == State::Next).then(|| next_button(&task, waits));
    // Signed photos can be seen again, and taken again.
    let photos = (state == State::Done && matches!(task, Task::Photos(_)))
        .then(|| view! { <a class="step-link" href="/photos">{t.photos.title}</a> });
    view! {
        <li class=class aria-current=current.then_some("step")>
            <span class="visually-hidden">{said} " "</span>
            <span class="step-name">{name}</span>
            // A space between the lines, for whoever reads the text
            // rather than the screen (a screen reader, a copy).
            {detail.map(|d| view! { " " <span class="step-detail">{d}</span> })}
            {button}
            {photos}
        </li>
    }
}

/// A step's name, and what the phone knows of it.
fn describe(t: &i18n::Texts, task: &Task, state: State) -> (&'static str, Option<String>) {
    let e = &t.evening;
    if state == State::Elsewhere {
        let (name, said) = match task {
            Task::ClosePolls { .. } => (e.polls, e.elsewhere_polls),
            _ => (e.count, e.elsewhere_count),
        };
        return (name, Some(said.to_owned()));
    }
    match task {
        Task::ClosePolls { declared } => (
            e.polls,
            declared.map(|(emargements, enveloppes)| {
                (t.count.polls_summary)(
                    &t.common.count(emargements.into()),
                    &t.common.count(enveloppes.into()),
                )
            }),
        ),
        Task::Count {
            packets,
            counted,
            found,
            ..
        } => (
            e.count,
            (*packets > 0).then(|| {
                let found = found.map(|f| t.common.count(u64::from(f)));
                (e.count_progress)(*packets, &t.common.count(*counted), found.as_deref())
            }),
        ),
        Task::FirstEntry { by } => (e.first, by.as_deref().map(e.by)),
        Task::SecondEntry { by } => (e.second, by.as_deref().map(e.by)),
        Task::Agreement { differing } => (
            e.agreement,
            (*differing > 0).then(|| (e.differing)(*differing)),
        ),
        Task::Signature { code } => (e.signature, code.as_deref().map(e.code)),
        Task::Sent { received, refused } => (
            e.sent,
            Some(
                if *received {
                    e.sent_done
                } else if *refused {
                    e.sent_refused
                } else if state == State::Next {
                    e.sent_waiting
                } else {
                    return (e.sent, None);
                }
                .to_owned(),
            ),
        ),
        Task::Photos(standing) => (t.photos.step, (t.photos.step_detail)(standing)),
    }
}

/// The one large button of the step to take now (a plain one while it
/// `waits`: another step leads).
fn next_button(task: &Task, waits: bool) -> AnyView {
    let i18n = use_i18n();
    let label = |t: &'static i18n::Texts, task: &Task| {
        let e = &t.evening;
        match task {
            Task::ClosePolls { .. } => e.go_polls,
            Task::Count {
                at_tables: true, ..
            } => t.tables.home_link,
            Task::Count { .. } => e.go_count,
            Task::FirstEntry { .. } => e.go_first,
            Task::SecondEntry { .. } => e.go_second,
            Task::Agreement { .. } => e.go_agreement,
            Task::Signature { .. } => e.go_sign,
            Task::Sent { refused: true, .. } => e.go_refused,
            Task::Sent { .. } => e.go_send,
            Task::Photos(_) => t.photos.go,
        }
    };
    let href = match task.place() {
        Place::Count => Some("/compter"),
        Place::Tables => Some("/tables"),
        Place::Pv => Some("/pv"),
        Place::Photos => Some("/photos"),
        Place::Outbox => None,
    };
    let text = label(i18n.t(), task);
    match href {
        Some(href) if waits => {
            view! { <a class="button secondary" href=href>{text}</a> }.into_any()
        }
        Some(href) => view! { <a class="button next-step" href=href>{text}</a> }.into_any(),
        None => {
            let sync = use_sync();
            let send = move |_| {
                if let Some(s) = sync {
                    s.send_by_hand();
                }
            };
            if waits {
                view! { <button type="button" class="secondary" on:click=send>{text}</button> }
                    .into_any()
            } else {
                view! {
                    <button type="button" class="primary next-step" on:click=send>{text}</button>
                }
                .into_any()
            }
        }
    }
}
