//! The agreed PV checked by core's rules (with the tap-count as a third
//! source when there is one), the warnings explained, the whole PV read over,
//! and signed with the bureau key.

use super::entry::Problem;
use super::{Ctx, TextSize, label, pv_rows, pv_texts, text_too_long};
use crate::components::confirm::Confirm;
use crate::i18n::{tr, use_i18n};

use crate::session::pv::PvError;
use leptos::prelude::*;
use pointage_core::rules::Finding;
use pointage_core::signed_return::key_fingerprint;
use pointage_core::{EntryStep, Field, RuleCode, Severity, SignError};
use pointage_device::pv_session::{Detail, Edit, Review as Checked};
use std::collections::BTreeMap;

#[component]
pub(super) fn Review(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let review = ctx.with(|p| {
        ctx.device.with_value(|d| {
            ctx.tally.with_value(|tally| {
                let sheets = crate::session::tables::sheets(d);
                let turnout = crate::session::day::last_count(d);
                p.review(&d.election, tally.as_ref(), &sheets, turnout.as_ref())
            })
        })
    });
    let Some(c) = review else {
        return ().into_any();
    };
    let candidates = ctx.candidates();
    let errors: Vec<Finding> = c
        .findings
        .iter()
        .filter(|f| f.code.severity() == Severity::Error)
        .cloned()
        .collect();
    let warnings = !c.explanations.is_empty();
    let t0 = i18n.t();
    let long_texts: Vec<String> = c
        .too_long
        .iter()
        .map(|(f, bytes)| text_too_long(t0, f, *bytes))
        .collect();
    let blocked = c.blocked();
    // A correction that cannot be signed can be left: version 1 stands.
    let correcting = ctx.with(|p| p.correction().is_some());
    let explanations: Vec<(RuleCode, RwSignal<String>)> = c
        .explanations
        .iter()
        .map(|(w, start)| (*w, RwSignal::new(start.clone())))
        .collect();
    let explanations = StoredValue::new(explanations);
    let typed = move || -> BTreeMap<RuleCode, String> {
        explanations.with_value(|e| {
            pointage_core::order::map_of(
                e.iter()
                    .map(|(w, s)| (*w, s.get_untracked().trim().to_owned())),
            )
        })
    };
    let keep = move || ctx.keep(Edit::Explain(typed()));

    let findings = StoredValue::new(c.findings.clone());
    // A field's rule codes, and whether one of them is an error.
    let flag = move |f: &Field| -> Option<(String, bool)> {
        let codes: Vec<RuleCode> = findings.with_value(|fs| {
            fs.iter()
                .filter(|x| x.fields.contains(f))
                .map(|x| x.code)
                .collect()
        });
        let error = codes.iter().any(|c| c.severity() == Severity::Error);
        let text: Vec<String> = codes.iter().map(|c| format!("{c:?}")).collect();
        (!codes.is_empty()).then(|| (text.join(" "), error))
    };
    let t = i18n.t();
    let error_items = errors
        .iter()
        .map(|f| {
            let details = details(ctx, &c, f);
            view! {
                <li>
                    // The sentence first; the rule's code small, for whoever
                    // checks it against the rules.
                    {(t.pv.rule)(f.code)}" "
                    <small class="rule-code">{format!("{:?}", f.code)}</small>
                    <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                </li>
            }
        })
        .collect_view();
    let warning_items = explanations.with_value(|e| {
        e.iter()
            .map(|(w, value)| {
                let (w, value) = (*w, *value);
                let id = format!("explain-{w:?}");
                view! {
                    <p>{(t.pv.rule)(w)}" "<small class="rule-code">{format!("{w:?}")}</small></p>
                    <label for=id.clone()>{(t.pv.explanation_label)(w)}</label>
                    <textarea id=id rows="3" prop:value=value.get_untracked()
                        on:input=move |ev| { value.set(event_target_value(&ev)); keep(); }></textarea>
                    <TextSize value/>
                }
            })
            .collect_view()
    });
    let key = ctx
        .device
        .with_value(|d| (!d.device_key.is_empty()).then(|| key_fingerprint(&d.device_key)))
        // Lowercase, in groups with a space: never to be mistaken for the
        // PV's code (upper case, with a dash), which is copied onto paper.
        .map(|fp| fp.to_ascii_lowercase().replace('-', " "));
    // Every warning explained before the question is put.
    let may_ask = Callback::new(move |()| {
        if typed().values().any(|x| x.is_empty()) {
            ctx.report(PvError::Said(i18n.t().pv.explain_first.into()));
            return false;
        }
        ctx.problem.set(None);
        true
    });
    let sign = Callback::new(move |()| {
        if let Err(r) = sign(ctx, typed()) {
            ctx.report(r);
        }
    });

    view! {
        <section class="card success" aria-labelledby="review-title">
            <h2 id="review-title">{t.pv.review_title}</h2>
            <p>{(t.pv.agreed)(&c.by.0, &c.by.1)}</p>
        </section>
        {blocked.then(|| view! {
            <section class="card problem" aria-labelledby="errors-title">
                <h2 id="errors-title" class="error">{t.pv.errors_title}</h2>
                <ul class="findings">
                    {error_items}
                    {long_texts.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
                <p class="hint">{t.pv.restart_hint}</p>
                <Restart ctx/>
                {correcting.then(|| view! { <AbandonCorrection ctx/> })}
            </section>
        })}
        {warnings.then(|| view! {
            <section class="card notice" aria-labelledby="warnings-title">
                <h2 id="warnings-title">{t.pv.warnings_title}</h2>
                {warning_items}
            </section>
        })}
        <section class="card" aria-labelledby="whole-title">
            <h2 id="whole-title">{t.pv.whole_title}</h2>
            <table class="results pv-table">
                <tbody>{pv_rows(t, &candidates, &c.pv, &flag)}</tbody>
            </table>
            {pv_texts(t, &c.pv)}
            <p class="note">{t.pv.entered_by}" "{format!("{} · {}", c.by.0, c.by.1)}</p>
            // Nothing here is copied onto paper: folded, so that the only
            // code the evening asks to copy is the PV's, after signing.
            <details class="key-details">
                <summary>{t.pv.key_label}</summary>
                <p class="note"><strong class="key">{key}</strong></p>
                <p class="hint">{t.pv.key_hint}</p>
            </details>
        </section>
        <Problem ctx/>
        {if blocked {
            view! { <p class="error" role="status">{tr(|t| t.pv.sign_blocked)}</p> }.into_any()
        } else {
            view! {
                <Confirm id="sign-q" ask_class="primary next-step"
                    ask=Signal::derive(move || tr(|t| t.pv.sign)().to_owned())
                    question=tr(|t| t.pv.sign_confirm) yes=tr(|t| t.pv.sign_yes) on_yes=sign may_ask/>
            }
            .into_any()
        }}
    }
    .into_any()
}

/// The details of a broken rule (the session's), in the person's words.
fn details(ctx: Ctx, review: &Checked, f: &Finding) -> Vec<String> {
    let t = use_i18n().t();
    let candidates = ctx.candidates();
    review
        .details(f)
        .into_iter()
        .map(|d| match d {
            Detail::InscritsDefined(n) => (t.pv.inscrits_defined)(&t.common.count(u64::from(n))),
            Detail::TallyGap {
                field,
                counted,
                typed,
            } => (t.pv.tally_gap)(&label(t, &candidates, &field), counted, typed),
            Detail::PacketOpen(n) => (t.pv.packet_open)(n),
        })
        .collect()
}

/// Signs the agreed PV with the device's key (the session keeps it with
/// its place in the outbox and starts the next version's empty entry), or
/// says why it cannot be.
fn sign(ctx: Ctx, explanations: BTreeMap<RuleCode, String>) -> Result<(), PvError> {
    let t = use_i18n().t();
    if ctx.stale.get_untracked() {
        return Err(PvError::ChangedElsewhere);
    }
    ctx.sign(explanations).map_err(|e| match e {
        SignError::MalformedKey => PvError::KeyUnreadable,
        SignError::TextTooLong { field, bytes } => PvError::Said(text_too_long(t, &field, bytes)),
        _ => PvError::Said(t.pv.sign_refused.into()),
    })
}

/// Leaves a correction whose entries cannot be signed, after confirming:
/// both entries are dropped, and the signed version stays as it was.
#[component]
fn AbandonCorrection(ctx: Ctx) -> impl IntoView {
    let abandon = Callback::new(move |()| ctx.edit(Edit::CancelCorrection, || ()));
    view! {
        <Confirm id="abandon-q" ask_class="secondary wide"
            ask=Signal::derive(move || tr(|t| t.pv.cancel_correction)().to_owned())
            question=tr(|t| t.pv.cancel_correction_confirm) yes=tr(|t| t.pv.discard_yes) on_yes=abandon/>
    }
}

/// Drops both entries, after confirming: for a PV whose paper itself is
/// wrong, recounted and corrected before it is entered again.
#[component]
fn Restart(ctx: Ctx) -> impl IntoView {
    let restart = Callback::new(move |()| ctx.edit(Edit::Step(EntryStep::Restart), || ()));
    view! {
        <Confirm id="restart-q" ask_class="secondary wide"
            ask=Signal::derive(move || tr(|t| t.pv.restart)().to_owned())
            question=tr(|t| t.pv.restart_confirm) yes=tr(|t| t.pv.discard_yes) on_yes=restart/>
    }
}
