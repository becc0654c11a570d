//! The vectors beyond the returns (docs/return-format.md): human codes,
//! the server's receipts, the hand-over parts, and public records with the
//! results they give.

use super::{BUREAU_SECRET, OTHER_SECRET, SIGNED_AT, agreed, pv};
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
    use pointage_core::{ReceiptBody, ReceiptSigner, handover, results};
    use serde_json::json;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");

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
    pretty(&root.join("human_codes.json"), &json!(codes))?;

    // Receipts: the server's receipt of pass_v1_clean, and how one fails.
    let server = ReceiptSigner::new(&SERVER_SECRET);
    let good = server.sign(v1, 1, RECEIVED_AT)?;
    let mut moved = good.clone();
    moved.body.sequence = 2;
    let other = server.sign(v2, 1, RECEIVED_AT)?;
    let forged = ReceiptSigner::new(&OTHER_SECRET).sign(v1, 1, RECEIVED_AT)?;
    let unknown = server.seal(ReceiptBody {
        format: "pointage-receipt/2".into(),
        ..good.body.clone()
    })?;
    let case = |name: &str,
                description: &str,
                receipt: &pointage_core::Receipt,
                expect: Option<&str>| {
        json!({ "name": name, "description": description, "return": "pass_v1_clean", "receipt": receipt, "expect": expect })
    };
    pretty(
        &root.join("receipts.json"),
        &json!({
            "server_key": server.public_key(),
            "cases": [
                case("pass_receipt", "The server's receipt of pass_v1_clean, sequence 1.", &good, None),
                case("fail_sequence_changed", "pass_receipt with its sequence changed to 2.", &moved, Some("bad_signature")),
                case("fail_other_return", "A genuine receipt, of pass_v2_correction.", &other, Some("other_return")),
                case("fail_other_key", "pass_receipt signed by another key.", &forged, Some("bad_signature")),
                case("fail_unknown_format", "A genuine signature over a receipt of format pointage-receipt/2.", &unknown, Some("unknown_format")),
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
        &root.join("handover.json"),
        &json!({ "return": "pass_v2_correction", "parts": parts }),
    )?;

    // Public records: bureau 001's version 1, bureau 002's, then 001's code
    // reissued and its correction signed with the new key.
    let dir = root.join("records");
    std::fs::create_dir_all(&dir)?;
    let v1_002 = {
        let draft = ReturnDraft {
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
    let keys = json!([
        { "type": "device_key", "bureau": "001", "public_key": public_key_hex(&BUREAU_SECRET), "current": false, "enrolled_after": 0, "revoked_after": 2 },
        { "type": "device_key", "bureau": "001", "public_key": public_key_hex(&REISSUED_001), "current": true, "enrolled_after": 2, "revoked_after": null },
        { "type": "device_key", "bureau": "002", "public_key": public_key_hex(&SECRET_002), "current": true, "enrolled_after": 0, "revoked_after": null },
    ]);
    let mut lines = vec![
        json!({ "type": "election", "hash": e.hash(), "definition": e }).to_string(),
        json!({ "type": "server_key", "public_key": server.public_key() }).to_string(),
    ];
    if let serde_json::Value::Array(ks) = keys {
        lines.extend(ks.iter().map(|k| k.to_string()));
    }
    let head = lines.len();
    for (n, r) in returns.iter().enumerate() {
        let sequence = n as u64 + 1;
        let receipt = server.sign(r, sequence, RECEIVED_AT + sequence)?;
        let ret: serde_json::Value = serde_json::from_slice(&r.to_bytes())?;
        lines.push(
            json!({ "type": "return", "sequence": sequence, "return": ret, "receipt": receipt })
                .to_string(),
        );
    }
    let record = |lines: &[String]| lines.join("\n") + "\n";
    let results = results::compute(e, returns.iter().map(|r| (r.id(), r.body())));
    pretty(&dir.join("results.json"), &serde_json::to_value(&results)?)?;
    let mut metas = Vec::new();
    let mut write = |name: &str,
                     description: &str,
                     expect: Option<&str>,
                     lines: &[String]|
     -> Result<(), Box<dyn Error>> {
        std::fs::write(dir.join(format!("{name}.jsonl")), record(lines))?;
        metas.push(json!({ "name": name, "description": description, "expect": expect }));
        Ok(())
    };
    write(
        "pass_record",
        "Bureau 001's version 1, bureau 002's, then 001's correction signed with the key enrolled after its code was reissued (the old key revoked after receipt 2). Its results are results.json.",
        None,
        &lines,
    )?;
    let mut altered = lines.clone();
    altered[head + 1] = altered[head + 1].replacen("\"blancs\":1", "\"blancs\":2", 1);
    write(
        "fail_return_altered",
        "pass_record with bureau 002's blancs changed from 1 to 2.",
        Some("return_bad_signature"),
        &altered,
    )?;
    let mut removed = lines.clone();
    removed.remove(head + 1);
    write(
        "fail_return_removed",
        "pass_record without receipt 2 (bureau 002's return).",
        Some("missing"),
        &removed,
    )?;
    let mut receipt = lines.clone();
    receipt[head] = receipt[head].replacen(
        &format!("\"received_at\":{}", RECEIVED_AT + 1),
        &format!("\"received_at\":{}", RECEIVED_AT + 2),
        1,
    );
    write(
        "fail_receipt_altered",
        "pass_record with receipt 1's received_at changed.",
        Some("receipt"),
        &receipt,
    )?;
    let mut late = lines.clone();
    late[2] = late[2].replacen("\"revoked_after\":2", "\"revoked_after\":0", 1);
    write(
        "fail_key_not_held",
        "pass_record saying bureau 001's first key was revoked before its return was received.",
        Some("key_not_held"),
        &late,
    )?;
    pretty(&dir.join("records.json"), &json!(metas))?;
    println!("other vectors written to {}", root.display());
    Ok(())
}
