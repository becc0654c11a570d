//! Records a dishonest operator makes, with only what a server holds (its
//! key, its database): a shadow key, a return removed and the log
//! renumbered, terminal escapes in the texts. Each makes the verifier exit
//! 1 naming the problem (the removal with what a phone or a watcher held
//! before: a record rewritten whole is consistent in itself), and the
//! genuine phone's check says another phone was enrolled for its bureau.

use super::{election_night, published};
use crate::common::{Server, serve_again, sign};
use pointage_core::log::{
    BureauLog, KeyChange, KeyError, LogEntry, Witness, check_bureau_log_with,
};
use pointage_core::signature::Ed25519;
use pointage_core::signed_return::public_key_hex;
use pointage_core::wire::SubmitResponse;
use pointage_core::{Receipt, SignedReturn};
use pointage_verify::report::{Lang, render};
use pointage_verify::watch::{self, Seen, WatchError};
use pointage_verify::{Held, Problem, verify, verify_held};
use rusqlite::{Connection, params};
use std::path::Path;

const SHADOW: [u8; 32] = [66; 32];
const ELECTION: &str = "demo-2027-t1";

fn open(data_dir: &Path) -> Connection {
    Connection::open(data_dir.join("pointage.sqlite3")).unwrap()
}

/// The log's size and its last leaf's time, read as the server does.
fn tail(c: &Connection) -> (i64, i64) {
    c.query_row(
        "SELECT i, a FROM (
             SELECT idx AS i, at AS a FROM log_entry WHERE election_id = ?1
             UNION ALL
             SELECT election_sequence, received_at FROM return_version WHERE election_id = ?1)
         ORDER BY i DESC LIMIT 1",
        [ELECTION],
        |r| Ok((r.get::<_, i64>(0)? + 1, r.get(1)?)),
    )
    .unwrap()
}

/// The operator enrolls a key of its own for `bureau` in the database,
/// without revoking the genuine one: a code marked used with it, and its
/// leaf at the end of the log.
fn shadow_key(data_dir: &Path, bureau: &str, secret: &[u8; 32]) {
    let c = open(data_dir);
    let key = public_key_hex(secret);
    let (index, at) = tail(&c);
    c.execute(
        "INSERT INTO enrollment_code (code_hash, election_id, bureau, state, device_key, issued_at, used_at)
         VALUES (?1, ?2, ?3, 'used', ?4, ?5, ?5)",
        params![format!("forged-{key}"), ELECTION, bureau, key, at + 1],
    )
    .unwrap();
    let entry = LogEntry::Key {
        at: at as u64 + 1,
        bureau: bureau.into(),
        device_key: key,
        from: None,
    };
    c.execute(
        "INSERT INTO log_entry (election_id, idx, bureau, at, hash, entry) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            ELECTION,
            index,
            bureau,
            at + 1,
            &entry.leaf_hash().unwrap()[..],
            entry.leaf_bytes().unwrap()
        ],
    )
    .unwrap();
}

/// The operator removes a return from the database and numbers the later
/// leaves again, so that the log has no gap.
fn remove_return(data_dir: &Path, id: &str) {
    let c = open(data_dir);
    let gone: i64 = c
        .query_row(
            "SELECT election_sequence FROM return_version WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    c.execute("DELETE FROM return_version WHERE id = ?1", [id])
        .unwrap();
    // Out of the way, then back one place down.
    for sql in [
        "UPDATE return_version SET election_sequence = -election_sequence
         WHERE election_id = ?1 AND election_sequence > ?2",
        "UPDATE return_version SET election_sequence = -election_sequence - 1
         WHERE election_id = ?1 AND election_sequence < 0",
        "UPDATE log_entry SET idx = -idx WHERE election_id = ?1 AND idx > ?2",
        "UPDATE log_entry SET idx = -idx - 1 WHERE election_id = ?1 AND idx < 0",
    ] {
        if sql.contains("?2") {
            c.execute(sql, params![ELECTION, gone]).unwrap();
        } else {
            c.execute(sql, params![ELECTION]).unwrap();
        }
    }
}

/// A bureau's return of `election_night`, signed again (Ed25519 is
/// deterministic: the very bytes it sent).
fn night_return(s: &Server, bureau: &str) -> SignedReturn {
    let (key, votes) = match bureau {
        "DEMO-002" => ([21; 32], [25, 25, 25, 25]),
        "DEMO-003" => ([22; 32], [10, 20, 30, 40]),
        _ => unreachable!(),
    };
    sign(&s.election, bureau, votes, &key, None)
}

/// The receipt the server gives for it (the same as the first time).
async fn receipt_of(s: &Server, r: &SignedReturn) -> Receipt {
    let resp = s.submit(r.to_bytes()).await;
    assert_eq!(resp.status(), 200);
    resp.json::<SubmitResponse>().await.unwrap().receipt
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shadow_key_and_its_correction_fail_the_record_and_the_genuine_phone_sees_it() {
    let s = election_night().await;
    let v1 = night_return(&s, "DEMO-002");
    let genuine = receipt_of(&s, &v1).await;
    shadow_key(&s.data_dir, "DEMO-002", &SHADOW);
    // −15 to one candidate, +15 to another, signed by the shadow key: the
    // server takes it, its key being "enrolled" for the bureau now.
    let forged = sign(
        &s.election,
        "DEMO-002",
        [10, 40, 25, 25],
        &SHADOW,
        Some((&v1, "Erreur de report.".into())),
    );
    assert_eq!(s.submit(forged.to_bytes()).await.status(), 201);

    let (record, published) = published(&s).await;
    let report = verify(&record, Some(&published));
    assert!(!report.holds());
    assert!(
        report.problems.iter().any(|p| matches!(
            p,
            Problem::Keys(KeyError::TwoKeys { bureau, .. }) if bureau == "DEMO-002"
        )),
        "{:?}",
        report.problems
    );
    // Its correction is not counted by the verifier, which names it.
    assert!(
        report.problems.contains(&Problem::KeyNotHeld {
            bureau: "DEMO-002".into(),
            sequence: 11,
        }),
        "{:?}",
        report.problems
    );
    let fr = render(Lang::Fr, &report);
    assert!(fr.contains("clé fantôme"), "{fr}");
    let en = render(Lang::En, &report);
    assert!(en.contains("a shadow key"), "{en}");

    // The genuine phone's next check: its return is there, and another key
    // was enrolled for its bureau after its own.
    let head = genuine.body.tree_size.unwrap();
    let log: BureauLog = s
        .get_json(&format!("log/bureau?bureau=DEMO-002&from={head}"))
        .await;
    let bytes = v1.to_bytes();
    let own = public_key_hex(&[21; 32]);
    let checked = check_bureau_log_with(
        &log,
        &Witness {
            election_hash: s.election.hash(),
            bureau: "DEMO-002",
            server_key: &s.key,
            own_key: &own,
            kept: None,
            receipts: vec![(&bytes, &genuine)],
        },
        &Ed25519,
    );
    // Everything it holds checks out; another key was enrolled after its
    // own, beside it, which the rules refuse: the phone says both.
    let checked = checked.unwrap();
    assert!(
        matches!(checked.since_own.as_slice(),
            [KeyChange::Rekeyed { key, .. }] if *key == public_key_hex(&SHADOW)),
        "{:?}",
        checked.since_own
    );
    assert!(matches!(
        checked.broken.as_slice(),
        [KeyError::TwoKeys { .. }]
    ));
    assert!(
        checked
            .returns
            .iter()
            .any(|r| r.version == 2 && r.other_key)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rogue_reissue_is_well_formed_listed_and_seen_by_the_genuine_phone() {
    let s = election_night().await;
    let v1 = night_return(&s, "DEMO-003");
    let genuine = receipt_of(&s, &v1).await;
    // The operator reissues the code, enrolls a phone of its own, corrects.
    let code = s.reissue("DEMO-003", 2_000_000_000_000);
    s.enrolled(&code.code, &SHADOW).await;
    let forged = sign(
        &s.election,
        "DEMO-003",
        [25, 5, 30, 40],
        &SHADOW,
        Some((&v1, "Erreur de report.".into())),
    );
    assert_eq!(s.submit(forged.to_bytes()).await.status(), 201);
    let (record, published) = published(&s).await;
    let report = verify(&record, Some(&published));
    assert!(report.holds(), "{:?}", report.problems);
    assert!(
        report
            .other_key_versions
            .iter()
            .any(|v| v.bureau == "DEMO-003" && v.version == 2)
    );
    let fr = render(Lang::Fr, &report);
    assert!(
        fr.contains("bureau DEMO-003 : code réémis par la ligne de commande du serveur le"),
        "{fr}"
    );
    assert!(fr.contains("bureau DEMO-003, version 2"), "{fr}");

    // The genuine phone: everything it holds checks out, and it learns its
    // bureau's code was reissued, then another key enrolled, after its own.
    let head = genuine.body.tree_size.unwrap();
    let log: BureauLog = s
        .get_json(&format!("log/bureau?bureau=DEMO-003&from={head}"))
        .await;
    let bytes = v1.to_bytes();
    let own = public_key_hex(&[22; 32]);
    let checked = check_bureau_log_with(
        &log,
        &Witness {
            election_hash: s.election.hash(),
            bureau: "DEMO-003",
            server_key: &s.key,
            own_key: &own,
            kept: None,
            receipts: vec![(&bytes, &genuine)],
        },
        &Ed25519,
    )
    .unwrap();
    assert!(
        matches!(
            checked.since_own.as_slice(),
            [KeyChange::Reissued { .. }, KeyChange::Rekeyed { key, .. }] if *key == public_key_hex(&SHADOW)
        ),
        "{:?}",
        checked.since_own
    );
    assert!(
        checked
            .returns
            .iter()
            .any(|r| r.version == 2 && r.other_key)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_return_removed_and_the_log_renumbered_is_shown_by_a_receipt_and_by_a_watcher() {
    let s = election_night().await;
    let origin = s.base.trim_end_matches("/api/v1").to_owned();
    let kept = night_return(&s, "DEMO-003");
    let receipt = receipt_of(&s, &kept).await;
    // A candidate's team watches the honest server.
    let dir = tempfile::tempdir().unwrap();
    let look = |origin: String, state: std::path::PathBuf| async move {
        tokio::task::spawn_blocking(move || {
            let state = watch::State::open(&state).unwrap();
            watch::look(&origin, None, None, &state)
        })
        .await
        .unwrap()
    };
    let first = look(origin.clone(), dir.path().to_path_buf()).await;
    assert!(matches!(first, Ok(Seen::First(_))), "{first:?}");

    // The operator removes DEMO-002's return, numbers the log again and
    // restarts the server on it.
    let gone = night_return(&s, "DEMO-002");
    remove_return(&s.data_dir, gone.id());
    let base = serve_again(&s.data_dir).await;
    let again = base.trim_end_matches("/api/v1").to_owned();
    let forged = reqwest::get(format!("{base}/record"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // In itself, the rewritten record is consistent: signed again whole.
    let alone = verify(&forged, None);
    assert!(alone.holds(), "{:?}", alone.problems);
    // Not with the receipt DEMO-003's phone holds.
    let held = Held {
        receipts: vec![receipt.clone()],
        ..Held::default()
    };
    let report = verify_held(&forged, None, &held);
    assert_eq!(
        report.problems,
        vec![Problem::ReceiptContradicted {
            bureau: "DEMO-003".into(),
            version: 1,
            sequence: receipt.body.sequence,
        }]
    );
    // The command says it, from the receipt file, and exits 1.
    let file = dir.path().join("receipt.json");
    std::fs::write(&file, serde_json::to_string(&receipt).unwrap()).unwrap();
    let bin = env!("CARGO_BIN_EXE_pointage-verify");
    let out = tokio::task::spawn_blocking({
        let (again, file) = (again.clone(), file.clone());
        move || {
            std::process::Command::new(bin)
                .args(["--receipt".into(), file.display().to_string(), again])
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("le registre a été réécrit"), "{text}");
    // And the watcher that saw the honest head reports the fork.
    let second = look(again, dir.path().to_path_buf()).await;
    assert!(matches!(second, Err(WatchError::Fork { .. })), "{second:?}");
    // Its heads file, given to the verifier, says it too.
    let heads = watch::read_heads(&dir.path().join("heads.jsonl")).unwrap();
    let report = verify_held(
        &forged,
        None,
        &Held {
            heads,
            ..Held::default()
        },
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| matches!(p, Problem::HeadContradicted { .. })),
        "{:?}",
        report.problems
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn terminal_escapes_in_a_record_fail_it_and_are_printed_escaped() {
    let s = election_night().await;
    let record = s.record().await;
    // The operator's definition: a candidate's name that clears the screen
    // and writes a verdict of its own; a damaged line naming a "bureau"
    // with a raw escape and a right-to-left override.
    let doctored = record.replacen(
        "\"name\":\"Camille Moreau\"",
        "\"name\":\"\\u001b[2J\\u001b[HTOUT CONCORDE\"",
        1,
    ) + "{\"bureau\":\"\u{1b}[32mOK\u{202e}\"}\n";
    assert_ne!(doctored, record);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("record.jsonl");
    std::fs::write(&file, &doctored).unwrap();
    let bin = env!("CARGO_BIN_EXE_pointage-verify");
    let out = std::process::Command::new(bin).arg(&file).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("\\u{1b}[32mOK\\u{202e}"), "{text}");
    assert!(text.contains("ANOMALIE"), "{text}");
    assert!(!text.contains("TOUT CONCORDE"), "{text}");
    assert!(text.contains("caractère de contrôle"), "{text}");
}
