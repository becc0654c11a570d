//! `pointage-verify`: checks a Pointage public record (docs/return-format.md
//! §7) as an outsider would, and recomputes the results.
//!
//! The record is an append-only Merkle log: its leaves must give the root
//! of the head the server signed, numbered 0, 1, 2… with times that never
//! go back. Then, in order: the opening names the election and the key
//! that signs; each bureau's keys follow the key history's rules (one key
//! at a time, one bureau per key, a reissue revokes the key that held); each
//! return is signed by the key that held its bureau when it was received,
//! breaks no rule and extends its bureau's chain of versions; nothing
//! follows the closing. The results are recomputed from the returns and
//! compared figure by figure with the published ones. What someone holds
//! (a receipt, heads a watcher kept) is checked against the record: a
//! record rewritten whole is consistent in itself, and only what was
//! signed before shows it. Every discrepancy is named, by bureau where it
//! has one.

mod compare;
mod held;
pub mod net;
pub mod photos;
mod prefix;
mod problem;
pub mod read;
pub mod report;
pub mod watch;

use compare::{compare, compare_counted, compare_states, compare_turnout};
pub use held::extends;
use held::{check_head, check_receipt};
use prefix::Prefix;
pub use problem::{Figure, OtherKeyVersion, Problem};

use pointage_core::log::{KeyChange, KeyHistory, LogEntry, SignedTreeHead, Tree};
use pointage_core::results::{self, Results};
use pointage_core::signature::{Ed25519, SignatureCheck, Verdict, Verifier};
use pointage_core::still_open::{self, StillOpen};
use pointage_core::turnout::{self, CheckpointTurnout, Received, SignedReport};
use pointage_core::wire::BureauStatus;
use pointage_core::{Election, Receipt, SignedReturn, VerifyError};
use rayon::prelude::*;
use read::{Read, ReadLeaf};
use std::collections::BTreeMap;

/// What the check found.
#[derive(Debug)]
pub struct Report {
    pub election: Option<Election>,
    /// The head the record is as of.
    pub head: Option<SignedTreeHead>,
    /// Leaves read; return leaves read, and accepted.
    pub leaves: u64,
    pub returns: usize,
    pub accepted: usize,
    pub problems: Vec<Problem>,
    /// Every change of a bureau's key (reissues, keys enrolled after one).
    pub rekeyed: Vec<KeyChange>,
    /// How many bureaux' keys were carried over from each earlier round
    /// (by its election id) without a new code.
    pub carried: Vec<(String, usize)>,
    /// Every version signed by another key than the one it replaces.
    pub other_key_versions: Vec<OtherKeyVersion>,
    /// The results recomputed from the accepted returns.
    pub results: Option<Results>,
    /// Turnout reports read, and accepted.
    pub reports: usize,
    pub reports_accepted: usize,
    /// Each checkpoint's turnout, recomputed from the accepted reports.
    pub turnout: Vec<CheckpointTurnout>,
    /// Photo documents read; those accepted, in the log's order.
    pub photo_documents: usize,
    pub photos: Vec<photos::PhotoListing>,
    /// Pictures fetched and checked (`--photos`).
    pub pictures_checked: usize,
    /// Whether published results were compared.
    pub compared: bool,
    /// Receipts and heads held by others, checked against the record.
    pub receipts_checked: usize,
    pub heads_checked: usize,
    /// Open-data files written again from the record and compared.
    pub open_data_checked: usize,
    /// When the election was closed (ms since 1970), if the record says it
    /// is final.
    pub closed_at: Option<u64>,
}

impl Report {
    /// Whether everything holds.
    pub fn holds(&self) -> bool {
        self.problems.is_empty() && self.election.is_some()
    }
}

/// What a server publishes: the totals, and the version it counts for each
/// bureau (`GET /api/v1/bureaux`), when it was fetched.
#[derive(Clone, Debug)]
pub struct Published {
    pub results: Results,
    pub bureaux: Option<Vec<BureauStatus>>,
    /// Each checkpoint's turnout, when the results answer was fetched
    /// whole (`None`: the totals alone).
    pub turnout: Option<Vec<CheckpointTurnout>>,
    /// What the bureaux not yet counted could still change, as published
    /// with the results (`None`: not fetched).
    pub still_open: Option<StillOpen>,
}

/// What else the record is checked against: the key it must be signed
/// with, and what others hold that the server signed.
#[derive(Clone, Debug, Default)]
pub struct Held {
    /// `--server-key`: the record must be signed by this key.
    pub server_key: Option<String>,
    /// Receipts the server gave (a bureau's, a délégué's copy).
    pub receipts: Vec<Receipt>,
    /// Heads the server signed (a watcher's, a phone's).
    pub heads: Vec<SignedTreeHead>,
    /// Open-data files (`GET /api/v1/open-data/…`), each written again
    /// from the record's leaves up to the head it names.
    pub open_data: Vec<String>,
}

/// The bureau a damaged line still names, if any.
fn bureau_named(line: &str) -> Option<String> {
    let rest = &line[line.find("\"bureau\":\"")? + 10..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// Ed25519 with the server's key decompressed once: it signs the head and
/// every receipt held. Any other key is checked as core does.
pub(crate) struct ServerKeyOnce {
    key: [u8; 32],
    decompressed: Option<ed25519_dalek::VerifyingKey>,
}

impl ServerKeyOnce {
    fn new(hex_key: &str) -> Self {
        let mut key = [0u8; 32];
        let parsed = hex_key.len() == 64 && hex::decode_to_slice(hex_key, &mut key).is_ok();
        let decompressed = parsed
            .then(|| ed25519_dalek::VerifyingKey::from_bytes(&key).ok())
            .flatten()
            .filter(|k| !k.is_weak());
        ServerKeyOnce { key, decompressed }
    }
}

impl Verifier for ServerKeyOnce {
    fn verdict(&self, c: &SignatureCheck) -> Verdict {
        match &self.decompressed {
            Some(k) if c.key == self.key => {
                let sig = ed25519_dalek::Signature::from_bytes(&c.signature);
                match k.verify_strict(&c.message, &sig) {
                    Ok(()) => Verdict::Holds,
                    Err(_) => Verdict::Fails,
                }
            }
            _ => Ed25519.verdict(c),
        }
    }
}

/// A return leaf, checked on its own (in parallel with the others).
struct CheckedReturn {
    ret: Result<SignedReturn, VerifyError>,
}

/// Checks the record `text` (JSON lines) and recomputes its results; when
/// `published` is given, compares them figure by figure.
pub fn verify(text: &str, published: Option<&Published>) -> Report {
    verify_held(text, published, &Held::default())
}

/// [`verify`], and what others hold checked against the record.
pub fn verify_held(text: &str, published: Option<&Published>, held: &Held) -> Report {
    let mut problems = Vec::new();
    let raw_lines: Vec<&str> = text.lines().collect();
    let lines: Vec<(usize, &str, Option<Read>)> = raw_lines
        .par_iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n + 1, *l, read::line(l)))
        .collect();
    let mut definition = None;
    let mut head = None;
    let mut leaves: Vec<ReadLeaf> = Vec::with_capacity(lines.len());
    for (n, text, line) in lines {
        match line {
            None => problems.push(Problem::Unreadable {
                line: n,
                bureau: bureau_named(text),
            }),
            Some(Read::Definition {
                hash,
                definition: d,
            }) => {
                if definition.replace((hash, d)).is_some() {
                    problems.push(Problem::Twice { line: n });
                }
            }
            Some(Read::Head(h)) => {
                if head.replace(h).is_some() {
                    problems.push(Problem::Twice { line: n });
                }
            }
            Some(Read::Leaf(l)) => leaves.push(*l),
        }
    }
    let mut report = Report {
        election: None,
        head: head.clone(),
        leaves: leaves.len() as u64,
        returns: leaves
            .iter()
            .filter(|l| matches!(l.entry, LogEntry::Return { .. }))
            .count(),
        accepted: 0,
        problems: Vec::new(),
        rekeyed: Vec::new(),
        carried: Vec::new(),
        other_key_versions: Vec::new(),
        results: None,
        reports: 0,
        reports_accepted: 0,
        turnout: Vec::new(),
        photo_documents: 0,
        photos: Vec::new(),
        pictures_checked: 0,
        compared: false,
        receipts_checked: 0,
        heads_checked: 0,
        open_data_checked: 0,
        closed_at: None,
    };
    let election = match definition {
        None => {
            problems.push(Problem::NoDefinition);
            None
        }
        Some((hash, d)) => {
            match serde_json::from_value::<pointage_core::ElectionInfo>(d).map(Election::new) {
                Ok(Ok(e)) if e.hash() == hash => Some(e),
                Ok(Ok(_)) => {
                    problems.push(Problem::ElectionHash);
                    None
                }
                Ok(Err(e)) => {
                    problems.push(Problem::Definition { error: Some(e) });
                    None
                }
                Err(_) => {
                    problems.push(Problem::Definition { error: None });
                    None
                }
            }
        }
    };
    let Some(election) = election else {
        report.problems = problems;
        return report;
    };

    // The log: leaves in order, their root the head's, signed by the key
    // its opening names (or the one given).
    let mut tree = Tree::new();
    for l in &leaves {
        if l.index != tree.len() {
            problems.push(Problem::LeafOrder {
                index: l.index,
                expected: tree.len(),
            });
        }
        tree.push(l.hash);
    }
    let record_key = match leaves.first().map(|l| &l.entry) {
        Some(LogEntry::Election {
            election_id,
            election_hash,
            server_key,
            ..
        }) if election_id == election.id() && election_hash == election.hash() => {
            Some(server_key.clone())
        }
        _ => {
            problems.push(Problem::Opening { index: 0 });
            None
        }
    };
    if let (Some(record), Some(pinned)) = (&record_key, &held.server_key)
        && record != pinned
    {
        problems.push(Problem::ServerKey {
            record: record.clone(),
            pinned: pinned.clone(),
        });
    }
    let server_key = held.server_key.clone().or(record_key).unwrap_or_default();
    let server = ServerKeyOnce::new(&server_key);
    match &head {
        None => problems.push(Problem::NoHead),
        Some(h) => {
            if h.verify_with(&server_key, &server).is_err()
                || h.head.election_hash != election.hash()
            {
                problems.push(Problem::HeadSignature);
            }
            if h.head.tree_size != tree.len() {
                problems.push(Problem::HeadSize {
                    head: h.head.tree_size,
                    leaves: tree.len(),
                });
            } else if h.head.root() != tree.root(tree.len()) {
                problems.push(Problem::HeadRoot);
            }
        }
    }

    // The returns' signatures and content, on every core.
    let checked: Vec<Option<CheckedReturn>> = leaves
        .par_iter()
        .map(|l| {
            let bytes = l.return_bytes.as_ref()?;
            let ret = SignedReturn::from_bytes(bytes)
                .and_then(|r| r.check_content(&election, &r.body().device_key).map(|()| r));
            Some(CheckedReturn { ret })
        })
        .collect();

    // In order: times, the opening and the closing, keys, returns.
    let mut keys = KeyHistory::new();
    let mut accepted: Vec<SignedReturn> = Vec::new();
    // The leaf of each accepted return, and of each accepted report.
    let mut accepted_at: Vec<u64> = Vec::new();
    let mut reports_at: Vec<u64> = Vec::new();
    let mut latest: BTreeMap<String, usize> = BTreeMap::new();
    let mut last_at = 0;
    let mut closed: Option<(u64, u64)> = None;
    // Each bureau's and checkpoint's latest accepted report (its id and
    // version), and every accepted one with its time.
    let mut latest_report: BTreeMap<(String, String), (String, u32)> = BTreeMap::new();
    let mut reports: Vec<(SignedReport, u64)> = Vec::new();
    let mut photos = photos::Photos::default();
    for (l, checked) in leaves.iter().zip(checked) {
        let index = l.index;
        if l.entry.at() < last_at {
            problems.push(Problem::TimeBack { index });
        }
        last_at = last_at.max(l.entry.at());
        if closed.is_some() {
            problems.push(Problem::AfterClosure { index });
            continue;
        }
        match &l.entry {
            LogEntry::Election { .. } if index != 0 => problems.push(Problem::Opening { index }),
            LogEntry::Election { .. } => {}
            LogEntry::Closed { at, .. } => closed = Some((*at, index)),
            LogEntry::Photos { .. } => {
                problems.extend(photos.leaf(index, &l.entry, &election, &keys));
            }
            LogEntry::Report { at, .. } => {
                report.reports += 1;
                let bureau = l.entry.bureau().map(str::to_owned);
                let refused = |error| Problem::Report {
                    bureau: bureau.clone(),
                    sequence: index,
                    error,
                };
                let r = match l.entry.signed_report() {
                    Some(Ok(r)) => r,
                    Some(Err(e)) => {
                        problems.push(refused(e));
                        continue;
                    }
                    None => continue,
                };
                if let Err(e) = r.check_content(&election, election.checkpoints()) {
                    problems.push(refused(e));
                    continue;
                }
                let b = r.body();
                if keys
                    .current(&b.bureau)
                    .is_none_or(|k| k.key != b.device_key)
                {
                    problems.push(Problem::ReportKeyNotHeld {
                        bureau: b.bureau.clone(),
                        sequence: index,
                    });
                    continue;
                }
                let slot = (b.bureau.clone(), b.checkpoint.clone());
                let previous = latest_report.get(&slot).map(|(id, v)| (id.as_str(), *v));
                if let Err(e) = r.check_chain(previous) {
                    problems.push(refused(e));
                    continue;
                }
                latest_report.insert(slot, (r.id().to_owned(), b.version));
                reports.push((r, *at));
                reports_at.push(index);
            }
            LogEntry::Key { bureau, .. } | LogEntry::Reissue { bureau, .. } => {
                if election.bureau(bureau).is_none() {
                    problems.push(Problem::UnknownBureau {
                        bureau: bureau.clone(),
                        index,
                    });
                    continue;
                }
                if let LogEntry::Key { device_key, .. } = &l.entry
                    && !pointage_core::signature::is_public_key(device_key)
                {
                    problems.push(Problem::MalformedKey {
                        bureau: bureau.clone(),
                        index,
                    });
                    continue;
                }
                match keys.apply(index, &l.entry) {
                    Ok(Some(change)) => report.rekeyed.push(change),
                    Ok(None) => {}
                    Err(e) => problems.push(Problem::Keys(e)),
                }
            }
            LogEntry::Return { .. } => {
                let Some(c) = checked else { continue };
                let ret = match c.ret {
                    Ok(r) => r,
                    Err(error) => {
                        problems.push(Problem::Return {
                            bureau: l.entry.bureau().map(str::to_owned),
                            sequence: index,
                            error,
                        });
                        continue;
                    }
                };
                let b = ret.body();
                if keys
                    .current(&b.bureau)
                    .is_none_or(|k| k.key != b.device_key)
                {
                    problems.push(Problem::KeyNotHeld {
                        bureau: b.bureau.clone(),
                        sequence: index,
                    });
                    continue;
                }
                let previous = latest.get(&b.bureau).map(|&i| &accepted[i]);
                if let Err(e) = ret.check_chain(previous) {
                    problems.push(Problem::Return {
                        bureau: Some(b.bureau.clone()),
                        sequence: index,
                        error: VerifyError::Chain(e),
                    });
                    continue;
                }
                if previous.is_some_and(|p| p.body().device_key != b.device_key) {
                    report.other_key_versions.push(OtherKeyVersion {
                        bureau: b.bureau.clone(),
                        version: b.version,
                        sequence: index,
                    });
                }
                latest.insert(b.bureau.clone(), accepted.len());
                photos.returned(&ret);
                accepted.push(ret);
                accepted_at.push(index);
            }
        }
    }

    // What others hold, against the record's tree.
    for r in &held.receipts {
        problems.extend(check_receipt(r, &server_key, &server, &tree, &leaves));
    }
    let record_time = head.as_ref().map(|h| h.head.timestamp);
    for h in &held.heads {
        problems.extend(check_head(h, &server_key, &server, &tree, record_time));
    }
    let prefix = Prefix {
        election: &election,
        tree: &tree,
        returns: (&accepted, &accepted_at),
        reports: (&reports, &reports_at),
    };
    problems.extend(held.open_data.iter().filter_map(|text| prefix.check(text)));

    let results = results::compute(&election, accepted.iter().map(|r| (r.id(), r.body())));
    let turnout = turnout::compute(
        &election,
        reports
            .iter()
            .map(|(report, at)| Received { report, at: *at }),
    );
    if let Some(p) = published {
        problems.extend(compare(&p.results, &results));
        if let Some(t) = &p.turnout {
            problems.extend(compare_turnout(t, &turnout));
        }
        if let Some(published) = &p.still_open {
            let ours = still_open::still_open(&election, &results);
            if *published != ours {
                let say = |x: &StillOpen| serde_json::to_string(x).unwrap_or_default();
                problems.push(Problem::StillOpen {
                    published: say(published),
                    recomputed: say(&ours),
                });
            }
        }
        if let Some(list) = &p.bureaux {
            problems.extend(compare_counted(list, &results));
            // The same core function the server lists them with, from the
            // record's own key history: a bureau is enrolled while a key
            // holds it.
            let (ours, _) =
                results::bureau_states(&election, &results, |b| keys.current(b).is_some());
            problems.extend(compare_states(list, &ours));
        }
    }
    report.accepted = accepted.len();
    report.carried = keys
        .carried()
        .into_iter()
        .map(|(from, n)| (from.to_owned(), n))
        .collect();
    report.reports_accepted = reports.len();
    report.photo_documents = photos.read;
    report.photos = photos.listed;
    report.turnout = turnout;
    report.problems = problems;
    report.results = Some(results);
    report.compared = published.is_some();
    report.receipts_checked = held.receipts.len();
    report.heads_checked = held.heads.len();
    report.open_data_checked = held.open_data.len();
    report.closed_at = closed.map(|(at, _)| at);
    report.election = Some(election);
    report
}
