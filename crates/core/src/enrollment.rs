//! Enrollment codes: the single-use code that ties one phone to one bureau.
//! The server draws the random bytes and the phone reads the code back from
//! a URL or from a person typing it; both go through this module so they
//! agree on what a code is.
//!
//! Twelve Crockford base-32 characters (60 random bits) in three groups of
//! four, `7KQ3-M9XD-2B4F`: short enough to type on a phone, and with the
//! server's rate limit far too many to guess.

use crate::tally::FINGERPRINT_ALPHABET;
use sha2::{Digest, Sha256};

/// Characters in a code, without the dashes.
pub const CODE_LENGTH: usize = 12;

/// The code for 8 random bytes (the server passes them in; only the first
/// 60 bits are used).
pub fn code_from_bytes(random: &[u8; 8]) -> String {
    let bits = u64::from_be_bytes(*random) >> 4;
    let symbols: Vec<u8> = (0..CODE_LENGTH)
        .map(|i| FINGERPRINT_ALPHABET[((bits >> (55 - 5 * i)) & 31) as usize])
        .collect();
    symbols
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Reads a code as a person may type it: any case, with or without dashes
/// or spaces, `O` for `0` and `I` or `L` for `1` (Crockford's rules).
/// Returns it in its printed form, or `None` when it cannot be a code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let mut symbols = Vec::with_capacity(CODE_LENGTH);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !FINGERPRINT_ALPHABET.contains(&(c as u8)) {
            return None;
        }
        symbols.push(c as u8);
    }
    if symbols.len() != CODE_LENGTH {
        return None;
    }
    Some(
        symbols
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-"),
    )
}

/// What the server stores instead of a code: lowercase hex SHA-256 of its
/// printed form, so that a copy of the database does not hand out codes.
pub fn code_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_code_is_twelve_symbols_in_three_groups() {
        assert_eq!(code_from_bytes(&[0; 8]), "0000-0000-0000");
        assert_eq!(code_from_bytes(&[0xff; 8]), "ZZZZ-ZZZZ-ZZZZ");
        let c = code_from_bytes(&[0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        assert_eq!(c.len(), 14);
        assert_eq!(normalize_code(&c).as_deref(), Some(c.as_str()));
    }

    #[test]
    fn a_code_is_read_back_however_it_was_typed() {
        assert_eq!(
            normalize_code(" 7kq3 m9xd-2b4f ").as_deref(),
            Some("7KQ3-M9XD-2B4F")
        );
        assert_eq!(
            normalize_code("oil0-0000-0000").as_deref(),
            Some("0110-0000-0000")
        );
        assert_eq!(normalize_code("7KQ3-M9XD-2B4"), None, "too short");
        assert_eq!(normalize_code("7KQ3-M9XD-2B4FF"), None, "too long");
        assert_eq!(normalize_code("7KQ3-M9XD-2B4U"), None, "U is not a symbol");
        assert_eq!(normalize_code("7KQ3-M9XD-2B4é"), None);
    }

    #[test]
    fn the_stored_hash_is_of_the_printed_form() {
        let typed = normalize_code("7kq3m9xd2b4f").unwrap_or_default();
        assert_eq!(code_hash(&typed), code_hash("7KQ3-M9XD-2B4F"));
        assert_ne!(code_hash("7KQ3-M9XD-2B4F"), code_hash("7KQ3-M9XD-2B4G"));
    }
}
