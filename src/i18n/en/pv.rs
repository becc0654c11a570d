//! English texts of the procès-verbal screens.

use crate::i18n::PvTexts;
use pointage_core::rules::{W2_PERCENT, W4_HIGH_PERCENT, W4_LOW_PERCENT};
use pointage_core::{Field, MAX_TEXT_BYTES, RuleCode};

pub static PV: PvTexts = PvTexts {
    title: "Official report (procès-verbal)",
    field,
    voix_of: |name| format!("Votes for {name}"),
    optional: "Optional: leave empty if not known.",
    euros: "In euros, for example 152.50. Optional (primaries only).",
    first_title: "First entry",
    first_intro: "Copy the paper report, field by field. Someone else will then enter it without seeing your figures, and Pointage will compare the two entries.",
    handover_title: "Hand the phone to the second person",
    handover_text: |first| {
        format!(
            "The first entry, by {first}, is kept. Someone else now copies the same paper report, without seeing those figures."
        )
    },
    handover_go: "Start the second entry",
    second_name_label: "Your name (second entry)",
    handover_same: |first| {
        format!(
            "{first} did the first entry. The second must be done by someone else: give the phone to another person."
        )
    },
    second_by: |name| format!("Entry by {name}"),
    not_me: |name| format!("I am not {name}"),
    not_me_confirm: "Give the phone back? What was typed in this second entry will be deleted, and the name asked again.",
    not_me_yes: "Yes, delete and give back",
    second_title: "Second entry, blind",
    second_intro: |first| {
        format!(
            "Copy the same paper report, field by field. The figures of the first entry, by {first}, are not shown: do not ask for them."
        )
    },
    name_label: "Your name (the person typing)",
    figures_title: "Figures of the report",
    members_title: "Members of the polling station",
    president: "Presiding officer (président)",
    secretaire: "Secretary",
    assesseurs: "Assessors (one name per line)",
    observations: "Observations (incidents, complaints, decisions, explanation of any gap)",
    finish: "Finish my entry",
    no_name: "Type your name: it goes into the signed report.",
    empty_fields: |list| {
        format!(
            "These fields are empty: {list}. Type 0 if it is zero: an empty field is never taken for zero."
        )
    },
    too_large: |list| {
        format!("These numbers are too large for a report: {list}. Check them on the paper.")
    },
    not_numbers: |list| format!("These fields are not whole numbers: {list}. Type digits only."),
    same_person: "You did the first entry. The second must be done by someone else, so that two independent readings of the report check each other.",
    not_an_entrant: "Only the two people who entered the report can re-type it.",
    discard: |name| format!("{name}: delete my entry"),
    discard_confirm: "Delete this entry? Someone will have to type it again in full.",
    discard_yes: "Yes, delete",
    cancel_correction: "Abandon this correction",
    cancel_correction_confirm: "Abandon this correction? Both entries will be deleted; the signed version stays as it is.",
    differ_title: "The two entries differ",
    differ_intro: "These fields are not the same in both entries. Read the paper report again: each of you re-types only these fields, without seeing the other entry.",
    redo_as: |name| format!("I am {name}: re-type"),
    redone: |name| format!("{name} has re-typed these fields."),
    redo_title: |name| format!("{name} re-types"),
    redo_intro: "Read the paper report again and type these fields again.",
    redo_finish: "Confirm my re-entry",
    review_title: "Checking the report",
    agreed: |a, b| format!("The entries of {a} and {b} agree."),
    errors_title: "To fix before signing",
    rule,
    inscrits_defined: |n| {
        format!(
            "The election gives this polling station {n} registered voters (the electoral roll): the report must give that number."
        )
    },
    tally_gap: |label, tally, pv| {
        format!(
            "{label}: tally {tally}, report {pv} (difference {})",
            tally.abs_diff(pv)
        )
    },
    packet_open: |n| format!("Packet {n}: not closed in the tally yet."),
    restart_hint: "If the paper report itself is wrong: recount, correct it, then enter it again, two of you.",
    restart: "Start the entry again",
    restart_confirm: "Delete both entries and start again?",
    warnings_title: "Warnings: a written explanation is required",
    explanation_label: |code| format!("Explanation ({code:?})"),
    whole_signed: "Contents of the signed report",
    whole_title: "The report as it will be signed and sent",
    key_label: "This phone’s signing key",
    key_hint: "It is written into the signed report: the central server accepts only reports signed by the key made for this polling station at enrollment.",
    sign: "Sign the report",
    sign_blocked: "It cannot be signed while an error stands.",
    explain_first: "Write an explanation for each warning before signing.",
    sign_confirm: "Sign for good? A signed report never changes: it can only be corrected by a new signed version.",
    sign_yes: "Yes, sign",
    signed_title: "Report signed",
    version: |v| format!("Version {v}"),
    code_label: "Report code",
    code_instruction: "Copy this code onto the paper report, next to the signatures.",
    code_letters: "The code never has the letters O, I, L or U: a round one is a zero, a stroke is a one.",
    back_to_evening: "Code copied: back to the polling station’s evening",
    print: "Print the summary",
    download: "Download the signed report (file)",
    versions_title: "Versions signed on this phone",
    replaces: |v, code, reason| format!("Replaces version {v} (code {code}). Reason: {reason}"),
    correct: "Correct the report",
    correct_title: "Correct the signed report",
    correct_intro: "The signed version stays on this phone and on the server. The correction is a new version, entered twice blind, that names the one it replaces.",
    reason_label: "Reason for the correction",
    correct_fields: "Fields to correct",
    correct_start: "Start the correction",
    no_reason: "Write the reason for the correction.",
    no_fields: "Tick at least one field to correct.",
    correction_banner: |v, reason| format!("Correction, version {v}. Reason: {reason}"),
    entered_by: "Entered by:",
    assesseurs_shown: "Assessors",
    signed_at: "Signed on",
    explanations: "Explanations",
    storage_failed: "Nothing was saved: the phone refuses (storage full or private browsing). What you typed stays on screen; free some space and try again.",
    damaged: "The report stored on this phone cannot be read. Delete nothing and tell the central team.",
    tally_damaged: "The tally stored on this phone cannot be read, so the report cannot be checked against it. Delete nothing and tell the central team.",
    changed_elsewhere: "The report changed in another tab of this phone (an entry or a signature): this step is no longer possible here. Reload the page.",
    sync_tried_no_network: |n| {
        format!("Tried just now: no network. The report ({n}) goes as soon as there is one.")
    },
    sync_pending: |n| format!("Report to send ({n}): it goes as soon as there is a network"),
    sync_sending: "Sending the report to the central server…",
    sync_sent: |seq, at| format!("Report received by the central server · no. {seq} at {at}"),
    sync_failed: |n, why| format!("Report not sent ({n}): {why}"),
    sync_retry: "It will be tried again automatically.",
    sync_parked: "It will not be sent again on its own: once the problem is dealt with, tap “Send now” on the report’s page.",
    sync_no_network: "no network.",
    sync_bad_receipt: "the answer does not carry the central server’s signature.",
    sync_storage: "the phone could not keep the receipt.",
    receipt_line: |seq, at| format!("Received by the central server: no. {seq}, {at}"),
    witness_holds: |at| format!("In the public register, checked at {at}."),
    witness_other_phone: |at| {
        format!(
            "Another phone was enrolled for your polling station at {at}, while this one was not revoked."
        )
    },
    witness_replaced: |reissued, at| {
        format!(
            "Your polling station’s code was reissued at {reissued}, then another phone was enrolled for it at {at}: this phone is no longer the station’s."
        )
    },
    witness_reissued: |at| {
        format!(
            "Your polling station’s code was reissued at {at}: this phone is no longer the station’s."
        )
    },
    witness_return_missing: "The public register no longer holds your report as the central server received it.",
    witness_not_signed: "The public register shown to this phone does not carry the central server’s signature.",
    witness_enrollment_missing: "The public register does not list this phone’s enrollment.",
    witness_unproven: "The central server could not prove what it says of the public register.",
    witness_what_to_do: "Keep this phone as it is, call the central team and show the receipt to a candidate’s delegate.",
    other_key_version: "Version signed by another key",
    other_key_banner: "This version was signed by another key than this phone’s: by the phone enrolled for your polling station before its code was reissued. Check its figures against the paper report; if they differ, tap “Correct the report”.",
    witness_if_not_you: "If no one at the station asked for it, keep this phone as it is, call the central team and show the receipt to a candidate’s delegate.",
    not_yet_received: "Not yet received by the central server.",
    version_file: |v| format!("Version {v} file"),
    send_now: "Send now",
    deposit_hint: "No network here? Show the report as QR codes to a phone that has a network, or send this file from any connected device, at /deposer on this server.",
    qr_show: "Show as QR codes",
    qr_hide: "Hide the QR codes",
    qr_title: "The signed report as QR codes",
    qr_intro: "No network here: with the camera of a phone that has a network, scan each code. It opens Pointage’s hand-in page, which sends the report to the central server once every code is read.",
    qr_position: |k, n| format!("Code {k} of {n}"),
    qr_label: |k, n| format!("QR code {k} of {n} of the signed report"),
    qr_previous: "Previous code",
    qr_next: "Next code",
    key_unreadable: "This phone cannot read the polling station’s key: the report was NOT signed. What was typed is kept. Tell the central team: a new enrollment code gives a new key.",
    sign_refused: "Pointage refuses to sign this report: a rule is not met. Read the errors and warnings above.",
    text_too_long: |label, bytes| {
        format!(
            "“{label}” is too long: {bytes} bytes for {} at most (an accented letter counts as two). Shorten this text.",
            max_text()
        )
    },
    text_size: |bytes| {
        format!(
            "{bytes} / {} bytes (an accented letter counts as two)",
            max_text()
        )
    },
};

fn field(f: &Field) -> &'static str {
    match f {
        Field::Inscrits => "Registered voters",
        Field::Emargements => "Signatures (voters)",
        Field::Enveloppes => "Envelopes found in the ballot box",
        Field::Blancs => "Blank ballots",
        Field::Nuls => "Spoiled ballots",
        Field::Exprimes => "Valid votes",
        Field::Contributions => "Contributions collected",
        Field::Voix(_) => "Votes",
    }
}

fn rule(code: RuleCode) -> String {
    match code {
        RuleCode::H1 => {
            "Valid votes do not equal the sum of the candidates’ votes. Recount each candidate’s votes.".into()
        }
        RuleCode::H2 => {
            "Blank + spoiled + valid does not make the number of envelopes found. Recount the envelopes, blank and spoiled ballots.".into()
        }
        RuleCode::H3 => "Figures are missing: every required field must be typed, zero included.".into(),
        RuleCode::H4 => {
            "The registered voters are not those the election gives this polling station, or there are more signatures or envelopes than registered voters. Check the registered voters and recount the signatures.".into()
        }
        RuleCode::H5 => {
            "The report does not give the figures tallied on this phone. Recount the packets concerned, or correct the paper report.".into()
        }
        RuleCode::W1 => {
            "The number of envelopes differs from the number of signatures. The law requires the gap and its explanation to be written.".into()
        }
        RuleCode::W2 => format!("More than {W2_PERCENT}% blank or spoiled ballots. Explain why."),
        RuleCode::W3 => {
            "A candidate has no votes, or one candidate has all the votes. Confirm it with an explanation.".into()
        }
        RuleCode::W4 => format!(
            "Turnout is above {W4_HIGH_PERCENT}% or below {W4_LOW_PERCENT}% of registered voters. Explain it."
        ),
        RuleCode::W5 => {
            "The report does not name a presiding officer, a secretary and at least two assessors, each a different person (the polling station’s composition). Complete the names, or explain why some are missing.".into()
        }
        RuleCode::W6 => {
            "A table handed in only one tally sheet on a phone (the other recorder on paper). Explain why.".into()
        }        RuleCode::W7 => {
            "The report's signatures are fewer than at the day's last turnout count. Signatures only grow: one of the two is mistyped. Check the register, then correct the report or the turnout count, or explain the gap.".into()
        }
    }
}

/// The limit of a return's texts, as the language writes it (core's).
fn max_text() -> String {
    pointage_texts::Lang::En
        .common_texts()
        .count(MAX_TEXT_BYTES as u64)
}
