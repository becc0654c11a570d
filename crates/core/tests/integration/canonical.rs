//! Pointage's canonical JSON writer against the reference RFC 8785 encoder
//! (`serde_jcs`) on generated documents: names and strings with every kind of
//! character (controls, quotes, accents, emoji, private-use characters that
//! UTF-16 orders differently from UTF-8) and integers up to 2^53 − 1.

// Host only: see crates/core/Cargo.toml.
#![cfg(not(target_arch = "wasm32"))]
// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pointage_core::canonical::{self, MAX_SAFE_INTEGER};
use proptest::prelude::*;
use serde_json::Value;

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('"'),
            Just('\\'),
            Just('/'),
            Just('\u{7f}'),
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('?')),
            prop::char::range('a', 'z'),
            prop::char::range('é', 'ÿ'),
            prop::char::range('\u{e000}', '\u{e010}'),
            prop::char::range('\u{1f600}', '\u{1f610}'),
        ],
        0..8,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

fn tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (0..=MAX_SAFE_INTEGER).prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn the_writer_gives_the_reference_encoders_bytes(doc in tree()) {
        let ours = canonical::encode(&doc).unwrap();
        let reference = serde_jcs::to_vec(&doc).unwrap();
        prop_assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&reference)
        );
        // And what it writes reads back as canonical.
        prop_assert_eq!(canonical::decode::<Value>(&ours).unwrap(), doc);
    }
}
