//! Signed returns and receipts: what may be signed, what verifies, and that
//! no single byte of a signed return can change without verification
//! failing. The version chain is `corrections.rs`'s.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::common::{
    BUREAU_SECRET, SERVER_SECRET, SIGNED_AT, abc, agreed, clean_pv, draft, key, signed,
};
use pointage_core::signed_return::{human_code, public_key_hex};
use pointage_core::{
    Election, ElectionInfo, Mark, Mode, Receipt, ReceiptError, ReturnDraft, RuleCode, SignError,
    SignedReturn, TallyEvent, TallyLog, VerifyError,
};
use sha2::{Digest, Sha256};

#[test]
fn an_agreed_clean_pv_is_signed_and_verifies_from_its_bytes() {
    let r = signed();
    let bytes = r.to_bytes();
    let back = SignedReturn::from_bytes(&bytes).unwrap();
    assert_eq!(back, r);
    back.check(&abc(), &key(), None).unwrap();

    let b = r.body();
    assert_eq!(
        (b.version, b.bureau.as_str(), b.mode),
        (1, "001", Mode::Test)
    );
    assert_eq!(b.election_hash, abc().hash());
    assert_eq!(
        (b.entered_by.first.as_str(), b.entered_by.second.as_str()),
        ("Awa", "Bruno")
    );
    assert_eq!(b.pv, clean_pv());
    // The id is the SHA-256 of the body's canonical bytes, which sit in the
    // envelope between `{"body":` and `,"signature":`.
    let text = String::from_utf8(bytes).unwrap();
    let body = &text["{\"body\":".len()..text.find(",\"signature\":").unwrap()];
    assert_eq!(r.id(), hex::encode(Sha256::digest(body.as_bytes())));
}

#[test]
fn a_return_prepared_then_signed_outside_core_is_the_same_signed_return() {
    use ed25519_dalek::{Signer, SigningKey};
    let entry = agreed(clean_pv());
    let unsigned = SignedReturn::prepare(&abc(), draft(&entry), &key(), SIGNED_AT).unwrap();
    assert_eq!(unsigned.body().device_key, key());
    // The signer (WebCrypto on the phone) sees only the message.
    let message = unsigned.message();
    let signature = SigningKey::from_bytes(&BUREAU_SECRET)
        .sign(&message)
        .to_bytes();
    let r = unsigned.clone().assemble(&signature).unwrap();
    assert_eq!(r, signed());
    assert_eq!(SignedReturn::from_bytes(&r.to_bytes()).unwrap(), r);

    // A signer that used another key, or gave no signature, is refused.
    let other = SigningKey::from_bytes(&[3; 32]).sign(&message).to_bytes();
    assert_eq!(
        unsigned.clone().assemble(&other),
        Err(SignError::BadSignature)
    );
    assert_eq!(
        unsigned.clone().assemble(&signature[..63]),
        Err(SignError::BadSignature)
    );
    assert_eq!(unsigned.assemble(&[0; 64]), Err(SignError::BadSignature));
    // A key that is not one is refused before anything is encoded.
    for bad in ["", "zz", &key().to_uppercase(), &key()[..62]] {
        assert_eq!(
            SignedReturn::prepare(&abc(), draft(&entry), bad, SIGNED_AT).err(),
            Some(SignError::MalformedKey),
            "{bad:?}"
        );
    }
}

#[test]
fn the_human_code_is_ten_unambiguous_characters_in_two_groups() {
    let code = signed().human_code();
    assert_eq!(code.len(), 11, "{code}");
    assert_eq!(&code[5..6], "-");
    assert!(
        code.chars()
            .filter(|c| *c != '-')
            .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)),
        "{code}"
    );
    assert_eq!(human_code(&"f".repeat(64)), "ZZZZZ-ZZZZZ");
    assert_eq!(human_code(&"0".repeat(64)), "00000-00000");
    // 0x08 = 00001000: the fifth bit is the first character's last.
    assert_eq!(human_code(&format!("08{}", "0".repeat(62))), "10000-00000");
}

#[test]
fn signing_is_refused_unless_agreed_clean_and_explained() {
    let e = abc();
    let not_agreed = pointage_core::DoubleEntry::new()
        .finish_first("Awa", clean_pv())
        .unwrap();
    assert_eq!(
        SignedReturn::sign(&e, draft(&not_agreed), &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::NotAgreed)
    );

    let mut h1 = clean_pv();
    h1.exprimes = Some(96);
    let de = agreed(h1);
    let err = SignedReturn::sign(&e, draft(&de), &BUREAU_SECRET, SIGNED_AT).unwrap_err();
    assert!(
        matches!(&err, SignError::RulesBroken(f) if f.iter().any(|f| f.code == RuleCode::H1)),
        "{err:?}"
    );

    let mut w1 = clean_pv();
    w1.emargements = Some(101);
    let de = agreed(w1);
    assert_eq!(
        SignedReturn::sign(&e, draft(&de), &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::Unexplained(RuleCode::W1))
    );
    let blank = ReturnDraft {
        turnout: None,
        tables: &[],
        explanations: [(RuleCode::W1, "  ".into())].into(),
        ..draft(&de)
    };
    assert_eq!(
        SignedReturn::sign(&e, blank, &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::Unexplained(RuleCode::W1))
    );
    let explained = ReturnDraft {
        turnout: None,
        tables: &[],
        explanations: [(RuleCode::W1, "Un électeur a signé sans voter.".into())].into(),
        ..draft(&de)
    };
    let r = SignedReturn::sign(&e, explained, &BUREAU_SECRET, SIGNED_AT).unwrap();
    assert_eq!(
        r.body().explanations.get(&RuleCode::W1).map(String::as_str),
        Some("Un électeur a signé sans voter.")
    );
    r.check(&e, &key(), None).unwrap();

    let clean = agreed(clean_pv());
    let needless = ReturnDraft {
        turnout: None,
        tables: &[],
        explanations: [(RuleCode::W2, "rien".into())].into(),
        ..draft(&clean)
    };
    assert_eq!(
        SignedReturn::sign(&e, needless, &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::NeedlessExplanation(RuleCode::W2))
    );
    let elsewhere = ReturnDraft {
        turnout: None,
        tables: &[],
        bureau: "999",
        ..draft(&clean)
    };
    assert_eq!(
        SignedReturn::sign(&e, elsewhere, &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::UnknownBureau("999".into()))
    );
}

#[test]
fn a_text_over_4000_bytes_is_refused_by_name_and_length() {
    let e = abc();
    // 4,001 bytes: 3,999 letters and one accented (two bytes).
    let long = format!("{}é", "a".repeat(3_999));
    assert_eq!(long.len(), 4_001);
    let mut pv = clean_pv();
    pv.observations = long.clone();
    assert_eq!(
        pv.texts_too_long(),
        vec![(pointage_core::TextField::Observations, 4_001)]
    );
    let de = agreed(pv);
    assert_eq!(
        SignedReturn::sign(&e, draft(&de), &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::TextTooLong {
            field: pointage_core::TextField::Observations,
            bytes: 4_001
        })
    );
    // Shortened by one letter, it is signed.
    let mut pv = clean_pv();
    pv.observations = long[1..].to_owned();
    assert!(pv.texts_too_long().is_empty());
    SignedReturn::sign(&e, draft(&agreed(pv)), &BUREAU_SECRET, SIGNED_AT).unwrap();

    // An assesseur's name, and a warning's explanation.
    let mut pv = clean_pv();
    pv.members.assesseurs = vec!["Sarah Roux".into(), long.clone()];
    assert_eq!(
        SignedReturn::sign(&e, draft(&agreed(pv)), &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::TextTooLong {
            field: pointage_core::TextField::Assesseur,
            bytes: 4_001
        })
    );
    let mut w1 = clean_pv();
    w1.emargements = Some(101);
    let de = agreed(w1);
    let explained = ReturnDraft {
        turnout: None,
        tables: &[],
        explanations: [(RuleCode::W1, long)].into(),
        ..draft(&de)
    };
    assert_eq!(
        SignedReturn::sign(&e, explained, &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::TextTooLong {
            field: pointage_core::TextField::Explanation(RuleCode::W1),
            bytes: 4_001
        })
    );
}

#[test]
fn the_tally_is_sealed_into_the_return_and_checked_against_the_pv() {
    let e = abc();
    let mut log = TallyLog::new(vec!["a".into(), "b".into(), "c".into()], [0; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: 100,
        enveloppes: 100,
        explanation: String::new(),
    })
    .unwrap();
    log.append(TallyEvent::OpenPacket {
        table: "1".into(),
        envelopes: 100,
    })
    .unwrap();
    let marks = [("a", 50), ("b", 30), ("c", 17)];
    for (id, n) in marks {
        for _ in 0..n {
            log.append(TallyEvent::Mark(Mark::Candidate(id.into())))
                .unwrap();
        }
    }
    for _ in 0..2 {
        log.append(TallyEvent::Mark(Mark::Blanc)).unwrap();
    }
    log.append(TallyEvent::Mark(Mark::nul(
        pointage_core::NulReason::WrongModel,
    )))
    .unwrap();
    log.append(TallyEvent::ClosePacket).unwrap();

    let de = agreed(clean_pv());
    let with_tally = ReturnDraft {
        turnout: None,
        tables: &[],
        tally: Some(&log),
        ..draft(&de)
    };
    let r = SignedReturn::sign(&e, with_tally, &BUREAU_SECRET, SIGNED_AT).unwrap();
    let t = r.body().tally.as_ref().unwrap();
    assert_eq!(t.head, hex::encode(log.head()));
    assert_eq!(t.packets, 1);
    SignedReturn::from_bytes(&r.to_bytes())
        .unwrap()
        .check(&e, &key(), None)
        .unwrap();

    // The PV says 51 for a where the tally counted 50: H5 blocks signing.
    let mut off = clean_pv();
    off.voix.insert("a".into(), Some(51));
    off.voix.insert("b".into(), Some(29));
    let de = agreed(off);
    let err = SignedReturn::sign(
        &e,
        ReturnDraft {
            turnout: None,
            tables: &[],
            tally: Some(&log),
            ..draft(&de)
        },
        &BUREAU_SECRET,
        SIGNED_AT,
    )
    .unwrap_err();
    assert!(
        matches!(&err, SignError::RulesBroken(f) if f.iter().any(|f| f.code == RuleCode::H5)),
        "{err:?}"
    );
}

/// The phone keeps only its bureau's part of the election; what it signs
/// with that verifies against the whole definition on the server.
#[test]
fn a_return_signed_with_the_bureau_view_verifies_against_the_whole_election() {
    let e = abc();
    let view = e.view_for("001").unwrap();
    assert_eq!(view.hash, e.hash());
    assert_eq!(view.bureaux_total, 1);
    let r =
        SignedReturn::sign(&view, draft(&agreed(clean_pv())), &BUREAU_SECRET, SIGNED_AT).unwrap();
    assert_eq!(
        r,
        signed(),
        "the same bytes as signing with the whole election"
    );
    r.check(&e, &key(), None).unwrap();
    assert!(e.view_for("999").is_none());
    let de = agreed(clean_pv());
    let elsewhere = ReturnDraft {
        turnout: None,
        tables: &[],
        bureau: "002",
        ..draft(&de)
    };
    assert_eq!(
        SignedReturn::sign(&view, elsewhere, &BUREAU_SECRET, SIGNED_AT),
        Err(SignError::UnknownBureau("002".into()))
    );
}

#[test]
fn a_return_is_only_valid_for_its_election_mode_bureau_and_key() {
    let r = signed();
    let live = Election::new(ElectionInfo {
        day: None,
        qualification: None,
        mode: Mode::Live,
        ..abc().info()
    })
    .unwrap();
    assert_eq!(r.check(&live, &key(), None), Err(VerifyError::WrongMode));
    let renamed = Election::new(ElectionInfo {
        day: None,
        qualification: None,
        name: "Autre".into(),
        ..abc().info()
    })
    .unwrap();
    assert_eq!(
        r.check(&renamed, &key(), None),
        Err(VerifyError::WrongElection)
    );
    let other_key = public_key_hex(&[9; 32]);
    assert_eq!(
        r.check(&abc(), &other_key, None),
        Err(VerifyError::KeyNotEnrolled)
    );
}

#[test]
fn a_receipt_verifies_only_with_the_server_key_and_for_its_return() {
    let r = signed();
    let server_key = public_key_hex(&SERVER_SECRET);
    let receipt = Receipt::sign(&r, 42, SIGNED_AT + 5_000, &[7; 32], &SERVER_SECRET).unwrap();
    assert_eq!(receipt.body.sequence, 42);
    receipt.verify(&server_key, r.id()).unwrap();
    let back = Receipt::from_bytes(&receipt.to_bytes().unwrap()).unwrap();
    back.verify(&server_key, r.id()).unwrap();

    assert_eq!(
        receipt.verify(&key(), r.id()),
        Err(ReceiptError::BadSignature)
    );
    assert_eq!(
        receipt.verify(&server_key, &"0".repeat(64)),
        Err(ReceiptError::OtherReturn)
    );
    let mut forged = receipt.clone();
    forged.body.sequence = 1;
    assert_eq!(
        forged.verify(&server_key, r.id()),
        Err(ReceiptError::BadSignature)
    );
    let mut upper = receipt;
    upper.signature = upper.signature.to_uppercase();
    assert_eq!(
        upper.verify(&server_key, r.id()),
        Err(ReceiptError::MalformedKey)
    );
}

/// Every position, changed in the ways a typo, a transport or a forger most
/// likely would: the letter's other case, the neighbouring values, a space.
#[test]
fn no_byte_of_a_signed_return_can_be_changed_in_the_likely_ways() {
    let bytes = signed().to_bytes();
    for i in 0..bytes.len() {
        let b = bytes[i];
        for new in [b ^ 0x20, b.wrapping_add(1), b.wrapping_sub(1), b' '] {
            if new == b {
                continue;
            }
            let mut changed = bytes.clone();
            changed[i] = new;
            assert!(
                SignedReturn::from_bytes(&changed).is_err(),
                "byte {i} changed from {:?} to {:?} still verifies",
                char::from(b),
                char::from(new)
            );
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static BYTES: LazyLock<Vec<u8>> = LazyLock::new(|| signed().to_bytes());

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Whatever byte changes, to whatever value, the result is not a
        /// genuine return.
        #[test]
        fn any_single_byte_change_fails_verification(
            at in any::<prop::sample::Index>(),
            new in any::<u8>(),
        ) {
            let bytes = &*BYTES;
            let i = at.index(bytes.len());
            prop_assume!(bytes[i] != new);
            let mut changed = bytes.clone();
            changed[i] = new;
            prop_assert!(SignedReturn::from_bytes(&changed).is_err());
        }
    }
}

/// Assembling from a signature the phone checked itself: only the check
/// core asked for, found to hold, lets the return out.
#[test]
fn a_return_assembled_from_a_signature_checked_elsewhere() {
    use ed25519_dalek::{Signer, SigningKey};
    use pointage_core::signature::{Ed25519, Verified, Verifier};
    let entry = agreed(clean_pv());
    let unsigned = SignedReturn::prepare(&abc(), draft(&entry), &key(), SIGNED_AT).unwrap();
    let good = SigningKey::from_bytes(&BUREAU_SECRET)
        .sign(&unsigned.message())
        .to_bytes();
    let check = unsigned.signature_check(&good).unwrap();
    assert!(Ed25519.holds(&check));
    let signed = unsigned
        .clone()
        .assemble_with(&good, &Verified(vec![check.clone()]))
        .unwrap();
    assert_eq!(signed, unsigned.clone().assemble(&good).unwrap());
    // The same check, stored and read back in two steps.
    let bytes = signed.to_bytes();
    let read_check = SignedReturn::signature_check(&bytes).unwrap();
    assert_eq!(read_check, check);
    assert_eq!(
        SignedReturn::from_bytes_with(&bytes, &Verified(vec![read_check])).unwrap(),
        signed
    );
    // Another key's signature: its check does not hold, and a verifier that
    // was not given it refuses.
    let other = SigningKey::from_bytes(&[9; 32])
        .sign(&unsigned.message())
        .to_bytes();
    let bad = unsigned.signature_check(&other).unwrap();
    assert!(!Ed25519.holds(&bad));
    assert_eq!(
        unsigned
            .clone()
            .assemble_with(&other, &Verified(vec![check])),
        Err(SignError::BadSignature)
    );
    assert_eq!(
        SignedReturn::from_bytes_with(&bytes, &Verified::default()),
        Err(VerifyError::BadSignature)
    );
}
