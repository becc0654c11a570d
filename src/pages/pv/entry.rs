//! The entry forms (first, second blind, re-typing the differing fields) and
//! the comparison screen between them.
//!
//! A form starts empty, or from the unfinished draft of *its own stage*;
//! nothing else of the PV is put in the page while a person types, so the
//! second person cannot read the first one's figures, even in the DOM.

use super::{Ctx, TextSize, label, text_too_long};
use crate::components::confirm::Confirm;
use crate::i18n::{tr, use_i18n};
use crate::session::pv::PvError;
use leptos::prelude::*;
use pointage_core::{EntryStep, Field, Members};
use pointage_device::pv::Draft;
use pointage_device::pv_session::{Edit, EntryError, Form, SecondEntrantError, Turn};
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;

/// Between the two entries: the first person hands the phone over. The
/// screen opens at its top, far from anything of the first entry (which is
/// kept, and shown to no one), and asks the second person's name before the
/// blind form opens: the first entrant's is refused here, under any
/// spelling, with nothing typed yet.
#[component]
pub(super) fn Handover(ctx: Ctx, first_by: String) -> impl IntoView {
    let i18n = use_i18n();
    window().scroll_to_with_x_and_y(0.0, 0.0);
    let name = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<SecondEntrantError>);
    let first = StoredValue::new(first_by);
    let input = NodeRef::<leptos::html::Input>::new();
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match ctx.with(|p| p.hand_over(&name.get_untracked())) {
            Ok(here) => ctx.edit(here, || ()),
            Err(why) => {
                refused.set(Some(why));
                // Said where the eye is: the box, which gets the focus back.
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                }
            }
        }
    };
    let said = move || {
        let t = i18n.t();
        refused.get().map(|why| match why {
            SecondEntrantError::NoName => t.pv.no_name.to_owned(),
            SecondEntrantError::SamePerson => (t.pv.handover_same)(&first.get_value()),
            SecondEntrantError::TooLong(bytes) => {
                text_too_long(t, &pointage_core::TextField::Entrant, bytes)
            }
        })
    };
    view! {
        <form class="card handover" aria-labelledby="handover-title" on:submit=go novalidate>
            <h2 id="handover-title">{tr(|t| t.pv.handover_title)}</h2>
            <p>{move || (i18n.t().pv.handover_text)(&first.get_value())}</p>
            <label for="second-name">{tr(|t| t.pv.second_name_label)}</label>
            <input id="second-name" type="text" autocomplete="off" autocapitalize="words"
                node_ref=input
                aria-describedby=move || refused.with(Option::is_some).then_some("second-name-problem")
                aria-invalid=move || refused.with(Option::is_some).then_some("true")
                prop:value=name.get_untracked()
                on:input=move |ev| { name.set(event_target_value(&ev)); refused.set(None); }/>
            <TextSize value=name/>
            {move || said().map(|s| view! {
                <p id="second-name-problem" class="problem error" role="alert">{s}</p>
            })}
            <button type="submit" class="primary next-step">{tr(|t| t.pv.handover_go)}</button>
            <Problem ctx/>
        </form>
    }
}

#[component]
pub(super) fn EntryForm(
    ctx: Ctx,
    turn: Turn,
    /// Called once a re-entry is stored (back to the comparison screen).
    #[prop(optional)]
    on_done: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let candidates = ctx.candidates();
    // Which figures this form asks, in the paper order, and what it starts
    // from: its own stage's draft, or empty.
    let Form {
        fields,
        start,
        with_text,
    } = ctx.with(|p| p.form(&turn, &candidates));
    let name = RwSignal::new(start.name.clone());
    let inputs: Vec<(Field, RwSignal<String>)> = fields
        .iter()
        .map(|f| {
            let typed = start
                .values
                .iter()
                .find(|(g, _)| g == f)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            (f.clone(), RwSignal::new(typed))
        })
        .collect();
    let inputs = StoredValue::new(inputs);
    let president = RwSignal::new(start.members.president.clone());
    let secretaire = RwSignal::new(start.members.secretaire.clone());
    let assesseurs = RwSignal::new(start.members.assesseurs.join("\n"));
    let observations = RwSignal::new(start.observations.clone());
    let flagged = RwSignal::new(BTreeSet::<Field>::new());

    // As typed, one assesseur a line: the session trims them.
    let members = move || Members {
        president: president.get_untracked(),
        secretaire: secretaire.get_untracked(),
        assesseurs: assesseurs
            .get_untracked()
            .lines()
            .map(str::to_owned)
            .collect(),
    };
    let stage = StoredValue::new(turn.stage());
    let typed = move || Draft {
        name: name.get_untracked(),
        values: inputs.with_value(|i| {
            i.iter()
                .map(|(f, s)| (f.clone(), s.get_untracked()))
                .collect()
        }),
        members: members(),
        observations: observations.get_untracked(),
    };
    // Every keystroke keeps the draft of this stage on the phone.
    let keep = move || ctx.keep(Edit::Draft(stage.get_value(), typed()));

    let turn_v = StoredValue::new(turn.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t();
        let candidates = ctx.candidates();
        let step = ctx.with(|p| turn_v.with_value(|m| p.typed_step(m, &typed(), &candidates)));
        let list = |fs: &[Field]| {
            fs.iter()
                .map(|f| label(t, &candidates, f))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let refusal = match step {
            Ok(step) => {
                flagged.set(BTreeSet::new());
                ctx.edit(Edit::Step(step), move || {
                    if let Some(done) = on_done {
                        done.run(());
                    }
                });
                return;
            }
            Err(EntryError::NoName) => t.pv.no_name.to_owned(),
            Err(EntryError::TextTooLong(field, bytes)) => text_too_long(t, &field, bytes),
            Err(EntryError::Figures {
                not_numbers,
                too_large,
                empty,
            }) => {
                let message = if !not_numbers.is_empty() {
                    (t.pv.not_numbers)(&list(&not_numbers))
                } else if !too_large.is_empty() {
                    (t.pv.too_large)(&list(&too_large))
                } else {
                    (t.pv.empty_fields)(&list(&empty))
                };
                let all = not_numbers.iter().chain(&too_large).chain(&empty);
                flagged.set(all.cloned().collect());
                // Take the person to the first field to fix.
                let first = inputs.with_value(|i| {
                    i.iter()
                        .position(|(f, _)| flagged.with_untracked(|s| s.contains(f)))
                });
                if let Some(el) = first
                    .and_then(|n| document().get_element_by_id(&format!("figure-{n}")))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
                message
            }
        };
        ctx.report(PvError::Said(refusal));
    };

    let title = move || {
        let t = i18n.t();
        match turn_v.get_value() {
            Turn::First => t.pv.first_title.to_owned(),
            Turn::Second(_) => t.pv.second_title.to_owned(),
            Turn::Redo(n) => (t.pv.redo_title)(&n),
        }
    };
    let intro = move || {
        let t = i18n.t();
        match turn_v.get_value() {
            Turn::First => t.pv.first_intro.to_owned(),
            Turn::Second(first) => (t.pv.second_intro)(&first),
            Turn::Redo(_) => t.pv.redo_intro.to_owned(),
        }
    };
    // The name is typed in the first form only: the second person gave it
    // at the hand-over, a re-entry is by one of the two.
    let typed_name = matches!(turn, Turn::First);
    let fixed_name = matches!(turn, Turn::Redo(_));
    let second_by = matches!(turn, Turn::Second(_)).then(|| start.name.clone());
    let rows = inputs.with_value(|i| {
        i.iter()
            .enumerate()
            .map(|(n, (f, value))| {
                view! { <FigureInput ctx n field=f.clone() value=*value flagged keep/> }
            })
            .collect_view()
    });

    view! {
        <form class="card pv-entry" on:submit=submit aria-labelledby="entry-title" novalidate>
            <h2 id="entry-title">{title}</h2>
            <p class="hint">{intro}</p>
            {second_by.map(|by| view! { <NotMe ctx name=by/> })}
            <Show when=move || typed_name>
                <label for="entrant">{tr(|t| t.pv.name_label)}</label>
                <input id="entrant" type="text" autocomplete="off" autocapitalize="words"
                    prop:value=name.get_untracked()
                    on:input=move |ev| { name.set(event_target_value(&ev)); keep(); }/>
                <TextSize value=name/>
            </Show>
            <h3>{tr(|t| t.pv.figures_title)}</h3>
            {rows}
            <Show when=move || with_text>
                <h3>{tr(|t| t.pv.members_title)}</h3>
                <TextInput id="president" label=|t| t.pv.president value=president keep/>
                <TextInput id="secretaire" label=|t| t.pv.secretaire value=secretaire keep/>
                <TextInput id="assesseurs" label=|t| t.pv.assesseurs value=assesseurs keep multiline=true/>
                <TextInput id="observations" label=|t| t.pv.observations value=observations keep multiline=true/>
            </Show>
            <Problem ctx/>
            <button type="submit" class="primary next-step">
                {move || if fixed_name { tr(|t| t.pv.redo_finish)() } else { tr(|t| t.pv.finish)() }}
            </button>
        </form>
        {match turn {
            Turn::Second(first) => view! { <Discard ctx name=first/> }.into_any(),
            Turn::First => view! { <CancelCorrection ctx/> }.into_any(),
            Turn::Redo(_) => ().into_any(),
        }}
    }
}

/// One figure: numeric keypad, no paste (a count is read off the paper, not
/// copied from anywhere), flagged when empty or not a number.
#[component]
fn FigureInput(
    ctx: Ctx,
    n: usize,
    field: Field,
    value: RwSignal<String>,
    flagged: RwSignal<BTreeSet<Field>>,
    keep: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("figure-{n}");
    let hint_id = format!("figure-{n}-hint");
    let f = StoredValue::new(field.clone());
    let text = move || label(i18n.t(), &ctx.candidates(), &f.get_value());
    let hint = move || match f.get_value() {
        Field::Contributions => Some(i18n.t().pv.euros),
        g if g.optional() => Some(i18n.t().pv.optional),
        _ => None,
    };
    let invalid = move || flagged.with(|s| f.with_value(|g| s.contains(g)));
    let mode = if field == Field::Contributions {
        "decimal"
    } else {
        "numeric"
    };
    view! {
        <div class="figure" class:flagged=invalid>
            <label for=id.clone()>{text}</label>
            {move || hint().map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input id=id type="text" inputmode=mode autocomplete="off" class="number"
                aria-describedby=move || hint().map(|_| format!("figure-{n}-hint"))
                aria-invalid=move || invalid().then_some("true")
                prop:value=value.get_untracked()
                on:paste=|ev| ev.prevent_default()
                on:drop=|ev| ev.prevent_default()
                on:input=move |ev| { value.set(event_target_value(&ev)); keep(); }/>
        </div>
    }
}

#[component]
fn TextInput(
    id: &'static str,
    label: fn(&'static crate::i18n::Texts) -> &'static str,
    value: RwSignal<String>,
    keep: impl Fn() + Copy + Send + Sync + 'static,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let input = move |ev| {
        value.set(event_target_value(&ev));
        keep();
    };
    view! {
        <label for=id>{tr(label)}</label>
        {if multiline {
            view! { <textarea id=id rows="3" prop:value=value.get_untracked() on:input=input></textarea> }.into_any()
        } else {
            view! { <input id=id type="text" autocomplete="off" prop:value=value.get_untracked() on:input=input/> }.into_any()
        }}
        <TextSize value/>
    }
}

/// The last refusal, next to the button that caused it.
#[component]
pub(super) fn Problem(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || ctx.problem.with(Option::is_some)>
            <p class="problem error" role="alert">
                {move || ctx.problem.with(|p| p.as_ref().map(|p| super::say(p, i18n.t())))}
            </p>
        </Show>
    }
}

/// An entrant withdraws their entry, after confirming.
#[component]
fn Discard(ctx: Ctx, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let who = StoredValue::new(name);
    let discard = Callback::new(move |()| {
        ctx.edit(
            Edit::Step(EntryStep::Discard {
                by: who.get_value(),
            }),
            || (),
        );
    });
    view! {
        <Confirm id="discard-q" ask_class="link discard"
            ask=Signal::derive(move || (i18n.t().pv.discard)(&who.get_value()))
            question=tr(|t| t.pv.discard_confirm) yes=tr(|t| t.pv.discard_yes) on_yes=discard/>
    }
}

/// The second form says whose it is; the person holding the phone is not
/// the one named: the form is left, what was typed in it dropped, and the
/// hand-over asks for a name again.
#[component]
fn NotMe(ctx: Ctx, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let who = StoredValue::new(name);
    let leave = Callback::new(move |()| ctx.edit(Edit::leave_second(), || ()));
    view! {
        <p class="entrant-line">{move || (i18n.t().pv.second_by)(&who.get_value())}</p>
        <Confirm id="not-me-q" ask_class="secondary not-me"
            ask=Signal::derive(move || (i18n.t().pv.not_me)(&who.get_value()))
            question=tr(|t| t.pv.not_me_confirm) yes=tr(|t| t.pv.not_me_yes) on_yes=leave/>
    }
}

/// Leaves a correction that no one has entered yet: the signed version
/// stays as it is.
#[component]
fn CancelCorrection(ctx: Ctx) -> impl IntoView {
    let open = move || ctx.with(|p| p.correction().is_some());
    let cancel = move |_| ctx.edit(Edit::CancelCorrection, || ());
    view! {
        <Show when=open>
            <button type="button" class="secondary wide" on:click=cancel>{tr(|t| t.pv.cancel_correction)}</button>
        </Show>
    }
}

/// The two entries differ: which fields (never the values), and each entrant
/// re-types them in turn.
#[component]
pub(super) fn Reconcile(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let redo_as = RwSignal::new(None::<String>);
    let state = move || {
        ctx.read(|p| p.differing(&ctx.candidates()))
            .map(|d| (d.fields, d.entrants))
            .unwrap_or_default()
    };
    let done = Callback::new(move |()| redo_as.set(None));
    view! {
        {move || match redo_as.get() {
            Some(name) => view! { <EntryForm ctx turn=Turn::Redo(name) on_done=done/> }.into_any(),
            None => {
                let (fields, entrants) = state();
                let t = i18n.t();
                let candidates = ctx.candidates();
                view! {
                    <section class="card notice" aria-labelledby="differ-title">
                        <h2 id="differ-title">{t.pv.differ_title}</h2>
                        <p>{t.pv.differ_intro}</p>
                        <ul class="differing">
                            {fields.iter().map(|f| view! { <li>{label(t, &candidates, f)}</li> }).collect_view()}
                        </ul>
                    </section>
                    <div class="row stack">
                        {entrants.iter().enumerate().map(|(i, e)| {
                            let (n, name) = (&e.name, e.name.clone());
                            // The first who has to re-type is the next step.
                            let first = entrants.iter().position(|e| e.waiting) == Some(i);
                            if e.waiting {
                                view! {
                                    <button type="button" class="primary" class:next-step=first
                                        on:click=move |_| redo_as.set(Some(name.clone()))>
                                        {(t.pv.redo_as)(n)}
                                    </button>
                                }.into_any()
                            } else {
                                view! { <p class="note">{(t.pv.redone)(n)}</p> }.into_any()
                            }
                        }).collect_view()}
                    </div>
                    <Problem ctx/>
                    {entrants.into_iter().map(|e| view! { <Discard ctx name=e.name/> }).collect_view()}
                }.into_any()
            }
        }}
    }
}
