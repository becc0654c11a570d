//! `pointage-server election board`: every bureau where it stands and since
//! when, the late first, with the président's name and phone number, as a
//! CSV for the central team to call down (or one département's share):
//! until the operators' board is in the browser, this is its command line.
//! Personal data: written for its owner alone. Where each bureau stands is
//! core's `board`, the same as the wall screen's counts.

use crate::admin::{Storage, write_private};
use crate::db::Db;
use pointage_core::board::{Stage, Standing, Wall, each_bureau, standing, wall, worst_first};
use pointage_core::day::utc_rfc3339;
use pointage_core::open_data::cell;
use pointage_core::roster::BureauDetails;
use std::collections::HashMap;
use std::path::Path;

/// What `election board` is asked for.
pub struct BoardAsked<'a> {
    pub election: &'a str,
    pub departement: Option<&'a str>,
    /// Only the late.
    pub late: bool,
    pub out: &'a Path,
}

/// The stage as the CSV says it.
pub fn stage(s: &Stage) -> String {
    match s {
        Stage::Reported { checkpoint } => format!("{}:{checkpoint}", s.code()),
        Stage::Counted { version } if *version > 1 => format!("{}:v{version}", s.code()),
        _ => s.code().to_owned(),
    }
}

/// The board's CSV at `now`, worst first, how many lines it has, and the
/// wall's counts of the whole election (from the same read).
/// The board's lines as an operator asked for them: every bureau of
/// `election` (of `departement` only, or only the late), with where it
/// stands and what the central team keeps of it, the worst first.
pub struct Board {
    pub wall: Wall,
    /// The PVs' deadline the central team set, if it did.
    pub returns_due: Option<u64>,
    pub lines: Vec<(String, Standing)>,
    pub details: HashMap<String, BureauDetails>,
}

/// Which bureaux a board lists.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Of this département only.
    pub departement: Option<String>,
    /// Of this commune only (as core's search reads names: any case,
    /// accents or not).
    pub commune: Option<String>,
    /// The late only.
    pub late: bool,
    /// At this stage only (`Stage::code`).
    pub stage: Option<String>,
    /// Whose code, name or commune holds what was typed (core's search).
    pub q: Option<String>,
}

/// Reads the board of `election` at `now`, as `filter` asks.
pub fn read(
    db: &Db,
    election: &pointage_core::Election,
    filter: &Filter,
    now: u64,
) -> Result<Board, crate::db::DbError> {
    use pointage_core::search::{finds, search_key};
    let typed = filter
        .q
        .as_deref()
        .map(search_key)
        .filter(|k| !k.is_empty());
    let departement = filter.departement.as_deref();
    let commune = filter.commune.as_deref().map(search_key);
    let facts = db.board_facts(election.id())?;
    let due = db.returns_due(election.id())?;
    let details: HashMap<String, BureauDetails> = db
        .bureau_details(election.id())?
        .into_iter()
        .map(|d| (d.bureau.clone(), d))
        .collect();
    let mut lines: Vec<(String, Standing)> = each_bureau(election, &facts)
        .filter(|(b, _)| {
            departement.is_none_or(|want| {
                details.get(&b.code).and_then(|d| d.departement.as_deref()) == Some(want)
            })
        })
        .filter(|(b, _)| {
            commune
                .as_deref()
                .is_none_or(|want| search_key(&b.commune) == want)
        })
        .filter(|(b, _)| {
            typed.as_deref().is_none_or(|t| {
                [&b.code, &b.name, &b.commune]
                    .iter()
                    .any(|text| finds(t, &search_key(text)))
            })
        })
        .map(|(b, f)| (b.code.clone(), standing(election, &f, now, due)))
        .filter(|(_, s)| !filter.late || s.late.is_some())
        .filter(|(_, s)| {
            filter
                .stage
                .as_deref()
                .is_none_or(|want| s.stage.code() == want)
        })
        .collect();
    worst_first(election, &mut lines);
    Ok(Board {
        wall: wall(election, &facts, now, due),
        returns_due: due,
        lines,
        details,
    })
}

pub fn csv(db: &Db, asked: &BoardAsked<'_>, now: u64) -> Result<(Wall, String, usize), String> {
    let election = db
        .election(asked.election)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("there is no election {}", asked.election))?;
    let Board {
        wall,
        lines: board,
        details,
        ..
    } = read(
        db,
        &election,
        &Filter {
            departement: asked.departement.map(str::to_owned),
            late: asked.late,
            ..Filter::default()
        },
        now,
    )
    .map_err(|e| e.to_string())?;
    let mut out = String::from(
        "bureau,name,commune,departement,stage,since_utc,late_for,refused,president,phone\r\n",
    );
    for (code, s) in &board {
        let b = election.bureau(code);
        let d = details.get(code);
        let text = |v: Option<&String>| v.map(String::as_str).unwrap_or_default().to_owned();
        let line = [
            code.clone(),
            b.map(|b| b.name.clone()).unwrap_or_default(),
            b.map(|b| b.commune.clone()).unwrap_or_default(),
            text(d.and_then(|d| d.departement.as_ref())),
            stage(&s.stage),
            s.since.map(utc_rfc3339).unwrap_or_default(),
            s.late.clone().unwrap_or_default(),
            s.refused.clone().unwrap_or_default(),
            text(d.and_then(|d| d.president.as_ref())),
            text(d.and_then(|d| d.phone.as_ref())),
        ];
        let cells: Vec<String> = line.iter().map(|c| cell(c, ',').into_owned()).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    Ok((wall, out, board.len()))
}

/// Writes the board's CSV and says the counts.
pub fn write(asked: &BoardAsked<'_>, storage: &Storage) -> Result<(), String> {
    let db = storage.open()?;
    let now = crate::system::now_ms();
    let (w, text, lines) = csv(&db, asked, now)?;
    write_private(asked.out, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", asked.out.display()))?;
    println!(
        "{lines} bureau(x) written to {}, the late first. Of {} bureaux: {} enrolled, {} counted ({} corrected), {} late.",
        asked.out.display(),
        w.bureaux,
        w.enrolled,
        w.counted,
        w.corrected,
        w.late
    );
    Ok(())
}
