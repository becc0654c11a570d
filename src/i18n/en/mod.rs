//! English texts.

mod day;
mod photos;
pub mod public;
mod pv;
pub mod table_phones;

use crate::i18n::{CountTexts, EveningTexts, StartupTexts, Texts};
use pointage_core::{NulReason, TallyError};
use pv::PV;

pub static TEXTS: Texts = Texts {
    home_title: "Polling station",
    bureau: "Polling station",
    enrolled_note: |code| {
        format!(
            "This phone counts for polling station {code}. Before you start, check with the presiding officer that it is theirs."
        )
    },
    not_enrolled_title: "This phone is not linked to any polling station",
    not_enrolled_body: "Before counting, it must be enrolled for your polling station. Ask the central team for your station’s enrollment link and open it on this phone.",
    update_ready: "A new version of Pointage is ready. It installs when you decide: nothing counted or typed is lost.",
    update_apply: "Update now",

    enroll_title: "Enroll this phone",
    enroll_intro: "Type your polling station’s enrollment code, given by the central team. This phone will receive the election and create the key that signs the station’s results. Only this step needs a network.",
    enroll_code_label: "Enrollment code",
    enroll_code_hint: "12 characters, for example 7KQ3‑M9XD‑2B4F",
    enroll_submit: "Enroll this phone",
    enroll_working: "Enrolling…",
    enroll_done_title: "Phone enrolled",
    enroll_done_body: "This phone now counts for this polling station. Its key is created and stays on the phone.",
    enroll_next: "Next: the polling station’s evening",
    enroll_already,
    next_round_title: "Next round: this phone is ready",
    next_round_body,
    next_round_take: "Count for this round",
    next_round_waiting,
    next_round_failed: "This phone could not store the change of round (storage full?). Try again: nothing is lost.",
    enroll_link: "Type an enrollment code",
    enroll_bad_format: "This code does not have the right form: 12 letters and digits, for example 7KQ3‑M9XD‑2B4F.",
    enroll_no_crypto: "This browser cannot create the polling station’s key (Ed25519 signatures). Open this link in an up-to-date Chrome, outside private browsing; the code stays typed.",
    enroll_storage_failed: "This phone refuses to save the enrollment (storage full or private browsing). Leave private browsing and try again: the code stays typed.",

    colon: COLON,
    common: pointage_texts::Lang::En.common_texts(),
    pv: &PV,
    tables: &table_phones::TABLES,
    day: &day::DAY,
    photos: &photos::PHOTOS,
    count: &COUNT,
    startup: &STARTUP,
    evening: EveningTexts {
        title: "The polling station’s evening",
        correction: |v| format!("Correction: version {v}"),
        done: "Done:",
        next: "To do now:",
        later: "Later:",
        elsewhere_polls: "done on paper",
        elsewhere_count: "done on paper",
        polls: "Close of polls",
        count: "Counting",
        count_progress: |packets, counted, found| {
            let p = if packets == 1 {
                "packet checked"
            } else {
                "packets checked"
            };
            match found {
                Some(f) => format!("{packets} {p} · {counted} envelopes of {f}"),
                None => format!("{packets} {p}"),
            }
        },
        first: "First entry of the report",
        second: "Second entry, blind",
        by: |name| format!("by {name}"),
        agreement: "Both entries agree",
        differing: |n| {
            if n == 1 {
                "1 figure differs: each person types it again".into()
            } else {
                format!("{n} figures differ: each person types them again")
            }
        },
        signature: "Signing the report",
        code: |code| format!("Code {code}, to copy onto the paper report"),
        sent: "Received by the central server",
        sent_waiting: "The phone sends it by itself as soon as it has a network.",
        sent_refused: "The central server refused it: the reason is on the report screen.",
        sent_done: "Receipt kept on this phone.",
        go_polls: "Close the polls",
        go_count: "Go on counting",
        go_first: "Enter the official report",
        go_second: "Second entry of the report",
        go_agreement: "Type the differing figures again",
        go_sign: "Check and sign the report",
        go_send: "Send now",
        go_refused: "See why",
        finished: "The central server has the signed report. The polling station’s evening is over: thank you!",
        see_pv: "See the signed report",
        on_paper: "Counting on paper?",
        on_paper_link: "Enter the report directly",
    },
};

fn next_round_body(name: &str, round: u8, date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let date = crate::i18n::spelt_date(date, &MONTHS, |d, m, y| format!("{d} {m} {y}"));
    format!(
        "“{name}”, round {round}, on {date}: this phone stays enrolled there for the same polling station, with the same key. No new code is needed. What the previous round kept stays on the phone."
    )
}

fn next_round_waiting(n: usize) -> String {
    format!(
        "{n} document(s) of the current round still wait for the central server: they go first, as soon as there is a network. The button opens then."
    )
}

fn enroll_already(bureau: &str) -> String {
    format!(
        "This phone is already enrolled for polling station {bureau}. A new code would move it to another station."
    )
}

fn count_gap_label(gap: u32) -> String {
    format!("A gap of {gap} between signatures and envelopes: explain it")
}

fn count_polls_summary(emargements: &str, enveloppes: &str) -> String {
    format!("{emargements} signatures · {enveloppes} envelopes in the box")
}

fn count_open_submit(n: u32) -> String {
    format!("Open packet {n}")
}

fn count_packet_heading(n: u32, table: &str) -> String {
    format!("Packet {n} · {table}")
}

fn count_closed_title(n: u32) -> String {
    format!("Packet {n} closed")
}

fn count_recount_badge(n: u32) -> String {
    format!("Recount {n} of this packet")
}

fn count_counted_of_found(counted: &str, found: &str) -> String {
    format!("{counted} of {found} found")
}

fn count_nul_reason(r: NulReason) -> &'static str {
    match r {
        NulReason::DifferentBallots => "Different ballots in the envelope",
        NulReason::NoEnvelope => "Ballot without an envelope",
        NulReason::IdentifyingMark => "Identifying mark or insult",
        NulReason::AlteredBallot => "Name crossed out or added",
        NulReason::UnregisteredCandidate => "Candidate not registered",
        NulReason::WrongModel => "Ballot of another model",
        NulReason::Other => "Other reason",
    }
}

fn count_refused(e: &TallyError) -> String {
    match e {
        TallyError::PollsNotClosed => "Save the close of polls first (signatures and envelopes).".into(),
        TallyError::GapNotExplained { emargements, enveloppes } => format!("{emargements} signatures for {enveloppes} envelopes: write the explanation of the gap."),
        TallyError::InvalidTableName => "Give the table a name (1 to 40 characters).".into(),
        TallyError::TextTooLong => format!("This text is too long: {} characters at most.", text_max()),
        TallyError::NulNeedsNote => "For “Other reason”, write which one.".into(),
        TallyError::NothingToRecount => "There is no closed packet to recount.".into(),
        TallyError::PacketAlreadyOpen => "A packet is already open: close it first.".into(),
        TallyError::InvalidEnvelopeCount(_) => "A packet holds 1 to 100 envelopes.".into(),
        TallyError::NoOpenPacket => "No packet is open.".into(),
        TallyError::PacketFull => "Every envelope of this packet is already marked. Close the packet, or undo a wrong mark.".into(),
        TallyError::UnknownCandidate(_) => "This candidate is not in this election.".into(),
        TallyError::NothingToUndo => "There is no mark to undo in this packet.".into(),
        TallyError::PacketNotBalanced { marks, envelopes } if marks < envelopes => format!("The packet is not finished: {marks} ballots marked of {envelopes}. {} to go.", envelopes - marks),
        TallyError::PacketNotBalanced { marks, envelopes } => format!("{marks} ballots marked for {envelopes} envelopes."),
        TallyError::MoreThanLeft { envelopes, left: 0 } => format!("No envelope is left to count: a packet of {envelopes} is one too many. If the close of polls is wrong, correct it."),
        TallyError::MoreThanLeft { envelopes, left } => format!("Only {left} envelope(s) are left to count, not {envelopes}. Type {left} or fewer, or correct the close of polls if it is wrong."),
        TallyError::FewerThanMarks { envelopes, marks } => format!("{marks} ballots are already marked in this packet: it cannot hold {envelopes}. Undo the extra marks first."),
        TallyError::ReasonNeeded => format!("Write why ({} characters at most).", text_max()),
        TallyError::PacketNotChecked { number } => format!("Packet {number} is closed but not checked: first say whether the two tally sheets agree."),
        TallyError::NoSuchPacket(n) => format!("Packet no. {n} was not counted on this phone."),
        TallyError::InvalidPacketNumber => "Type the number written on the packet’s band (1 or more).".into(),
        TallyError::PacketNumberUsed(n) => format!("Packet no. {n} is already counted on this phone. Check the number written on its band."),
        TallyError::NothingToConfirm => "No closed packet is waiting for its check.".into(),
        TallyError::BrokenChain { .. } => "The count’s log is damaged.".into(),
    }
}

fn count_envelopes_left(n: u32) -> String {
    match n {
        0 => "No envelope is left to count.".into(),
        1 => "1 envelope is left to count.".into(),
        n => format!("{n} envelopes are left to count."),
    }
}

/// The limit of a count's texts, as the language writes it (core's).
fn text_max() -> String {
    pointage_texts::Lang::En
        .common_texts()
        .count(pointage_core::tally::TEXT_MAX as u64)
}

/// The counting screen: its own static, so that a table phone’s app links it without the bureau app’s other texts.
pub static COUNT: CountTexts = CountTexts {
    title: "Counting",
    polls_title: "Close of polls",
    polls_intro: "Before opening the packets: count the signatures on the voters’ list, then the envelopes found in the ballot box.",
    emargements_label: "Signatures on the voters’ list",
    enveloppes_label: "Envelopes found in the ballot box",
    gap_label: count_gap_label,
    gap_hint: "The law requires the gap to be written on the procès-verbal, with its explanation.",
    polls_submit: "Save the close of polls",
    polls_edit: "Correct the close of polls",
    polls_summary: count_polls_summary,
    text_chars: |n, max| format!("{n} of {max} characters at most"),
    undone: |mark| format!("Undone: {mark}."),
    number_invalid: "Type a whole number, digits only.",
    open_title: "Open a packet",
    table_label: "Table",
    table_hint: "Your table’s name or number, for example “Table 1”.",
    table_is: |name| format!("Counted at table “{name}”."),
    table_other: "Another table?",
    envelopes_label: "Envelopes in this packet",
    envelopes_hint: "100, or the number written on the last packet.",
    open_submit: count_open_submit,
    packet_heading: count_packet_heading,
    progress_label: "Ballots marked in this packet",
    blanc: "Blank",
    nul: "Spoiled",
    nul_title: "Spoiled ballot: why?",
    nul_reason: count_nul_reason,
    nul_note_label: "Details (required for “Other reason”)",
    nul_confirm: "Count this spoiled ballot",
    cancel: "Cancel",
    undo: "Undo last",
    last_marks: "Last marks (most recent first)",
    no_marks: "No ballot marked in this packet yet.",
    close_packet: "Close the packet",
    fixes_title: "A problem with this packet?",
    fix_packet: "This packet’s number of envelopes is wrong",
    fix_packet_intro: "If the packet holds another number of envelopes than the one typed, correct it: the ballots already marked stay. If this packet must not be counted here, set it aside: its marks no longer count and its envelopes go back to be counted.",
    resize_label: "Number of envelopes really in this packet",
    fix_reason_label: "Why (kept in the count’s log)",
    resize_submit: "Correct the number of envelopes",
    set_aside_submit: "Set this packet aside",
    set_aside_hint: "Its envelopes will be counted again in a new packet.",
    envelopes_left: count_envelopes_left,
    all_counted_title: "Every envelope is counted",
    all_counted_text: "Every envelope found in the ballot box is in a closed packet. Next step: the official report.",
    go_to_pv: "Go to the official report",
    closed_title: count_closed_title,
    fingerprint_label: "Packet fingerprint",
    fingerprint_intro: "Read this fingerprint aloud to the table’s other recorder: their sheet must give the same one.",
    packet_counts: "Or compare these numbers with the tally sheet:",
    counts_against_paper: "Compare these numbers with the other recorder’s tally sheet:",
    fingerprint_if_phone: "If the other recorder counts on a phone, its packet fingerprint must be:",
    sheets_agree: "The sheets agree",
    sheets_differ: "They differ: recount",
    recount_confirm: "Recount this packet from zero? The current marks stay in the phone’s log but no longer count.",
    recount_yes: "Yes, recount from zero",
    recount_badge: count_recount_badge,
    show_totals: "See the totals",
    back_to_count: "Back to counting",
    totals_title: "Counted totals",
    packets_closed: "Packets closed",
    envelopes_counted: "Envelopes counted",
    counted_of_found: count_counted_of_found,
    per_table: "By table",
    all_counted: "Every envelope found has been counted.",
    refused: count_refused,
    storage_failed: "This ballot was NOT counted: the phone could not save it. Everything counted before is kept. Tap this ballot again; if it happens again, reload the page.",
    storage_full: "This ballot was NOT counted: the phone refuses to store it (storage full or private browsing). Everything counted before is kept. Free some space, then mark this ballot again.",
    changed_elsewhere: "This polling station is being counted in another tab or window of this phone. This screen can no longer save anything, so as not to overwrite that count. Close the other tab, then reload this page.",
    damaged: "The count stored on this phone cannot be read. Do not delete anything and tell the central team; count this polling station on paper meanwhile.",
    unavailable: "This browser does not let the app store anything on the phone (private browsing or storage disabled): counting here could lose everything. Open Pointage in a normal window.",
    dismiss: "Understood",
    reload: "Reload the page",
};

/// What went wrong when the phone’s storage was opened: its own static, so that a table phone’s app links it without the bureau app’s other texts.
pub static STARTUP: StartupTexts = StartupTexts {
    unavailable: "This browser cannot save anything on the phone (private browsing or storage turned off): nothing counted or typed here would be kept. Open Pointage in a normal window.",
    not_moved_full: "Pointage could not take over what its previous version saved on this phone: the storage is full. Nothing is lost. Free some space, then open Pointage again before counting.",
    not_moved: "Pointage could not take over what its previous version saved on this phone. Nothing is lost. Open Pointage again before counting; if this message comes back, tell the central team.",
    damaged: "What the previous version of Pointage saved on this phone cannot be read. It is kept as it is: delete nothing and tell the central team.",
    key_not_moved: "The polling station’s key could not be put in safe keeping in this browser: this phone cannot sign the report. Open Pointage again; if this message comes back, tell the central team.",
    restored: "The browser had erased Pointage’s data on this phone (it must have been forced to close). Everything that had been saved was taken back from the backup copy: check the count before going on.",
    restored_key_lost: "The browser had erased Pointage’s data on this phone. The count and the report were taken back from the backup copy, but not the polling station’s key: this phone can no longer sign. Tell the central team, who will give you a new code.",
};

/// Between a label and its value.
pub const COLON: &str = ": ";
