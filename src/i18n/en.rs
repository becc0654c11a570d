//! English texts.

use super::Texts;
use pointage_core::wire::ErrorCode;

pub static TEXTS: Texts = Texts {
    app_name: "Pointage",
    language: "Language",
    home_title: "Polling station",
    election: "Election",
    bureau: "Polling station",
    enrolled_note: "This phone counts for this polling station. Check the code with the presiding officer before you start.",
    not_enrolled_title: "This phone is not linked to any polling station",
    not_enrolled_body: "Before counting, it must be enrolled for your polling station. Ask the central team for your station’s enrollment link and open it on this phone.",
    storage_failed: "This phone refuses to save your choice (storage full or private browsing). Nothing was changed.",
    round,
    nav_home: "Home",
    nav_results: "Results",
    test_election: "Test election",

    enroll_title: "Enroll this phone",
    enroll_intro: "Type your polling station’s enrollment code, given by the central team. This phone will receive the election and create the key that signs the station’s results. Only this step needs a network.",
    enroll_code_label: "Enrollment code",
    enroll_code_hint: "12 characters, for example 7KQ3‑M9XD‑2B4F",
    enroll_submit: "Enroll this phone",
    enroll_working: "Enrolling…",
    enroll_done_title: "Phone enrolled",
    enroll_done_body: "This phone now counts for this polling station. Its key is created and stays on the phone.",
    enroll_already,
    enroll_link: "Type an enrollment code",
    enroll_bad_format: "This code does not have the right form: 12 letters and digits, for example 7KQ3‑M9XD‑2B4F.",
    enroll_storage_failed: "This phone refuses to save the enrollment (storage full or private browsing). Leave private browsing and try again: the code stays typed.",
    no_network: "The central server cannot be reached. Check the connection (Wi-Fi or mobile data) and try again: nothing is lost.",
    api_error,

    results_title: "Results",
    results_intro: "Totals computed only from the signed returns received. Percentages are of valid votes.",
    results_loading: "Loading the results…",
    results_refresh: "Refresh",
    coverage,
    results_covering: "These totals cover",
    candidate: "Candidate",
    votes: "Votes",
    percent_of_exprimes: "% of valid votes",
    exprimes: "Valid votes",
    blancs: "Blank",
    nuls: "Spoiled",
    votants: "Voters (signatures)",
    turnout: "Turnout",
    turnout_over,
    turnout_unknown: "Turnout cannot be computed: no station received has a list of registered voters.",
    bureaux_title: "Polling stations",
    state_not_enrolled: "Not enrolled",
    state_enrolled: "Enrolled, return awaited",
    state_received: "Return received",
    received_version,
    decimal_comma: false,
};

fn enroll_already(bureau: &str) -> String {
    format!(
        "This phone is already enrolled for polling station {bureau}. A new code would move it to another station."
    )
}

fn api_error(code: ErrorCode) -> String {
    match code {
        ErrorCode::EnrollmentCodeUnknown => "This code does not exist. Check each character against the paper from the central team.".into(),
        ErrorCode::EnrollmentCodeUsed => "This code has already enrolled another phone. Ask the central team for a new code.".into(),
        ErrorCode::EnrollmentCodeRevoked => "This code was replaced by a new one. Ask the central team for the new code.".into(),
        ErrorCode::RateLimited => "Too many attempts from this network. Wait a minute before trying again.".into(),
        ErrorCode::StorageUnavailable => "The central server has a storage problem. Try again in a moment.".into(),
        ErrorCode::NotFound => "The server has no election yet.".into(),
        ErrorCode::PayloadTooLarge => "What was sent is too large for the server. Contact the central team.".into(),
        ErrorCode::ReturnNotCanonical | ErrorCode::ReturnUnknownFormat | ErrorCode::ReturnMalformedKey => "The server cannot read this signed return: the app on this phone may be too old. Keep the phone and contact the central team.".into(),
        ErrorCode::ReturnBadSignature => "This return’s signature does not match its content: it was changed after signing. Contact the central team.".into(),
        ErrorCode::ReturnKeyNotEnrolled => "This phone is not (or no longer) the phone enrolled for this polling station. Ask the central team for a new enrollment code.".into(),
        ErrorCode::ReturnWrongElection | ErrorCode::ReturnWrongMode => "This return was made for another version of the election. Contact the central team.".into(),
        ErrorCode::ReturnUnknownBureau => "The server does not know this polling station in this election. Contact the central team.".into(),
        ErrorCode::ReturnRulesBroken | ErrorCode::ReturnExplanations | ErrorCode::ReturnEntrants => "The server refused this return: its figures, explanations or two entries break the rules. Check it and correct it.".into(),
        ErrorCode::ReturnVersionTaken | ErrorCode::ReturnNotLatest | ErrorCode::ReturnBrokenChain => "The server already has another version of this return, which this one does not replace. Contact the central team before any correction.".into(),
        other => format!("The server refused the request (code “{}”). Contact the central team.", other.as_str()),
    }
}

fn coverage(reporting: u32, total: u32, percent: &str) -> String {
    let s = if total > 1 { "s" } else { "" };
    format!("{reporting} of {total} polling station{s} ({percent})")
}

fn turnout_over(n: u32) -> String {
    match n {
        1 => "over the one station received whose registered voters are known".into(),
        n => format!("over the {n} stations received whose registered voters are known"),
    }
}

fn received_version(version: u32, code: &str) -> String {
    format!("version {version} · code {code}")
}

fn round(n: u8) -> String {
    format!("Round {n}")
}
