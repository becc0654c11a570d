//! Hand-over without a network: a signed return's bytes cut into parts, each
//! small enough for one QR code a phone camera reads off a phone screen, and
//! put back together on the device that scans them.
//!
//! A part is plain text, every character of it in the QR alphanumeric set (so
//! a code holds 5.5 bits per character, not 8):
//!
//! ```text
//! PTG1-<k>-<n>-<digest>-<data>
//! ```
//!
//! `k` is the part's number (1 to `n`), `n` how many parts there are,
//! `digest` the first 5 bytes of the SHA-256 of the whole return (8 base32
//! characters: it tells one return's parts from another's), and `data` the
//! base32 (RFC 4648, no padding) of this part's slice of the bytes. Parts may
//! be read in any order and more than once; the bytes put back together must
//! hash to the digest, and the caller still verifies the return itself
//! (signature, key, rules) exactly as if it had come from the phone: a part
//! is a carrier, never a proof.

use data_encoding::BASE32_NOPAD;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What every part of a signed return starts with: the format and its
/// version.
pub const TAG: &str = "PTG1";

/// What a set of parts carries, told by the tag each part starts with: a
/// signed return (`PTG1`), and, between the phones of one bureau's room, a
/// table sheet (`PTS1`) or a join code (`PTJ1`), cut the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carries {
    Return,
    Sheet,
    Join,
}

impl Carries {
    /// The most base32 characters of data in one part: a join code is read
    /// once, by a phone held close, and must be one code (a camera app
    /// opens one address at a time), so it takes up to 1,000 bytes in a
    /// denser code; the others take [`PART_DATA_CHARS`].
    pub fn part_chars(self) -> usize {
        match self {
            Carries::Join => 2 * PART_DATA_CHARS,
            Carries::Return | Carries::Sheet => PART_DATA_CHARS,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Carries::Return => TAG,
            Carries::Sheet => "PTS1",
            Carries::Join => "PTJ1",
        }
    }
}

/// The most base32 characters of data in one part (500 bytes). With the
/// deposit page's address in front, a part fits a version-19 QR code at error
/// correction level M (93 modules a side: over 3 CSS pixels a module across a
/// phone screen, which a phone camera reads off it); a bureau's return of
/// about 1.5 KB takes three codes.
pub const PART_DATA_CHARS: usize = 800;

/// Why a scanned text is not a usable part, or parts do not make a return.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandoverError {
    #[error("not a part of a signed return")]
    NotAPart,
    #[error("the parts put together do not hash to their digest")]
    Damaged,
}

/// One part, read from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// 1 to `count`.
    pub index: u16,
    pub count: u16,
    /// Which return it belongs to (8 base32 characters).
    pub digest: String,
    data: Vec<u8>,
}

impl Part {
    /// Reads one part of a signed return's text (leading and trailing
    /// spaces ignored).
    pub fn parse(text: &str) -> Result<Part, HandoverError> {
        Self::parse_as(Carries::Return, text)
    }

    /// Reads one part of what `kind` carries.
    pub fn parse_as(kind: Carries, text: &str) -> Result<Part, HandoverError> {
        let mut fields = text.trim().splitn(5, '-');
        let mut next = || fields.next().ok_or(HandoverError::NotAPart);
        if next()? != kind.tag() {
            return Err(HandoverError::NotAPart);
        }
        let index = number(next()?)?;
        let count = number(next()?)?;
        let digest = next()?;
        let data = next()?;
        if index == 0 || index > count || digest.len() != 8 {
            return Err(HandoverError::NotAPart);
        }
        BASE32_NOPAD
            .decode(digest.as_bytes())
            .map_err(|_| HandoverError::NotAPart)?;
        let data = BASE32_NOPAD
            .decode(data.as_bytes())
            .map_err(|_| HandoverError::NotAPart)?;
        Ok(Part {
            index,
            count,
            digest: digest.to_owned(),
            data,
        })
    }
}

/// A part number: digits only, no sign, no leading zero.
fn number(s: &str) -> Result<u16, HandoverError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.starts_with('0') {
        return Err(HandoverError::NotAPart);
    }
    s.parse().map_err(|_| HandoverError::NotAPart)
}

fn digest_of(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    BASE32_NOPAD.encode(&hash[..5])
}

/// The parts' texts for `bytes`, in order, each holding at most
/// `PART_DATA_CHARS` characters of data.
pub fn split(bytes: &[u8]) -> Vec<String> {
    split_as(Carries::Return, bytes)
}

/// [`split`], for what `kind` carries.
pub fn split_as(kind: Carries, bytes: &[u8]) -> Vec<String> {
    let tag = kind.tag();
    // Whole groups of 5 bytes encode to 8 characters without padding, so
    // every part but the last is exactly cut, and decodes on its own.
    let chunk = kind.part_chars() / 8 * 5;
    let digest = digest_of(bytes);
    let chunks: Vec<&[u8]> = if bytes.is_empty() {
        vec![bytes]
    } else {
        bytes.chunks(chunk).collect()
    };
    let count = chunks.len();
    chunks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{tag}-{}-{count}-{digest}-{}",
                i + 1,
                BASE32_NOPAD.encode(c)
            )
        })
        .collect()
}

/// One return's parts as far as they have been scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collected {
    pub digest: String,
    pub count: u16,
    /// The part numbers not scanned yet, in order.
    pub missing: Vec<u16>,
    /// Once every part is there: the return's bytes, checked against the
    /// digest.
    pub bytes: Option<Result<Vec<u8>, HandoverError>>,
}

/// Sorts scanned parts (of any number of returns, in any order, repeated
/// or not) into returns. Texts that are not parts are left out; a part that
/// disagrees with the others of its digest on how many there are makes that
/// return damaged rather than guessed at.
pub fn collect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<Collected> {
    collect_as(Carries::Return, texts)
}

/// [`collect`], for what `kind` carries (parts of other kinds left out).
pub fn collect_as<'a>(kind: Carries, texts: impl IntoIterator<Item = &'a str>) -> Vec<Collected> {
    struct Group {
        count: u16,
        consistent: bool,
        parts: BTreeMap<u16, Vec<u8>>,
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for part in texts
        .into_iter()
        .filter_map(|t| Part::parse_as(kind, t).ok())
    {
        let group = groups.entry(part.digest.clone()).or_insert(Group {
            count: part.count,
            consistent: true,
            parts: BTreeMap::new(),
        });
        let same_data = group.parts.get(&part.index).is_none_or(|d| *d == part.data);
        if group.count != part.count || !same_data {
            group.consistent = false;
        }
        group.parts.entry(part.index).or_insert(part.data);
    }
    groups
        .into_iter()
        .map(|(digest, g)| {
            let missing: Vec<u16> = (1..=g.count).filter(|i| !g.parts.contains_key(i)).collect();
            let bytes = if !g.consistent {
                Some(Err(HandoverError::Damaged))
            } else if missing.is_empty() {
                let bytes: Vec<u8> = g.parts.into_values().flatten().collect();
                Some(if digest_of(&bytes) == digest {
                    Ok(bytes)
                } else {
                    Err(HandoverError::Damaged)
                })
            } else {
                None
            };
            Collected {
                digest,
                count: g.count,
                missing,
                bytes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_and_a_join_code_are_cut_alike_and_never_taken_for_a_return() {
        let bytes = sample(1200);
        let sheet = split_as(Carries::Sheet, &bytes);
        assert!(sheet[0].starts_with("PTS1-1-3-"));
        assert!(collect(sheet.iter().map(String::as_str)).is_empty());
        let back = collect_as(Carries::Sheet, sheet.iter().map(String::as_str));
        assert_eq!(back[0].bytes, Some(Ok(bytes.clone())));
        let join = split_as(Carries::Join, &bytes[..1000]);
        assert_eq!(join.len(), 1);
        assert!(join[0].starts_with("PTJ1-1-1-"));
        assert!(collect_as(Carries::Sheet, join.iter().map(String::as_str)).is_empty());
        assert_eq!(
            Part::parse_as(Carries::Join, &join[0]).map(|p| p.count),
            Ok(1)
        );
    }

    fn sample(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 251) as u8).collect()
    }

    #[test]
    fn a_return_of_1500_bytes_is_three_parts_that_put_back_give_its_bytes() {
        let bytes = sample(1500);
        let parts = split(&bytes);
        assert_eq!(parts.len(), 3);
        assert!(parts[0].starts_with("PTG1-1-3-"));
        for p in &parts {
            assert!(p.len() <= PART_DATA_CHARS + 24, "{}", p.len());
            // The QR alphanumeric set, nothing else.
            assert!(
                p.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
                "{p}"
            );
        }
        let got = collect(parts.iter().rev().map(String::as_str));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].missing, Vec::<u16>::new());
        assert_eq!(got[0].bytes, Some(Ok(bytes)));
    }

    #[test]
    fn missing_parts_are_named_and_nothing_is_put_together_early() {
        let parts = split(&sample(1500));
        let got = collect([parts[1].as_str(), parts[1].as_str()]);
        assert_eq!(got[0].count, 3);
        assert_eq!(got[0].missing, vec![1, 3]);
        assert_eq!(got[0].bytes, None);
    }

    #[test]
    fn two_returns_parts_mixed_are_sorted_apart() {
        let a = split(&sample(700));
        let b = split(b"another signed return");
        let got = collect([a[1].as_str(), b[0].as_str(), a[0].as_str()]);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|c| matches!(c.bytes, Some(Ok(_)))));
    }

    #[test]
    fn an_edited_part_makes_the_return_damaged_not_different() {
        let bytes = sample(1500);
        let mut parts = split(&bytes);
        // Change one data character to another valid base32 character.
        let mut p = parts[1].clone().into_bytes();
        let last = p.len() - 10;
        p[last] = if p[last] == b'A' { b'B' } else { b'A' };
        parts[1] = String::from_utf8(p).unwrap_or_default();
        let got = collect(parts.iter().map(String::as_str));
        assert_eq!(got[0].bytes, Some(Err(HandoverError::Damaged)));
    }

    #[test]
    fn a_part_repeated_with_other_data_or_count_is_damaged() {
        let parts = split(&sample(1500));
        let forged = parts[0].replacen("-1-3-", "-1-2-", 1);
        let got = collect([parts[0].as_str(), forged.as_str()]);
        assert_eq!(got[0].bytes, Some(Err(HandoverError::Damaged)));
    }

    #[test]
    fn texts_that_are_not_parts_are_refused() {
        for text in [
            "",
            "https://example.org",
            "PTG1-0-1-AAAAAAAA-AA",
            "PTG1-2-1-AAAAAAAA-AA",
            "PTG1-01-2-AAAAAAAA-AA",
            "PTG1-+1-2-AAAAAAAA-AA",
            "PTG1-1-1-AAAA-AA",
            "PTG1-1-1-AAAAAAAA-a1",
            "PTG2-1-1-AAAAAAAA-AA",
            "PTG1-1-1-AAAAAAAA",
        ] {
            assert_eq!(Part::parse(text), Err(HandoverError::NotAPart), "{text}");
        }
        assert!(collect(["not a part"]).is_empty());
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any bytes, split, scanned in any order with repeats, give back
        /// exactly those bytes once every part is there, and not before.
        #[test]
        fn split_then_collect_in_any_order_gives_the_bytes_back(
            bytes in proptest::collection::vec(any::<u8>(), 0..4000),
            order in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            let parts = split(&bytes);
            let mut scanned: Vec<&str> = order.iter().map(|i| parts[i.index(parts.len())].as_str()).collect();
            let partial = collect(scanned.iter().copied());
            if let Some(c) = partial.first() {
                prop_assert_eq!(c.bytes.is_some(), c.missing.is_empty());
            }
            scanned.extend(parts.iter().map(String::as_str));
            let got = collect(scanned);
            prop_assert_eq!(got.len(), 1);
            prop_assert_eq!(got[0].bytes.clone(), Some(Ok(bytes)));
        }
    }
}
