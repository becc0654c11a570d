//! Table phones at the device level: the bureau's phone makes join codes,
//! table phones join and count, their sheets come back and are taken only
//! when they hold, and what the bureau's phone keeps survives a reload.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::election;
use crate::common::pv::{TestSigner, WORKS, key};
use futures_executor::block_on;
use pointage_core::gathering::{Slot, TableState};
use pointage_core::sheet::{Invitation, SheetError, TableSheet};
use pointage_core::{ElectionRef, Mark, TallyEvent, TallyLog};
use pointage_device::ports::{MemDisk, MemStore};
use pointage_device::tables::{
    BureauTables, InviteError, JoinError, SheetSignError, SheetTakeError, TableSeat, Taken,
};

const NOW: u64 = 1_800_000_000_000;

fn table_signer(n: u8) -> TestSigner {
    TestSigner {
        secret: [n; 32],
        works: true,
    }
}

fn table_key(n: u8) -> String {
    pointage_core::signed_return::public_key_hex(&[n; 32])
}

fn invite(s: &MemStore, table: u32, slot: Slot, at: u64) -> Invitation {
    invite_as(s, table, slot, at, false)
}

/// [`invite`], replacing the place's phone when `replace`.
fn invite_as(s: &MemStore, table: u32, slot: Slot, at: u64, replace: bool) -> Invitation {
    let e = election();
    block_on(BureauTables::invite(
        s,
        &e,
        "001",
        &key(),
        (table, slot),
        (at, replace),
        &WORKS,
    ))
    .unwrap()
}

/// A table phone joined with `invitation` and key `n`.
fn seat(invitation: &Invitation, n: u8) -> (MemStore, TableSeat) {
    let s = MemStore::new();
    let seat = block_on(TableSeat::join(
        &s,
        &invitation.to_bytes(),
        &table_key(n),
        &table_signer(n),
    ))
    .unwrap();
    (s, seat)
}

/// The table's count: handed `packets` (band, [a, b, blancs]), each
/// counted, closed and confirmed.
fn counted(seat: &TableSeat, packets: &[(u32, [u32; 3])]) -> TallyLog {
    let handed = packets.iter().map(|(_, c)| c.iter().sum::<u32>()).sum();
    let mut log = TallyLog::new(seat.candidates(), [0; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: handed,
        enveloppes: handed,
        explanation: String::new(),
    })
    .unwrap();
    for (band, [a, b, blancs]) in packets {
        log.append(TallyEvent::OpenNumberedPacket {
            number: *band,
            envelopes: a + b + blancs,
        })
        .unwrap();
        for (m, n) in [
            (Mark::Candidate("a".into()), a),
            (Mark::Candidate("b".into()), b),
            (Mark::Blanc, blancs),
        ] {
            for _ in 0..*n {
                log.append(TallyEvent::Mark(m.clone())).unwrap();
            }
        }
        log.append(TallyEvent::ClosePacket).unwrap();
        log.append(TallyEvent::ConfirmPacket).unwrap();
    }
    log
}

fn sign(s: &MemStore, seat: &TableSeat, log: &TallyLog, who: &str, n: u8) -> TableSheet {
    block_on(seat.sign_sheet(s, log, who, NOW, &table_signer(n))).unwrap()
}

fn take(s: &MemStore, sheet: &TableSheet) -> Result<Taken, SheetTakeError> {
    let e = election();
    block_on(BureauTables::take_sheet(
        s,
        &e,
        "001",
        &key(),
        &sheet.to_bytes(),
        &WORKS,
    ))
}

#[test]
fn three_table_phones_join_count_and_hand_in_and_the_bureau_phone_gathers_them() {
    let disk = MemDisk::new();
    let bureau = disk.open();
    let (i1a, i1b, i2a) = (
        invite(&bureau, 1, Slot::A, NOW),
        invite(&bureau, 1, Slot::B, NOW),
        invite(&bureau, 2, Slot::A, NOW),
    );
    let e = election();
    assert_eq!(
        BureauTables::load(&bureau, e.hash(), "001").tables(),
        vec![1, 2]
    );

    let (s1a, t1a) = seat(&i1a, 11);
    let (s1b, t1b) = seat(&i1b, 12);
    let (s2a, t2a) = seat(&i2a, 21);
    assert_eq!(t1a.candidates(), vec!["a".to_owned(), "b".to_owned()]);
    assert_eq!(TableSeat::load(&s1a), Some(t1a.clone()), "the seat is kept");

    // Table 1 counts packet 1, table 2 packet 2; B typed one vote wrong.
    let sheet_1a = sign(&s1a, &t1a, &counted(&t1a, &[(1, [60, 38, 2])]), "Élise", 11);
    let wrong_1b = sign(&s1b, &t1b, &counted(&t1b, &[(1, [61, 37, 2])]), "Farid", 12);
    let sheet_2a = sign(
        &s2a,
        &t2a,
        &counted(&t2a, &[(2, [30, 19, 1])]),
        "Gaëlle",
        21,
    );

    assert_eq!(
        take(&bureau, &sheet_1a),
        Ok(Taken::New {
            table: 1,
            slot: Slot::A
        })
    );
    assert_eq!(
        take(&bureau, &sheet_1a),
        Ok(Taken::Again {
            table: 1,
            slot: Slot::A
        })
    );
    assert_eq!(
        take(&bureau, &wrong_1b),
        Ok(Taken::New {
            table: 1,
            slot: Slot::B
        })
    );
    assert_eq!(
        take(&bureau, &sheet_2a),
        Ok(Taken::New {
            table: 2,
            slot: Slot::A
        })
    );

    let kept = BureauTables::load(&disk.open(), e.hash(), "001");
    let g = kept.gathering(&e);
    assert_eq!(
        g.tables,
        vec![
            (1, TableState::Disagree(vec![1])),
            (2, TableState::OneSheet(Slot::A))
        ]
    );
    assert_eq!(g.recount, vec![(1, 1)], "packet 1, at table 1");
    assert!(!kept.ready(&kept.gathering(&e), 150));
    assert!(kept.for_return(&e, "001", &key()).is_err());

    // Table 1's B recounts packet 1 and signs again: it replaces its sheet.
    let mut log = counted(&t1b, &[(1, [61, 37, 2])]);
    log.append(TallyEvent::RecountNumberedPacket { number: 1 })
        .unwrap();
    for (m, n) in [
        (Mark::Candidate("a".into()), 60),
        (Mark::Candidate("b".into()), 38),
        (Mark::Blanc, 2),
    ] {
        for _ in 0..n {
            log.append(TallyEvent::Mark(m.clone())).unwrap();
        }
    }
    log.append(TallyEvent::ClosePacket).unwrap();
    log.append(TallyEvent::ConfirmPacket).unwrap();
    let later = block_on(t1b.sign_sheet(&s1b, &log, "Farid", NOW + 1, &table_signer(12))).unwrap();
    assert_eq!(
        take(&bureau, &later),
        Ok(Taken::Replaced {
            table: 1,
            slot: Slot::B
        })
    );
    assert_eq!(
        take(&bureau, &wrong_1b),
        Err(SheetTakeError::Older {
            table: 1,
            slot: Slot::B
        }),
        "the sheet before the recount does not come back"
    );

    let kept = BureauTables::load(&disk.open(), e.hash(), "001");
    let g = kept.gathering(&e);
    assert_eq!(g.tables[0], (1, TableState::Agree));
    assert!(kept.ready(&kept.gathering(&e), 150));
    assert!(
        !kept.ready(&kept.gathering(&e), 151),
        "the envelopes found are not those counted"
    );
    let sheets = kept.for_return(&e, "001", &key()).unwrap();
    assert_eq!(sheets.len(), 3);
    assert_eq!(g.summary.voix["a"], 90);
}

#[test]
fn a_sheet_the_bureau_phone_did_not_invite_or_invited_again_is_not_taken() {
    let bureau = MemStore::new();
    let first = invite(&bureau, 1, Slot::A, NOW);
    let (s, t) = seat(&first, 11);
    let sheet = sign(&s, &t, &counted(&t, &[(1, [1, 0, 0])]), "Élise", 11);

    // Another bureau phone (another key) never showed this join code.
    let elsewhere = MemStore::new();
    let e = election();
    assert_eq!(
        block_on(BureauTables::take_sheet(
            &elsewhere,
            &e,
            "001",
            &key(),
            &sheet.to_bytes(),
            &WORKS
        )),
        Err(SheetTakeError::NotInvitedHere)
    );

    // The slot is invited again (the phone was changed): the old phone's
    // sheet is no longer the slot's, and the sheet taken is dropped.
    assert_eq!(
        take(&bureau, &sheet),
        Ok(Taken::New {
            table: 1,
            slot: Slot::A
        })
    );
    // Showing the code again (a tap on the same place) changes nothing.
    assert_eq!(invite(&bureau, 1, Slot::A, NOW + 5), first);
    assert_eq!(BureauTables::load(&bureau, e.hash(), "001").sheets.len(), 1);
    let again = invite_as(&bureau, 1, Slot::A, NOW + 5, true);
    assert_ne!(again, first);
    assert!(
        BureauTables::load(&bureau, e.hash(), "001")
            .sheets
            .is_empty()
    );
    assert_eq!(
        take(&bureau, &sheet),
        Err(SheetTakeError::Superseded {
            table: 1,
            slot: Slot::A
        })
    );

    // A phone that photographed the new join code signs with its own key:
    // once the invited phone's sheet is in, the slot is that phone's.
    let (s2, t2) = seat(&again, 12);
    let (s3, t3) = seat(&again, 13);
    let genuine = sign(&s2, &t2, &counted(&t2, &[(1, [1, 0, 0])]), "Élise", 12);
    let intruder = sign(&s3, &t3, &counted(&t3, &[(1, [0, 1, 0])]), "Zoé", 13);
    assert_eq!(
        take(&bureau, &genuine),
        Ok(Taken::New {
            table: 1,
            slot: Slot::A
        })
    );
    assert_eq!(
        take(&bureau, &intruder),
        Err(SheetTakeError::OtherPhone {
            table: 1,
            slot: Slot::A
        })
    );

    // A sheet edited after signing.
    let mut forged = genuine.clone();
    forged.body.recorder = "Quelqu’un".into();
    assert_eq!(
        take(&bureau, &forged),
        Err(SheetTakeError::Refused(SheetError::BadSignature {
            table: 1,
            slot: Slot::A
        }))
    );
    assert!(matches!(
        block_on(BureauTables::take_sheet(
            &bureau,
            &e,
            "001",
            &key(),
            b"{\"not\":1}",
            &WORKS
        )),
        Err(SheetTakeError::Unreadable(_))
    ));
}

#[test]
fn a_table_phone_joins_once_signs_only_a_finished_count_and_nothing_is_kept_on_failure() {
    let bureau = MemStore::new();
    let inv = invite(&bureau, 2, Slot::B, NOW);
    let other = invite(&bureau, 3, Slot::A, NOW);
    let (s, t) = seat(&inv, 21);
    assert_eq!(
        block_on(TableSeat::join(
            &s,
            &other.to_bytes(),
            &table_key(21),
            &table_signer(21)
        )),
        Err(JoinError::AlreadySeated {
            table: 2,
            slot: Slot::B
        })
    );
    block_on(TableSeat::leave(&s)).unwrap();
    assert_eq!(TableSeat::load(&s), None);
    drop(t);
    let t = block_on(TableSeat::join(
        &s,
        &inv.to_bytes(),
        &table_key(21),
        &table_signer(21),
    ))
    .unwrap();

    // A join code edited on the way (another table) no longer verifies.
    let edited = String::from_utf8(other.to_bytes())
        .unwrap()
        .replace("\"table\":3", "\"table\":4");
    assert_eq!(
        block_on(TableSeat::join(
            &MemStore::new(),
            edited.as_bytes(),
            &table_key(22),
            &table_signer(22)
        )),
        Err(JoinError::NotSigned)
    );

    // Not finished: the table was handed 51 envelopes and counted 1.
    let mut log = counted(&t, &[(1, [1, 0, 0])]);
    log.append(TallyEvent::ClosePolls {
        emargements: 51,
        enveloppes: 51,
        explanation: String::new(),
    })
    .unwrap();
    assert_eq!(
        block_on(t.sign_sheet(&s, &log, "Hugo", NOW, &table_signer(21))),
        Err(SheetSignError::NotDone)
    );
    let done = counted(&t, &[(1, [1, 0, 0])]);
    assert!(matches!(
        block_on(t.sign_sheet(&s, &done, "  ", NOW, &table_signer(21))),
        Err(SheetSignError::Refused(SheetError::Encoding(_)))
    ));
    let broken = TestSigner {
        secret: [21; 32],
        works: false,
    };
    assert_eq!(
        block_on(t.sign_sheet(&s, &done, "Hugo", NOW, &broken)),
        Err(SheetSignError::KeyUnreadable)
    );
    assert_eq!(TableSeat::load(&s).unwrap().sheet, None, "nothing kept");
    s.fail_next_write(pointage_device::ports::WriteError::Full);
    assert_eq!(
        block_on(t.sign_sheet(&s, &done, "Hugo", NOW, &table_signer(21))),
        Err(SheetSignError::Write(
            pointage_device::ports::WriteError::Full
        ))
    );
    assert_eq!(TableSeat::load(&s).unwrap().sheet, None, "nothing kept");
    let sheet = sign(&s, &t, &done, "Hugo", 21);
    assert_eq!(TableSeat::load(&s).unwrap().sheet, Some(sheet));

    // The bureau's phone cannot invite a table 21, nor sign without its key.
    let e = election();
    assert!(matches!(
        block_on(BureauTables::invite(
            &bureau,
            &e,
            "001",
            &key(),
            (21, Slot::A),
            (NOW, false),
            &WORKS
        )),
        Err(InviteError::Refused(_))
    ));
    let broken = TestSigner {
        secret: crate::common::SECRET,
        works: false,
    };
    assert_eq!(
        block_on(BureauTables::invite(
            &bureau,
            &e,
            "001",
            &key(),
            (4, Slot::A),
            (NOW, false),
            &broken
        )),
        Err(InviteError::KeyUnreadable)
    );
    assert_eq!(
        BureauTables::load(&bureau, e.hash(), "001").tables(),
        vec![2, 3]
    );
}

#[test]
fn the_pv_is_checked_against_the_tables_and_signed_with_their_sheets() {
    use pointage_core::RuleCode;
    use pointage_core::signed_return::RETURN_FORMAT_TABLES;
    let bureau = MemStore::new();
    let e = election();
    let (i1a, i1b) = (
        invite(&bureau, 1, Slot::A, NOW),
        invite(&bureau, 1, Slot::B, NOW),
    );
    let (s1a, t1a) = seat(&i1a, 11);
    let (s1b, t1b) = seat(&i1b, 12);
    // The PV of crate::common::pv::typed: 100 envelopes, a 60, b 38, 2 blancs.
    let a = sign(&s1a, &t1a, &counted(&t1a, &[(1, [60, 38, 2])]), "Élise", 11);
    let b = sign(&s1b, &t1b, &counted(&t1b, &[(1, [60, 38, 2])]), "Farid", 12);
    take(&bureau, &a).unwrap();
    take(&bureau, &b).unwrap();
    let sheets = BureauTables::load(&bureau, e.hash(), "001").sheets;
    let mut log = TallyLog::new(vec!["a".into(), "b".into()], [0; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: 100,
        enveloppes: 100,
        explanation: String::new(),
    })
    .unwrap();

    let mut pv = crate::common::pv::agreed(&bureau);
    let r = pv.review(&e, Some(&log), &sheets, None).unwrap();
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.tally.as_ref().unwrap().voix["a"], 60);

    // Table 1's B sheet alone: W6, to explain; a vote moved: H5.
    let r = pv.review(&e, Some(&log), &sheets[..1], None).unwrap();
    assert_eq!(
        r.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        vec![RuleCode::W6]
    );
    let mut other = sheets.clone();
    other[1] = sign(&s1b, &t1b, &counted(&t1b, &[(1, [59, 39, 2])]), "Farid", 12);
    let r = pv.review(&e, Some(&log), &other[1..], None).unwrap();
    assert!(r.blocked() && r.findings.iter().any(|f| f.code == RuleCode::H5));

    let unsigned = pv
        .unsigned(
            &e,
            &key(),
            (Some(&log), &sheets),
            None,
            Default::default(),
            NOW,
        )
        .unwrap();
    let signed = block_on(pv.store().sign(&bureau, pv.returns(), unsigned, &WORKS)).unwrap();
    pv.signed(signed.clone());
    let body = signed.body();
    assert_eq!(body.format, RETURN_FORMAT_TABLES);
    assert_eq!(body.sheets(), &sheets[..]);
    assert_eq!(body.tally.as_ref().unwrap().head, hex_head(&log));
}

fn hex_head(log: &TallyLog) -> String {
    log.head().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_sheet_opened_part_by_part_by_the_camera_app_is_taken_once_whole_even_across_reloads() {
    use pointage_core::handover::{Carries, split_as};
    use pointage_device::tables::PartRead;
    let disk = MemDisk::new();
    let bureau = disk.open();
    let inv = invite(&bureau, 1, Slot::A, NOW);
    let (s, t) = seat(&inv, 11);
    let sheet = sign(
        &s,
        &t,
        &counted(&t, &[(1, [60, 38, 2]), (2, [30, 19, 1])]),
        "Élise",
        11,
    );
    let parts = split_as(Carries::Sheet, &sheet.to_bytes());
    assert!(parts.len() >= 2, "{} parts", parts.len());
    let e = election();
    let read = |part: &str| {
        // Each address opens the app again: a new tab on the same disk.
        block_on(BureauTables::take_part(
            &disk.open(),
            &e,
            "001",
            &key(),
            part,
            &WORKS,
        ))
    };
    let n = parts.len();
    for (i, p) in parts.iter().enumerate().skip(1) {
        assert_eq!(read(p), Ok(PartRead::Waiting { have: i, of: n }));
        assert_eq!(
            read(p),
            Ok(PartRead::Waiting { have: i, of: n }),
            "read twice"
        );
    }
    assert_eq!(
        read(&parts[0]),
        Ok(PartRead::Sheet(Taken::New {
            table: 1,
            slot: Slot::A
        }))
    );
    let kept = BureauTables::load(&disk.open(), e.hash(), "001");
    assert_eq!(kept.sheets, vec![sheet]);
    assert!(
        kept.parts.is_empty(),
        "the parts go once the sheet is whole"
    );

    let join = split_as(Carries::Join, &inv.to_bytes());
    assert!(matches!(read(&join[0]), Err(SheetTakeError::Unreadable(_))));
}
