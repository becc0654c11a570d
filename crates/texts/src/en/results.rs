//! English texts of the results page (`/resultats`), which the server
//! writes.

use crate::ResultsTexts;

pub static TEXTS: ResultsTexts = ResultsTexts {
    results_title: "Results",
    results_description: "Pointage: the published results, computed from signed reports only, and where each polling station stands.",
    results_intro: "Totals computed only from the signed reports received. Percentages are of valid votes.",
    results_refresh: "Refresh",
    results_offline: "The central server cannot be reached: these figures are the last it sent this phone, and may have changed since. Check the connection (Wi-Fi or mobile data), then refresh.",
    coverage,
    results_covering: "These totals cover",
    results_check: "Anyone can recompute these totals and check every signature: download the public record, then run pointage-verify on that file (see the project’s README).",
    results_record: "Download the public record",
    results_open_data: "Open data (CSV, each naming the record head it is computed from):",
    results_open_results: "results per station",
    results_open_turnout: "turnout per station",
    candidate: "Candidate",
    votes: "Votes",
    percent_of_exprimes: "% of valid votes",
    exprimes: "Valid votes",
    votants: "Voters (signatures)",
    turnout: "Turnout",
    turnout_over,
    turnout_unknown: "Turnout cannot be computed: no station received has a list of registered voters.",
    day_title: "Turnout during the day",
    day_count: |time, n, reporting, total| {
        format!(
            "{time}: {n} signatures in {reporting} of {total} station{}",
            if total > 1 { "s" } else { "" }
        )
    },
    day_opening: |time, reporting, total| {
        format!(
            "{time}: {reporting} of {total} station{} open",
            if total > 1 { "s" } else { "" }
        )
    },
    day_participation: |pct| format!(", {pct} of their registered voters"),
    day_late: |n| format!(" ({n} late)"),
    day_never_projected: "Each figure counts only the stations that sent it, signed: never a projection.",
    still_title: "Could the stations not yet counted still change it?",
    still_outstanding: |left, total, inscrits| {
        format!(
            "{}, {inscrits} registered voters: all their votes could go to anyone.",
            stations_left(left, total)
        )
    },
    still_unknown: |left, total| {
        format!(
            "{}, at least one without a list of registered voters: what they could change cannot be said yet.",
            stations_left(left, total)
        )
    },
    still_none: "Every station is counted: these totals can now change only by a report's correction.",
    order_decided: |a, b| format!("{a} ahead of {b}: settled, whatever the stations left hold."),
    order_open: |a, b| format!("The order of {a} and {b} can still change."),
    majority_certain: |a| {
        format!("{a} has an absolute majority of valid votes, whatever the stations left hold.")
    },
    majority_never: |a| format!("{a} can no longer have an absolute majority of valid votes."),
    majority_open: |a| {
        format!("An absolute majority of valid votes can still be won or lost by {a}.")
    },
    still_rule: |majority, first| {
        let first_go = match first {
            0 => String::new(),
            1 => "the first goes on to the next round".to_owned(),
            k => format!("the first {} go on to the next round", en_number(k)),
        };
        match (majority, first) {
            (true, 0) => {
                "This round's rule: an absolute majority of valid votes elects.".to_owned()
            }
            (true, _) => format!(
                "This round's rule: an absolute majority of valid votes elects, otherwise {first_go}."
            ),
            (false, _) => format!("This round's rule: {first_go}."),
        }
    },
    first_in: |k, names| match k {
        1 => format!("Certainly first: {names}."),
        k => format!("Certainly among the first {}: {names}.", en_number(k)),
    },
    first_out: |k, names| match k {
        1 => format!("Can no longer be first: {names}."),
        k => format!(
            "Can no longer be among the first {}: {names}.",
            en_number(k)
        ),
    },
    bureaux_title: "Polling stations",
    bureaux_filter: "Show",
    bureaux_all: "Every polling station",
    bureaux_search: "Find a polling station (code, name or commune)",
    bureaux_apply: "Search",
    bureaux_shown,
    bureaux_more: "Show the next ones",
    pv_photo: |bureau, n| format!("Paper report of station {bureau}, page {n}"),
    state_not_enrolled: "Not enrolled",
    state_enrolled: "Enrolled, report awaited",
    state_received: "Report received",
    results_wall_link: "Polling stations’ progress, for a wall screen",
    wall_title: "Polling stations’ progress",
    wall_description: "Pointage: where the polling stations stand, from what the central server received from them.",
    wall_intro: "From what the central server received, signed, from each station; the page updates itself.",
    wall_enrolled: |k, n| format!("Station phones enrolled: {k} of {n}"),
    wall_opened: |time, k, n| {
        format!(
            "Opening ({time}): {k} station{} of {n}",
            if k == 1 { "" } else { "s" }
        )
    },
    wall_reported: |time, k, n| {
        format!(
            "{time} count: {k} station{} of {n}",
            if k == 1 { "" } else { "s" }
        )
    },
    wall_counted: |k, n| format!("Signed reports received: {k} of {n}"),
    wall_corrected: |k| format!("of which {k} corrected"),
    wall_refused: |k| match k {
        1 => "1 station whose latest PV the server refused: the central team calls it.".to_owned(),
        k => {
            format!("{k} stations whose latest PV the server refused: the central team calls them.")
        }
    },
    wall_late: |k| match k {
        0 => "No station late.".to_owned(),
        1 => "1 station late (a count's time passed without that count, no report yet).".to_owned(),
        k => {
            format!("{k} stations late (a count's time passed without that count, no report yet).")
        }
    },
};

fn coverage(reporting: u32, total: u32, percent: &str) -> String {
    let s = if total > 1 { "s" } else { "" };
    format!(
        "{} of {} polling station{s} ({percent})",
        n(reporting),
        n(total)
    )
}

/// "12 of 13 stations left", "1 of 13 stations left".
fn stations_left(left: u32, total: u32) -> String {
    let s = if total > 1 { "s" } else { "" };
    format!("{} of {} station{s} left", n(left), n(total))
}

/// A count grouped as English writes it: "70,000".
fn n(count: u32) -> String {
    pointage_core::results::group_digits(u64::from(count), ',')
}

fn turnout_over(n: u32) -> String {
    match n {
        1 => "over the one station received whose registered voters are known".into(),
        n => format!("over the {n} stations received whose registered voters are known"),
    }
}

fn bureaux_shown(shown: u32, matching: u32) -> String {
    match matching {
        0 => "No polling station matches.".into(),
        _ => format!("{shown} shown of {matching}"),
    }
}

/// Two to nine in words, as a sentence writes them; digits above.
fn en_number(k: u8) -> String {
    const WORDS: [&str; 8] = [
        "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    WORDS
        .get(usize::from(k).wrapping_sub(2))
        .map_or(k.to_string(), |w| (*w).to_owned())
}
