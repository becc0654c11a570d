//! English texts of the deposit page: a table of their own, which only
//! the deposit page reads, so the bureau app does not carry them.

use crate::i18n::PublicTexts;
use pointage_core::wire::ErrorCode;

pub static TEXTS: PublicTexts = PublicTexts {
    deposit_title: "Hand in a signed report",
    deposit_intro: "For a polling station left without a network: choose the signed report’s file, downloaded on the station’s phone, and send it from here (the report’s QR codes, once scanned, open here by themselves). The central server checks it as if it came from the phone.",
    deposit_label: "Signed report file (.json)",
    deposit_submit: "Send to the central server",
    deposit_another: "Hand over another report",
    deposit_done: |bureau, version, code, seq| {
        format!(
            "Received by the central server: polling station {bureau}, version {version}, code {code} (no. {seq})."
        )
    },
    deposit_no_file: "Choose the signed report’s file first.",
    deposit_not_a_return: "This file is not a readable signed report: choose the file downloaded from the “Report signed” screen.",
    deposit_scanned: |read, count, missing| {
        format!(
            "Reading a report, codes read: {read} of {count}. Still to scan on the station’s phone: no. {missing}."
        )
    },
    deposit_read_whole: |bureau, version, code| {
        format!("Report read in full: polling station {bureau}, version {version}, code {code}.")
    },
    deposit_read_report: |bureau, checkpoint, version| {
        format!(
            "Turnout count read in full: station {bureau}, checkpoint \"{checkpoint}\", version {version}."
        )
    },
    deposit_done_report: |bureau, checkpoint, version, n| {
        format!(
            "Received by the central server: turnout count of station {bureau}, checkpoint \"{checkpoint}\", version {version} (no. {n})."
        )
    },
    deposit_read_photos: |bureau, version, pages| {
        format!(
            "Photos of the paper report read in full: station {bureau}, version {version}, {pages} page(s). These codes carry each picture’s fingerprint, not the pictures themselves."
        )
    },
    deposit_done_photos: |bureau, version, pages, n| {
        format!(
            "Received by the central server: photos of the paper report of station {bureau}, version {version}, {pages} page(s) (no. {n}). The pictures themselves will leave from the station’s phone as soon as it has a network."
        )
    },
    deposit_parked,
    deposit_retry: "Try sending again",
    deposit_not_a_code: "This address holds no readable report code: scan the QR code shown on the station’s phone again.",
    deposit_damaged: "The codes read do not make a readable report: they were cleared from this device. Scan all the codes on the station’s phone again.",
    deposit_storage: "This device could not keep the code read (storage full or disabled): scan it again, or use the report’s file.",
    deposit_kept: "No network: the report read stays on this device and will leave as soon as the network is back (or tap “Send to the central server”).",
    deposit_forget: "Remove from this device",
    deposit_forget_confirm: "Remove the codes read for this report from this device? The signed report stays on the station’s phone.",
    deposit_forget_yes: "Yes, delete",
};

fn deposit_parked(code: ErrorCode) -> String {
    use ErrorCode::*;
    let why = match code {
        ReturnKeyNotEnrolled | ReportKeyNotEnrolled => {
            "the phone that signed it is no longer enrolled for its polling station (a new enrollment code was issued)."
        }
        ReportOverInscrits | ReportNotWhatItAsks => {
            "its count breaks the rules (more signatures than registered voters): the polling station must correct it."
        }
        ReportVersionTaken | ReportBrokenChain => {
            "the server already has another version of this turnout count."
        }
        ReturnBadSignature | ReturnNotCanonical | ReturnUnknownFormat | ReturnMalformedKey
        | ReportBadSignature | ReportNotCanonical | ReportUnknownFormat | ReportMalformedKey
        | BadRequest => "it was changed after it was signed, or it cannot be read.",
        ReturnRulesBroken | ReturnExplanations | ReturnEntrants => {
            "its figures, explanations or two entries break the rules: the polling station must correct it."
        }
        ReturnBrokenChain => "this correction does not follow the version the server received.",
        ReturnSheetBadSignature | ReturnSheetNotInvited | ReturnSheetOtherBureau => {
            "one of its table sheets is not signed by a phone the polling station invited."
        }
        ReturnSheetSlotTwice
        | ReturnSheetSameRecorder
        | ReturnSheetsDisagree
        | ReturnPacketCountedTwice
        | ReturnSheetsNotTally => {
            "its table sheets do not agree with each other or with its tally."
        }
        ElectionClosed => "the election is closed: the server takes no more reports.",
        ReturnUnknownBureau
        | ReturnWrongElection
        | ReturnWrongMode
        | ReportUnknownBureau
        | ReportWrongElection
        | ReportUnknownCheckpoint => "it is not for the election this server receives.",
        _ => "the server will not take it as it is.",
    };
    format!(
        "Refused by the central server: {why} This report will not be sent again by itself: tell the central team, and try again only if they ask you to."
    )
}
