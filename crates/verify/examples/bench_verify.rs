//! `cargo run --profile server -p pointage-verify --example bench_verify`:
//! the verifier on a national election's record, 70,000 bureaux each with a
//! signed return and its receipt, made here as the server makes them
//! (docs/return-format.md, section 7). Prints the time of `verify` alone,
//! best and median of three runs, against the 5 s goal.

use pointage_core::signed_return::public_key_hex;
use pointage_core::{
    Bureau, Candidate, DoubleEntry, Election, ElectionInfo, Members, Mode, ProcesVerbal,
    ReceiptSigner, ReturnDraft, SignedReturn,
};
use rayon::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Instant;

const BUREAUX: usize = 70_000;
const CANDIDATES: usize = 12;
const GOAL_SECONDS: f64 = 5.0;

fn fail(what: &str) -> ! {
    eprintln!("bench_verify: {what}");
    std::process::exit(1)
}

fn election() -> Election {
    Election::new(ElectionInfo {
        id: "bench-national".into(),
        name: "Élection nationale (banc d'essai)".into(),
        round: 1,
        date: "2027-04-11".into(),
        mode: Mode::Test,
        candidates: (0..CANDIDATES)
            .map(|i| Candidate {
                id: format!("c{i:02}"),
                panel: i as u32 + 1,
                name: format!("Candidate {i}"),
            })
            .collect(),
        bureaux: (0..BUREAUX)
            .map(|i| Bureau {
                code: format!("{:03}-{:04}", i / 1000, i % 1000),
                name: format!("Bureau {i}"),
                commune: format!("Commune {}", i / 3),
                inscrits: Some(1_000),
            })
            .collect(),
    })
    .unwrap_or_else(|e| fail(&e.to_string()))
}

fn secret(i: usize) -> [u8; 32] {
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
    s[31] = 7;
    s
}

fn pv(seed: usize) -> ProcesVerbal {
    let mut voix = BTreeMap::new();
    let mut exprimes = 0;
    for c in 0..CANDIDATES {
        let n = 20 + ((seed * 7 + c * 13) % 60) as u32;
        exprimes += n;
        voix.insert(format!("c{c:02}"), Some(n));
    }
    ProcesVerbal {
        inscrits: Some(1_000),
        emargements: Some(exprimes + 10),
        enveloppes: Some(exprimes + 10),
        blancs: Some(6),
        nuls: Some(4),
        exprimes: Some(exprimes),
        voix,
        contributions_cents: None,
        members: Members {
            president: "Awa Diallo".into(),
            secretaire: "Bruno Petit".into(),
            assesseurs: vec!["Chloé Martin".into(), "Djamel Haddad".into()],
        },
        observations: String::new(),
    }
}

fn record(e: &Election) -> String {
    let server = ReceiptSigner::new(&[3; 32]);
    let returns: Vec<(String, SignedReturn)> = (0..BUREAUX)
        .into_par_iter()
        .map(|i| {
            let bureau = format!("{:03}-{:04}", i / 1000, i % 1000);
            let p = pv(i);
            let entry = DoubleEntry::new()
                .finish_first("Awa Diallo", p.clone())
                .and_then(|d| d.finish_second("Bruno Petit", p))
                .unwrap_or_else(|e| fail(&e.to_string()));
            let draft = ReturnDraft {
                tables: &[],
                bureau: &bureau,
                entry: &entry,
                explanations: BTreeMap::new(),
                tally: None,
                correction: None,
            };
            let r = SignedReturn::sign(e, draft, &secret(i), 1_800_000_000_000)
                .unwrap_or_else(|e| fail(&e.to_string()));
            (bureau, r)
        })
        .collect();
    let mut text = String::new();
    let mut line = |v: serde_json::Value| {
        let _ = writeln!(text, "{v}");
    };
    line(json!({ "type": "election", "hash": e.hash(), "definition": e }));
    line(json!({ "type": "server_key", "public_key": server.public_key() }));
    for (i, (bureau, _)) in returns.iter().enumerate() {
        line(json!({
            "type": "device_key", "bureau": bureau, "public_key": public_key_hex(&secret(i)),
            "current": true, "enrolled_after": 0, "revoked_after": null,
        }));
    }
    for (n, (_, r)) in returns.iter().enumerate() {
        let sequence = n as u64 + 1;
        let receipt = server
            .sign(r, sequence, 1_800_000_000_000 + sequence)
            .unwrap_or_else(|e| fail(&e.to_string()));
        let ret: serde_json::Value =
            serde_json::from_slice(&r.to_bytes()).unwrap_or_else(|e| fail(&e.to_string()));
        line(json!({ "type": "return", "sequence": sequence, "return": ret, "receipt": receipt }));
    }
    text
}

fn main() {
    let setup = Instant::now();
    let e = election();
    let text = record(&e);
    eprintln!(
        "bench_verify: a record of {BUREAUX} returns ({:.1} MB) made in {:.1} s",
        text.len() as f64 / 1e6,
        setup.elapsed().as_secs_f64()
    );
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let report = pointage_verify::verify(&text, None);
        times.push(t.elapsed().as_secs_f64());
        if !report.holds() || report.accepted != BUREAUX {
            fail(&format!(
                "the record does not hold: {:?}",
                report.problems.first()
            ));
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "verify {BUREAUX} returns on {} threads: best {:.2} s, median {:.2} s (goal ≤ {GOAL_SECONDS} s){}",
        rayon::current_num_threads(),
        times[0],
        times[1],
        if times[1] <= GOAL_SECONDS {
            ""
        } else {
            " — OVER THE GOAL"
        }
    );
}
