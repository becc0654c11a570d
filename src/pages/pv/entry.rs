//! The entry forms (first, second blind, re-typing the differing fields) and
//! the comparison screen between them.
//!
//! A form starts empty, or from the unfinished draft of *its own stage*;
//! nothing else of the PV is put in the page while a person types, so the
//! second person cannot read the first one's figures, even in the DOM.

use super::{Ctx, Refusal, TextSize, label, redo_key, text_too_long};
use crate::components::confirm::Confirm;
use crate::i18n::{tr, use_i18n};
use crate::storage::pv::Draft;
use leptos::prelude::*;
use pointage_core::{EntryStep, Field, Members, Phase, TextField};
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum EntryMode {
    First,
    /// The second, blind entry; the first entrant's name.
    Second(String),
    /// One entrant re-types the differing fields.
    Redo(String),
}

impl EntryMode {
    fn stage(&self) -> String {
        match self {
            EntryMode::First => "first".into(),
            EntryMode::Second(_) => "second".into(),
            EntryMode::Redo(name) => redo_key(name),
        }
    }
}

#[component]
pub(super) fn EntryForm(
    ctx: Ctx,
    mode: EntryMode,
    /// Called once a re-entry is stored (back to the comparison screen).
    #[prop(optional)]
    on_done: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let candidates = ctx.candidates();
    let stage = mode.stage();
    // Which figures this form asks, in the paper order.
    let (fields, draft, correction_base) = ctx.pv.with_value(|p| {
        let order = Field::entry_order(&candidates);
        let chosen: Option<BTreeSet<Field>> = match (&mode, &p.entry.correction) {
            (EntryMode::Redo(_), _) => match p.de.phase() {
                Phase::Reconciling { fields, .. } => Some(fields),
                _ => Some(BTreeSet::new()),
            },
            (_, Some(c)) => Some(c.fields.iter().cloned().collect()),
            (_, None) => None,
        };
        let fields: Vec<Field> = order
            .into_iter()
            .filter(|f| chosen.as_ref().is_none_or(|c| c.contains(f)))
            .collect();
        let base = p
            .entry
            .correction
            .as_ref()
            .and_then(|_| p.returns.last())
            .map(|r| r.body().pv.clone());
        (fields, p.entry.drafts.get(&stage).cloned(), base)
    });
    let with_text = mode == EntryMode::First;
    // A correction's first entrant starts from the names and observations
    // of the version it replaces: text, not figures, and not compared.
    let start = draft.unwrap_or_else(|| Draft {
        members: correction_base
            .as_ref()
            .map(|b| b.members.clone())
            .unwrap_or_default(),
        observations: correction_base
            .as_ref()
            .map(|b| b.observations.clone())
            .unwrap_or_default(),
        ..Draft::default()
    });
    let name = RwSignal::new(match &mode {
        EntryMode::Redo(n) => n.clone(),
        _ => start.name.clone(),
    });
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

    let members = move || Members {
        president: president.get_untracked().trim().to_owned(),
        secretaire: secretaire.get_untracked().trim().to_owned(),
        assesseurs: assesseurs
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let stage_key = StoredValue::new(stage);
    // Every keystroke keeps the draft of this stage on the phone.
    let keep = move || {
        let draft = Draft {
            name: name.get_untracked(),
            values: inputs.with_value(|i| {
                i.iter()
                    .map(|(f, s)| (f.clone(), s.get_untracked()))
                    .collect()
            }),
            members: members(),
            observations: observations.get_untracked(),
        };
        ctx.keep_draft(&stage_key.get_value(), draft);
    };

    let mode_v = StoredValue::new(mode.clone());
    let base = StoredValue::new(correction_base);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t();
        let candidates = ctx.candidates();
        let by = name.get_untracked().trim().to_owned();
        if by.is_empty() {
            ctx.report(Refusal::Said(t.pv.no_name.into()));
            return;
        }
        let mut values = Vec::new();
        let (mut bad, mut empty) = (Vec::new(), Vec::new());
        inputs.with_value(|i| {
            for (f, s) in i {
                match f.parse(&s.get_untracked()) {
                    Err(_) => bad.push(f.clone()),
                    Ok(None) if !f.optional() => empty.push(f.clone()),
                    Ok(v) => values.push((f.clone(), v)),
                }
            }
        });
        let list = |fs: &[Field]| {
            fs.iter()
                .map(|f| label(t, &candidates, f))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !bad.is_empty() || !empty.is_empty() {
            let message = if bad.is_empty() {
                (t.pv.empty_fields)(&list(&empty))
            } else {
                (t.pv.not_numbers)(&list(&bad))
            };
            flagged.set(bad.iter().chain(&empty).cloned().collect());
            ctx.report(Refusal::Said(message));
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
            return;
        }
        flagged.set(BTreeSet::new());
        let mut pv = base.get_value().unwrap_or_default();
        let text = mode_v.with_value(|m| *m == EntryMode::First);
        if text {
            pv.members = members();
            pv.observations = observations.get_untracked().trim().to_owned();
        }
        // Texts over the limit of a return's texts: refused here, by name,
        // while they can still be shortened (core would refuse to sign).
        let long_name = (!pointage_core::text_fits(&by)).then_some((TextField::Entrant, by.len()));
        let long_text = if text {
            pv.texts_too_long().into_iter().next()
        } else {
            None
        };
        if let Some((field, bytes)) = long_name.or(long_text) {
            ctx.report(Refusal::Said(text_too_long(t, &field, bytes)));
            return;
        }
        for (f, v) in &values {
            if pv.set_figure(f, *v).is_err() {
                ctx.report(Refusal::Said((t.pv.not_numbers)(&label(t, &candidates, f))));
                return;
            }
        }
        let step = match mode_v.get_value() {
            EntryMode::First => EntryStep::First { by, pv },
            EntryMode::Second(_) => EntryStep::Second { by, pv },
            EntryMode::Redo(_) => EntryStep::Reenter { by, values },
        };
        ctx.step(step, move || {
            if let Some(done) = on_done {
                done.run(());
            }
        });
    };

    let title = move || {
        let t = i18n.t();
        match mode_v.get_value() {
            EntryMode::First => t.pv.first_title.to_owned(),
            EntryMode::Second(_) => t.pv.second_title.to_owned(),
            EntryMode::Redo(n) => (t.pv.redo_title)(&n),
        }
    };
    let intro = move || {
        let t = i18n.t();
        match mode_v.get_value() {
            EntryMode::First => t.pv.first_intro.to_owned(),
            EntryMode::Second(first) => (t.pv.second_intro)(&first),
            EntryMode::Redo(_) => t.pv.redo_intro.to_owned(),
        }
    };
    let fixed_name = matches!(mode, EntryMode::Redo(_));
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
            <Show when=move || !fixed_name>
                <label for="entrant">{tr(|t| t.pv.name_label)}</label>
                <input id="entrant" type="text" autocomplete="off" autocapitalize="words"
                    prop:value=move || name.get()
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
            <button type="submit" class="primary">
                {move || if fixed_name { tr(|t| t.pv.redo_finish)() } else { tr(|t| t.pv.finish)() }}
            </button>
        </form>
        {match mode {
            EntryMode::Second(first) => view! { <Discard ctx name=first/> }.into_any(),
            EntryMode::First => view! { <CancelCorrection ctx/> }.into_any(),
            EntryMode::Redo(_) => ().into_any(),
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
                prop:value=move || value.get()
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
            view! { <textarea id=id rows="3" prop:value=move || value.get() on:input=input></textarea> }.into_any()
        } else {
            view! { <input id=id type="text" autocomplete="off" prop:value=move || value.get() on:input=input/> }.into_any()
        }}
        <TextSize value/>
    }
}

/// The last refusal, next to the button that caused it.
#[component]
pub(super) fn Problem(ctx: Ctx) -> impl IntoView {
    view! {
        <Show when=move || ctx.problem.with(Option::is_some)>
            <p class="problem error" role="alert">{move || ctx.problem.get()}</p>
        </Show>
    }
}

/// An entrant withdraws their entry, after confirming.
#[component]
fn Discard(ctx: Ctx, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let who = StoredValue::new(name);
    let discard = Callback::new(move |()| {
        ctx.step(
            EntryStep::Discard {
                by: who.get_value(),
            },
            || (),
        );
    });
    view! {
        <Confirm id="discard-q" ask_class="secondary wide"
            ask=Signal::derive(move || (i18n.t().pv.discard)(&who.get_value()))
            question=|t| t.pv.discard_confirm yes=|t| t.pv.discard_yes on_yes=discard/>
    }
}

/// Leaves a correction that no one has entered yet: the signed version
/// stays as it is.
#[component]
fn CancelCorrection(ctx: Ctx) -> impl IntoView {
    let open = move || ctx.pv.with_value(|p| p.entry.correction.is_some());
    let cancel = move |_| {
        let record = ctx.pv.with_value(|p| crate::storage::pv::EntryRecord {
            version: p.entry.version,
            ..Default::default()
        });
        ctx.save(record, Some(pointage_core::DoubleEntry::new()), || ());
    };
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
        ctx.rev.track();
        ctx.pv.with_value(|p| {
            let Phase::Reconciling {
                fields,
                waiting_for,
            } = p.de.phase()
            else {
                return (Vec::new(), Vec::new(), Vec::new());
            };
            // The two entrants: the names of the steps whose entry is kept.
            let mut entrants: Vec<String> = Vec::new();
            for s in &p.entry.steps {
                if let EntryStep::First { by, .. } | EntryStep::Second { by, .. } = s
                    && p.de.own_entry(by).is_some()
                    && !entrants
                        .iter()
                        .any(|e| pointage_core::names::same_person(e, by))
                {
                    entrants.push(by.clone());
                }
            }
            let order = Field::entry_order(&ctx.candidates());
            let fields: Vec<Field> = order.into_iter().filter(|f| fields.contains(f)).collect();
            (fields, waiting_for, entrants)
        })
    };
    let done = Callback::new(move |()| redo_as.set(None));
    view! {
        {move || match redo_as.get() {
            Some(name) => view! { <EntryForm ctx mode=EntryMode::Redo(name) on_done=done/> }.into_any(),
            None => {
                let (fields, waiting, entrants) = state();
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
                        {entrants.iter().map(|n| {
                            let name = n.clone();
                            if waiting.contains(n) {
                                view! {
                                    <button type="button" class="primary"
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
                    {entrants.into_iter().map(|n| view! { <Discard ctx name=n/> }).collect_view()}
                }.into_any()
            }
        }}
    }
}
