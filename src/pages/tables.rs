//! "Tables", on the bureau's phone: the join code of each table and
//! recorder (shown as a QR code for the table phone to read), every
//! table's state as its sheets come back (waiting, one sheet, agree,
//! disagree on named packets), the packets to recount and where, and the
//! sheets read with the camera. The rules are core's gathering; taking a
//! sheet, and every write, is `session::tables`'.

use crate::components::confirm::Confirm;
use crate::components::not_enrolled::NotEnrolled;
use crate::components::qr::{LinkCode, PartCodes};
use crate::components::scanner::Scanner;
use crate::components::topbar::TopBar;
use crate::i18n::{Texts, tr, use_i18n};
use crate::session::tables::{self as session_tables};
use crate::session::{self, Device};
use leptos::prelude::*;
use pointage_core::gathering::{Slot, TableState};
use pointage_core::handover::{self, Carries};
use pointage_core::sheet::Invitation;
use pointage_core::signed_return::key_fingerprint;
use pointage_device::tables::{InviteError, PartRead, SheetTakeError, Taken};

#[component]
pub fn TablesPage() -> impl IntoView {
    let body = match session::device() {
        Some(device) => view! { <Tables device/> }.into_any(),
        None => view! { <NotEnrolled/> }.into_any(),
    };
    view! {
        <TopBar/>
        <main aria-labelledby="tables-title">
            <h1 id="tables-title">{tr(|t| t.tables.title)}</h1>
            {body}
        </main>
    }
}

/// What the last action said, kept as what happened (not as words), so a
/// change of language says it again in the new one.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Said {
    Sheet(Result<Taken, SheetTakeError>),
    PartKept,
    TableInvalid,
    Invite(InviteError),
}

fn said_text(t: &'static Texts, said: &Said) -> (bool, String) {
    match said {
        Said::Sheet(r) => taken_text(t, r),
        Said::PartKept => (true, t.tables.part_kept.to_owned()),
        Said::TableInvalid | Said::Invite(InviteError::Refused(_)) => {
            (false, t.tables.table_invalid.to_owned())
        }
        Said::Invite(InviteError::KeyUnreadable) => (false, t.pv.key_unreadable.to_owned()),
        Said::Invite(InviteError::Write(_)) => (false, t.count.storage_failed.to_owned()),
    }
}

/// What taking a sheet said, in the person's language.
fn taken_text(t: &'static Texts, r: &Result<Taken, SheetTakeError>) -> (bool, String) {
    let tt = &t.tables;
    match r {
        Ok(Taken::New { table, slot }) => (true, (tt.sheet_taken)(*table, slot.letter())),
        Ok(Taken::Replaced { table, slot }) => (true, (tt.sheet_replaced)(*table, slot.letter())),
        Ok(Taken::Again { table, slot }) => (true, (tt.sheet_again)(*table, slot.letter())),
        Err(SheetTakeError::Unreadable(_)) => (false, tt.sheet_unreadable.to_owned()),
        Err(SheetTakeError::NotInvitedHere) => (false, tt.sheet_not_invited.to_owned()),
        Err(SheetTakeError::Superseded { table, slot }) => {
            (false, (tt.sheet_superseded)(*table, slot.letter()))
        }
        Err(SheetTakeError::Refused(e)) => (false, (tt.sheet_refused)(e)),
        Err(SheetTakeError::OtherPhone { table, slot }) => {
            (false, (tt.sheet_other_phone)(*table, slot.letter()))
        }
        Err(SheetTakeError::Older { table, slot }) => {
            (false, (tt.sheet_older)(*table, slot.letter()))
        }
        Err(SheetTakeError::Write(_)) => (false, t.count.storage_failed.to_owned()),
    }
}

#[component]
fn Tables(device: Device) -> impl IntoView {
    let i18n = use_i18n();
    let device = StoredValue::new(device);
    // Bumped after every write: the views below read what the phone keeps.
    let rev = RwSignal::new(0u64);
    let kept = move || {
        rev.track();
        device.with_value(session_tables::bureau_tables)
    };
    let found = device.with_value(session::polls_found);

    let next_table = kept().tables().last().map_or(1, |t| t + 1).to_string();
    let table = RwSignal::new(next_table);
    let slot = RwSignal::new(Slot::A);
    let shown = RwSignal::new(None::<Invitation>);
    let said = RwSignal::new(None::<Said>);
    // What the last invitation said, under its form.
    let invite_said = RwSignal::new(None::<Said>);
    let scanning = RwSignal::new(false);
    // The code that prepares the table phones in the morning, shown.
    let preparing = RwSignal::new(false);
    let parts = StoredValue::new_local(Vec::<String>::new());
    // Sheets whole and handed over while the camera is open: the camera
    // keeps seeing their codes, which must not start them again.
    let done = StoredValue::new_local(Vec::<String>::new());
    let progress = RwSignal::new(None::<(usize, usize)>);

    // The place's join code: shown again if it has one (nothing lost), or
    // made; `replace` makes a new one for a phone lost or wrong.
    let inviting = session::Intent::new(move |&(n, s, replace): &(_, _, bool)| async move {
        let d = device.get_value();
        match session_tables::invite(&d, n, s, replace).await {
            Ok(inv) => {
                invite_said.set(None);
                shown.set(Some(inv));
                rev.update(|r| *r += 1);
                // The code shows at the top of the screen.
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
            Err(e) => invite_said.set(Some(Said::Invite(e))),
        }
    });
    let invite = move |replace: bool| {
        // Which numbers a table may have is core's (the join code refuses
        // the others); here only whether a number was typed.
        let Some(n) = pointage_core::pv::parse_count(&table.get_untracked())
            .ok()
            .flatten()
        else {
            invite_said.set(Some(Said::TableInvalid));
            return;
        };
        inviting.dispatch((n, slot.get_untracked(), replace));
    };

    // A whole sheet read: taken by the bureau (or refused, saying why).
    let taking = session::Intent::new(move |bytes: &Vec<u8>| {
        let bytes = bytes.clone();
        async move {
            let d = device.get_value();
            let r = session_tables::take_sheet(&d, &bytes).await;
            said.set(Some(Said::Sheet(r)));
            rev.update(|v| *v += 1);
        }
    });
    // Each text the camera reads: a sheet's part, kept until its sheet is
    // whole, then taken (or refused, saying why).
    let on_text = Callback::new(move |text: String| {
        let part = text
            .rsplit_once('#')
            .map_or(text.as_str(), |(_, p)| p)
            .to_owned();
        let Ok(read) = handover::Part::parse_as(Carries::Sheet, &part) else {
            return;
        };
        if done.with_value(|d| d.contains(&read.digest)) {
            return;
        }
        let fresh = parts.try_update_value(|p| {
            let fresh = !p.contains(&part);
            if fresh {
                p.push(part.clone());
            }
            fresh
        });
        if fresh != Some(true) {
            return;
        }
        let collected = parts
            .with_value(|p| handover::collect_as(Carries::Sheet, p.iter().map(String::as_str)));
        for c in collected {
            match c.bytes {
                None => progress.set(Some((
                    usize::from(c.count) - c.missing.len(),
                    usize::from(c.count),
                ))),
                Some(bytes) => {
                    let digest = c.digest.clone();
                    parts.update_value(|p| p.retain(|x| !x.contains(&digest)));
                    done.update_value(|d| d.push(digest));
                    progress.set(None);
                    let Ok(bytes) = bytes else {
                        said.set(Some(Said::Sheet(Err(SheetTakeError::Unreadable(
                            pointage_core::sheet::SheetError::UnknownFormat,
                        )))));
                        continue;
                    };
                    taking.dispatch(bytes);
                }
            }
        }
    });

    // A part the phone's camera app opened (`/tables#PTS1-…`, as the page
    // opens, or into the page already open): kept, and its sheet taken once
    // whole; the address is cleared, so that a reload does not read it
    // again.
    let from_link = session::Intent::new(move |part: &String| {
        let part = part.clone();
        async move {
            let d = device.get_value();
            match session_tables::take_part(&d, &part).await {
                Ok(PartRead::Waiting { have, of }) => {
                    progress.set(Some((have, of)));
                    said.set(Some(Said::PartKept));
                }
                Ok(PartRead::Sheet(taken)) => said.set(Some(Said::Sheet(Ok(taken)))),
                Err(e) => said.set(Some(Said::Sheet(Err(e)))),
            }
            rev.update(|r| *r += 1);
        }
    });
    let from_address = move || {
        let hash = window().location().hash().unwrap_or_default();
        let Some(part) = hash.strip_prefix('#').filter(|p| p.starts_with("PTS1-")) else {
            return;
        };
        let part = part.to_owned();
        let _ = window().history().and_then(|h| {
            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/tables"))
        });
        from_link.dispatch(part);
    };
    from_address();
    let listening = window_event_listener(leptos::ev::hashchange, move |_| from_address());
    on_cleanup(move || listening.remove());

    let states = move || {
        let t = i18n.t();
        let k = kept();
        let g = device.with_value(|d| k.gathering(&d.election));
        let rows = g
            .tables
            .iter()
            .map(|(n, state)| {
                let (class, text) = match state {
                    TableState::Waiting => {
                        ("table-state waiting", t.tables.state_waiting.to_owned())
                    }
                    TableState::OneSheet(s) => {
                        ("table-state one", (t.tables.state_one)(s.letter()))
                    }
                    TableState::Agree => ("table-state agree", t.tables.state_agree.to_owned()),
                    TableState::Disagree(p) => (
                        "table-state disagree",
                        (t.tables.state_disagree)(
                            &p.iter().map(u32::to_string).collect::<Vec<_>>().join(", "),
                            p.len(),
                        ),
                    ),
                };
                // Each sheet's code, which its recorder's phone shows too: a
                // sheet from a phone that was not the recorder's shows here.
                let codes = k
                    .sheets
                    .iter()
                    .filter(|s| s.table() == *n)
                    .map(|s| (t.tables.sheet_of)(s.slot().letter(), &s.human_code()))
                    .collect::<Vec<_>>()
                    .join(" · ");
                view! {
                    <li class=class>
                        <span class="table-name">{(t.tables.table)(*n)}</span>
                        " " <span class="table-said">{text}</span>
                        {(!codes.is_empty()).then(|| view! { <br/><span class="note">{codes}</span> })}
                    </li>
                }
            })
            .collect_view();
        let recount = g
            .recount
            .iter()
            .map(|(table, packet)| view! { <li>{(t.tables.recount_at)(*packet, *table)}</li> })
            .collect_view();
        let twice = g
            .counted_twice
            .iter()
            .map(|(packet, at)| {
                let at: Vec<String> = at.iter().map(u32::to_string).collect();
                view! { <li>{(t.tables.counted_twice)(*packet, &at.join(", "))}</li> }
            })
            .collect_view();
        let envelopes = match found {
            Some(f) => (t.tables.envelopes_of_found)(
                &t.common.count(g.envelopes),
                &t.common.count(u64::from(f)),
            ),
            None => (t.tables.envelopes_no_polls)(&t.common.count(g.envelopes)),
        };
        let ready = found.is_some_and(|f| k.ready(&g, f));
        let none = g.tables.is_empty();
        view! {
            <section class="card" aria-labelledby="states-title">
                <h2 id="states-title">{t.tables.states_title}</h2>
                {none.then(|| view! { <p class="hint">{t.tables.none_yet}</p> })}
                <ul class="table-states">{rows}</ul>
                {(!g.recount.is_empty()).then(|| view! {
                    <h3>{t.tables.recount_list}</h3>
                    <div role="alert"><ul class="recount">{recount}</ul></div>
                })}
                {(!g.counted_twice.is_empty()).then(|| view! {
                    <div role="alert"><ul class="error">{twice}</ul></div>
                })}
                {(!none).then(|| view! { <p>{envelopes}</p> })}
                {ready.then(|| view! {
                    <p class="finished" role="status">{t.tables.ready}</p>
                    <a class="button primary next-step" href="/pv">{t.tables.go_pv}</a>
                })}
            </section>
        }
    };

    view! {
        {move || shown.get().map(|inv| {
            let t = i18n.t();
            let caption = (t.tables.join_caption)(inv.body.table, inv.body.slot.letter());
            let parts = handover::split_as(Carries::Join, &inv.to_bytes());
            let key = device.with_value(|d| key_fingerprint(&d.device_key));
            view! {
                <PartCodes path="/rejoindre#" parts title=caption intro=t.tables.join_intro/>
                <p class="note">{(t.tables.bureau_key)(&key)}</p>
                <p class="hint">{t.tables.join_never_loaded}</p>
                <button type="button" class="secondary" on:click=move |_| shown.set(None)>
                    {tr(|t| t.tables.join_done)}
                </button>
            }
        })}
        {states}
        <section class="card" aria-labelledby="scan-title">
            <h2 id="scan-title">{tr(|t| t.tables.scan_title)}</h2>
            <p class="hint">{tr(|t| t.tables.scan_intro)}</p>
            {move || said.get().map(|s| {
                let (ok, text) = said_text(i18n.t(), &s);
                let class = if ok { "note success-text" } else { "error" };
                view! { <p class=class role="status">{text}</p> }
            })}
            {move || progress.get().map(|(have, of)| view! {
                <p class="badge" aria-live="polite">{(i18n.t().tables.parts_read)(have, of)}</p>
            })}
            <Show
                when=move || scanning.get()
                fallback=move || view! {
                    <button type="button" class="primary" on:click=move |_| scanning.set(true)>
                        {tr(|t| t.tables.scan_start)}
                    </button>
                }
            >
                <Scanner on_text/>
                <button type="button" class="secondary" on:click=move |_| {
                    scanning.set(false);
                    progress.set(None);
                    parts.update_value(Vec::clear);
                    done.update_value(Vec::clear);
                }>
                    {tr(|t| t.tables.scan_stop)}
                </button>
            </Show>
        </section>
        <form class="card" aria-labelledby="invite-title" on:submit=move |ev| {
            ev.prevent_default();
            invite(false);
        }>
            <h2 id="invite-title">{tr(|t| t.tables.invite_title)}</h2>
            <p class="hint">{tr(|t| t.tables.invite_intro)}</p>
            <label for="invite-table">{tr(|t| t.tables.table_label)}</label>
            <input id="invite-table" type="text" inputmode="numeric" pattern="[0-9]*"
                autocomplete="off" class="number"
                prop:value=move || table.get()
                on:input=move |ev| table.set(event_target_value(&ev))/>
            <fieldset class="slots">
                <legend>{tr(|t| t.tables.slot_legend)}</legend>
                {[Slot::A, Slot::B].into_iter().map(|s| view! {
                    <label class="choice">
                        <input type="radio" name="slot" prop:checked=move || slot.get() == s
                            on:change=move |_| slot.set(s)/>
                        {move || (i18n.t().tables.slot)(s.letter())}
                    </label>
                }).collect_view()}
            </fieldset>
            {move || invite_said.get().map(|s| {
                let (_, text) = said_text(i18n.t(), &s);
                view! { <p class="error" role="alert">{text}</p> }
            })}
            <div class="row stack">
            <button type="submit" class="primary">{tr(|t| t.tables.invite_submit)}</button>
            <Confirm id="replace-question" ask=Signal::derive(move || i18n.t().tables.replace_ask.to_owned())
                ask_class="secondary"
                question=tr(|t| t.tables.replace_question)
                yes=tr(|t| t.tables.replace_yes)
                on_yes=Callback::new(move |_| invite(true))/>
            </div>
        </form>
        <section class="card" aria-labelledby="prepare-title">
            <h2 id="prepare-title">{tr(|t| t.tables.prepare_title)}</h2>
            <p class="hint">{tr(|t| t.tables.prepare_intro)}</p>
            <Show
                when=move || preparing.get()
                fallback=move || view! {
                    <button type="button" class="secondary" on:click=move |_| preparing.set(true)>
                        {tr(|t| t.tables.prepare_show)}
                    </button>
                }
            >
                <LinkCode path="/rejoindre" label=i18n.t().tables.prepare_label/>
                <button type="button" class="secondary" on:click=move |_| preparing.set(false)>
                    {tr(|t| t.tables.prepare_hide)}
                </button>
            </Show>
        </section>
    }
}
