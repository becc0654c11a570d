//! The paper PV's photos in the record (docs/return-format.md §15): each
//! photo document signed by the key that held its bureau when it was
//! received, naming a return of that bureau received before it, and
//! following its bureau's earlier photo documents. With `--photos`, each
//! page's picture is fetched by its hash and checked against it: a byte
//! changed names the bureau and the page.

use crate::Problem;
use pointage_core::log::{KeyHistory, LogEntry};
use pointage_core::photo::PhotoPage;
use pointage_core::{Election, SignedReturn};
use std::collections::BTreeMap;

/// One accepted photo document, as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoListing {
    pub bureau: String,
    /// Its leaf.
    pub sequence: u64,
    pub id: String,
    pub version: u32,
    /// The version of the bureau's return it shows the paper of.
    pub return_version: u32,
    pub pages: Vec<PhotoPage>,
}

/// What went wrong with a page's picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoFault {
    /// It could not be fetched: why.
    Unreachable(String),
    /// Its bytes are not the ones its bureau signed.
    Altered,
}

/// The photo documents of a record, read leaf by leaf in order.
#[derive(Default)]
pub(crate) struct Photos {
    /// Each accepted return's bureau and version, by id.
    returns: BTreeMap<String, (String, u32)>,
    /// Each bureau's latest accepted photo document: its id and version.
    latest: BTreeMap<String, (String, u32)>,
    pub listed: Vec<PhotoListing>,
    pub read: usize,
}

impl Photos {
    /// A return accepted at this point of the log: photos may name it.
    pub fn returned(&mut self, ret: &SignedReturn) {
        let b = ret.body();
        self.returns
            .insert(ret.id().to_owned(), (b.bureau.clone(), b.version));
    }

    /// A photo leaf: its document, against the election, the bureau's key
    /// at that leaf, the returns before it and its chain.
    pub fn leaf(
        &mut self,
        index: u64,
        entry: &LogEntry,
        election: &Election,
        keys: &KeyHistory,
    ) -> Option<Problem> {
        let doc = entry.signed_photos()?;
        self.read += 1;
        let refused = |error| Problem::Photos {
            bureau: entry.bureau().map(str::to_owned),
            sequence: index,
            error,
        };
        let doc = match doc {
            Ok(d) => d,
            Err(e) => return Some(refused(e)),
        };
        if let Err(e) = doc.check_content(election) {
            return Some(refused(e));
        }
        let b = doc.body();
        if keys
            .current(&b.bureau)
            .is_none_or(|k| k.key != b.device_key)
        {
            return Some(Problem::PhotosKeyNotHeld {
                bureau: b.bureau.clone(),
                sequence: index,
            });
        }
        let found = self
            .returns
            .get(&b.return_id)
            .map(|(bureau, v)| (bureau.as_str(), *v));
        let previous = self.latest.get(&b.bureau).map(|(id, v)| (id.as_str(), *v));
        if let Err(e) = doc
            .check_return(found)
            .and_then(|()| doc.check_chain(previous))
        {
            return Some(refused(e));
        }
        self.latest
            .insert(b.bureau.clone(), (doc.id().to_owned(), b.version));
        self.listed.push(PhotoListing {
            bureau: b.bureau.clone(),
            sequence: index,
            id: doc.id().to_owned(),
            version: b.version,
            return_version: b.return_version,
            pages: b.pages.clone(),
        });
        None
    }
}

/// Fetches every page of every listed document with `fetch` (by its
/// SHA-256) and checks its bytes: a problem per page that cannot be
/// fetched or is not what its bureau signed. Returns how many pages were
/// checked, and the problems.
pub fn check_pictures(
    listed: &[PhotoListing],
    fetch: impl Fn(&PhotoPage) -> Result<Vec<u8>, String> + Sync,
) -> (usize, Vec<Problem>) {
    use rayon::prelude::*;
    let pages: Vec<(&PhotoListing, &PhotoPage)> = listed
        .iter()
        .flat_map(|l| l.pages.iter().map(move |p| (l, p)))
        .collect();
    let problems = pages
        .par_iter()
        .filter_map(|(l, p)| {
            let fault = match fetch(p) {
                Err(why) => PhotoFault::Unreachable(why),
                Ok(bytes) if p.holds(&bytes) => return None,
                Ok(_) => PhotoFault::Altered,
            };
            Some(Problem::PhotoBytes {
                bureau: l.bureau.clone(),
                page: p.number,
                sha256: p.sha256.clone(),
                fault,
            })
        })
        .collect();
    (pages.len(), problems)
}
