//! The turnout-report vectors of `tests/vectors/reports/`
//! (docs/return-format.md §13): the vectors' election with a day, the
//! bureau key, and `pass_`/`fail_` reports, each with the code checking it
//! must give.

use super::{BUREAU_SECRET, SIGNED_AT, election};
use pointage_core::signed_return::public_key_hex;
use pointage_core::turnout::{REPORT_FORMAT, ReportBody, SignedReport, UnsignedReport};
use pointage_core::{Checkpoint, CheckpointKind, Day, Election, Replaces};
use std::error::Error;
use std::path::Path;

fn with_day(e: &Election) -> Result<Election, Box<dyn Error>> {
    let mut info = e.info();
    let at = |id: &str, kind, time: &str| Checkpoint {
        id: id.into(),
        kind,
        due: format!("2027-01-22T{time}:00+01:00"),
    };
    info.day = Some(Day {
        time_zone: "Europe/Paris".into(),
        checkpoints: vec![
            at("ouverture", CheckpointKind::Opening, "08:00"),
            at("12h", CheckpointKind::Count, "12:00"),
            at("17h", CheckpointKind::Count, "17:00"),
        ],
    });
    Ok(Election::new(info)?)
}

fn body(e: &Election, checkpoint: &str, count: Option<u32>) -> ReportBody {
    ReportBody {
        format: REPORT_FORMAT.into(),
        election_id: e.id().into(),
        election_hash: e.hash().into(),
        mode: e.mode(),
        bureau: "001".into(),
        checkpoint: checkpoint.into(),
        version: 1,
        replaces: None,
        count,
        present: Vec::new(),
        explanation: None,
        device_key: public_key_hex(&BUREAU_SECRET),
        signed_at: SIGNED_AT,
    }
}

fn write(
    dir: &Path,
    name: &str,
    description: &str,
    latest: Option<&str>,
    expect: Option<&str>,
    bytes: &[u8],
) -> Result<(), Box<dyn Error>> {
    std::fs::write(dir.join(format!("{name}.report")), bytes)?;
    let meta =
        serde_json::json!({ "description": description, "latest": latest, "expect": expect });
    std::fs::write(
        dir.join(format!("{name}.json")),
        serde_json::to_string_pretty(&meta)? + "\n",
    )?;
    Ok(())
}

pub fn write_all(root: &Path) -> Result<(), Box<dyn Error>> {
    let dir = root.join("reports");
    std::fs::create_dir_all(&dir)?;
    let e = with_day(&election("Primaire des vecteurs de test")?)?;
    std::fs::write(
        dir.join("election.json"),
        serde_json::to_string_pretty(&e)? + "\n",
    )?;
    let keys = serde_json::json!({
        "election_hash": e.hash(),
        "bureau_001_key": public_key_hex(&BUREAU_SECRET),
    });
    std::fs::write(
        dir.join("keys.json"),
        serde_json::to_string_pretty(&keys)? + "\n",
    )?;
    let sign =
        |b: ReportBody, previous: Option<&SignedReport>| -> Result<SignedReport, Box<dyn Error>> {
            Ok(UnsignedReport::new(b, &e, e.checkpoints(), previous)?.sign(&BUREAU_SECRET)?)
        };
    let forged = |b: &ReportBody| pointage_testkit::forged_report(b, &BUREAU_SECRET).to_bytes();

    let mut opening = body(&e, "ouverture", None);
    opening.present = vec!["Awa Diallo".into(), "Bruno Petit".into()];
    let opening = sign(opening, None)?;
    write(
        &dir,
        "pass_opening",
        "The bureau is open, two members present.",
        None,
        None,
        &opening.to_bytes(),
    )?;
    let v1 = sign(body(&e, "12h", Some(300)), None)?;
    write(
        &dir,
        "pass_12h_v1",
        "300 signatures at 12:00.",
        None,
        None,
        &v1.to_bytes(),
    )?;
    let mut fix = body(&e, "12h", Some(30));
    fix.version = 2;
    fix.replaces = Some(Replaces {
        id: v1.id().into(),
        reason: "Un zéro de trop.".into(),
    });
    let v2 = sign(fix.clone(), Some(&v1))?;
    write(
        &dir,
        "pass_12h_v2_correction",
        "Corrects pass_12h_v1 (30, not 300), with a reason.",
        Some("pass_12h_v1"),
        None,
        &v2.to_bytes(),
    )?;

    let altered = String::from_utf8(v1.to_bytes())?.replace("\"count\":300", "\"count\":301");
    write(
        &dir,
        "fail_bad_signature",
        "pass_12h_v1 with its count changed after signing.",
        None,
        Some("report_bad_signature"),
        altered.as_bytes(),
    )?;
    write(
        &dir,
        "fail_unknown_checkpoint",
        "A checkpoint the day does not have (\"midi\").",
        None,
        Some("report_unknown_checkpoint"),
        &forged(&body(&e, "midi", Some(3))),
    )?;
    write(
        &dir,
        "fail_over_inscrits",
        "T1: 1 201 signatures for 1 200 inscrits.",
        None,
        Some("report_over_inscrits"),
        &forged(&body(&e, "17h", Some(1_201))),
    )?;
    write(
        &dir,
        "fail_count_at_opening",
        "A count at the opening, which asks who is present.",
        None,
        Some("report_not_what_it_asks"),
        &forged(&body(&e, "ouverture", Some(3))),
    )?;
    let mut other = body(&e, "12h", Some(3));
    other.election_hash = "00".repeat(32);
    write(
        &dir,
        "fail_other_election",
        "Made under another definition (another hash).",
        None,
        Some("report_wrong_election"),
        &forged(&other),
    )?;
    let mut broken = fix;
    broken.replaces = Some(Replaces {
        id: "ab".repeat(32),
        reason: "Un zéro de trop.".into(),
    });
    write(
        &dir,
        "fail_broken_chain",
        "Version 2 naming another version than pass_12h_v1.",
        Some("pass_12h_v1"),
        Some("report_broken_chain"),
        &forged(&broken),
    )?;
    Ok(())
}
