//! English: turnout during the day.

use crate::i18n::DayTexts;

pub static DAY: DayTexts = DayTexts {
    title: "The day",
    intro: "At the times set, report how many people have signed the register so far. Each count is signed by this phone and leaves as soon as there is a network; it never holds up the counting or the results form.",
    opening: |time| format!("Station opening ({time})"),
    count_at: |time| format!("Turnout at {time}"),
    not_yet: "not reported yet",
    late: |time| format!("late: due at {time}"),
    counted: |n| format!("{n} signatures"),
    opened: |n| match n {
        1 => "open, 1 member present".to_owned(),
        n => format!("open, {n} members present"),
    },
    version: |v| format!("version {v}"),
    waiting: "kept on this phone, waiting to be sent",
    received: |n| format!("received by the central server (no. {n})"),
    refused: |why| format!("refused by the central server: {why}"),
    go: "Report",
    go_named: |label| format!("Report now: {label}"),
    correct: "Correct this count",
    count_label: "Signatures on the register",
    count_hint: "Count the signatures at this time, not the ballots.",
    again_label: "The same number, typed a second time",
    again_hint: "Both must be the same: a typing slip is caught before it is signed.",
    present_label: "Members present at opening",
    present_hint: "One name per box: president, secretary, assessors.",
    member: |n| format!("Member {n}"),
    add_member: "Add a member",
    explanation_label: |time, count| {
        format!(
            "This number is below the count at {time} ({count}). Signatures only grow: explain why, or correct that count first."
        )
    },
    reason_label: "Why it is corrected",
    submit: "Sign this count",
    cancel: "Cancel",
    working: "Signing…",
    kept: |label| {
        format!("{label}: signed and kept on this phone. It leaves as soon as there is a network.")
    },
    not_a_number: "Type a whole number, in digits, in both boxes.",
    not_the_same: "The two entries differ: one of them is mistyped. Count the signatures again and retype both boxes. Nothing was signed.",
    over_inscrits: |count, inscrits| {
        format!(
            "{count} signatures is more than the station's {inscrits} registered voters. Check the number: nothing was signed."
        )
    },
    below_earlier: |time, count| {
        format!(
            "This number is below the count at {time} ({count}): write an explanation below, or correct that count first. Nothing was signed."
        )
    },
    none_present: "Name at least one member present.",
    no_reason: "Say why this count is corrected: the reason is published with the correction.",
    too_long: "A name or a text is too long (over 4,000 bytes). Shorten it.",
    refused_here: "This count does not match this phone's election. Tell the central team.",
    key_unreadable: "The station's key cannot be read on this phone: the count was NOT signed. Tell the central team.",
    storage_failed: "Nothing was saved: the phone refuses (storage full or private browsing). What you typed stays on screen; try again.",
    changed_elsewhere: "This count was signed in another tab of this phone meanwhile. Reload the page.",
    home_link: "Open the day",
    back_home: "Back to the station's home",
    qr_title: "The signed count as QR codes",
    qr_label: |k, n| format!("QR code {k} of {n} of the signed count"),
    qr_intro: "No network here? Have a phone that has one read these codes (with its camera): they open the deposit page, which sends this signed count to the central server.",
};
