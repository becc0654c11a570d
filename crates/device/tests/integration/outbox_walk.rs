//! A model-based walk through the bureau phone's outbox over the storage
//! port, like core's double-entry walk: random steps (sign the next
//! version, look for what is due, a receipt, a failure, a refusal for good,
//! a retry asked by hand, the network back, a reload in another tab), and
//! after every step the state is read back from the disk alone and compared
//! with a plain model: no kept version is ever lost, a version leaves only
//! on its receipt, versions go in order, and a parked one is not due.
//!
//! Then the bureau's send policy itself (device's `outbox::send_due`)
//! against a simulated server: core's chain rule, versions of this bureau
//! the phone lost (taken back once a round), no network, a revoked key.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{Rng, chained};
use futures_executor::block_on;
use pointage_core::ServerSigner;
use pointage_core::signature::Ed25519;
use pointage_core::signature::Verified;
use pointage_core::signed_return::ChainError;
use pointage_core::wire::ErrorCode;
use pointage_core::{Receipt, SignedReturn};
use pointage_device::MemStore;
use pointage_device::outbox::{Answer, Courier, Kind, Outgoing, SendError, Sending, send_due};
use pointage_device::pv::PvStore;
use std::cell::{Cell, RefCell};

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

/// The central server as the outbox meets it: core's chain rule, the same
/// receipt for a version sent twice, no network, or the bureau's key
/// revoked (a refusal for good).
struct Server {
    signer: ServerSigner,
    held: Vec<(SignedReturn, Receipt)>,
    online: bool,
    revoked: bool,
    sequence: u64,
}

impl Server {
    fn take(&mut self, ret: SignedReturn) -> Result<Receipt, SendError> {
        if !self.online {
            return Err(SendError::NoNetwork);
        }
        if self.revoked {
            return Err(SendError::Refused(ErrorCode::ReturnKeyNotEnrolled));
        }
        if let Some((_, r)) = self.held.iter().find(|(h, _)| h.id() == ret.id()) {
            return Ok(r.clone());
        }
        ret.check_chain(self.held.last().map(|(h, _)| h))
            .map_err(|e| {
                SendError::Refused(match e {
                    ChainError::VersionTaken => ErrorCode::ReturnVersionTaken,
                    ChainError::NotTheLatest => ErrorCode::ReturnNotLatest,
                    _ => ErrorCode::ReturnBrokenChain,
                })
            })?;
        self.sequence += 1;
        let receipt = self.signer.sign(&ret, self.sequence, 7, &[0; 32]).unwrap();
        self.held.push((ret, receipt.clone()));
        Ok(receipt)
    }
}

/// The phone's network, over the simulated server; counts the recoveries.
struct Net<'a> {
    server: &'a RefCell<Server>,
    s: &'a MemStore,
    store: &'a PvStore,
    recoveries: Cell<usize>,
    displaced: Cell<usize>,
}

impl Courier for Net<'_> {
    async fn send(&self, _kind: Kind, text: String) -> Result<(Receipt, Verified), SendError> {
        let ret = SignedReturn::from_bytes(text.as_bytes()).unwrap();
        let receipt = self.server.borrow_mut().take(ret)?;
        let key = self.server.borrow().signer.public_key();
        let held = Verified(receipt.signature_check(&key).ok().into_iter().collect());
        Ok((receipt, held))
    }

    async fn recover(&self) -> bool {
        self.recoveries.set(self.recoveries.get() + 1);
        if !self.server.borrow().online {
            return false;
        }
        let held = self.server.borrow().held.clone();
        let done = self.store.restore(self.s, &held).await.unwrap();
        self.displaced.set(self.displaced.get() + done.displaced);
        done.changed()
    }
}

#[test]
fn random_walks_through_the_bureau_send_policy_recover_park_and_lose_nothing() {
    let mut steps_taken = [0usize; 6];
    for seed in 1..=150u64 {
        let mut rng = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1);
        let server = RefCell::new(Server {
            signer: ServerSigner::new(&[9; 32]),
            held: Vec::new(),
            online: true,
            revoked: false,
            sequence: 0,
        });
        let server_key = server.borrow().signer.public_key();
        let s = MemStore::new();
        let store = PvStore::new("h1", "B1");
        let net = Net {
            server: &server,
            s: &s,
            store: &store,
            recoveries: Cell::new(0),
            displaced: Cell::new(0),
        };
        // Every version this phone signed, and every figure used (each
        // version differs from any other of its number).
        let mut signed: Vec<SignedReturn> = Vec::new();
        let mut blancs = 0;
        let mut now = 0u64;
        for _ in 0..30 {
            now += 1_000_000_000;
            let step = rng.below(6) as usize;
            steps_taken[step] += 1;
            let kept = store.load(&s).unwrap().returns;
            match step {
                // The bureau signs its next version, after what it holds.
                0 if kept.len() < 5 => {
                    blancs += 1;
                    let ret = chained(kept.len() as u32 + 1, kept.last(), blancs);
                    block_on(store.store_signed(&s, &kept, &ret)).unwrap();
                    signed.push(ret);
                }
                // The same bureau's version of the next number reached the
                // server from this phone's earlier life (its storage lost).
                1 if server.borrow().held.len() < 5 => {
                    blancs += 1;
                    let mut srv = server.borrow_mut();
                    let last = srv.held.last().map(|(r, _)| r.clone());
                    let ret = chained(srv.held.len() as u32 + 1, last.as_ref(), blancs);
                    let (online, revoked) = (srv.online, srv.revoked);
                    (srv.online, srv.revoked) = (true, false);
                    srv.take(ret).unwrap();
                    (srv.online, srv.revoked) = (online, revoked);
                }
                // The network goes or comes back.
                2 => {
                    let mut srv = server.borrow_mut();
                    srv.online = !srv.online;
                    if srv.online {
                        block_on(store.network_back(&s));
                    }
                }
                // The bureau's key is revoked, or enrolled again and the
                // person asks for a send.
                3 => {
                    let mut srv = server.borrow_mut();
                    srv.revoked = !srv.revoked;
                    if !srv.revoked {
                        block_on(store.unpark(&s)).unwrap();
                    }
                }
                // The outbox is looked at (a tick).
                _ => {
                    let before = store.pending(&s);
                    let parked_before = store.parked(&s).is_some();
                    let recoveries = net.recoveries.get();
                    let jitter = rng.below(1001) as u16;
                    let out = block_on(send_due(
                        &s,
                        Outgoing::Returns(&store),
                        &net,
                        &server_key,
                        now,
                        jitter,
                    ));
                    assert!(
                        net.recoveries.get() - recoveries <= 1,
                        "seed {seed}: one recovery a round at most"
                    );
                    let (online, revoked) = {
                        let srv = server.borrow();
                        (srv.online, srv.revoked)
                    };
                    if before.is_empty() || parked_before {
                        assert_eq!(out, Sending::NothingDue, "seed {seed}: nothing due");
                    } else if !online {
                        assert_eq!(out, Sending::Failed(Answer::NoNetwork), "seed {seed}");
                        assert_eq!(store.pending(&s), before, "seed {seed}: kept offline");
                    } else if revoked {
                        assert_eq!(
                            out,
                            Sending::Failed(Answer::Refused(ErrorCode::ReturnKeyNotEnrolled)),
                            "seed {seed}"
                        );
                        assert!(store.parked(&s).is_some(), "seed {seed}: parked");
                    } else {
                        // Online, enrolled: everything went, the server's
                        // versions taken back where they were ahead.
                        assert_eq!(out, Sending::Done, "seed {seed}: {before:?}");
                        assert!(store.pending(&s).is_empty(), "seed {seed}: all sent");
                        let ids = |v: &[SignedReturn]| {
                            v.iter().map(|r| r.id().to_owned()).collect::<Vec<_>>()
                        };
                        let on_server: Vec<SignedReturn> = server
                            .borrow()
                            .held
                            .iter()
                            .map(|(r, _)| r.clone())
                            .collect();
                        assert_eq!(
                            ids(&store.load(&s).unwrap().returns),
                            ids(&on_server),
                            "seed {seed}: the phone holds what the server holds"
                        );
                    }
                }
            }
            // Read back from the disk alone: no version signed here is lost
            // (on the server, waiting, or set aside by a recovery), and a
            // version left the outbox only on its receipt.
            let fresh = s.disk().open();
            let pending = store.pending(&fresh);
            let received: Vec<String> = store
                .receipts(&fresh)
                .iter()
                .map(|r| r.body.return_id.clone())
                .collect();
            let srv = server.borrow();
            let on_server = |id: &str| srv.held.iter().any(|(h, _)| h.id() == id);
            let sent = signed.iter().filter(|r| on_server(r.id())).count();
            let waiting = signed
                .iter()
                .filter(|r| pending.iter().any(|p| p == r.id()))
                .count();
            assert_eq!(
                sent + waiting + net.displaced.get(),
                signed.len(),
                "seed {seed}: every version signed is somewhere"
            );
            for id in &received {
                assert!(
                    on_server(id),
                    "seed {seed}: a receipt for {id} the server gave"
                );
            }
        }
    }
    assert!(steps_taken.iter().all(|&n| n > 300), "{steps_taken:?}");
}
