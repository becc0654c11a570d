//! `cargo xtask bench` runs this (optimised): how many signed returns one core
//! decodes and verifies per second, the server's work on election night. The
//! election is national-sized (70,000 bureaux, 12 candidates) so that looking
//! up the bureau and the definition's hash cost what they will on the night.
//! Each return is decoded from its bytes (canonical check, signature) and
//! then checked (election, bureau, key, rules, explanations, version chain).

use pointage_core::signed_return::public_key_hex;
use pointage_core::{ProcesVerbal, SignedReturn};
use pointage_testkit as kit;
use std::hint::black_box;
use std::time::Instant;

const BUREAUX: usize = kit::NATIONAL_BUREAUX;
const CANDIDATES: usize = kit::NATIONAL_CANDIDATES;
const RETURNS: usize = 2_000;
const ROUNDS: usize = 5;
const TARGET_PER_SECOND: f64 = 20_000.0;
const SECRET: [u8; 32] = [5; 32];

fn fail(what: &str) -> ! {
    eprintln!("bench_returns: {what}");
    std::process::exit(1)
}

fn main() {
    let e = kit::national();
    let key = public_key_hex(&SECRET);
    let returns: Vec<Vec<u8>> = (0..RETURNS)
        .map(|i| {
            let p = ProcesVerbal {
                observations: "RAS.".into(),
                ..kit::plausible_pv(i, CANDIDATES)
            };
            let code = e.bureaux()[i * (BUREAUX / RETURNS)].code.clone();
            kit::signed_return(&e, &code, p, &SECRET, 1_800_000_000_000).to_bytes()
        })
        .collect();
    let size = returns.iter().map(Vec::len).sum::<usize>() / RETURNS;

    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for bytes in &returns {
                let r = SignedReturn::from_bytes(black_box(bytes))
                    .unwrap_or_else(|e| fail(&e.to_string()));
                if let Err(err) = r.check(&e, &key, None) {
                    fail(&err.to_string());
                }
                black_box(r);
            }
            RETURNS as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    let per_second = rounds[ROUNDS / 2];
    println!(
        "return verify + decode: {per_second:.0} returns/s on one core ({:.1} µs each, {size} bytes, {BUREAUX} bureaux in the election); target {TARGET_PER_SECOND:.0}/s: {}",
        1e6 / per_second,
        if per_second >= TARGET_PER_SECOND {
            "met"
        } else {
            "NOT MET"
        }
    );
    println!(
        "  of which the Ed25519 check alone (key decoding + verify_strict): {:.1} µs; all {BUREAUX} bureaux on one core: {:.1} s",
        signature_us(&returns),
        BUREAUX as f64 / per_second
    );
}

/// The floor the crypto sets: decoding the device key and `verify_strict`
/// over the same bytes, with nothing else.
fn signature_us(returns: &[Vec<u8>]) -> f64 {
    use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
    let key = SigningKey::from_bytes(&SECRET);
    let public = key.verifying_key().to_bytes();
    let signed: Vec<_> = returns.iter().map(|b| (b, key.sign(b))).collect();
    let start = Instant::now();
    for (bytes, sig) in &signed {
        let ok = VerifyingKey::from_bytes(black_box(&public))
            .and_then(|k| k.verify_strict(black_box(bytes), sig));
        if ok.is_err() {
            fail("the reference signature does not verify");
        }
    }
    start.elapsed().as_secs_f64() * 1e6 / signed.len() as f64
}
