//! `cargo run --profile server -p pointage-verify --example bench_verify`:
//! the verifier on a national election's record, 70,000 bureaux each with
//! its key and a signed return, the log made here as the server makes it
//! (docs/return-format.md, section 7). Prints the time of `verify` alone,
//! best and median of three runs, against the 5 s goal.

use pointage_core::log::{LogEntry, RecordLine, Tree, TreeHead, leaf_hash, return_entry_bytes};
use pointage_core::signed_return::public_key_hex;
use pointage_core::{Election, ServerSigner, SignedReturn};
use pointage_testkit as kit;
use rayon::prelude::*;
use std::fmt::Write;
use std::time::Instant;

const BUREAUX: usize = kit::NATIONAL_BUREAUX;
const CANDIDATES: usize = kit::NATIONAL_CANDIDATES;
const GOAL_SECONDS: f64 = 5.0;

fn fail(what: &str) -> ! {
    eprintln!("bench_verify: {what}");
    std::process::exit(1)
}

fn record(e: &Election) -> String {
    let server = ServerSigner::new(&[3; 32]);
    let returns: Vec<(String, SignedReturn)> = (0..BUREAUX)
        .into_par_iter()
        .map(|i| {
            let bureau = kit::bureau_code(i);
            let p = kit::plausible_pv(i, CANDIDATES);
            let r = kit::signed_return(
                e,
                &bureau,
                p,
                &kit::device_secret("verify bench", i),
                1_800_000_000_000,
            );
            (bureau, r)
        })
        .collect();
    // The log as a server writes it: the opening, every key, every return.
    let at = 1_800_000_000_000;
    let mut entries = vec![LogEntry::Election {
        at,
        election_id: e.id().into(),
        election_hash: e.hash().into(),
        server_key: server.public_key(),
    }];
    entries.extend(
        returns
            .iter()
            .enumerate()
            .map(|(i, (bureau, _))| LogEntry::Key {
                at,
                bureau: bureau.clone(),
                device_key: public_key_hex(&kit::device_secret("verify bench", i)),
                from: None,
            }),
    );
    let leaves: Vec<Vec<u8>> = entries
        .iter()
        .map(|en| en.leaf_bytes().unwrap_or_else(|e| fail(&e.to_string())))
        .chain(
            returns
                .iter()
                .map(|(_, r)| return_entry_bytes(at, &r.to_bytes())),
        )
        .collect();
    let mut tree = Tree::new();
    for l in &leaves {
        tree.push(leaf_hash(l));
    }
    let root = tree.root(tree.len()).unwrap_or_else(|| fail("no root"));
    let head = server
        .sign_head(TreeHead::new(e.hash(), tree.len(), &root, at))
        .unwrap_or_else(|e| fail(&e.to_string()));
    let mut text = String::new();
    for line in [
        RecordLine::Definition {
            hash: e.hash().into(),
            definition: serde_json::to_value(e).unwrap_or_else(|e| fail(&e.to_string())),
        },
        RecordLine::Head(head),
    ] {
        let _ = writeln!(
            text,
            "{}",
            serde_json::to_string(&line).unwrap_or_else(|e| fail(&e.to_string()))
        );
    }
    for (i, l) in leaves.iter().enumerate() {
        text.push_str(&String::from_utf8_lossy(&RecordLine::leaf_line(
            i as u64, l,
        )));
        text.push('\n');
    }
    text
}

fn main() {
    let setup = Instant::now();
    let e = kit::national();
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
