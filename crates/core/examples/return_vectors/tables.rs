//! The vectors of a bureau that counted on table phones
//! (`pointage-return/2`, docs/return-format.md section 12): one return that
//! must pass, and one for each way its table sheets can fail.

use super::{BUREAU_SECRET, OTHER_SECRET, Out, SIGNED_AT, agreed, pv, seal};
use pointage_core::gathering::Slot;
use pointage_core::sheet::{Invitation, PacketLine, TableSheet};
use pointage_core::{
    DoubleEntry, Election, ReturnBody, ReturnDraft, RuleCode, SignedReturn, TallyEvent, TallyLog,
};
use std::error::Error;

/// The table phones' keys (fixed seeds, never real keys).
const TABLE_1A: [u8; 32] = [11; 32];
const TABLE_1B: [u8; 32] = [12; 32];
const TABLE_2A: [u8; 32] = [21; 32];
const INVITED_AT: u64 = SIGNED_AT - 3_600_000;
const SHEET_AT: u64 = SIGNED_AT - 600_000;

fn line(number: u32, [a, b, c, blancs, nuls]: [u32; 5]) -> PacketLine {
    PacketLine {
        number,
        envelopes: a + b + c + blancs + nuls,
        voix: [("a".into(), a), ("b".into(), b), ("c".into(), c)].into(),
        blancs,
        nuls,
    }
}

fn invite(
    e: &Election,
    bureau: &str,
    table: u32,
    slot: Slot,
) -> Result<Invitation, Box<dyn Error>> {
    Ok(Invitation::sign(
        e,
        bureau,
        table,
        slot,
        &BUREAU_SECRET,
        INVITED_AT,
    )?)
}

fn sheet(
    invitation: Invitation,
    recorder: &str,
    packets: Vec<PacketLine>,
    secret: &[u8; 32],
) -> Result<TableSheet, Box<dyn Error>> {
    // Each table phone's log head stands for its own log: any 32 bytes
    // derived from the recorder do for a vector.
    let head = [recorder.len() as u8; 32];
    Ok(TableSheet::sign(
        invitation, recorder, head, packets, secret, SHEET_AT,
    )?)
}

/// Packet 1 (100 envelopes) at table 1, packet 2 (50) at table 2: the PV's
/// 150 envelopes, a 75, b 45, c 27, 2 blancs, 1 nul.
const PACKET_1: [u32; 5] = [50, 30, 18, 1, 1];
const PACKET_2: [u32; 5] = [25, 15, 9, 1, 0];

/// Table 1's two sheets and table 2's one.
fn sheets(e: &Election) -> Result<Vec<TableSheet>, Box<dyn Error>> {
    Ok(vec![
        sheet(
            invite(e, "001", 1, Slot::A)?,
            "Élise Bernard",
            vec![line(1, PACKET_1)],
            &TABLE_1A,
        )?,
        sheet(
            invite(e, "001", 1, Slot::B)?,
            "Farid Benali",
            vec![line(1, PACKET_1)],
            &TABLE_1B,
        )?,
        sheet(
            invite(e, "001", 2, Slot::A)?,
            "Gaëlle Rousseau",
            vec![line(2, PACKET_2)],
            &TABLE_2A,
        )?,
    ])
}

const W6: &str = "Le second pointeur de la table 2 a pointé sur papier : son téléphone n’avait plus de batterie.";

fn entry() -> Result<DoubleEntry, Box<dyn Error>> {
    agreed(pv(2, 1, 75, 45, 27, 150))
}

/// The bureau's own log: the close of polls (its packets are the tables').
fn log() -> Result<TallyLog, Box<dyn Error>> {
    let mut log = TallyLog::new(vec!["a".into(), "b".into(), "c".into()], [0; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: 150,
        enveloppes: 150,
        explanation: String::new(),
    })?;
    Ok(log)
}

/// The passing return's body with table `index`'s sheet replaced.
fn with_sheet(ret: &SignedReturn, index: usize, s: TableSheet) -> ReturnBody {
    let mut body = ret.body().clone();
    if let Some(t) = body.tally.as_mut().and_then(|t| t.tables.as_mut()) {
        t[index] = s;
    }
    body
}

pub fn write(out: &Out, e: &Election) -> Result<(), Box<dyn Error>> {
    let sheets = sheets(e)?;
    let (entry, log) = (entry()?, log()?);
    let draft = ReturnDraft {
        turnout: None,
        bureau: "001",
        entry: &entry,
        explanations: [(RuleCode::W6, W6.to_owned())].into(),
        tally: Some(&log),
        correction: None,
        tables: &sheets,
    };
    let tables = SignedReturn::sign(e, draft, &BUREAU_SECRET, SIGNED_AT)?;
    out.write(
        "pass_v1_tables",
        "Counted at two tables on table phones (pointage-return/2): table 1's two sheets agree on packet 1, table 2 handed in one sheet for packet 2 (W6, explained); they add up to the tally and the PV.",
        None,
        None,
        &tables.to_bytes(),
    )?;

    let mut forged = sheets[2].clone();
    forged.body.packets[0] = line(2, [24, 16, 9, 1, 0]);
    out.write(
        "fail_sheet_forged",
        "pass_v1_tables with a vote moved from a to b in table 2's sheet after the table phone signed it (the bureau's signature is over the edited sheet).",
        None,
        Some("return_sheet_bad_signature"),
        &seal(with_sheet(&tables, 2, forged), &BUREAU_SECRET)?,
    )?;

    let inv = Invitation::sign(e, "001", 2, Slot::A, &OTHER_SECRET, INVITED_AT)?;
    let uninvited = sheet(inv, "Gaëlle Rousseau", vec![line(2, PACKET_2)], &TABLE_2A)?;
    out.write(
        "fail_sheet_not_invited",
        "pass_v1_tables where table 2's sheet was joined with an invitation signed by another key than the bureau's.",
        None,
        Some("return_sheet_not_invited"),
        &seal(with_sheet(&tables, 2, uninvited), &BUREAU_SECRET)?,
    )?;

    let other = sheet(
        invite(e, "002", 2, Slot::A)?,
        "Gaëlle Rousseau",
        vec![line(2, PACKET_2)],
        &TABLE_2A,
    )?;
    out.write(
        "fail_sheet_other_bureau",
        "pass_v1_tables where table 2's sheet was made for bureau 002 (invited by bureau 001's key).",
        None,
        Some("return_sheet_other_bureau"),
        &seal(with_sheet(&tables, 2, other), &BUREAU_SECRET)?,
    )?;

    let differs = sheet(
        invite(e, "001", 1, Slot::B)?,
        "Farid Benali",
        vec![line(1, [49, 31, 18, 1, 1])],
        &TABLE_1B,
    )?;
    out.write(
        "fail_sheets_disagree",
        "pass_v1_tables where table 1's second sheet counts packet 1 with one vote of a for b: both sheets genuinely signed, never recounted.",
        None,
        Some("return_sheets_disagree"),
        &seal(with_sheet(&tables, 1, differs), &BUREAU_SECRET)?,
    )?;

    let twice = sheet(
        invite(e, "001", 2, Slot::A)?,
        "Gaëlle Rousseau",
        vec![line(1, PACKET_1), line(2, PACKET_2)],
        &TABLE_2A,
    )?;
    out.write(
        "fail_packet_counted_twice",
        "pass_v1_tables where table 2's sheet also holds packet 1, which table 1 counted.",
        None,
        Some("return_packet_counted_twice"),
        &seal(with_sheet(&tables, 2, twice), &BUREAU_SECRET)?,
    )?;

    let one_phone = sheet(
        invite(e, "001", 1, Slot::B)?,
        "Farid Benali",
        vec![line(1, PACKET_1)],
        &TABLE_1A,
    )?;
    out.write(
        "fail_sheet_same_recorder",
        "pass_v1_tables where table 1's two sheets are signed by one phone's key.",
        None,
        Some("return_sheet_same_recorder"),
        &seal(with_sheet(&tables, 1, one_phone), &BUREAU_SECRET)?,
    )?;

    let mut body = tables.body().clone();
    body.pv = pv(2, 1, 76, 45, 26, 150);
    if let Some(t) = body.tally.as_mut() {
        t.summary.voix.insert("a".into(), 76);
        t.summary.voix.insert("c".into(), 26);
    }
    out.write(
        "fail_sheets_not_tally",
        "pass_v1_tables with a vote moved from c to a in the tally and the PV alike (H5 holds), no longer what the sheets add up to.",
        None,
        Some("return_sheets_not_tally"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = tables.body().clone();
    body.format = "pointage-return/1".into();
    out.write(
        "fail_tables_in_format_1",
        "pass_v1_tables labelled pointage-return/1, whose tally has no member tables.",
        None,
        Some("return_not_canonical"),
        &seal(body, &BUREAU_SECRET)?,
    )?;
    Ok(())
}
