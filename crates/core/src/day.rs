//! The polling day of an election's definition: its checkpoints, when
//! each is due (DOMAIN.md, "Turnout during the day"), and their checks. A
//! definition without a day keeps the hash it always had.

use crate::election::{ElectionError, clean, is_date, is_identifier};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The polling day's checkpoints: when the bureaux report how many have
/// signed the émargement list so far (DOMAIN.md, "Turnout during the day").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Day {
    /// The IANA time zone the day is lived in (`Europe/Paris`), said to
    /// people; each checkpoint's time carries its own offset.
    pub time_zone: String,
    /// In the order they are due; the opening, if any, first.
    pub checkpoints: Vec<Checkpoint>,
}

/// What a bureau reports at a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckpointKind {
    /// The bureau is open: the time, and the members present.
    Opening,
    /// The number of signatures on the émargement list so far.
    Count,
}

/// One checkpoint of the day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Unique within the election, an identifier (`ouverture`, `12h`).
    pub id: String,
    pub kind: CheckpointKind,
    /// When it is due, RFC 3339 with its offset on the polling day:
    /// `2027-01-22T12:00:00+01:00`.
    pub due: String,
}

/// The most checkpoints a day may have.
pub const MAX_CHECKPOINTS: usize = 8;

impl Checkpoint {
    /// When it is due, in milliseconds since 1970 (`None`: not the strict
    /// `YYYY-MM-DDTHH:MM:SS±HH:MM` form).
    pub fn due_ms(&self) -> Option<u64> {
        rfc3339_ms(&self.due)
    }

    /// Its local time, `HH:MM`, as the day says it.
    pub fn local_time(&self) -> &str {
        self.due.get(11..16).unwrap_or("")
    }
}

/// `ms` (milliseconds since 1970) as `YYYY-MM-DDTHH:MM:SSZ`, the inverse
/// of [`rfc3339_ms`] at UTC (the seconds cut).
pub fn utc_rfc3339(ms: u64) -> String {
    let secs = (ms / 1000) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Milliseconds since 1970 of `YYYY-MM-DDTHH:MM:SS±HH:MM` (or `Z`), in the
/// proleptic Gregorian calendar; `None` for any other text. A definition
/// names its times in this one strict form, so no time-zone database is
/// needed to read them.
pub fn rfc3339_ms(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let d = b.get(r)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| d.iter().fold(0i64, |n, c| n * 10 + i64::from(c - b'0')))
    };
    if b.len() < 20 || !is_date(s.get(..10)?) || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let offset = match (b.len(), b[19]) {
        (20, b'Z') => 0,
        (25, sign @ (b'+' | b'-')) if b[22] == b':' => {
            let (oh, om) = (num(20..22)?, num(23..25)?);
            if oh > 14 || om > 59 {
                return None;
            }
            let o = oh * 60 + om;
            if sign == b'-' { -o } else { o }
        }
        _ => return None,
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let minutes = days * 1440 + h * 60 + mi - offset;
    u64::try_from((minutes * 60 + se) * 1000).ok()
}

/// The time zones a day can be prepared in by hand (the operators' form):
/// metropolitan France, whose offset follows the EU's summer time, and the
/// overseas départements and collectivities, which keep one all year.
pub const TIME_ZONES: [&str; 8] = [
    "Europe/Paris",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "Pacific/Noumea",
    "Pacific/Tahiti",
];

/// The UTC offset (`+01:00`) of `time_zone` (one of [`TIME_ZONES`]) on the
/// polling day `date`, from the opening on: summer time in the EU runs from
/// the last Sunday of March to the last Sunday of October (switched at
/// 01:00 UTC, before any bureau opens). `None`: not a zone of the list,
/// or not a date.
pub fn offset_on(time_zone: &str, date: &str) -> Option<&'static str> {
    let fixed = match time_zone {
        "Europe/Paris" => None,
        "America/Guadeloupe" | "America/Martinique" => Some("-04:00"),
        "America/Cayenne" => Some("-03:00"),
        "Indian/Reunion" => Some("+04:00"),
        "Indian/Mayotte" => Some("+03:00"),
        "Pacific/Noumea" => Some("+11:00"),
        "Pacific/Tahiti" => Some("-10:00"),
        _ => return None,
    };
    let noon = rfc3339_ms(&format!("{}T12:00:00Z", date.get(..10)?))?;
    if fixed.is_some() {
        return fixed;
    }
    let year = date.get(..4)?;
    // The last Sunday of a month: the 31st, minus its weekday's distance
    // from Sunday (1970-01-01 was a Thursday).
    let last_sunday = |month: &str| -> Option<u64> {
        let day31 = rfc3339_ms(&format!("{year}-{month}-31T12:00:00Z"))?;
        let weekday = (day31 / 86_400_000 + 4) % 7; // 0: Sunday
        Some(day31 - weekday * 86_400_000)
    };
    let summer = noon >= last_sunday("03")? && noon < last_sunday("10")?;
    Some(if summer { "+02:00" } else { "+01:00" })
}

/// The instant (ms since 1970) of `hhmm` (`HH:MM`) on the polling day
/// `date` in `time_zone`: a time before 06:00 is the next morning's (a
/// count runs past midnight; no bureau opens before 06:00). `None`: not
/// a time, a zone of the list or a date.
pub fn local_ms(time_zone: &str, date: &str, hhmm: &str) -> Option<u64> {
    let (h, m) = hhmm.trim().split_once(':')?;
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    if h >= 24 || m >= 60 || h.to_string().len() > 2 || m.to_string().len() > 2 {
        return None;
    }
    let offset = offset_on(time_zone, date)?;
    let at = rfc3339_ms(&format!("{}T{h:02}:{m:02}:00{offset}", date.get(..10)?))?;
    Some(if h < 6 { at + 86_400_000 } else { at })
}

/// `at` (ms since 1970) as `HH:MM` in `time_zone` as it is on the polling
/// day `date`: what [`local_ms`] reads back.
pub fn local_hhmm(time_zone: &str, date: &str, at: u64) -> Option<String> {
    let offset = offset_on(time_zone, date)?;
    let sign: i64 = if offset.starts_with('-') { -1 } else { 1 };
    let minutes = offset[1..3].parse::<i64>().ok()? * 60 + offset[4..6].parse::<i64>().ok()?;
    let local = (at as i64 / 60_000 + sign * minutes).rem_euclid(24 * 60);
    Some(format!("{:02}:{:02}", local / 60, local % 60))
}

/// A day of `time_zone` on `date`: the opening at `opening` (`HH:MM`, if
/// any), then a count at each of `counts` (`HH:MM`, named `12h`, `17h30`).
/// The election's own checks judge it (order, the day, how many).
pub fn day_of(time_zone: &str, date: &str, opening: Option<&str>, counts: &[&str]) -> Option<Day> {
    let offset = offset_on(time_zone, date)?;
    let hhmm = |t: &str| -> Option<(u32, u32)> {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
        (h < 24 && m < 60).then_some((h, m))
    };
    let due = |(h, m): (u32, u32)| format!("{date}T{h:02}:{m:02}:00{offset}");
    let mut checkpoints = Vec::new();
    if let Some(t) = opening {
        checkpoints.push(Checkpoint {
            id: "ouverture".into(),
            kind: CheckpointKind::Opening,
            due: due(hhmm(t)?),
        });
    }
    for t in counts {
        let (h, m) = hhmm(t)?;
        checkpoints.push(Checkpoint {
            id: if m == 0 {
                format!("{h}h")
            } else {
                format!("{h}h{m:02}")
            },
            kind: CheckpointKind::Count,
            due: due((h, m)),
        });
    }
    Some(Day {
        time_zone: time_zone.to_owned(),
        checkpoints,
    })
}

/// The day's checks: a named time zone; at most [`MAX_CHECKPOINTS`], each
/// an identifier once, due on the polling day (`date`) after the one
/// before; the opening, if any, first.
pub(crate) fn check_day(d: &Day, date: &str) -> Result<(), ElectionError> {
    let tz = d.time_zone.trim();
    if tz.is_empty() || d.time_zone.len() > 64 || !clean(&d.time_zone) {
        return Err(ElectionError::TimeZone);
    }
    if d.checkpoints.len() > MAX_CHECKPOINTS {
        return Err(ElectionError::TooManyCheckpoints);
    }
    let mut seen = HashSet::new();
    let mut last = None;
    for (i, c) in d.checkpoints.iter().enumerate() {
        if !is_identifier(&c.id) {
            return Err(ElectionError::CheckpointId(c.id.clone()));
        }
        if !seen.insert(c.id.as_str()) {
            return Err(ElectionError::DuplicateCheckpoint(c.id.clone()));
        }
        let due = c
            .due_ms()
            .filter(|_| c.due.get(..10) == Some(date))
            .ok_or_else(|| ElectionError::CheckpointTime(c.id.clone()))?;
        if last.is_some_and(|l| due <= l) {
            return Err(ElectionError::CheckpointOrder(c.id.clone()));
        }
        last = Some(due);
        if c.kind == CheckpointKind::Opening && i > 0 {
            return Err(ElectionError::OpeningNotFirst(c.id.clone()));
        }
    }
    Ok(())
}
