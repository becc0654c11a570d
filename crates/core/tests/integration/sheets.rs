//! Table phones: the join code (an invitation signed by the bureau key),
//! the table sheet (signed by the table phone's key), and a return made
//! from sheets (`pointage-return/2`), signed on the bureau's phone and
//! checked as the server and a verifier check it. The vectors
//! (`return_vectors.rs`) hold one return per way sheets fail; these tests
//! hold what the API does around them.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::common::{BUREAU_SECRET, SIGNED_AT, abc, agreed, clean_pv};
use pointage_core::gathering::Slot;
use pointage_core::sheet::{Invitation, PacketLine, SheetError, TableSheet};
use pointage_core::signature::Verified;
use pointage_core::signed_return::{RETURN_FORMAT, RETURN_FORMAT_TABLES, public_key_hex};
use pointage_core::{
    DoubleEntry, Election, ReturnDraft, RuleCode, SignError, SignedReturn, TallyEvent, TallyLog,
    VerifyError,
};
use std::collections::BTreeMap;

const T1A: [u8; 32] = [11; 32];
const T1B: [u8; 32] = [12; 32];
const T2A: [u8; 32] = [21; 32];
const T2B: [u8; 32] = [22; 32];

fn line(number: u32, [a, b, c, blancs, nuls]: [u32; 5]) -> PacketLine {
    PacketLine {
        number,
        envelopes: a + b + c + blancs + nuls,
        voix: [("a".into(), a), ("b".into(), b), ("c".into(), c)].into(),
        blancs,
        nuls,
    }
}

fn invite(e: &Election, table: u32, slot: Slot) -> Invitation {
    Invitation::sign(e, "001", table, slot, &BUREAU_SECRET, SIGNED_AT).unwrap()
}

fn sheet(
    e: &Election,
    table: u32,
    slot: Slot,
    who: &str,
    lines: Vec<PacketLine>,
    key: &[u8; 32],
) -> TableSheet {
    TableSheet::sign(invite(e, table, slot), who, [7; 32], lines, key, SIGNED_AT).unwrap()
}

/// The clean PV (a 50, b 30, c 17, 2 blancs, 1 nul) counted at two tables,
/// each with its two sheets.
fn four_sheets(e: &Election) -> Vec<TableSheet> {
    let p1 = line(1, [30, 10, 7, 2, 1]);
    let p2 = line(2, [20, 20, 10, 0, 0]);
    vec![
        sheet(e, 1, Slot::A, "Élise", vec![p1.clone()], &T1A),
        sheet(e, 1, Slot::B, "Farid", vec![p1], &T1B),
        sheet(e, 2, Slot::A, "Gaëlle", vec![p2.clone()], &T2A),
        sheet(e, 2, Slot::B, "Hugo", vec![p2], &T2B),
    ]
}

fn closed_polls() -> TallyLog {
    let mut log = TallyLog::new(vec!["a".into(), "b".into(), "c".into()], [0; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: 100,
        enveloppes: 100,
        explanation: String::new(),
    })
    .unwrap();
    log
}

fn sign(
    e: &Election,
    entry: &DoubleEntry,
    log: Option<&TallyLog>,
    tables: &[TableSheet],
    explanations: BTreeMap<RuleCode, String>,
) -> Result<SignedReturn, SignError> {
    let draft = ReturnDraft {
        turnout: None,
        bureau: "001",
        entry,
        explanations,
        tally: log,
        correction: None,
        tables,
    };
    SignedReturn::sign(e, draft, &BUREAU_SECRET, SIGNED_AT)
}

fn bureau_key() -> String {
    public_key_hex(&BUREAU_SECRET)
}

#[test]
fn a_join_code_reads_back_as_signed_and_names_its_table_and_slot() {
    let e = abc();
    let inv = invite(&e, 3, Slot::B);
    let read = Invitation::from_bytes(&inv.to_bytes()).unwrap();
    assert_eq!(read, inv);
    assert_eq!(
        (read.body.table, read.body.slot, read.body.bureau.as_str()),
        (3, Slot::B, "001")
    );
    assert_eq!(read.body.bureau_key, bureau_key());
    // The phone checks it with WebCrypto and gives core its answer.
    let check = read.signature_check().unwrap();
    assert!(
        Invitation::assemble(
            read.body.clone(),
            &check.signature,
            &Verified(vec![check.clone()])
        )
        .is_ok()
    );

    let moved = String::from_utf8(inv.to_bytes())
        .unwrap()
        .replace("\"table\":3", "\"table\":4");
    let moved = Invitation::from_bytes(moved.as_bytes()).unwrap();
    let s = TableSheet::sign(
        moved,
        "Élise",
        [7; 32],
        vec![line(1, [1, 0, 0, 0, 0])],
        &T1A,
        SIGNED_AT,
    )
    .unwrap();
    assert_eq!(
        s.verify(&e, "001", &bureau_key(), &pointage_core::signature::Ed25519),
        Err(SheetError::NotInvited {
            table: 4,
            slot: Slot::B
        }),
        "a join code edited to another table is no longer the bureau's"
    );

    // The candidates the table phone counts for are the election's: a join
    // code with one renamed, even signed by the bureau key, is not for it.
    let mut renamed = inv.body.clone();
    renamed.candidates[0].name = "Quelqu’un d’autre".into();
    let sig = ed25519_dalek::Signer::sign(
        &ed25519_dalek::SigningKey::from_bytes(&BUREAU_SECRET),
        &Invitation::message(&renamed).unwrap(),
    );
    let renamed =
        Invitation::assemble(renamed, &sig.to_bytes(), &pointage_core::signature::Ed25519).unwrap();
    let s = TableSheet::sign(
        renamed,
        "Élise",
        [7; 32],
        vec![line(1, [1, 0, 0, 0, 0])],
        &T1A,
        SIGNED_AT,
    )
    .unwrap();
    assert_eq!(
        s.verify(&e, "001", &bureau_key(), &pointage_core::signature::Ed25519),
        Err(SheetError::OtherBureau {
            table: 3,
            slot: Slot::B
        })
    );

    assert!(matches!(
        Invitation::sign(&e, "001", 0, Slot::A, &BUREAU_SECRET, SIGNED_AT),
        Err(SheetError::Encoding(_))
    ));
    assert!(matches!(
        Invitation::sign(&e, "001", 21, Slot::A, &BUREAU_SECRET, SIGNED_AT),
        Err(SheetError::Encoding(_))
    ));
    let wrong = String::from_utf8(inv.to_bytes())
        .unwrap()
        .replace("pointage-invitation/1", "pointage-invitation/9");
    assert_eq!(
        Invitation::from_bytes(wrong.as_bytes()),
        Err(SheetError::UnknownFormat)
    );
}

#[test]
fn a_sheet_reads_back_and_the_phone_checks_its_two_signatures_itself() {
    let e = abc();
    let s = sheet(
        &e,
        1,
        Slot::A,
        "Élise",
        vec![line(1, [30, 10, 7, 2, 1])],
        &T1A,
    );
    let read = TableSheet::from_bytes(&s.to_bytes()).unwrap();
    assert_eq!(read, s);
    assert_eq!(read.human_code().len(), 11);
    let checks = read.signature_checks();
    assert_eq!(checks.len(), 2, "the sheet's and its invitation's");
    assert_eq!(
        read.verify(&e, "001", &bureau_key(), &Verified(checks.clone())),
        Ok(())
    );
    assert_eq!(
        read.verify(&e, "001", &bureau_key(), &Verified(checks[..1].to_vec())),
        Err(SheetError::NotInvited {
            table: 1,
            slot: Slot::A
        }),
        "without the invitation's signature, the sheet is not the bureau's"
    );
    assert_eq!(
        read.verify(&e, "001", &bureau_key(), &Verified(checks[1..].to_vec())),
        Err(SheetError::BadSignature {
            table: 1,
            slot: Slot::A
        })
    );

    // Limits: a blank recorder, no packet, a packet of 101 envelopes.
    let inv = invite(&e, 1, Slot::A);
    for (who, lines) in [
        ("  ", vec![line(1, [1, 0, 0, 0, 0])]),
        ("Élise", vec![]),
        ("Élise", vec![line(1, [101, 0, 0, 0, 0])]),
    ] {
        assert!(matches!(
            TableSheet::sign(inv.clone(), who, [7; 32], lines, &T1A, SIGNED_AT),
            Err(SheetError::Encoding(_))
        ));
    }
    // A packet whose marks do not make its envelopes, or that misses a
    // candidate, is not a sheet's.
    let mut short = line(1, [30, 10, 7, 2, 1]);
    short.envelopes = 51;
    let unbalanced =
        TableSheet::sign(inv.clone(), "Élise", [7; 32], vec![short], &T1A, SIGNED_AT).unwrap();
    assert_eq!(
        unbalanced.verify(&e, "001", &bureau_key(), &pointage_core::signature::Ed25519),
        Err(SheetError::NotTheTally)
    );
    let mut no_c = line(1, [30, 10, 0, 2, 1]);
    no_c.voix.remove("c");
    let missing = TableSheet::sign(inv, "Élise", [7; 32], vec![no_c], &T1A, SIGNED_AT).unwrap();
    assert_eq!(
        missing.verify(&e, "001", &bureau_key(), &pointage_core::signature::Ed25519),
        Err(SheetError::NotTheTally)
    );
}

#[test]
fn a_return_from_four_agreeing_sheets_is_format_2_and_checks_as_the_server_does() {
    let e = abc();
    let sheets = four_sheets(&e);
    let log = closed_polls();
    let ret = sign(
        &e,
        &agreed(clean_pv()),
        Some(&log),
        &sheets,
        BTreeMap::new(),
    )
    .unwrap();
    let b = ret.body();
    assert_eq!(b.format, RETURN_FORMAT_TABLES);
    let t = b.tally.as_ref().unwrap();
    assert_eq!(t.packets, 2);
    assert_eq!(t.summary.voix["a"], 50);
    assert_eq!(t.tables.as_deref(), Some(&sheets[..]));
    assert_eq!(t.head, hex::encode(log.head()));

    let again = SignedReturn::from_bytes(&ret.to_bytes()).unwrap();
    assert_eq!(again.check(&e, &bureau_key(), None), Ok(()));

    // Without sheets, the same bureau signs format 1, as before.
    let plain = sign(&e, &agreed(clean_pv()), None, &[], BTreeMap::new()).unwrap();
    assert_eq!(plain.body().format, RETURN_FORMAT);
    assert!(
        !String::from_utf8(plain.to_bytes())
            .unwrap()
            .contains("tables")
    );
}

#[test]
fn the_bureau_phone_cannot_sign_what_the_sheets_do_not_say() {
    let e = abc();
    let log = closed_polls();
    let entry = agreed(clean_pv());
    let mut sheets = four_sheets(&e);

    assert_eq!(
        sign(&e, &entry, None, &sheets, BTreeMap::new()).err(),
        Some(SignError::TablesWithoutLog)
    );

    // One vote moved on the PV: H5 against the sheets' sum.
    let mut moved = clean_pv();
    moved.voix.insert("a".into(), Some(49));
    moved.voix.insert("b".into(), Some(31));
    assert!(matches!(
        sign(&e, &agreed(moved), Some(&log), &sheets, BTreeMap::new()),
        Err(SignError::RulesBroken(f)) if f.iter().any(|f| f.code == RuleCode::H5)
    ));

    // Table 2 with one sheet: W6, which needs its explanation.
    let b2 = sheets.pop().unwrap();
    assert_eq!(
        sign(&e, &entry, Some(&log), &sheets, BTreeMap::new()).err(),
        Some(SignError::Unexplained(RuleCode::W6))
    );
    let why: BTreeMap<_, _> = [(RuleCode::W6, "Hugo a pointé sur papier.".to_owned())].into();
    let ret = sign(&e, &entry, Some(&log), &sheets, why.clone()).unwrap();
    assert_eq!(ret.check(&e, &bureau_key(), None), Ok(()));
    // ...and no W6 explanation where every table gave two sheets.
    sheets.push(b2.clone());
    assert_eq!(
        sign(&e, &entry, Some(&log), &sheets, why).err(),
        Some(SignError::NeedlessExplanation(RuleCode::W6))
    );

    // A second sheet for table 2, slot B.
    let mut twice = sheets.clone();
    twice.push(sheet(
        &e,
        2,
        Slot::B,
        "Inès",
        vec![line(2, [20, 20, 10, 0, 0])],
        &[23; 32],
    ));
    assert_eq!(
        sign(&e, &entry, Some(&log), &twice, BTreeMap::new()).err(),
        Some(SignError::Sheets(SheetError::SlotTwice {
            table: 2,
            slot: Slot::B
        }))
    );

    // The same person on both sheets of table 1, under another spelling.
    let mut same = sheets.clone();
    same[1] = sheet(
        &e,
        1,
        Slot::B,
        " ÉLISE ",
        vec![line(1, [30, 10, 7, 2, 1])],
        &T1B,
    );
    assert_eq!(
        sign(&e, &entry, Some(&log), &same, BTreeMap::new()).err(),
        Some(SignError::Sheets(SheetError::SameRecorder { table: 1 }))
    );

    // The two sheets of table 2 differ on packet 2: named, to recount.
    let mut differ = sheets.clone();
    differ[3] = sheet(
        &e,
        2,
        Slot::B,
        "Hugo",
        vec![line(2, [21, 19, 10, 0, 0])],
        &T2B,
    );
    assert_eq!(
        sign(&e, &entry, Some(&log), &differ, BTreeMap::new()).err(),
        Some(SignError::Sheets(SheetError::Disagree {
            table: 2,
            packets: vec![2]
        }))
    );
}

#[test]
fn a_sheet_signed_by_a_key_the_phone_did_not_check_is_refused_when_the_server_checks_it() {
    let e = abc();
    let log = closed_polls();
    let mut sheets = four_sheets(&e);
    // A sheet whose signature is another key's: `prepare` (the phone, which
    // checked each sheet when it read it) does not see it; `sign` checks
    // with Ed25519 and the server refuses it.
    sheets[0].body.table_key = public_key_hex(&[99; 32]);
    let draft = ReturnDraft {
        turnout: None,
        bureau: "001",
        entry: &agreed(clean_pv()),
        explanations: BTreeMap::new(),
        tally: Some(&log),
        correction: None,
        tables: &sheets,
    };
    assert!(SignedReturn::prepare(&e, draft, &bureau_key(), SIGNED_AT).is_ok());
    assert_eq!(
        sign(
            &e,
            &agreed(clean_pv()),
            Some(&log),
            &sheets,
            BTreeMap::new()
        )
        .err(),
        Some(SignError::Sheets(SheetError::BadSignature {
            table: 1,
            slot: Slot::A
        }))
    );
}

#[test]
fn a_format_2_return_must_carry_its_sheets() {
    let e = abc();
    let ret = sign(
        &e,
        &agreed(clean_pv()),
        Some(&closed_polls()),
        &four_sheets(&e),
        BTreeMap::new(),
    )
    .unwrap();
    let mut body = ret.body().clone();
    if let Some(t) = body.tally.as_mut() {
        t.tables = None;
    }
    let bytes = SignedReturn::seal_unchecked(body.clone(), &BUREAU_SECRET)
        .unwrap()
        .to_bytes();
    assert!(matches!(
        SignedReturn::from_bytes(&bytes),
        Err(VerifyError::Encoding(_))
    ));
    if let Some(t) = body.tally.as_mut() {
        t.tables = Some(Vec::new());
    }
    let bytes = SignedReturn::seal_unchecked(body, &BUREAU_SECRET)
        .unwrap()
        .to_bytes();
    assert!(matches!(
        SignedReturn::from_bytes(&bytes),
        Err(VerifyError::Encoding(_))
    ));

    let text = String::from_utf8(ret.to_bytes()).unwrap();
    let unknown = text.replacen("pointage-sheet/1", "pointage-sheet/2", 1);
    assert!(matches!(
        SignedReturn::from_bytes(unknown.as_bytes()),
        Err(VerifyError::UnknownFormat)
    ));
}

#[test]
fn a_return_padded_with_sheets_is_refused_before_any_signature_is_checked() {
    let e = abc();
    let ret = sign(
        &e,
        &agreed(clean_pv()),
        Some(&closed_polls()),
        &four_sheets(&e),
        BTreeMap::new(),
    )
    .unwrap();
    // More sheets than 20 tables × 2 slots: not canonical (step 1), so
    // no sheet's signature is ever checked.
    let mut body = ret.body().clone();
    let copies = four_sheets(&e);
    if let Some(t) = body.tally.as_mut() {
        t.tables = Some(copies.iter().cycle().take(41).cloned().collect());
    }
    let padded = SignedReturn::seal_unchecked(body.clone(), &BUREAU_SECRET)
        .unwrap()
        .to_bytes();
    assert!(matches!(
        SignedReturn::from_bytes(&padded),
        Err(VerifyError::Encoding(_))
    ));
    // Forty sheets pass step 1, and a slot given twice is refused as such
    // even when the copy's signature is bad: the cheap check comes first.
    let mut forged = copies[0].clone();
    forged.body.recorder = "Zoé".into();
    let mut sheets: Vec<TableSheet> = copies.iter().cycle().take(39).cloned().collect();
    sheets.insert(0, forged);
    if let Some(t) = body.tally.as_mut() {
        t.tables = Some(sheets);
    }
    let bytes = SignedReturn::seal_unchecked(body, &BUREAU_SECRET)
        .unwrap()
        .to_bytes();
    let forty = SignedReturn::from_bytes(&bytes).unwrap();
    assert_eq!(
        forty.check(&e, &bureau_key(), None).err(),
        Some(VerifyError::Sheets(SheetError::SlotTwice {
            table: 1,
            slot: Slot::A
        }))
    );
}
