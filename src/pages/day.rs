//! `/journee`: the bureau's day. Each checkpoint of the election with where
//! it stands (not yet, late, kept and waiting, received, refused), and for
//! one at a time the form that reports it: the count typed twice, or the
//! members present at the opening. It only lays out: `session::day` reads,
//! signs and keeps.

use crate::components::not_enrolled::NotEnrolled;
use crate::components::qr::{Carrying, ReturnQrCodes};
use crate::components::topbar::TopBar;
use crate::i18n::{self, tr, use_i18n};
use crate::session::day::{Day, DayError};
use crate::session::{self, Device};
use leptos::prelude::*;
use pointage_core::turnout::SignedReport;
use pointage_core::{Checkpoint, CheckpointKind};
use pointage_device::WriteError;
use pointage_device::turnout::{DayItem, ReportSignError, Standing, Typed, TypingError};

#[component]
pub fn DayPage() -> impl IntoView {
    let body = match session::device() {
        Some(device) => view! { <Checkpoints device/> }.into_any(),
        None => view! { <NotEnrolled/> }.into_any(),
    };
    view! {
        <TopBar/>
        <main aria-labelledby="day-title">
            <h1 id="day-title">{tr(|t| t.day.title)}</h1>
            {body}
            <p><a href="/">{tr(|t| t.day.back_home)}</a></p>
        </main>
    }
}

/// A checkpoint's name: "Relevé de 12:00", "Ouverture du bureau (08:00)".
pub fn label(t: &i18n::Texts, c: &Checkpoint) -> String {
    match c.kind {
        CheckpointKind::Opening => (t.day.opening)(c.local_time()),
        CheckpointKind::Count => (t.day.count_at)(c.local_time()),
    }
}

/// Where a checkpoint stands, in one line.
pub fn standing_line(t: &i18n::Texts, item: &DayItem) -> String {
    let d = t.day;
    let what = |r: &SignedReport| {
        let b = r.body();
        let mut s = match b.count {
            Some(n) => (d.counted)(&t.common.count(n.into())),
            None => (d.opened)(b.present.len()),
        };
        if b.version > 1 {
            s = format!("{s} · {}", (d.version)(b.version));
        }
        s
    };
    match &item.standing {
        Standing::NotReported if item.late => (d.late)(item.checkpoint.local_time()),
        Standing::NotReported => d.not_yet.to_owned(),
        Standing::Waiting(r) => format!("{} · {}", what(r), d.waiting),
        Standing::Received(r, receipt) => {
            format!("{} · {}", what(r), (d.received)(receipt.body.sequence))
        }
        Standing::Parked(r, code) => {
            format!(
                "{} · {}",
                what(r),
                (d.refused)(&(t.common.api_error)(*code))
            )
        }
    }
}

#[component]
fn Checkpoints(device: Device) -> impl IntoView {
    let i18n = use_i18n();
    let day = Day::new(device);
    // The checkpoint whose form is open (with the version it would
    // correct), and what the last report said. While a form is open the
    // list is not drawn: the outbox's news never redraws what is typed.
    let open = RwSignal::new(None::<(Checkpoint, Option<SignedReport>)>);
    let kept = RwSignal::new(None::<String>);
    // A report waiting for a network, shown in QR codes for a helper's
    // phone that has one (the deposit page takes it): drawn, like the
    // form, in place of the list.
    let qr = RwSignal::new(None::<(Checkpoint, SignedReport)>);
    let list = move || {
        let t = i18n.t();
        day.items()
            .into_iter()
            .map(|item| {
                let class = match (&item.standing, item.late) {
                    (Standing::NotReported, true) => "step next late",
                    (Standing::NotReported, false) => "step later",
                    (Standing::Parked(..), _) => "step refused",
                    _ => "step done",
                };
                let name = label(t, &item.checkpoint);
                let line = standing_line(t, &item);
                let previous = item.standing.report().cloned();
                let action = if previous.is_some() {
                    t.day.correct
                } else {
                    t.day.go
                };
                let waiting = match &item.standing {
                    Standing::Waiting(r) | Standing::Parked(r, _) => Some(r.clone()),
                    _ => None,
                };
                let shown = StoredValue::new(waiting.map(|r| (item.checkpoint.clone(), r)));
                let chosen = StoredValue::new((item.checkpoint.clone(), previous));
                view! {
                    <li class=class id=format!("checkpoint-{}", item.checkpoint.id)>
                        <span class="step-name">{name}</span>
                        " "
                        <span class="step-detail">{line}</span>
                        <button type="button" class="secondary"
                            on:click=move |_| {
                                kept.set(None);
                                open.set(Some(chosen.get_value()));
                            }>
                            {action}
                        </button>
                        {shown.get_value().is_some().then(|| view! {
                            <button type="button" class="secondary show-qr"
                                on:click=move |_| qr.set(shown.get_value())>
                                {t.pv.qr_show}
                            </button>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="day-intro">
            {move || match (open.get(), qr.get()) {
                (None, Some((checkpoint, report))) => {
                    let name = label(i18n.t(), &checkpoint);
                    let codes = vec![(report.body().version, report.to_bytes())];
                    view! {
                        <h2 id="day-intro">{name}</h2>
                        <ReturnQrCodes returns=codes of=Carrying::Report/>
                        <button type="button" class="secondary wide" on:click=move |_| qr.set(None)>
                            {tr(|t| t.pv.qr_hide)}
                        </button>
                    }
                    .into_any()
                }
                (Some((checkpoint, previous)), _) => {
                    let c = StoredValue::new(checkpoint.clone());
                    let name = move || c.with_value(|c| label(i18n.t(), c));
                    view! {
                        <h2 id="day-intro">{name}</h2>
                        <ReportForm day checkpoint previous
                            on_done=Callback::new(move |said: Option<String>| {
                                kept.set(said);
                                open.set(None);
                            })/>
                    }
                    .into_any()
                }
                (None, None) => view! {
                    <h2 id="day-intro" class="visually-hidden">{tr(|t| t.day.title)}</h2>
                    <p class="hint">{tr(|t| t.day.intro)}</p>
                    {move || kept.get().map(|k| view! { <p class="success-text" role="status">{k}</p> })}
                    <ol class="steps day">{list}</ol>
                }
                .into_any(),
            }}
        </section>
    }
}

/// The form of one checkpoint: the count twice (and an explanation when
/// T2 asks one), or the members present; a correction's reason.
#[component]
fn ReportForm(
    day: Day,
    checkpoint: Checkpoint,
    previous: Option<SignedReport>,
    /// Called with what to say once kept, or `None` when cancelled.
    on_done: Callback<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = checkpoint.id.clone();
    let opening = checkpoint.kind == CheckpointKind::Opening;
    let correcting = previous.is_some();
    let count = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let explanation = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    // The opening's members: three boxes to start with, more on demand.
    let present = RwSignal::new(
        previous
            .as_ref()
            .map(|p| p.body().present.clone())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| vec![String::new(); 3]),
    );
    let error = RwSignal::new(None::<DayError>);
    // The earlier count T2 compares with, once it has asked why.
    let asks_why = RwSignal::new(None::<(String, u32)>);
    let working = RwSignal::new(false);
    let checkpoint = StoredValue::new(checkpoint);
    let previous = StoredValue::new(previous);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if working.get_untracked() {
            return;
        }
        working.set(true);
        let typed = Typed {
            count: count.get_untracked(),
            again: again.get_untracked(),
            present: present.get_untracked(),
            explanation: explanation.get_untracked(),
            reason: reason.get_untracked(),
        };
        let c = checkpoint.get_value();
        let said = (i18n.t().day.kept)(&label(i18n.t(), &c));
        day.report_then(c, typed, previous.get_value(), move |kept| {
            match kept {
                Ok(_) => {
                    error.set(None);
                    on_done.run(Some(said));
                }
                Err(e) => {
                    if let DayError::Typing(TypingError::BelowEarlier { checkpoint, count }) = &e {
                        asks_why.set(Some((checkpoint.clone(), *count)));
                    }
                    error.set(Some(e));
                }
            }
            working.set(false);
        });
    };
    let say = move || {
        let t = i18n.t();
        let d = t.day;
        error.get().map(|e| match e {
            DayError::Typing(TypingError::NotANumber) => d.not_a_number.to_owned(),
            DayError::Typing(TypingError::NotTheSame) => d.not_the_same.to_owned(),
            DayError::Typing(TypingError::OverInscrits { count, inscrits }) => (d.over_inscrits)(
                &t.common.count(count.into()),
                &t.common.count(inscrits.into()),
            ),
            DayError::Typing(TypingError::BelowEarlier { checkpoint, count }) => {
                (d.below_earlier)(&day.time_of(&checkpoint), &t.common.count(count.into()))
            }
            DayError::Typing(TypingError::NonePresent) => d.none_present.to_owned(),
            DayError::Typing(TypingError::NoReason) => d.no_reason.to_owned(),
            DayError::Typing(TypingError::TooLong) => d.too_long.to_owned(),
            DayError::Typing(TypingError::Refused(_)) => d.refused_here.to_owned(),
            DayError::Sign(ReportSignError::KeyUnreadable) => d.key_unreadable.to_owned(),
            DayError::Sign(ReportSignError::Write(WriteError::Changed)) => {
                d.changed_elsewhere.to_owned()
            }
            DayError::Sign(ReportSignError::Write(_)) => d.storage_failed.to_owned(),
        })
    };
    let field = move |name: &str| format!("{name}-{id}");
    let (count_id, again_id, why_id, reason_id) = (
        field("count"),
        field("again"),
        field("why"),
        field("reason"),
    );
    let explanation_label = move || {
        let t = i18n.t();
        asks_why.get().map(|(checkpoint, count)| {
            (t.day.explanation_label)(&day.time_of(&checkpoint), &t.common.count(count.into()))
        })
    };
    let members = move || {
        let t = i18n.t();
        present
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let label = (t.day.member)(i + 1);
                view! {
                    <input type="text" autocomplete="off" aria-label=label.clone() placeholder=label
                        prop:value=name
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            present.update(|p| if let Some(n) = p.get_mut(i) { *n = v });
                        }/>
                }
            })
            .collect_view()
    };
    view! {
        <form class="report-form" on:submit=submit novalidate>
            {if opening {
                view! {
                    <fieldset class="fields members">
                        <legend>{tr(|t| t.day.present_label)}</legend>
                        <p class="hint">{tr(|t| t.day.present_hint)}</p>
                        {members}
                        <button type="button" class="secondary"
                            on:click=move |_| present.update(|p| p.push(String::new()))>
                            {tr(|t| t.day.add_member)}
                        </button>
                    </fieldset>
                }
                .into_any()
            } else {
                view! {
                    <label for=count_id.clone()>{tr(|t| t.day.count_label)}</label>
                    <p class="hint">{tr(|t| t.day.count_hint)}</p>
                    <input id=count_id class="number" type="text" inputmode="numeric"
                        autocomplete="off" bind:value=count/>
                    <label for=again_id.clone()>{tr(|t| t.day.again_label)}</label>
                    <p class="hint">{tr(|t| t.day.again_hint)}</p>
                    <input id=again_id class="number" type="text" inputmode="numeric"
                        autocomplete="off" bind:value=again/>
                    <Show when=move || asks_why.with(Option::is_some)>
                        <label for=why_id.clone()>{explanation_label}</label>
                        <textarea id=why_id.clone() rows="3" bind:value=explanation></textarea>
                    </Show>
                }
                .into_any()
            }}
            {correcting.then(|| view! {
                <label for=reason_id.clone()>{tr(|t| t.day.reason_label)}</label>
                <input id=reason_id type="text" autocomplete="off" bind:value=reason/>
            })}
            {move || say().map(|s| view! { <p class="problem error" role="alert">{s}</p> })}
            <button type="submit" class="primary next-step" disabled=move || working.get()>
                {move || if working.get() { i18n.t().day.working } else { i18n.t().day.submit }}
            </button>
            <button type="button" class="link" on:click=move |_| on_done.run(None)>
                {tr(|t| t.day.cancel)}
            </button>
        </form>
    }
}
