//! Which key holds which bureau, read from the log's leaves in order: the
//! one history of keys every verifier, and each bureau's phone for its own
//! bureau, derives alike (docs/return-format.md §7, "key history").
//!
//! A key is enrolled for one bureau, once; a bureau has at most one key at a
//! time; a reissue revokes the key that holds the bureau, by name. A log that
//! breaks one of these is refused where it breaks it, naming the bureau.

use super::entry::LogEntry;
use std::collections::{BTreeMap, HashMap};
use thiserror::Error;

/// When a key held a bureau: from leaf `from` (its enrollment) to leaf
/// `until` (the reissue that revoked it), or on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub key: String,
    pub from: u64,
    pub enrolled_at: u64,
    pub until: Option<u64>,
    pub revoked_at: Option<u64>,
    /// The election whose same bureau held the key before, when it was
    /// carried over without a new code (a second round).
    pub carried_from: Option<String>,
}

/// A change of a bureau's key, as a report lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChange {
    /// A key enrolled for a bureau that had one before: a re-keying.
    Rekeyed {
        bureau: String,
        index: u64,
        at: u64,
        key: String,
    },
    /// The bureau's code reissued, revoking `revoked` (if a phone had
    /// enrolled).
    Reissued {
        bureau: String,
        index: u64,
        at: u64,
        revoked: Option<String>,
        /// Who reissued it, as the leaf says (absent from older leaves).
        by: Option<crate::operator::Actor>,
    },
}

/// Why a key leaf cannot be.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum KeyError {
    /// A second key enrolled for a bureau whose key was not revoked: a
    /// shadow key.
    #[error(
        "leaf {index}: a second key enrolled for bureau {bureau}, whose key (leaf {held_since}) was never revoked"
    )]
    TwoKeys {
        bureau: String,
        index: u64,
        held_since: u64,
    },
    /// A key enrolled twice (for two bureaux, or twice for one).
    #[error(
        "leaf {index}: a key already enrolled (leaf {first}, bureau {first_bureau}) enrolled again for bureau {bureau}"
    )]
    KeyReused {
        bureau: String,
        index: u64,
        first: u64,
        first_bureau: String,
    },
    /// A reissue that names another key than the one holding the bureau.
    #[error("leaf {index}: the reissue of bureau {bureau} revokes a key that did not hold it")]
    WrongRevocation { bureau: String, index: u64 },
}

impl KeyError {
    pub fn bureau(&self) -> &str {
        match self {
            KeyError::TwoKeys { bureau, .. }
            | KeyError::KeyReused { bureau, .. }
            | KeyError::WrongRevocation { bureau, .. } => bureau,
        }
    }
}

/// Every bureau's keys so far, as leaves are read in order.
#[derive(Clone, Debug, Default)]
pub struct KeyHistory {
    bureaux: BTreeMap<String, Vec<Span>>,
    /// Each key ever enrolled: its bureau and leaf.
    keys: HashMap<String, (String, u64)>,
}

impl KeyHistory {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads leaf `index`. A key or reissue leaf that breaks a rule is
    /// refused and changes nothing; other leaves change nothing.
    pub fn apply(&mut self, index: u64, entry: &LogEntry) -> Result<Option<KeyChange>, KeyError> {
        match entry {
            LogEntry::Key {
                at,
                bureau,
                device_key,
                from,
            } => {
                if let Some((first_bureau, first)) = self.keys.get(device_key) {
                    return Err(KeyError::KeyReused {
                        bureau: bureau.clone(),
                        index,
                        first: *first,
                        first_bureau: first_bureau.clone(),
                    });
                }
                let spans = self.bureaux.entry(bureau.clone()).or_default();
                if let Some(held) = spans.last().filter(|s| s.until.is_none()) {
                    return Err(KeyError::TwoKeys {
                        bureau: bureau.clone(),
                        index,
                        held_since: held.from,
                    });
                }
                let rekeyed = !spans.is_empty();
                spans.push(Span {
                    key: device_key.clone(),
                    from: index,
                    enrolled_at: *at,
                    until: None,
                    revoked_at: None,
                    carried_from: from.clone(),
                });
                self.keys
                    .insert(device_key.clone(), (bureau.clone(), index));
                Ok(rekeyed.then(|| KeyChange::Rekeyed {
                    bureau: bureau.clone(),
                    index,
                    at: *at,
                    key: device_key.clone(),
                }))
            }
            LogEntry::Reissue {
                at,
                bureau,
                revoked_key,
                by,
            } => {
                let spans = self.bureaux.entry(bureau.clone()).or_default();
                let current = spans.last_mut().filter(|s| s.until.is_none());
                match (current, revoked_key) {
                    (Some(span), Some(k)) if &span.key == k => {
                        span.until = Some(index);
                        span.revoked_at = Some(*at);
                    }
                    (None, None) => {}
                    _ => {
                        return Err(KeyError::WrongRevocation {
                            bureau: bureau.clone(),
                            index,
                        });
                    }
                }
                Ok(Some(KeyChange::Reissued {
                    bureau: bureau.clone(),
                    index,
                    at: *at,
                    revoked: revoked_key.clone(),
                    by: *by,
                }))
            }
            _ => Ok(None),
        }
    }

    /// The key that holds `bureau` now, if one does.
    pub fn current(&self, bureau: &str) -> Option<&Span> {
        self.bureaux
            .get(bureau)?
            .last()
            .filter(|s| s.until.is_none())
    }

    /// Every key that ever held `bureau`, in order.
    pub fn spans(&self, bureau: &str) -> &[Span] {
        self.bureaux.get(bureau).map_or(&[], Vec::as_slice)
    }

    /// How many bureaux' keys were carried over from each earlier
    /// election, by its id.
    pub fn carried(&self) -> BTreeMap<&str, usize> {
        let mut by = BTreeMap::new();
        for s in self.bureaux.values().flatten() {
            if let Some(from) = &s.carried_from {
                *by.entry(from.as_str()).or_default() += 1;
            }
        }
        by
    }

    /// Every bureau that ever had a key, with its spans.
    pub fn all(&self) -> impl Iterator<Item = (&str, &[Span])> {
        self.bureaux.iter().map(|(b, s)| (b.as_str(), s.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn key(bureau: &str, k: &str) -> LogEntry {
        LogEntry::Key {
            at: 1,
            bureau: bureau.into(),
            device_key: k.into(),
            from: None,
        }
    }

    fn reissue(bureau: &str, k: Option<&str>) -> LogEntry {
        LogEntry::Reissue {
            at: 2,
            bureau: bureau.into(),
            revoked_key: k.map(Into::into),
            by: None,
        }
    }

    #[test]
    fn a_reissue_then_a_new_key_is_a_rekeying_and_the_old_key_holds_no_more() {
        let mut h = KeyHistory::new();
        assert_eq!(h.apply(1, &key("001", "k1")), Ok(None));
        assert!(matches!(
            h.apply(2, &reissue("001", Some("k1"))),
            Ok(Some(KeyChange::Reissued { .. }))
        ));
        assert_eq!(h.current("001"), None);
        assert!(matches!(
            h.apply(3, &key("001", "k2")),
            Ok(Some(KeyChange::Rekeyed { index: 3, .. }))
        ));
        assert_eq!(h.current("001").map(|s| s.key.as_str()), Some("k2"));
        let spans = h.spans("001");
        assert_eq!((spans[0].from, spans[0].until), (1, Some(2)));
        assert_eq!((spans[1].from, spans[1].until), (3, None));
    }

    #[test]
    fn a_shadow_key_a_key_reused_and_a_wrong_revocation_are_refused() {
        let mut h = KeyHistory::new();
        h.apply(1, &key("001", "k1")).unwrap();
        assert!(matches!(
            h.apply(2, &key("001", "k2")),
            Err(KeyError::TwoKeys { held_since: 1, .. })
        ));
        assert!(matches!(
            h.apply(3, &key("002", "k1")),
            Err(KeyError::KeyReused { first: 1, .. })
        ));
        assert!(matches!(
            h.apply(4, &reissue("001", Some("k9"))),
            Err(KeyError::WrongRevocation { .. })
        ));
        assert!(matches!(
            h.apply(5, &reissue("001", None)),
            Err(KeyError::WrongRevocation { .. })
        ));
        // Nothing refused changed what holds.
        assert_eq!(h.current("001").map(|s| s.key.as_str()), Some("k1"));
        assert_eq!(
            h.apply(6, &reissue("003", None)).map(|c| c.is_some()),
            Ok(true)
        );
    }

    #[test]
    fn a_key_carried_from_the_first_round_is_said_so_and_holds_as_any() {
        let mut h = KeyHistory::new();
        let carried = LogEntry::Key {
            at: 1,
            bureau: "001".into(),
            device_key: "k1".into(),
            from: Some("t1".into()),
        };
        assert_eq!(h.apply(1, &carried), Ok(None));
        h.apply(2, &key("002", "k2")).unwrap();
        assert_eq!(h.current("001").map(|s| s.key.as_str()), Some("k1"));
        assert_eq!(h.carried(), BTreeMap::from([("t1", 1)]));
        // A carried key is the bureau's as an enrolled one: a second key
        // still needs a reissue first.
        assert!(matches!(
            h.apply(3, &key("001", "k3")),
            Err(KeyError::TwoKeys { held_since: 1, .. })
        ));
    }
}
