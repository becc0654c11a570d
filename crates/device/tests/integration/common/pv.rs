//! The PV session driven as its screens drive it: a PV typed by two
//! people, kept, reviewed and signed with the test bureau key.

use ed25519_dalek::{Signer as _, SigningKey};
use futures_executor::block_on;
use pointage_core::signature::{Ed25519, SignatureCheck, Verified, Verifier};
use pointage_core::{Field, Members};
use pointage_device::pv::Draft;
use pointage_device::pv_session::{Edit, EditError, PvSession, PvSignError, Turn};
use pointage_device::{MemStore, Signer};
use std::collections::BTreeMap;

use super::election;

pub const SECRET: [u8; 32] = [1; 32];

pub fn open(s: &MemStore) -> PvSession {
    let e = election();
    PvSession::open(s, &e.hash, "001").unwrap()
}

/// Everything a person types for a PV that breaks no rule.
pub fn typed(name: &str, blancs: &str) -> Draft {
    Draft {
        name: name.into(),
        values: vec![
            (Field::Inscrits, "200".into()),
            (Field::Emargements, "100".into()),
            (Field::Enveloppes, "100".into()),
            (Field::Blancs, blancs.into()),
            (Field::Nuls, "0".into()),
            (Field::Voix("a".into()), "60".into()),
            (Field::Voix("b".into()), "38".into()),
            (Field::Exprimes, "98".into()),
        ],
        members: Members {
            president: " Awa Diallo ".into(),
            secretaire: "Bruno Petit".into(),
            assesseurs: vec!["Chloé".into(), "  ".into(), "Djamel".into()],
        },
        observations: " RAS. ".into(),
    }
}

/// Reads `draft` in the form of `mode`, and keeps the step.
pub fn enter(s: &MemStore, pv: &mut PvSession, mode: &Turn, draft: &Draft) {
    let candidates = election().candidates;
    // The second person gives their name at the hand-over first.
    if matches!(mode, Turn::Second(_))
        && matches!(
            pv.screen(),
            pointage_device::pv_session::Screen::Handover(_)
        )
    {
        let here = pv.hand_over(&draft.name).unwrap();
        edit(s, pv, here).unwrap();
    }
    let step = pv.typed_step(mode, draft, &candidates).unwrap();
    edit(s, pv, Edit::Step(step)).unwrap();
}

pub fn edit(s: &MemStore, pv: &mut PvSession, e: Edit) -> Result<(), EditError> {
    let entry = block_on(pv.store().edit(s, pv.version(), e))?;
    pv.edited(entry);
    Ok(())
}

/// Signs with the test bureau key, and checks with dalek.
pub struct TestSigner {
    pub secret: [u8; 32],
    pub works: bool,
}

impl Signer for TestSigner {
    async fn sign(&self, message: Vec<u8>) -> Option<Vec<u8>> {
        self.works.then(|| {
            SigningKey::from_bytes(&self.secret)
                .sign(&message)
                .to_bytes()
                .to_vec()
        })
    }
    async fn verified(&self, checks: Vec<SignatureCheck>) -> Verified {
        Verified(checks.into_iter().filter(|c| Ed25519.holds(c)).collect())
    }
}

/// The bureau's own key, signing as it should.
pub const WORKS: TestSigner = TestSigner {
    secret: SECRET,
    works: true,
};

pub fn key() -> String {
    pointage_core::signed_return::public_key_hex(&SECRET)
}

/// Both typists enter the figures of `first` (typed by Awa): Awa, then
/// Bruno after the hand-over, the two entries agreeing.
pub fn enter_both(s: &MemStore, pv: &mut PvSession, first: &Draft) {
    enter(s, pv, &Turn::First, first);
    let mut second = first.clone();
    second.name = "Bruno".into();
    enter(s, pv, &Turn::Second(first.name.clone()), &second);
}

/// Two entries that agree, reviewed.
pub fn agreed(s: &MemStore) -> PvSession {
    let mut pv = open(s);
    enter_both(s, &mut pv, &typed("Awa", "2"));
    pv
}

pub fn sign(s: &MemStore, pv: &mut PvSession, signer: &TestSigner) -> Result<(), PvSignError> {
    let e = election();
    let unsigned = pv
        .unsigned(
            &e,
            &key(),
            (None, &[]),
            None,
            BTreeMap::new(),
            1_800_000_000_000,
        )
        .unwrap();
    let signed = block_on(pv.store().sign(s, pv.returns(), unsigned, signer))?;
    pv.signed(signed);
    Ok(())
}
