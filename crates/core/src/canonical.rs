//! The one byte encoding of everything Pointage signs or hashes: JSON in the
//! JSON Canonicalization Scheme (RFC 8785), restricted to integers that a
//! double holds exactly, so that an independent verifier in any language
//! produces the same bytes (`docs/return-format.md`).
//!
//! Decoding accepts only bytes that are already canonical: a document that
//! parses but would encode differently is refused, so one meaning has exactly
//! one byte string and no byte can change without being noticed.

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

/// The largest integer the encoding carries: 2^53 − 1, the last one a
/// JavaScript number (and RFC 8785's number form) holds exactly.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Why a value could not be encoded or bytes could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CanonicalError {
    #[error("not valid JSON for this document: {0}")]
    Invalid(String),
    #[error("a number is not a whole number between 0 and 2^53 − 1")]
    UnsafeNumber,
    #[error("the bytes are not in canonical form")]
    NotCanonical,
}

/// What the parser said, for a server's answer. The phone never shows it
/// (it says each error code in the person's language), so on wasm32 it is
/// left out, with serde_json's error texts.
fn why(e: &impl std::fmt::Display) -> String {
    if cfg!(target_arch = "wasm32") {
        String::new()
    } else {
        e.to_string()
    }
}

/// Encodes a value as canonical JSON bytes.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CanonicalError> {
    let tree = serde_json::to_value(value).map_err(|e| CanonicalError::Invalid(why(&e)))?;
    let mut out = Vec::with_capacity(1024);
    write(&tree, &mut out)?;
    Ok(out)
}

/// Decodes canonical JSON bytes, refusing any other spelling of the value.
pub fn decode<T: Serialize + DeserializeOwned>(bytes: &[u8]) -> Result<T, CanonicalError> {
    // Read as text, like every other JSON the phone reads: one reader type,
    // so the app carries one copy of each type's deserialiser, not two.
    let text = std::str::from_utf8(bytes).map_err(|e| CanonicalError::Invalid(why(&e)))?;
    let value: T = serde_json::from_str(text).map_err(|e| CanonicalError::Invalid(why(&e)))?;
    // Re-encoding what was read must give the very same bytes: this refuses
    // any other spelling, an unknown member dropped while reading, a missing
    // one filled in by a default, and (in `encode`) a number beyond 2^53.
    if encode(&value)? != bytes {
        return Err(CanonicalError::NotCanonical);
    }
    Ok(value)
}

/// Writes a JSON tree as RFC 8785 does; its numbers must be whole, from 0
/// to 2^53 − 1 (written in decimal, as a double would print them), else
/// [`CanonicalError::UnsafeNumber`]. A number is never written as a float:
/// the phone's builds carry no float printing for it. serde_json escapes strings exactly as RFC 8785 asks
/// (ECMAScript's `JSON.stringify`): `\"`, `\\`, `\b \f \n \r \t`, other
/// controls as lowercase `\u00xx`, everything else as UTF-8. Written here
/// rather than with the `serde_jcs` crate, which is some fifteen times slower
/// on a return and would halve what a server core verifies per second; a
/// property test checks both give the same bytes.
fn write(v: &serde_json::Value, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    use serde_json::Value;
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => match n.as_u64() {
            Some(n) if n <= MAX_SAFE_INTEGER => out.extend_from_slice(n.to_string().as_bytes()),
            _ => return Err(CanonicalError::UnsafeNumber),
        },
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            // RFC 8785 orders names by UTF-16 code units.
            crate::order::sort_by(&mut entries, |a, b| {
                a.0.encode_utf16().cmp(b.0.encode_utf16())
            });
            out.push(b'{');
            for (i, (k, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(k, out);
                out.push(b':');
                write(item, out)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    // Writing a string into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Doc {
        zeta: u64,
        alpha: String,
        map: BTreeMap<String, Option<u32>>,
    }

    fn doc() -> Doc {
        let mut map = BTreeMap::new();
        map.insert("b".to_owned(), Some(2));
        map.insert("a".to_owned(), None);
        Doc {
            zeta: 7,
            alpha: "é\n\"x\"\u{1}".into(),
            map,
        }
    }

    #[test]
    fn keys_are_sorted_without_whitespace_and_strings_minimally_escaped() {
        let bytes = encode(&doc()).expect("encodes");
        assert_eq!(
            String::from_utf8(bytes).expect("utf-8"),
            "{\"alpha\":\"é\\n\\\"x\\\"\\u0001\",\"map\":{\"a\":null,\"b\":2},\"zeta\":7}"
        );
    }

    #[test]
    fn canonical_bytes_decode_to_the_same_value() {
        let bytes = encode(&doc()).expect("encodes");
        assert_eq!(decode::<Doc>(&bytes), Ok(doc()));
    }

    #[test]
    fn another_spelling_of_the_same_value_is_refused() {
        let spaced = br#"{"alpha":"x", "map":{},"zeta":1}"#;
        assert_eq!(decode::<Doc>(spaced), Err(CanonicalError::NotCanonical));
        let unsorted = br#"{"zeta":1,"alpha":"x","map":{}}"#;
        assert_eq!(decode::<Doc>(unsorted), Err(CanonicalError::NotCanonical));
        let escaped = br#"{"alpha":"\u0078","map":{},"zeta":1}"#;
        assert_eq!(decode::<Doc>(escaped), Err(CanonicalError::NotCanonical));
        let exponent = br#"{"alpha":"x","map":{},"zeta":1e0}"#;
        assert!(
            matches!(
                decode::<Doc>(exponent),
                Err(CanonicalError::Invalid(_) | CanonicalError::UnsafeNumber)
            ),
            "a number with an exponent is not an integer here"
        );
    }

    #[test]
    fn numbers_beyond_two_to_the_53_are_refused_both_ways() {
        let big = Doc {
            zeta: MAX_SAFE_INTEGER + 1,
            ..doc()
        };
        assert_eq!(encode(&big), Err(CanonicalError::UnsafeNumber));
        let ok = Doc {
            zeta: MAX_SAFE_INTEGER,
            ..doc()
        };
        assert!(encode(&ok).is_ok());
        let bytes = br#"{"alpha":"x","map":{},"zeta":9007199254740992}"#;
        assert_eq!(decode::<Doc>(bytes), Err(CanonicalError::UnsafeNumber));
    }
}
