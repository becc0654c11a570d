//! The vectors beyond the returns (docs/return-format.md): human codes,
//! the server's receipts, the hand-over parts, a join code's parts, and
//! public records with the results they give.

use super::{BUREAU_SECRET, OTHER_SECRET, SIGNED_AT, agreed, pv};
use pointage_core::log::{LogEntry, RecordLine, Tree, TreeHead};
use pointage_core::signed_return::public_key_hex;
use pointage_core::{Election, ProcesVerbal, ReturnDraft, SignedReturn};
use std::collections::BTreeMap;
use std::error::Error;
use std::path::Path;

/// The server's key for the receipt and record vectors. Never a real key.
const SERVER_SECRET: [u8; 32] = [2; 32];
/// Bureau 002's key, and bureau 001's after its code was reissued.
const SECRET_002: [u8; 32] = [5; 32];
const REISSUED_001: [u8; 32] = [6; 32];
const RECEIVED_AT: u64 = 1_800_644_700_000;

fn pretty(path: &Path, value: &serde_json::Value) -> Result<(), Box<dyn Error>> {
    std::fs::write(path, serde_json::to_string_pretty(value)? + "\n")?;
    Ok(())
}

/// The vectors beyond the returns: human codes, receipts, the hand-over
/// parts, and public records with the results they give.
pub fn write(e: &Election, v1: &SignedReturn, v2: &SignedReturn) -> Result<(), Box<dyn Error>> {
    use pointage_core::signed_return::human_code;
    use pointage_core::{ReceiptBody, ServerSigner, handover, results};
    use serde_json::json;
    let root_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");

    // Human codes: a return's id, and the code written on the paper PV.
    let ids = [
        v1.id().to_owned(),
        v2.id().to_owned(),
        "0".repeat(64),
        "f".repeat(64),
        format!("{}{}", "0123456789abcdef", "0".repeat(48)),
    ];
    let codes: Vec<_> = ids
        .iter()
        .map(|id| json!({ "id": id, "code": human_code(id) }))
        .collect();
    pretty(&root_dir.join("human_codes.json"), &json!(codes))?;

    // Receipts: the server's receipt of pass_v1_clean, and how one fails.
    let server = ServerSigner::new(&SERVER_SECRET);
    let root = [7u8; 32];
    let good = server.sign(v1, 3, RECEIVED_AT, &root)?;
    let mut moved = good.clone();
    moved.body.sequence = 2;
    let other = server.sign(v2, 3, RECEIVED_AT, &root)?;
    let forged = ServerSigner::new(&OTHER_SECRET).sign(v1, 3, RECEIVED_AT, &root)?;
    let unknown = server.seal(ReceiptBody {
        format: "pointage-receipt/3".into(),
        ..good.body.clone()
    })?;
    let headless = server.seal(ReceiptBody {
        tree_size: None,
        root_hash: None,
        ..good.body.clone()
    })?;
    let before_log = server.seal(ReceiptBody {
        format: "pointage-receipt/1".into(),
        sequence: 1,
        tree_size: None,
        root_hash: None,
        ..good.body.clone()
    })?;
    let case = |name: &str,
                description: &str,
                receipt: &pointage_core::Receipt,
                expect: Option<&str>| {
        json!({ "name": name, "description": description, "return": "pass_v1_clean", "receipt": receipt, "expect": expect })
    };
    pretty(
        &root_dir.join("receipts.json"),
        &json!({
            "server_key": server.public_key(),
            "cases": [
                case("pass_receipt", "The server's receipt of pass_v1_clean, leaf 3 of a log whose first 4 leaves have root 0707…07.", &good, None),
                case("pass_receipt_before_the_log", "A receipt of format pointage-receipt/1 (before the log: no head), still read.", &before_log, None),
                case("fail_sequence_changed", "pass_receipt with its leaf changed to 2.", &moved, Some("bad_signature")),
                case("fail_other_return", "A genuine receipt, of pass_v2_correction.", &other, Some("other_return")),
                case("fail_other_key", "pass_receipt signed by another key.", &forged, Some("bad_signature")),
                case("fail_unknown_format", "A genuine signature over a receipt of format pointage-receipt/3.", &unknown, Some("unknown_format")),
                case("fail_no_head", "A genuine signature over a pointage-receipt/2 without its tree_size and root_hash.", &headless, Some("unknown_format")),
            ],
        }),
    )?;

    // The hand-over: pass_v2_correction cut into QR parts.
    let origin = "https://pointage.example.org";
    let parts: Vec<String> = handover::split(&v2.to_bytes())
        .into_iter()
        .map(|p| format!("{origin}/deposer#{p}"))
        .collect();
    pretty(
        &root_dir.join("handover.json"),
        &json!({ "return": "pass_v2_correction", "parts": parts }),
    )?;

    // A join code: bureau 001's phone inviting a phone to table 1, pointeur
    // A, cut into the QR parts a table phone's camera opens.
    let invitation = pointage_core::sheet::Invitation::sign(
        e,
        "001",
        1,
        pointage_core::gathering::Slot::A,
        &BUREAU_SECRET,
        SIGNED_AT,
    )?;
    let join: Vec<String> = handover::split_as(handover::Carries::Join, &invitation.to_bytes())
        .into_iter()
        .map(|p| format!("{origin}/rejoindre#{p}"))
        .collect();
    pretty(
        &root_dir.join("join.json"),
        &json!({ "invitation": invitation, "parts": join }),
    )?;

    // Public records: bureau 001's version 1, bureau 002's, then 001's code
    // reissued and its correction signed with the new key.
    let dir = root_dir.join("records");
    std::fs::create_dir_all(&dir)?;
    for old in std::fs::read_dir(&dir)? {
        let old = old?.path();
        if old.extension().is_some_and(|e| e == "jsonl") {
            std::fs::remove_file(old)?;
        }
    }
    let v1_002 = {
        let draft = ReturnDraft {
            turnout: None,
            tables: &[],
            bureau: "002",
            entry: &agreed(ProcesVerbal {
                inscrits: Some(900),
                ..pv(1, 2, 40, 40, 20, 103)
            })?,
            explanations: BTreeMap::new(),
            tally: None,
            correction: None,
        };
        SignedReturn::sign(e, draft, &SECRET_002, SIGNED_AT)?
    };
    let v2_new_key = {
        let draft = ReturnDraft {
            turnout: None,
            tables: &[],
            bureau: "001",
            entry: &agreed(pv(3, 0, 50, 30, 17, 100))?,
            explanations: BTreeMap::new(),
            tally: None,
            correction: Some((v1, "Un bulletin nul était blanc.".to_owned())),
        };
        SignedReturn::sign(e, draft, &REISSUED_001, SIGNED_AT)?
    };
    let returns = [v1, &v1_002, &v2_new_key];
    let ret = |r: &SignedReturn| serde_json::from_slice::<serde_json::Value>(&r.to_bytes());
    let at = |n: u64| RECEIVED_AT + n;
    let key = |bureau: &str, secret: &[u8; 32], n| LogEntry::Key {
        at: at(n),
        bureau: bureau.into(),
        device_key: public_key_hex(secret),
        from: None,
    };
    let entries = vec![
        LogEntry::Election {
            at: at(0),
            election_id: e.id().into(),
            election_hash: e.hash().into(),
            server_key: server.public_key(),
        },
        key("001", &BUREAU_SECRET, 1),
        key("002", &SECRET_002, 2),
        LogEntry::Return {
            at: at(3),
            ret: ret(v1)?,
        },
        LogEntry::Return {
            at: at(4),
            ret: ret(&v1_002)?,
        },
        LogEntry::Reissue {
            at: at(5),
            bureau: "001".into(),
            revoked_key: Some(public_key_hex(&BUREAU_SECRET)),
            // As leaves written before who reissued was said: the
            // vector's hashes stay those published.
            by: None,
        },
        key("001", &REISSUED_001, 6),
        LogEntry::Return {
            at: at(7),
            ret: ret(&v2_new_key)?,
        },
    ];
    // The record of these leaves, as a server signs it.
    let record = |entries: &[LogEntry]| -> Result<Vec<String>, Box<dyn Error>> {
        let mut tree = Tree::new();
        let mut leaves = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let bytes = entry.leaf_bytes()?;
            tree.push(pointage_core::log::leaf_hash(&bytes));
            leaves.push(String::from_utf8(RecordLine::leaf_line(i as u64, &bytes))?);
        }
        let root = tree.root(tree.len()).ok_or("no root")?;
        let head = server.sign_head(TreeHead::new(
            e.hash(),
            tree.len(),
            &root,
            entries.last().map_or(0, LogEntry::at),
        ))?;
        let mut lines = vec![
            serde_json::to_string(&RecordLine::Definition {
                hash: e.hash().into(),
                definition: serde_json::to_value(e)?,
            })?,
            serde_json::to_string(&RecordLine::Head(head))?,
        ];
        lines.extend(leaves);
        Ok(lines)
    };
    let lines = record(&entries)?;
    let join = |lines: &[String]| lines.join("\n") + "\n";
    let results = results::compute(e, returns.iter().map(|r| (r.id(), r.body())));
    pretty(&dir.join("results.json"), &serde_json::to_value(&results)?)?;
    let mut metas = Vec::new();
    let mut write = |name: &str,
                     description: &str,
                     expect: Option<&str>,
                     lines: &[String]|
     -> Result<(), Box<dyn Error>> {
        std::fs::write(dir.join(format!("{name}.jsonl")), join(lines))?;
        metas.push(json!({ "name": name, "description": description, "expect": expect }));
        Ok(())
    };
    write(
        "pass_record",
        "The log of 8 leaves: the opening, bureaux 001's and 002's keys, their versions 1, bureau 001's code reissued (its key revoked), its new key, and its correction signed with it. Its results are results.json.",
        None,
        &lines,
    )?;
    // A leaf line's place: after the definition and the head.
    let leaf = |i: usize| i + 2;
    let mut altered = lines.clone();
    altered[leaf(4)] = altered[leaf(4)].replacen("\"blancs\":1", "\"blancs\":2", 1);
    let mut moved = lines.clone();
    moved.swap(leaf(3), leaf(4));
    let renumber = |l: &mut String, from: usize, to: usize| {
        *l = l.replacen(
            &format!("\"index\":{from},"),
            &format!("\"index\":{to},"),
            1,
        );
    };
    renumber(&mut moved[leaf(3)], 4, 3);
    renumber(&mut moved[leaf(4)], 3, 4);
    write(
        "fail_return_altered",
        "pass_record with bureau 002's blancs changed from 1 to 2 (leaf 4): its signature fails, and so does the head's root.",
        Some("return_bad_signature"),
        &altered,
    )?;
    write(
        "fail_leaves_swapped",
        "pass_record with leaves 3 and 4 swapped and renumbered: every leaf is there, in order, but not in the order the head was signed for.",
        Some("head_root"),
        &moved,
    )?;
    let mut removed = lines.clone();
    removed.remove(leaf(4));
    write(
        "fail_return_removed",
        "pass_record without leaf 4 (bureau 002's return).",
        Some("leaf_order"),
        &removed,
    )?;
    let mut rewritten = entries.clone();
    rewritten.remove(4);
    write(
        "fail_rewritten_without_head",
        "The log rewritten without bureau 002's return, its leaves renumbered, under the head of the honest record: the head covers one leaf more than the record gives.",
        Some("head_size"),
        &{
            let mut l = record(&rewritten)?;
            l[1] = lines[1].clone();
            l
        },
    )?;
    let mut shadow = entries.clone();
    shadow.insert(4, key("001", &REISSUED_001, 4));
    shadow.remove(7);
    shadow.remove(6);
    for (i, entry) in shadow.iter_mut().enumerate() {
        if let LogEntry::Return { at: a, .. }
        | LogEntry::Key { at: a, .. }
        | LogEntry::Reissue { at: a, .. } = entry
        {
            *a = at(i as u64);
        }
    }
    write(
        "fail_shadow_key",
        "A second key enrolled for bureau 001 (leaf 4) while its first was never revoked, and the correction signed with it: the record is signed, but its key history is not possible.",
        Some("two_keys"),
        &record(&shadow)?,
    )?;
    let mut late = entries.clone();
    late.swap(3, 5);
    for (i, entry) in late.iter_mut().enumerate() {
        if let LogEntry::Return { at: a, .. }
        | LogEntry::Key { at: a, .. }
        | LogEntry::Reissue { at: a, .. } = entry
        {
            *a = at(i as u64);
        }
    }
    write(
        "fail_key_not_held",
        "pass_record with bureau 001's first key revoked before its version 1 was received (leaves 3 and 5 swapped, signed again).",
        Some("key_not_held"),
        &record(&late)?,
    )?;
    pretty(&dir.join("records.json"), &json!(metas))?;
    println!("other vectors written to {}", root_dir.display());
    Ok(())
}
