//! What the device's tests share: genuinely signed, chained versions (the
//! rules are not the store's concern: it keeps what was signed), and the
//! election the PV sessions are for.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod pv;

use pointage_core::signed_return::RETURN_FORMAT;
use pointage_core::{EnteredBy, Mode, ProcesVerbal, ReturnBody, SignedReturn};

pub const SECRET: [u8; 32] = [7; 32];

/// A genuinely signed return of `version` (the rules are not the store's
/// concern: it keeps what was signed).
pub fn signed(version: u32) -> SignedReturn {
    chained(version, None, version)
}

/// Version `version`, replacing `after` when given, with `blancs` to tell
/// two versions of one number apart.
pub fn chained(version: u32, after: Option<&SignedReturn>, blancs: u32) -> SignedReturn {
    let body = ReturnBody {
        format: RETURN_FORMAT.into(),
        election_id: "demo".into(),
        election_hash: "ab".repeat(32),
        mode: Mode::Test,
        bureau: "B1".into(),
        version,
        replaces: after.map(|a| pointage_core::Replaces {
            id: a.id().to_owned(),
            reason: "correction".into(),
        }),
        pv: ProcesVerbal {
            blancs: Some(blancs),
            ..ProcesVerbal::default()
        },
        explanations: Default::default(),
        tally: None,
        entered_by: EnteredBy {
            first: "Awa".into(),
            second: "Bruno".into(),
        },
        device_key: pointage_core::signed_return::public_key_hex(&SECRET),
        signed_at: 1,
    };
    SignedReturn::seal_unchecked(body, &SECRET).unwrap()
}

/// An election of candidates `a` and `b` and one bureau, `001`, of 200
/// registered voters, as its phone keeps it.
pub fn election() -> pointage_core::ElectionView {
    pointage_testkit::one_bureau("e", "Test", &["a", "b"], Some(200))
        .view_for("001")
        .unwrap()
}

/// A small deterministic random source (xorshift64*): every walk replays.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}
