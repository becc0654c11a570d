//! A model-based walk through the bureau phone's outbox over the storage
//! port, like core's double-entry walk: random steps (sign the next
//! version, look for what is due, a receipt, a failure, a refusal for good,
//! a retry asked by hand, the network back, a reload in another tab), and
//! after every step the state is read back from the disk alone and compared
//! with a plain model: no kept version is ever lost, a version leaves only
//! on its receipt, versions go in order, and a parked one is not due.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Rng, chained};
use futures_executor::block_on;
use pointage_core::ServerSigner;
use pointage_core::signature::Ed25519;
use pointage_core::wire::ErrorCode;
use pointage_device::MemStore;
use pointage_device::pv::PvStore;

/// What the outbox must hold, by the rules, without storage.
#[derive(Default)]
struct Model {
    /// Every version signed, oldest first, with whether it has its receipt.
    versions: Vec<(String, bool)>,
    parked: bool,
}

impl Model {
    fn pending(&self) -> Vec<String> {
        self.versions
            .iter()
            .filter(|(_, received)| !received)
            .map(|(id, _)| id.clone())
            .collect()
    }
}

#[test]
fn random_walks_through_the_outbox_never_lose_or_reorder_a_version() {
    let server = ServerSigner::new(&[9; 32]);
    let server_key = server.public_key();
    let mut steps_taken = [0usize; 7];
    for seed in 1..=120u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut s = MemStore::new();
        let store = PvStore::new("h1", "B1");
        let mut model = Model::default();
        let mut signed = Vec::new();
        let mut sequence = 0;
        // Far apart: any backoff has passed at the next step.
        let mut now = 0u64;
        for _ in 0..40 {
            now += 1_000_000_000;
            let step = rng.below(7) as usize;
            steps_taken[step] += 1;
            match step {
                // Sign the next version (never more than five).
                0 if signed.len() < 5 => {
                    let n = signed.len() as u32 + 1;
                    let ret = chained(n, signed.last(), n);
                    block_on(store.store_signed(&s, &signed, &ret)).unwrap();
                    model.versions.push((ret.id().to_owned(), false));
                    signed.push(ret);
                }
                // The server acknowledges what is due.
                1 => {
                    let due = store.due(&s, now);
                    let expected = (!model.parked)
                        .then(|| model.pending().first().cloned())
                        .flatten();
                    assert_eq!(
                        due.as_ref().map(|(id, _)| id.clone()),
                        expected,
                        "seed {seed}: due"
                    );
                    if let Some((id, _)) = due {
                        let ret = signed.iter().find(|r| r.id() == id).unwrap();
                        sequence += 1;
                        let receipt = server.sign(ret, sequence, now, &[0; 32]).unwrap();
                        block_on(store.acknowledge(&s, receipt, &server_key, &Ed25519)).unwrap();
                        model.versions.iter_mut().find(|(v, _)| *v == id).unwrap().1 = true;
                        model.parked = false;
                    }
                }
                // A receipt from a stranger's key changes nothing.
                2 => {
                    if let Some((id, _)) = store.due(&s, now) {
                        let ret = signed.iter().find(|r| r.id() == id).unwrap();
                        let forged = ServerSigner::new(&[4; 32])
                            .sign(ret, 99, now, &[0; 32])
                            .unwrap();
                        assert!(
                            block_on(store.acknowledge(&s, forged, &server_key, &Ed25519)).is_err()
                        );
                    }
                }
                // A send fails (no network, a server error).
                3 => {
                    block_on(store.failed(&s, now, rng.below(1001) as u16));
                }
                // Refused for good: the front version is parked.
                4 if !model.pending().is_empty() => {
                    block_on(store.refused(&s, ErrorCode::ReturnKeyNotEnrolled)).unwrap();
                    model.parked = true;
                }
                // Someone asks for a send again; or the network comes back.
                5 => {
                    if rng.below(2) == 0 {
                        block_on(store.unpark(&s)).unwrap();
                        model.parked = false;
                    } else {
                        block_on(store.network_back(&s));
                    }
                }
                // Another tab, or the phone after a restart.
                _ => s = s.disk().open(),
            }
            // Read back from the disk alone, as a restarted phone would.
            let fresh = s.disk().open();
            let back = store.load(&fresh).unwrap();
            let ids: Vec<String> = back.returns.iter().map(|r| r.id().to_owned()).collect();
            let modelled: Vec<String> = model.versions.iter().map(|(id, _)| id.clone()).collect();
            assert_eq!(ids, modelled, "seed {seed}: kept versions");
            assert_eq!(
                store.pending(&fresh),
                model.pending(),
                "seed {seed}: outbox"
            );
            let received: Vec<String> = store
                .receipts(&fresh)
                .iter()
                .map(|r| r.body.return_id.clone())
                .collect();
            let modelled_received: Vec<String> = model
                .versions
                .iter()
                .filter(|(_, r)| *r)
                .map(|(id, _)| id.clone())
                .collect();
            assert_eq!(received, modelled_received, "seed {seed}: receipts");
            assert_eq!(
                store.parked(&fresh).is_some(),
                model.parked && !model.pending().is_empty(),
                "seed {seed}: parked"
            );
        }
    }
    // Every kind of step was taken, many times over.
    assert!(steps_taken.iter().all(|&n| n > 300), "{steps_taken:?}");
}
