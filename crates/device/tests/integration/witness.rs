//! The phone as the log's witness (`witness.rs`): what it says of its
//! bureau's part of the log, as an honest or a dishonest server shows it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{SECRET, signed};
use futures_executor::block_on;
use pointage_core::log::{BureauLog, Consistency, LogEntry, ProvenLeaf, Tree, TreeHead, to_hex};
use pointage_core::signature::Ed25519;
use pointage_core::signed_return::public_key_hex;
use pointage_core::{Receipt, ServerSigner, SignedReturn};
use pointage_device::MemStore;
use pointage_device::pv::PvStore;
use pointage_device::witness::{Broken, Verdict, WitnessStore};

const ELECTION: &str = "abababababababababababababababababababababababababababababababab";

/// A server's log, kept as the server keeps it.
struct Log {
    entries: Vec<LogEntry>,
    tree: Tree,
    signer: ServerSigner,
}

impl Log {
    fn new(secret: u8) -> Self {
        let mut l = Log {
            entries: Vec::new(),
            tree: Tree::new(),
            signer: ServerSigner::new(&[secret; 32]),
        };
        l.push(LogEntry::Election {
            at: 1,
            election_id: "demo".into(),
            election_hash: ELECTION.into(),
            server_key: l.signer.public_key(),
        });
        l
    }

    fn push(&mut self, e: LogEntry) -> u64 {
        self.tree.push(e.leaf_hash().unwrap());
        self.entries.push(e);
        self.tree.len() - 1
    }

    fn key(&mut self, secret: &[u8; 32], at: u64) {
        self.push(LogEntry::Key {
            at,
            bureau: "B1".into(),
            device_key: public_key_hex(secret),
            from: None,
        });
    }

    /// Stores a return and signs its receipt.
    fn take(&mut self, r: &SignedReturn, at: u64) -> Receipt {
        let ret = serde_json::from_slice(&r.to_bytes()).unwrap();
        let i = self.push(LogEntry::Return { at, ret });
        self.signer
            .sign(r, i, at, &self.tree.root(i + 1).unwrap())
            .unwrap()
    }

    /// `GET /log/bureau?bureau=B1&from=…`, as a server answers it.
    fn bureau(&self, from: &[u64]) -> BureauLog {
        let n = self.tree.len();
        let head = self
            .signer
            .sign_head(TreeHead::new(
                ELECTION,
                n,
                &self.tree.root(n).unwrap(),
                self.entries.last().unwrap().at(),
            ))
            .unwrap();
        let leaves = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.bureau() == Some("B1"))
            .map(|(i, e)| ProvenLeaf {
                index: i as u64,
                entry: e.clone(),
                proof: to_hex(&self.tree.inclusion(i as u64, n).unwrap()),
            })
            .collect();
        let mut log = BureauLog {
            bureau: "B1".into(),
            head,
            leaves,
            // As the server: no proof from a size it does not reach.
            consistency: from
                .iter()
                .filter_map(|f| {
                    Some(Consistency {
                        from: *f,
                        proof: to_hex(&self.tree.consistency(*f, n)?),
                    })
                })
                .collect(),
            signature: String::new(),
        };
        log.signature = self.signer.sign_listing(&log.listing()).unwrap();
        log
    }
}

/// A phone of bureau B1 whose version 1 the server took.
fn phone(log: &mut Log) -> (MemStore, WitnessStore, SignedReturn) {
    let s = MemStore::new();
    let pv = PvStore::new(ELECTION, "B1");
    let v1 = signed(1);
    block_on(pv.store_signed(&s, &[], &v1)).unwrap();
    log.key(&SECRET, 5);
    let receipt = log.take(&v1, 10);
    block_on(pv.acknowledge(&s, receipt, &log.signer.public_key(), &Ed25519)).unwrap();
    (s, WitnessStore::new(ELECTION, "B1"), v1)
}

fn check(s: &MemStore, w: &WitnessStore, log: &Log, now: u64) -> Verdict {
    let answer = log.bureau(&w.from_sizes(s));
    block_on(w.check(
        s,
        &answer,
        ELECTION,
        "B1",
        &public_key_hex(&SECRET),
        // The key the phone got at enrollment.
        &ServerSigner::new(&[9; 32]).public_key(),
        &Ed25519,
        now,
    ))
    .unwrap()
}

#[test]
fn an_honest_log_holds_and_its_newest_head_is_kept_check_after_check() {
    let mut log = Log::new(9);
    let (s, w, _) = phone(&mut log);
    assert!(w.due(&s, 100));
    assert_eq!(check(&s, &w, &log, 100), Verdict::Holds { versions: 1 });
    assert_eq!(w.record(&s).kept.unwrap().head.tree_size, 3);
    assert!(!w.due(&s, 100 + 60_000));
    assert!(w.due(&s, 100 + 120_000));
    // Other bureaux' leaves later: the new head extends the one kept.
    log.push(LogEntry::Key {
        at: 20,
        bureau: "B2".into(),
        device_key: public_key_hex(&[3; 32]),
        from: None,
    });
    assert_eq!(w.from_sizes(&s), vec![3]);
    assert_eq!(check(&s, &w, &log, 200_000), Verdict::Holds { versions: 1 });
    assert_eq!(w.record(&s).kept.unwrap().head.tree_size, 4);
}

#[test]
fn a_log_rewritten_under_the_phone_is_said_and_its_evidence_kept() {
    let mut log = Log::new(9);
    let other = LogEntry::Key {
        at: 2,
        bureau: "B2".into(),
        device_key: public_key_hex(&[3; 32]),
        from: None,
    };
    log.push(other.clone());
    let (s, w, v1) = phone(&mut log);
    assert_eq!(check(&s, &w, &log, 100), Verdict::Holds { versions: 1 });
    // The operator removes B2's leaf and signs the log again: the
    // phone's return moved, the heads it held are no longer the start.
    let mut forged = Log::new(9);
    forged.key(&SECRET, 5);
    forged.take(&v1, 10);
    let verdict = check(&s, &w, &forged, 200_000);
    assert!(
        matches!(
            verdict,
            Verdict::Broken {
                why: Broken::Rewritten | Broken::ReturnMissing
            }
        ),
        "{verdict:?}"
    );
    let kept = w.record(&s);
    assert_eq!(
        kept.kept.unwrap().head.tree_size,
        4,
        "the honest head stays"
    );
    assert!(kept.evidence.is_some());
    // Another server's key signs nothing the phone takes.
    let mut stranger = Log::new(8);
    stranger.push(other);
    stranger.key(&SECRET, 5);
    stranger.take(&v1, 10);
    assert_eq!(
        check(&s, &w, &stranger, 300_000),
        Verdict::Broken {
            why: Broken::NotSigned
        }
    );
}

#[test]
fn a_phone_enrolled_after_its_bureaus_code_was_reissued_holds() {
    let mut log = Log::new(9);
    log.key(&[66; 32], 2);
    log.push(LogEntry::Reissue {
        at: 3,
        bureau: "B1".into(),
        revoked_key: Some(public_key_hex(&[66; 32])),
        by: None,
    });
    let (s, w, _) = phone(&mut log);
    assert_eq!(check(&s, &w, &log, 100), Verdict::Holds { versions: 1 });
}

#[test]
fn another_phone_enrolled_for_the_bureau_is_said_with_its_time() {
    let mut log = Log::new(9);
    let (s, w, _) = phone(&mut log);
    // A shadow key, beside this phone's.
    log.key(&[66; 32], 40);
    assert_eq!(
        check(&s, &w, &log, 100),
        Verdict::OtherPhone {
            at: 40,
            reissued: None
        }
    );
    // A reissue, then another phone: this one is no longer the bureau's.
    let mut log = Log::new(9);
    let (s, w, _) = phone(&mut log);
    log.push(LogEntry::Reissue {
        at: 30,
        bureau: "B1".into(),
        revoked_key: Some(public_key_hex(&SECRET)),
        by: None,
    });
    assert_eq!(check(&s, &w, &log, 100), Verdict::Reissued { at: 30 });
    log.key(&[66; 32], 45);
    assert_eq!(
        check(&s, &w, &log, 300_000),
        Verdict::OtherPhone {
            at: 45,
            reissued: Some(30)
        }
    );
}
