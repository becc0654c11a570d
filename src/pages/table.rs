//! A table phone's screens: `/rejoindre` reads a join code (from the
//! address the camera app opened, or with this app's camera) and binds the
//! phone to its table and slot; `/table` is its count, each packet by the
//! number on its band, and, once every envelope handed to the table is
//! counted, the recorder's sheet, signed with this phone's own key and
//! shown as QR codes for the bureau's phone to read. They are an app of
//! their own (`table_main.rs`): [`TablePhone`] shows the one of the address.

use crate::components::qr::PartCodes;
use crate::components::scanner::Scanner;
use crate::components::topbar::TableTopBar;
use crate::i18n::{Sections, trt, use_i18n};
use crate::pages::count::{CountMode, CountNotOpen, Counting};
use crate::session::tables::{self as session_tables};
use leptos::prelude::*;
use pointage_core::handover::{self, Carries};
use pointage_core::sheet::{Invitation, SheetError, TableSheet};
use pointage_core::signed_return::key_fingerprint;
use pointage_device::tables::{JoinError, SheetSignError, TableSeat};

/// A table phone's app: the join page at `/rejoindre`, its table elsewhere
/// (the server answers it at `/table`).
#[component]
pub fn TablePhone() -> impl IntoView {
    match window()
        .location()
        .pathname()
        .unwrap_or_default()
        .trim_end_matches('/')
    {
        "/rejoindre" => view! { <JoinPage/> }.into_any(),
        _ => view! { <TablePage/> }.into_any(),
    }
}

/// "Bureau 001 · table 1 · pointeur A", and who invited it.
fn seat_lines(t: Sections, inv: &Invitation) -> (String, String) {
    let b = &inv.body;
    (
        (t.tables.seat_line)(&b.bureau, b.table, b.slot.letter()),
        (t.tables.invited_by)(&key_fingerprint(&b.bureau_key)),
    )
}

/// The part in an address's fragment (`/rejoindre#PTJ1-…`), or the text.
fn part_of(text: &str) -> &str {
    text.rsplit_once('#').map_or(text, |(_, p)| p)
}

/// The join code the parts read so far make, once whole.
fn join_bytes<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<Vec<u8>> {
    handover::collect_as(Carries::Join, parts)
        .into_iter()
        .next()?
        .bytes?
        .ok()
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let hash = window().location().hash().unwrap_or_default();
    let code = RwSignal::new(join_bytes([part_of(&hash)]));
    let said = RwSignal::new(None::<JoinError>);
    // The camera, asked for (a phone opened here with no code is being
    // prepared, and does not need it yet).
    let scan = RwSignal::new(!hash.trim_start_matches('#').is_empty());
    // Whether the service worker keeps the app here (a phone prepared in
    // the morning is told once it does, or that it cannot): asked only of
    // a page opened with no code, the only one that says it.
    let preparing = !scan.get_untracked();
    let kept = LocalResource::new(move || async move {
        if preparing {
            crate::worker::table_app_kept(60).await
        } else {
            false
        }
    });
    // A join code of many candidates can take several QR codes: the app's
    // camera reads them all (the camera app opens one address at a time).
    let parts = StoredValue::new(Vec::<String>::new());
    let on_text = Callback::new(move |text: String| {
        if code.get_untracked().is_some() {
            return;
        }
        let part = part_of(&text).to_owned();
        parts.update_value(|p| {
            if !p.contains(&part) {
                p.push(part);
            }
        });
        if let Some(bytes) = parts.with_value(|p| join_bytes(p.iter().map(String::as_str))) {
            code.set(Some(bytes));
        }
    });
    // The join page open already, and a code's address opened over it (the
    // same page, another fragment): the browser does not load it again.
    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = window().location().hash().unwrap_or_default();
        if let Some(bytes) = join_bytes([part_of(&hash)]) {
            said.set(None);
            code.set(Some(bytes));
        } else if !hash.is_empty() {
            scan.set(true);
            on_text.run(hash);
        }
    });
    on_cleanup(move || on_hash.remove());
    let joining = crate::session::Intent::new(move |bytes: &Vec<u8>| {
        let bytes = bytes.clone();
        async move {
            match session_tables::join(&bytes).await {
                Ok(_) => {
                    let _ = window().location().set_href("/table");
                }
                Err(e) => said.set(Some(e)),
            }
        }
    });
    let join = move |_| {
        if let Some(bytes) = code.get_untracked() {
            joining.dispatch(bytes);
        }
    };
    let body = move || {
        let t = i18n.s();
        match code.get().map(|b| Invitation::from_bytes(&b)) {
            // Opened with no code: a phone prepared in the morning (the
            // app is kept now); the camera opens only when asked.
            None if !scan.get() => {
                let (title, text) = match kept.get() {
                    None => (t.tables.join_page_title, t.tables.join_preparing),
                    Some(true) => (t.tables.join_ready_title, t.tables.join_ready_intro),
                    Some(false) => (t.tables.join_not_kept_title, t.tables.join_not_kept),
                };
                view! {
                    <section class="card" aria-labelledby="join-ready-title">
                        <h2 id="join-ready-title">{title}</h2>
                        <p class="hint" role="status">{text}</p>
                        <button type="button" class="primary" on:click=move |_| scan.set(true)>
                            {t.tables.join_scan_now}
                        </button>
                    </section>
                }
                .into_any()
            }
            None => view! {
                <section class="card" aria-labelledby="join-scan-title">
                    <h2 id="join-scan-title">{t.tables.join_scan_title}</h2>
                    <p class="hint">{t.tables.join_scan_intro}</p>
                    <Scanner on_text/>
                </section>
            }
            .into_any(),
            Some(Err(_)) => view! {
                <p class="card notice error" role="alert">{t.tables.join_unreadable}</p>
            }
            .into_any(),
            Some(Ok(inv)) => {
                let (line, by) = seat_lines(t, &inv);
                view! {
                    <section class="card" aria-labelledby="join-title">
                        <h2 id="join-title">{line}</h2>
                        <p class="note">{by}</p>
                        <p class="hint">{t.tables.join_check}</p>
                        {move || said.get().map(|e| {
                            let t = i18n.s();
                            let s = match e {
                                JoinError::NoKey => t.tables.join_no_crypto.to_owned(),
                                JoinError::Unreadable(_) | JoinError::NotSigned => t.tables.join_unreadable.to_owned(),
                                JoinError::AlreadySeated { table, slot } => {
                                    (t.tables.join_already)(table, slot.letter())
                                }
                                JoinError::Write(_) => {
                                    t.count.storage_failed.to_owned()
                                }
                            };
                            view! { <p class="error" role="alert">{s}</p> }
                        })}
                        <button type="button" class="primary next-step" on:click=join>
                            {t.tables.join_submit}
                        </button>
                    </section>
                }
                .into_any()
            }
        }
    };
    view! {
        <TableTopBar/>
        <main aria-labelledby="join-page-title">
            <h1 id="join-page-title">{trt(|t| t.join_page_title)}</h1>
            {body}
        </main>
    }
}

#[component]
pub fn TablePage() -> impl IntoView {
    let i18n = use_i18n();
    let body = match session_tables::seat() {
        None => view! {
            <section class="card">
                <p>{trt(|t| t.no_seat)}</p>
                <a class="button primary" href="/rejoindre">{trt(|t| t.go_join)}</a>
            </section>
        }
        .into_any(),
        Some(seat) => match session_tables::open_table_count(&seat) {
            Ok(count) => {
                let candidates = session_tables::seat_candidates(&seat);
                // In the language shown, whenever it changes.
                let invitation = StoredValue::new(seat.invitation.clone());
                let line = move || invitation.with_value(|i| seat_lines(i18n.s(), i).0);
                let by = move || invitation.with_value(|i| seat_lines(i18n.s(), i).1);
                let sheet = RwSignal::new(seat.sheet.clone());
                let seat = StoredValue::new(seat);
                let when_done = move || view! { <SheetPanel seat sheet/> }.into_any();
                view! {
                    <section class="card seat">
                        <p class="identity">{line}</p>
                        <p class="note">{by}</p>
                    </section>
                    <Counting candidates count mode=CountMode::Table when_done/>
                    <SheetCodes sheet/>
                }
                .into_any()
            }
            Err(e) => view! { <CountNotOpen e/> }.into_any(),
        },
    };
    view! {
        <TableTopBar/>
        <main aria-labelledby="table-title">
            <h1 id="table-title">{trt(|t| t.table_page_title)}</h1>
            {body}
        </main>
    }
}

/// The recorder's name and the button that signs the sheet, once the
/// table's count is done.
#[component]
fn SheetPanel(seat: StoredValue<TableSeat>, sheet: RwSignal<Option<TableSheet>>) -> impl IntoView {
    let i18n = use_i18n();
    let current_head = seat.with_value(|s| {
        session_tables::open_table_count::<()>(s)
            .ok()
            .map(|c| hex::encode(c.log().head()))
    });
    // Signed already, and nothing counted since: the codes below say it.
    let signed = move || {
        sheet
            .with(|s| s.as_ref().map(|x| x.body.head.clone()))
            .is_some_and(|h| Some(h) == current_head)
    };
    let again = sheet.with_untracked(Option::is_some);
    let name = RwSignal::new(
        sheet
            .with_untracked(|s| s.as_ref().map(|x| x.body.recorder.clone()))
            .unwrap_or_default(),
    );
    let said = RwSignal::new(None::<SheetSignError>);
    let signing = crate::session::Intent::new(move |recorder: &String| {
        let recorder = recorder.clone();
        async move {
            let s = seat.get_value();
            match session_tables::sign_kept_sheet(&s, &recorder).await {
                Ok(signed) => {
                    seat.update_value(|s| s.sheet = Some(signed.clone()));
                    said.set(None);
                    sheet.set(Some(signed));
                }
                Err(e) => said.set(Some(e)),
            }
        }
    });
    let sign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        signing.dispatch(name.get_untracked().trim().to_owned());
    };
    move || {
        (!signed()).then(|| view! {
        <form class="card" on:submit=sign aria-labelledby="sheet-title">
            <h2 id="sheet-title">{trt(|t| t.sheet_title)}</h2>
            <p class="hint">{move || if again { i18n.tables().sheet_resign } else { i18n.tables().sheet_intro }}</p>
            <label for="recorder">{trt(|t| t.recorder_label)}</label>
            <input id="recorder" type="text" autocomplete="name" maxlength="200"
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            {move || said.get().map(|e| {
                let t = i18n.s();
                let s = match e {
                    SheetSignError::NotDone => t.tables.sheet_not_done,
                    SheetSignError::Refused(SheetError::Encoding(_)) => t.tables.recorder_needed,
                    SheetSignError::Refused(_) => t.tables.sheet_unreadable,
                    SheetSignError::KeyUnreadable => t.tables.sheet_key_unreadable,
                    SheetSignError::Write(_) => t.count.storage_failed,
                };
                view! { <p class="error" role="alert">{s}</p> }
            })}
            <button type="submit" class="primary next-step">{trt(|t| t.sheet_submit)}</button>
        </form>
    })
    }
}

/// The signed sheet as QR codes, and its code for the paper sheet.
#[component]
fn SheetCodes(sheet: RwSignal<Option<TableSheet>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        sheet.get().map(|sheet| {
            let t = i18n.s();
            let parts = handover::split_as(Carries::Sheet, &sheet.to_bytes());
            let code = sheet.human_code();
            view! {
                <PartCodes path="/tables#" parts title=t.tables.codes_title.to_owned()
                    intro=t.tables.codes_intro/>
                <p class="card note">{(t.tables.sheet_code)(&code)}</p>
            }
        })
    }
}
