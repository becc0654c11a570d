//! The demo election created on a server's first start, so that a fresh
//! `cargo xtask serve` has something to show. Every name is fictional.
//!
//! It must never be created on a database that already holds an election.

use crate::admin;
use crate::db::{Db, DbError, IssuedCode};
use crate::system;
use pointage_core::day::{Checkpoint, CheckpointKind, Day};
use pointage_core::{Bureau, Candidate, Election, ElectionInfo, Mode};
use std::path::Path;

pub const DEMO_ELECTION_ID: &str = "demo-2027-t1";

/// The demo election: a test (never live) open primary with no closed list
/// of inscrits, four fictional candidates, thirteen bureaux in five
/// communes, and a day: the
/// opening at 08:00, the émargements counted at 12:00 and 17:00.
pub fn election() -> Election {
    let candidates = [
        ("moreau", "Camille Moreau"),
        ("bertrand", "Jules Bertrand"),
        ("lefevre", "Inès Lefèvre"),
        ("garnier", "Noah Garnier"),
    ]
    .into_iter()
    .zip(1..)
    .map(|((id, name), panel)| Candidate {
        id: id.into(),
        panel,
        name: name.into(),
    });
    let bureaux = [
        ("DEMO-001", "École Jules-Ferry", "Val-d'Orge"),
        ("DEMO-002", "Mairie annexe du Port", "Val-d'Orge"),
        ("DEMO-003", "Gymnase des Tilleuls", "Val-d'Orge"),
        ("DEMO-004", "Salle des fêtes de Beauval", "Beauval"),
        (
            "DEMO-005",
            "Médiathèque Louise-Michel",
            "Saint-Aubin-sur-Lys",
        ),
        ("DEMO-006", "École des Peupliers", "Saint-Aubin-sur-Lys"),
        ("DEMO-007", "Maison des associations", "Beauval"),
        ("DEMO-008", "Foyer rural", "Les Essarts-le-Haut"),
        ("DEMO-009", "Salle polyvalente", "Les Essarts-le-Haut"),
        ("DEMO-010", "École maternelle du Centre", "Val-d'Orge"),
        ("DEMO-011", "Centre social de la Gare", "Val-d'Orge"),
        (
            "DEMO-012",
            "Mairie de Courtenay-sur-Lys",
            "Courtenay-sur-Lys",
        ),
        ("DEMO-013", "Gymnase Jean-Moulin", "Les Essarts-le-Haut"),
    ]
    .map(|(code, name, commune)| Bureau {
        code: code.into(),
        name: name.into(),
        commune: commune.into(),
        inscrits: None,
    });
    let checkpoint = |id: &str, kind, due: &str| Checkpoint {
        id: id.into(),
        kind,
        due: format!("2027-01-22T{due}:00+01:00"),
    };
    let day = Day {
        time_zone: "Europe/Paris".into(),
        checkpoints: vec![
            checkpoint("ouverture", CheckpointKind::Opening, "08:00"),
            checkpoint("12h", CheckpointKind::Count, "12:00"),
            checkpoint("17h", CheckpointKind::Count, "17:00"),
        ],
    };
    match Election::new(ElectionInfo {
        day: Some(day),
        qualification: None,
        id: DEMO_ELECTION_ID.into(),
        name: "Primaire citoyenne de démonstration".into(),
        round: 1,
        date: "2027-01-22".into(),
        mode: Mode::Test,
        candidates: candidates.collect(),
        bureaux: bureaux.into(),
    }) {
        Ok(e) => e,
        // The data above is a constant; a test proves it is valid.
        Err(e) => unreachable!("the demo election is invalid: {e}"),
    }
}

/// Creates the demo election, with its enrollment codes issued at `now`, if
/// the database has no election at all; returns both when it was created.
pub fn seed_if_empty(db: &Db, now: u64) -> Result<Option<(Election, Vec<IssuedCode>)>, DbError> {
    let e = election();
    Ok(db.store_first_election(&e, now)?.map(|codes| (e, codes)))
}

/// On a server's first start (an empty database): creates the demo election,
/// issues its enrollment codes, prints them and writes them as CSV in the
/// data directory. Later starts say where that file is.
pub fn seed_and_print(db: &Db, data_dir: &Path, base_url: &str) -> Result<(), String> {
    let csv = admin::codes_csv(data_dir, DEMO_ELECTION_ID, "");
    let now = system::now_ms();
    let seeded = seed_if_empty(db, now).map_err(|e| e.to_string())?;
    match seeded {
        Some((e, codes)) => {
            println!(
                "Created the demo election \"{}\" ({} candidates, {} bureaux). Its enrollment codes:",
                e.name(),
                e.candidates().len(),
                e.bureaux().len()
            );
            admin::write_codes(&e, &codes, &csv, base_url)?;
        }
        None if csv.is_file() => {
            println!(
                "The demo election's enrollment codes are in {}",
                csv.display()
            );
        }
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_election_is_created_once() {
        let db = Db::open_in_memory().expect("db");
        let (e, codes) = seed_if_empty(&db, 0).expect("seed").expect("created");
        assert_eq!(e.bureaux().len(), 13);
        assert_eq!(codes.len(), 13);
        let second = seed_if_empty(&db, 0).expect("seed again");
        assert!(second.is_none());
        assert_eq!(db.election_count().expect("count"), 1);
    }
}
