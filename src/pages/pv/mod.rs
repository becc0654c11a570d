//! "Procès-verbal": two people enter the bureau's PV blind, Pointage compares
//! the entries, core's rules check the agreed PV (against the tap-count when
//! there is one), and the bureau key signs it into the return to be sent.
//!
//! Every step goes through device's PV session and core: the session says
//! which screen, what a form asks and starts from, what typed text becomes
//! or why not; [`DoubleEntry`] decides where the entry stands, core's rules
//! what does not add up, [`SignedReturn::prepare`] whether it can be signed.
//! These screens only ask and show, and hand each change to
//! `crate::session`, which keeps it. The figures of one entrant are never
//! put in the page while the other types: each form starts from empty or
//! from that person's own unfinished draft.
//!
//! A box holds what is typed: it is given its start once, and each
//! keystroke is read from it, never written back (a write back per key is
//! a reactive pass more on a slow phone, with nothing to show for it).
//!
//! [`DoubleEntry`]: pointage_core::DoubleEntry
//! [`SignedReturn::prepare`]: pointage_core::SignedReturn::prepare

mod entry;
mod review;
mod signed;

use entry::{EntryForm, Handover, Reconcile};
use pointage_device::pv_session::Turn;
use review::Review;
use signed::{CorrectionDraft, CorrectionForm, Signed};

use crate::components::not_enrolled::NotEnrolled;
use crate::components::topbar::TopBar;
use crate::i18n::{Texts, tr, use_i18n};
use crate::session::Device;
use crate::session::pv::PvError;
use crate::session::{self, PvOpenError};
use leptos::prelude::*;
use pointage_core::{Candidate, Field, TallyLog, TransitionError};
use pointage_device::pv_session::{PvSession, Screen};

/// The PV's handle, passed to each screen.
type Ctx = session::pv::Pv;

/// What went wrong, in the person's language.
fn say(problem: &PvError, t: &Texts) -> String {
    let pv = t.pv;
    match problem {
        PvError::Refused(TransitionError::SamePerson) => pv.same_person.into(),
        PvError::Refused(TransitionError::NoName) => pv.no_name.into(),
        PvError::Refused(TransitionError::NotAnEntrant) => pv.not_an_entrant.into(),
        PvError::Refused(TransitionError::TooLarge) => t.count.number_invalid.into(),
        // The stored entry moved on under this page: another tab.
        PvError::Refused(
            TransitionError::WrongPhase
            | TransitionError::AlreadyReentered
            | TransitionError::WrongFields,
        ) => pv.changed_elsewhere.into(),
        PvError::Storage => pv.storage_failed.into(),
        PvError::ChangedElsewhere => pv.changed_elsewhere.into(),
        PvError::Damaged => pv.damaged.into(),
        PvError::KeyUnreadable => pv.key_unreadable.into(),
        PvError::Said(s) => s.clone(),
    }
}

#[component]
pub fn PvPage() -> impl IntoView {
    let i18n = use_i18n();
    let body = match session::device() {
        None => view! { <NotEnrolled/> }.into_any(),
        Some(device) => match session::open_pv(&device) {
            Ok((pv, tally)) => view! { <PvScreens device pv tally/> }.into_any(),
            Err(fail) => view! {
                <p class="card notice error" role="alert">
                    {move || {
                        let t = i18n.t().pv;
                        match fail {
                            PvOpenError::Tally => t.tally_damaged,
                            PvOpenError::Unavailable => t.storage_failed,
                            PvOpenError::Damaged => t.damaged,
                        }
                    }}
                </p>
            }
            .into_any(),
        },
    };
    view! {
        <TopBar/>
        <main aria-labelledby="pv-title">
            <h1 id="pv-title">{tr(|t| t.pv.title)}</h1>
            {body}
        </main>
    }
}

#[component]
fn PvScreens(device: Device, pv: PvSession, tally: Option<TallyLog>) -> impl IntoView {
    let ctx = Ctx::new(device, pv, tally);
    // "Corriger le PV" was tapped: the correction form shows until it starts.
    let correcting = RwSignal::new(false);
    let correction = CorrectionDraft::new();
    // The signed return's QR codes are shown (kept across a redraw).
    let showing_qr = RwSignal::new(false);
    let i18n = use_i18n();
    let stage = Memo::new(move |_| ctx.read(PvSession::screen));
    // A new screen starts without the last screen's complaint.
    Effect::new(move |_| {
        stage.track();
        ctx.problem.set(None);
    });

    let banner = move || {
        let t = use_i18n().t();
        ctx.read(|p| {
            p.correction()
                .map(|c| (t.pv.correction_banner)(p.version(), &c.reason))
        })
    };

    view! {
        {move || ctx.stale.get().then(|| view! {
            <p class="problem error" role="alert">{tr(|t| t.pv.changed_elsewhere)}</p>
        })}
        {move || banner().map(|b| view! { <p class="card notice">{b}</p> })}
        // A screen is drawn again in the language chosen: what was typed is
        // kept by the drafts (and the correction's by the page).
        {move || match (i18n.lang(), ctx.track_reread(), stage.get()).2 {
            Screen::First => view! { <EntryForm ctx turn=Turn::First/> }.into_any(),
            Screen::Handover(first_by) => view! { <Handover ctx first_by/> }.into_any(),
            Screen::Second(first_by) => {
                view! { <EntryForm ctx turn=Turn::Second(first_by)/> }.into_any()
            }
            Screen::Reconcile => view! { <Reconcile ctx/> }.into_any(),
            Screen::Review => view! { <Review ctx/> }.into_any(),
            Screen::Signed => view! {
                <Show when=move || correcting.get()
                    fallback=move || view! { <Signed ctx correcting showing_qr/> }>
                    <CorrectionForm ctx correcting draft=correction/>
                </Show>
            }
            .into_any(),
        }}
    }
}

/// What the person reads for a field: its label, or "Voix de …" with the
/// candidate's name.
/// The label of a text of the return, for a refusal that names it.
fn text_label(t: &Texts, field: &pointage_core::TextField) -> String {
    use pointage_core::TextField as F;
    match field {
        F::Entrant => t.pv.name_label.to_owned(),
        F::President => t.pv.president.to_owned(),
        F::Secretaire => t.pv.secretaire.to_owned(),
        F::Assesseur => t.pv.assesseurs.to_owned(),
        F::Observations => t.pv.observations.to_owned(),
        F::Explanation(code) => (t.pv.explanation_label)(*code),
        F::CorrectionReason => t.pv.reason_label.to_owned(),
    }
}

/// Why a text cannot go into the return: its field and its size.
fn text_too_long(t: &Texts, field: &pointage_core::TextField, bytes: usize) -> String {
    (t.pv.text_too_long)(&text_label(t, field), &t.common.count(bytes as u64))
}

/// A text's size, once it nears the limit of a return's texts; in red past
/// it. The limit itself is core's.
#[component]
fn TextSize(value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let bytes = value.with(String::len);
        (bytes * 10 > pointage_core::MAX_TEXT_BYTES * 9).then(|| {
            let t = i18n.t();
            let over = bytes > pointage_core::MAX_TEXT_BYTES;
            view! {
                <p class="hint" class:error=over aria-live="polite">
                    {(t.pv.text_size)(&t.common.count(bytes as u64))}
                </p>
            }
        })
    }
}

fn label(t: &Texts, candidates: &[Candidate], field: &Field) -> String {
    match field {
        Field::Voix(id) => {
            let name = candidates
                .iter()
                .find(|c| &c.id == id)
                .map_or(id.as_str(), |c| c.name.as_str());
            (t.pv.voix_of)(name)
        }
        other => (t.pv.field)(other).to_owned(),
    }
}

/// A figure as the person reads it: a count with the language's separators,
/// contributions in euros, "—" when not entered.
fn show_figure(t: &Texts, field: &Field, value: Option<u64>) -> String {
    match (field, value) {
        (_, None) => "—".to_owned(),
        (Field::Contributions, Some(cents)) => {
            let sep = if t.common.decimal_comma { ',' } else { '.' };
            format!(
                "{}{sep}{:02}\u{a0}€",
                t.common.count(cents / 100),
                cents % 100
            )
        }
        (_, Some(n)) => t.common.count(n),
    }
}

/// The PV table as it will be signed: every figure in the paper order, the
/// rows of `flagged` fields marked with the rules they break.
fn pv_rows(
    t: &'static Texts,
    candidates: &[Candidate],
    pv: &pointage_core::ProcesVerbal,
    flagged: &dyn Fn(&Field) -> Option<(String, bool)>,
) -> impl IntoView + use<> {
    let figures = pv.figures();
    Field::entry_order(candidates)
        .into_iter()
        .map(|f| {
            let value = show_figure(t, &f, figures.get(&f).copied().flatten());
            let (flag, class) = match flagged(&f) {
                Some((codes, true)) => (Some(codes), "flagged"),
                Some((codes, false)) => (Some(codes), "flagged warning"),
                None => (None, ""),
            };
            view! {
                <tr class=class>
                    <th scope="row">{label(t, candidates, &f)}{flag.map(|c| view! { <span class="rule-code">{c}</span> })}</th>
                    <td class="num">{value}</td>
                </tr>
            }
        })
        .collect_view()
}

/// Members, observations and the like, as a definition list.
fn pv_texts(t: &'static Texts, pv: &pointage_core::ProcesVerbal) -> impl IntoView + use<> {
    let m = &pv.members;
    let rows = [
        (t.pv.president, m.president.clone()),
        (t.pv.secretaire, m.secretaire.clone()),
        (t.pv.assesseurs_shown, m.assesseurs.join(", ")),
        (t.pv.observations, pv.observations.clone()),
    ];
    view! {
        <dl class="pv-texts">
            {rows
                .into_iter()
                .map(|(k, v)| {
                    let v = if v.trim().is_empty() { "—".to_owned() } else { v };
                    view! { <dt>{k}</dt><dd>{v}</dd> }
                })
                .collect_view()}
        </dl>
    }
}
