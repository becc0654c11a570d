//! Gathering the tables' sheets: two sheets per table compared packet by
//! packet, a packet counted at two tables caught, the envelopes added up
//! against those found, and the tables' sum checked by rule H5.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use pointage_core::gathering::{Sheet, SheetPacket, Slot, TableState, gather};
use pointage_core::{PacketCounts, RuleCode, rules};

fn packet(number: u32, [a, b, c, blancs, nuls]: [u32; 5]) -> SheetPacket {
    SheetPacket {
        number,
        envelopes: a + b + c + blancs + nuls,
        counts: PacketCounts {
            voix: [("a".into(), a), ("b".into(), b), ("c".into(), c)].into(),
            blancs,
            nuls,
        },
    }
}

fn sheet(table: u32, slot: Slot, packets: Vec<SheetPacket>) -> Sheet {
    Sheet {
        table,
        slot,
        packets,
    }
}

fn tables() -> Vec<u32> {
    vec![1, 2]
}

fn candidates() -> Vec<String> {
    vec!["a".into(), "b".into(), "c".into()]
}

/// Table 1 counted packet 1, table 2 packet 2: 100 envelopes in all, the
/// clean PV's figures (a 50, b 30, c 17, 2 blancs, 1 nul).
fn both_tables_agree() -> Vec<Sheet> {
    let p1 = packet(1, [30, 10, 7, 2, 1]);
    let p2 = packet(2, [20, 20, 10, 0, 0]);
    vec![
        sheet(1, Slot::A, vec![p1.clone()]),
        sheet(1, Slot::B, vec![p1]),
        sheet(2, Slot::B, vec![p2.clone()]),
        sheet(2, Slot::A, vec![p2]),
    ]
}

#[test]
fn agreeing_tables_add_up_to_the_pv_and_rule_h5_holds() {
    let g = gather(&tables(), &candidates(), &both_tables_agree());
    assert_eq!(
        g.tables,
        vec![(1, TableState::Agree), (2, TableState::Agree)]
    );
    assert!(g.recount.is_empty() && g.counted_twice.is_empty() && g.not_taken.is_empty());
    assert_eq!(g.envelopes, 100);
    assert!(g.complete(100, &[]));
    assert!(
        !g.complete(101, &[]),
        "the envelopes found are not those counted"
    );

    let e = crate::common::abc();
    let h5 = |pv: &pointage_core::ProcesVerbal| {
        rules::check(&e, "001", pv, Some(&g.summary))
            .iter()
            .any(|f| f.code == RuleCode::H5)
    };
    let pv = crate::common::clean_pv();
    assert!(!h5(&pv));
    let mut off = pv.clone();
    off.voix.insert("a".into(), Some(49));
    off.voix.insert("b".into(), Some(31));
    assert!(h5(&off), "the PV must be the tables' sum");
}

#[test]
fn two_sheets_that_differ_name_the_packet_to_recount_at_its_table() {
    let mut sheets = both_tables_agree();
    // Recorder B of table 1 marked one vote for b that A marked for c.
    sheets[1].packets[0] = packet(1, [30, 11, 6, 2, 1]);
    let g = gather(&tables(), &candidates(), &sheets);
    assert_eq!(g.tables[0].1, TableState::Disagree(vec![1]));
    assert_eq!(g.tables[1].1, TableState::Agree);
    assert_eq!(g.recount, vec![(1, 1)]);
    assert!(!g.complete(100, &[]));
    // A packet on one sheet only is one to recount too.
    let mut sheets = both_tables_agree();
    sheets[0].packets.push(packet(3, [1, 0, 0, 0, 0]));
    let g = gather(&tables(), &candidates(), &sheets);
    assert_eq!(g.recount, vec![(1, 3)]);
}

#[test]
fn a_packet_counted_at_two_tables_is_caught_and_counted_once() {
    let mut sheets = both_tables_agree();
    let p1 = packet(1, [30, 10, 7, 2, 1]);
    for s in sheets.iter_mut().filter(|s| s.table == 2) {
        s.packets.push(p1.clone());
    }
    let g = gather(&tables(), &candidates(), &sheets);
    assert_eq!(g.tables[1].1, TableState::Agree, "its two sheets agree");
    assert_eq!(g.counted_twice, vec![(1, vec![1, 2])]);
    assert_eq!(g.envelopes, 100, "counted once in the sum");
    assert!(!g.complete(100, &[]));
}

#[test]
fn a_table_with_one_sheet_waits_unless_its_paper_sheet_is_explained() {
    let mut sheets = both_tables_agree();
    sheets.remove(1); // table 1, recorder B: on paper
    let g = gather(&tables(), &candidates(), &sheets);
    assert_eq!(g.tables[0].1, TableState::OneSheet(Slot::A));
    assert!(!g.complete(100, &[]));
    assert!(g.complete(100, &[1]));
    assert_eq!(g.envelopes, 100);

    let g = gather(&tables(), &candidates(), &[]);
    assert!(g.tables.iter().all(|(_, s)| *s == TableState::Waiting));
    assert_eq!(g.summary.voix.get("a"), Some(&0));
}

#[test]
fn a_sheet_for_no_table_or_a_second_one_for_a_slot_is_not_taken() {
    let mut sheets = both_tables_agree();
    sheets.push(sheet(3, Slot::A, vec![packet(9, [1, 1, 1, 0, 0])]));
    sheets.push(sheet(1, Slot::A, vec![packet(1, [50, 0, 0, 0, 0])]));
    let g = gather(&tables(), &candidates(), &sheets);
    assert_eq!(g.not_taken, vec![(3, Slot::A), (1, Slot::A)]);
    assert!(g.complete(100, &[]), "the sheets taken are unchanged");
    assert_eq!(g.summary.voix["a"], 50);
}

#[test]
fn a_packet_whose_marks_do_not_make_its_envelopes_is_unbalanced() {
    let mut sheets = both_tables_agree();
    for s in sheets.iter_mut().filter(|s| s.table == 2) {
        s.packets[0].envelopes = 51;
    }
    let g = gather(&tables(), &candidates(), &sheets);
    assert_eq!(g.summary.unbalanced_packets, vec![2]);
}

#[test]
fn a_packet_twice_on_one_tables_sheets_is_counted_twice_at_that_table() {
    let mut sheets = both_tables_agree();
    let p2 = packet(2, [20, 20, 10, 0, 0]);
    for s in sheets.iter_mut().filter(|s| s.table == 2) {
        s.packets.push(p2.clone());
    }
    let g = gather(&tables(), &candidates(), &sheets);
    assert_eq!(g.counted_twice, vec![(2, vec![2, 2])]);
    assert_eq!(g.envelopes, 100);
}
