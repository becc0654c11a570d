//! The tables' texts, in English.

use crate::i18n::TablesTexts;
use pointage_core::sheet::SheetError;

fn sheet_refused(e: &SheetError) -> String {
    match e {
        SheetError::BadSignature { table, .. } => format!("Table {table}'s sheet does not carry its phone’s signature: it was changed. Have it signed again."),
        SheetError::NotInvited { table, .. } => format!("Table {table}'s sheet comes from a phone this phone did not invite."),
        SheetError::OtherBureau { table, .. } => format!("Table {table}'s sheet was made for another polling station or election."),
        SheetError::NotTheTally => "This sheet has a packet whose marks do not make its envelopes, or candidates that are not the election’s.".into(),
        _ => "This table sheet cannot be read. Have it shown again.".into(),
    }
}

pub static TABLES: TablesTexts = TablesTexts {
    home_title: "Several tables",
    home_intro: "Each recorder can count on their own phone: prepare these phones in the morning, with a network, then invite them table by table and read their signed sheets.",
    home_link: "Invite the tables and read their sheets",
    not_enrolled_join: "A table’s recorder? Join it with the code the polling station’s phone shows.",
    go_table: "My table",
    title: "Tables",
    nav: "Tables",
    table: |n| format!("Table {n}"),
    slot: |s| format!("Recorder {s}"),
    packet: |n| format!("Packet no. {n}"),

    states_title: "The tables",
    none_yet: "No table invited yet: invite the recorders below, table by table.",
    state_waiting: "waiting for its sheets",
    state_one: |s| format!("one sheet (recorder {s})"),
    state_agree: "both sheets agree",
    sheet_of: |s, c| format!("sheet {s}: {c}"),
    state_disagree: |p, n| {
        if n == 1 {
            format!("the two sheets differ (packet no. {p}): to recount")
        } else {
            format!("the two sheets differ (packets no. {p}): to recount")
        }
    },
    recount_list: "To recount",
    recount_at: |p, t| {
        format!(
            "Packet no. {p}: to recount at table {t}, then both recorders sign their sheet again."
        )
    },
    counted_twice: |p, at| {
        format!("Packet no. {p} is counted twice (tables {at}). Check the number on its band.")
    },
    envelopes_of_found: |c, f| {
        format!("Envelopes in the packets: {c} of the {f} found in the ballot box.")
    },
    envelopes_no_polls: |c| {
        format!(
            "Envelopes in the packets: {c}. Enter the close of polls to compare them with the ballot box."
        )
    },
    ready: "Every table agrees and their packets make the envelopes of the ballot box.",
    go_pv: "Enter the report",

    scan_title: "Read a table sheet",
    scan_intro: "When a table is done, each recorder shows their signed sheet. Aim this phone at its codes: they change by themselves.",
    scan_start: "Open the camera",
    scan_stop: "Close the camera",
    parts_read: |h, o| format!("Sheet being read: {h} of {o} codes"),
    part_kept: "Code kept. Read the sheet’s next codes.",
    sheet_taken: |t, s| format!("Sheet of table {t}, recorder {s}, received."),
    sheet_replaced: |t, s| {
        format!("New sheet of table {t}, recorder {s}, received: it replaces the earlier one.")
    },
    sheet_again: |t, s| format!("The sheet of table {t}, recorder {s}, is already received."),
    sheet_unreadable: "These codes do not make a readable table sheet. Have them shown again.",
    sheet_not_invited: "This sheet comes from a phone this phone did not invite (another polling station?).",
    sheet_superseded: |t, s| {
        format!(
            "This sheet comes from the former phone of table {t}, recorder {s}: that place was invited again since."
        )
    },
    sheet_refused,
    sheet_other_phone: |t, s| {
        format!(
            "Table {t}, recorder {s}, already has a sheet from another phone. This phone is not the one that joined that place."
        )
    },
    sheet_older: |t, s| format!("A newer sheet of table {t}, recorder {s}, is already received."),

    invite_title: "Invite a recorder",
    invite_intro: "At each table, two recorders each count on their own phone. Choose the table and the recorder, then have the recorder’s phone read the code: no network is needed.",
    table_label: "Table number",
    table_invalid: "Tables are numbered 1 to 20.",
    slot_legend: "Recorder",
    invite_submit: "Show the code to join",
    replace_ask: "Change this place’s phone",
    replace_question: "A new code will be made for this table and recorder. The phone that joined it will no longer count for it, and the sheet received from it will be set aside. Change the phone?",
    replace_yes: "Yes, a new code",
    join_caption: |t, s| format!("Table {t} · recorder {s}: code to join"),
    join_intro: "The recorder opens their phone’s camera (or Pointage, “Join a table”) and aims at this code.",
    join_never_loaded: "With no network, a phone that never opened the table app cannot open it: give this place to a phone prepared this morning (“Prepare the table phones”), or count this table on paper.",
    join_done: "Close the code",
    prepare_title: "Prepare the table phones",
    prepare_intro: "This morning, while there is a network: each recorder scans this code with their phone’s camera. The table app opens and stays on the phone: tonight, it will work with no network.",
    prepare_show: "Show the code to prepare the phones",
    prepare_hide: "Hide this code",
    prepare_label: "QR code to prepare a table phone",

    camera_label: "Camera picture",
    camera_denied: "The camera is refused. Allow it for Pointage in the browser, or read the codes with the phone’s camera app.",
    camera_unavailable: "No camera available on this phone (or it is in use elsewhere). Read the codes with the phone’s camera app.",

    join_page_title: "Join a table",
    join_scan_title: "Read the table’s code",
    join_scan_intro: "The polling station’s phone shows a code for your table and place. Aim at it.",
    join_ready_title: "This phone is ready",
    join_ready_intro: "The table app is kept on this phone and will work with no network. Tonight, at the count, scan the code of your table and place shown by the polling station’s phone.",
    join_preparing: "Preparing this phone… Keep this page open for a few seconds.",
    join_not_kept_title: "This phone could not keep the app",
    join_not_kept: "This browser does not keep the table app (private browsing, or storage refused): tonight, this phone will need a network to open it. Try another browser, or another phone.",
    join_scan_now: "Read my table’s code now",
    seat_line: |b, t, s| format!("Polling station {b} · table {t} · recorder {s}"),
    invited_by: |k| {
        format!("Invited by the polling station’s phone, key {k} (the same shows on that phone).")
    },
    join_check: "Check with the presiding officer that this is your table and place, then join it. This phone will count for it only.",
    join_submit: "Join this table",
    join_unreadable: "This is not a readable table code, or it was changed. Have it shown again.",
    join_no_crypto: "This browser cannot make this phone’s key (Ed25519 signatures): it could not sign the table’s sheet. Open this link in an up-to-date Chrome, outside private browsing, or leave this seat to another phone.",
    sheet_key_unreadable: "This phone’s key cannot be read: the sheet was NOT signed. What was counted is kept. Tell the presiding officer.",
    join_already: |t, s| {
        format!(
            "This phone already counts for table {t}, recorder {s}. It cannot join another place."
        )
    },

    table_page_title: "My table",
    no_seat: "This phone has not joined a table.",
    go_join: "Join a table",
    handed_title: "The table’s envelopes",
    handed_intro: "The presiding officer hands your table packets of envelopes. Enter how many envelopes in all (the packets added up).",
    handed_label: "Envelopes handed to the table",
    handed_summary: |n| format!("{n} envelopes handed to this table"),
    handed_edit: "Correct the envelopes handed",
    handed_submit: "Save the envelopes",
    counted_of_handed: |c, h| format!("{c} of {h} handed"),
    bureau_key: |k| format!("This phone’s key: {k}. The recorder’s phone shows the same."),
    code_label: |k, n| format!("QR code {k} of {n}"),
    code_position: |k, n| format!("Code {k} of {n}"),
    band_label: "Packet number (written on its band)",
    band_hint: "The same number as the table’s other recorder.",
    all_counted_text: "Every envelope handed to this table is counted. Sign your sheet below.",
    recount_title: "Recount a packet",
    recount_hint: "If the polling station’s phone asks to recount one of this table’s packets, enter its number: it will be counted again from zero.",
    recount_submit: "Recount this packet",
    sheet_title: "Sign my sheet",
    sheet_intro: "Your name, then the signature: the sheet is sealed with this phone’s key and shown as codes for the polling station’s phone.",
    sheet_resign: "The count changed since the last sheet signed: sign it again.",
    recorder_label: "Your name",
    recorder_needed: "Write your name (at most 4,000 bytes).",
    sheet_not_done: "Not every envelope of the table is counted yet.",
    sheet_submit: "Sign my sheet",
    codes_title: "My signed sheet",
    codes_intro: "Show these codes to the polling station’s phone: they change by themselves. Keep the screen on until it says “received”.",
    sheet_code: |c| format!("Sheet code: {c}. Copy it onto your paper tally sheet."),
};
