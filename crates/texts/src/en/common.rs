//! English texts that both apps show: the top bar, the language switch, the
//! central server's answers, and how figures are written; the server's
//! results page says some of them too.

use crate::CommonTexts;
use pointage_core::wire::ErrorCode;

pub static COMMON: CommonTexts = CommonTexts {
    app_name: "Pointage",
    language: "Language",
    storage_failed: "This phone refuses to save your choice (storage full or private browsing). Nothing was changed.",
    nav_home: "Home",
    nav_count: "Count",
    nav_pv: "Report",
    nav_results: "Results",
    results_href: "/resultats?lang=en",
    round,
    test_election: "Test election",
    no_network: "The central server cannot be reached. Check the connection (Wi-Fi or mobile data) and try again: nothing is lost.",
    api_error,
    blancs: "Blank",
    nuls: "Spoiled",
    received_version,
    decimal_comma: false,
    cancel: "Cancel",
};

fn api_error(code: ErrorCode) -> String {
    match code {
        ErrorCode::EnrollmentCodeUnknown => "This code does not exist. Check each character against the paper from the central team.".into(),
        ErrorCode::EnrollmentCodeUsed => "This code has already enrolled another phone. Ask the central team for a new code.".into(),
        ErrorCode::EnrollmentCodeRevoked => "This code was replaced by a new one. Ask the central team for the new code.".into(),
        ErrorCode::EnrollmentKeyInUse => "This phone’s key is already enrolled for another polling station. Reload the page and type the code again: a new key will be made.".into(),
        ErrorCode::RateLimited => "Too many attempts from this network. Wait a minute before trying again.".into(),
        ErrorCode::Busy => "The central server has more to do than it can take right now. This phone will try again by itself in a moment: nothing is lost.".into(),
        ErrorCode::StorageUnavailable => "The central server has a storage problem. Try again in a moment.".into(),
        ErrorCode::Internal => "The central server ran into an error. Try again in a moment: nothing is lost.".into(),
        ErrorCode::NotFound => "The server has no election yet.".into(),
        ErrorCode::PayloadTooLarge => "What was sent is too large for the server. Contact the central team.".into(),
        ErrorCode::ReturnNotCanonical | ErrorCode::ReturnUnknownFormat | ErrorCode::ReturnMalformedKey => "The server cannot read this signed report: the app on this phone may be too old. Keep the phone and contact the central team.".into(),
        ErrorCode::ReturnBadSignature => "This report’s signature does not match its content: it was changed after signing. Contact the central team.".into(),
        ErrorCode::ReturnKeyNotEnrolled => "This phone is not (or no longer) the phone enrolled for this polling station. Ask the central team for a new enrollment code.".into(),
        ErrorCode::ReturnWrongElection | ErrorCode::ReturnWrongMode => "This report was made for another version of the election. Contact the central team.".into(),
        ErrorCode::ReturnUnknownBureau => "The server does not know this polling station in this election. Contact the central team.".into(),
        ErrorCode::ReturnRulesBroken | ErrorCode::ReturnExplanations | ErrorCode::ReturnEntrants => "The server refused this report: its figures, explanations or two entries break the rules. Check it and correct it.".into(),
        ErrorCode::ReturnVersionTaken | ErrorCode::ReturnNotLatest | ErrorCode::ReturnBrokenChain => "The server already has another version of this report, which this one does not replace. Contact the central team before any correction.".into(),
        ErrorCode::ReturnSheetBadSignature | ErrorCode::ReturnSheetNotInvited | ErrorCode::ReturnSheetOtherBureau => "A table sheet in this report is not signed by a phone this polling station invited for this election. Keep the tables' phones and contact the central team.".into(),
        ErrorCode::ReturnSheetSlotTwice | ErrorCode::ReturnSheetSameRecorder => "Two sheets in this report come from the same recorder (the same place at a table, the same phone or the same person). Contact the central team.".into(),
        ErrorCode::ReturnSheetsDisagree | ErrorCode::ReturnPacketCountedTwice | ErrorCode::ReturnSheetsNotTally => "The table sheets in this report do not agree (a packet differs between two sheets, is counted twice, or their total is not the tally). Contact the central team.".into(),
        ErrorCode::ReportNotCanonical | ErrorCode::ReportUnknownFormat | ErrorCode::ReportMalformedKey | ErrorCode::ReportBadSignature => "The server cannot read this signed turnout count: this phone's app may be too old. Contact the central team.".into(),
        ErrorCode::ReportWrongElection | ErrorCode::ReportUnknownBureau | ErrorCode::ReportUnknownCheckpoint => "This turnout count is not for the election (or the checkpoint) the server knows. Contact the central team.".into(),
        ErrorCode::ReportNotWhatItAsks | ErrorCode::ReportOverInscrits => "The server refused this turnout count: its figure breaks the rules (more signatures than registered voters). Correct it.".into(),
        ErrorCode::ReportKeyNotEnrolled => "This phone is no longer (or not) the phone enrolled for this station: it cannot send turnout. Ask the central team for a new code.".into(),
        ErrorCode::ReportVersionTaken | ErrorCode::ReportBrokenChain => "The server already has another version of this turnout count, which this one does not replace. Contact the central team.".into(),
        ErrorCode::PhotosNotCanonical | ErrorCode::PhotosUnknownFormat | ErrorCode::PhotosMalformedKey | ErrorCode::PhotosBadSignature => "The server cannot read the signed photos of the paper report: this phone's app may be too old. Keep the paper report and contact the central team.".into(),
        ErrorCode::PhotosBadPages => "The photos of the paper report exceed what the server takes (1 to 4 pages, at most 400 KB each). Take the photos again.".into(),
        ErrorCode::PhotosWrongElection | ErrorCode::PhotosUnknownBureau => "These photos of the paper report are not for the election or polling station the server knows. Contact the central team.".into(),
        ErrorCode::PhotosUnknownReturn => "The server has not received from this polling station the signed report these photos show the paper of (it may have refused it). Contact the central team.".into(),
        ErrorCode::PhotosKeyNotEnrolled => "This phone is no longer (or not) the phone enrolled for this polling station: it cannot send the report's photos. Ask the central team for a new code.".into(),
        ErrorCode::PhotosVersionTaken | ErrorCode::PhotosBrokenChain => "The server already has other photos of this paper report, which these do not replace. Contact the central team.".into(),
        ErrorCode::PhotoPieceUnknown => "The server is not expecting this photo: it has not received the signed photos yet. This phone will try again by itself.".into(),
        ErrorCode::PhotoPieceNotSigned => "Part of the photo reached the server damaged: this phone will send it again.".into(),
        ErrorCode::RecoverBadSignature => "This phone could not prove it is the polling station’s (signature refused). Tell the central team.".into(),
        ErrorCode::RecoverKeyNotEnrolled => "This phone is no longer the one enrolled for this polling station: it cannot take back the reports from the server. Ask the central team for a new code.".into(),
        ErrorCode::RecoverStale => "This phone’s clock is too far from the server’s. Set the phone’s time right, then try again.".into(),
        ErrorCode::ElectionClosed => "This election is closed on the central server: it takes no more reports and no more phones. Hand the signed paper report to the central team.".into(),
        other => format!("The server refused the request (code “{}”). Contact the central team.", other.as_str()),
    }
}

fn received_version(version: u32, code: &str) -> String {
    format!("version {version} · code {code}")
}

fn round(n: u8) -> String {
    format!("Round {n}")
}
