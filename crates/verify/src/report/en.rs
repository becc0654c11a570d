//! Every sentence of the verifier, in English (`--en`).

use super::{Words, escape, short, utc};
use crate::photos::PhotoFault;
use crate::{Figure, Problem};
use pointage_core::VerifyError;
use pointage_core::log::{KeyChange, KeyError};
use pointage_core::operator::Actor;
use pointage_core::photo::PhotosError;
use pointage_core::sheet::SheetError;
use pointage_core::signed_return::ChainError;
use pointage_core::turnout::ReportError;
use pointage_core::wire::BureauState;

pub struct En;

fn station(b: &str) -> String {
    format!("station {b}")
}

fn leaf(n: u64) -> String {
    format!("leaf {n}")
}

impl Words for En {
    fn count(&self, n: u64) -> String {
        pointage_core::results::group_digits(n, ',')
    }

    fn percent(&self, bp: Option<u32>) -> String {
        bp.map_or("—".into(), |b| {
            pointage_core::results::percent_text(b, false)
        })
    }

    fn report_why(&self, e: &ReportError) -> String {
        match e {
            ReportError::BadSignature => "its signature does not match its content".into(),
            ReportError::OverInscrits { count, inscrits } => {
                format!("T1: {count} signatures for {inscrits} registered voters")
            }
            ReportError::UnknownCheckpoint(c) => {
                format!("the election has no checkpoint \"{}\"", escape(c))
            }
            ReportError::Chain | ReportError::TooManyVersions => {
                "this version does not follow the previous one of the same checkpoint".into()
            }
            ReportError::OtherElection => "it is for another election".into(),
            other => format!(
                "unreadable or against the rules ({})",
                escape(&other.to_string())
            ),
        }
    }

    fn photos_why(&self, e: &PhotosError) -> &'static str {
        match e {
            PhotosError::BadSignature => "their signature does not match their content",
            PhotosError::UnknownReturn => {
                "they name no return received from this station before them"
            }
            PhotosError::Chain | PhotosError::TooManyVersions => {
                "this version does not follow the station's previous photos"
            }
            PhotosError::OtherElection => "they are for another election",
            PhotosError::UnknownBureau(_) => "the election has no such station",
            PhotosError::Pages => {
                "their pages are out of bounds (1 to 4 JPEG or WebP pages of at most 400 KB)"
            }
            _ => "unreadable or not in the format",
        }
    }

    fn state(&self, s: Option<BureauState>) -> &'static str {
        match s {
            Some(BureauState::Received) => "\"received\"",
            Some(BureauState::Enrolled) => "\"enrolled, no return\"",
            Some(BureauState::NotEnrolled) => "\"no phone enrolled\"",
            None => "absent (or listed twice)",
        }
    }

    fn why(&self, e: &VerifyError) -> &'static str {
        match e {
            VerifyError::Encoding(_) => "the return is not in its canonical encoding",
            VerifyError::UnknownFormat => "unknown return format",
            VerifyError::MalformedKey => "malformed key or signature",
            VerifyError::BadSignature => {
                "the signature does not match the content: it was changed after signing"
            }
            VerifyError::WrongElection | VerifyError::WrongMode => "made for another election",
            VerifyError::UnknownBureau(_) => "a polling station the election does not have",
            VerifyError::KeyNotEnrolled => "signed by a key that is not the station's",
            VerifyError::RulesBroken(_) => "the report breaks a blocking rule",
            VerifyError::Explanations => {
                "a warning without its explanation, or an explanation without a warning"
            }
            VerifyError::Entrants => "the two people who entered it are missing or the same",
            VerifyError::Sheets(e) => self.sheet_why(e),
            VerifyError::Chain(ChainError::MissingPrevious) => {
                "corrects a version the record does not hold"
            }
            VerifyError::Chain(_) => "the chain of versions is broken",
        }
    }

    fn sheet_why(&self, e: &SheetError) -> &'static str {
        match e {
            SheetError::Encoding(_) => "a table sheet is not in its canonical encoding",
            SheetError::UnknownFormat => "unknown table sheet format",
            SheetError::BadSignature { .. } => {
                "a table sheet does not carry its phone's signature: it was changed or forged"
            }
            SheetError::NotInvited { .. } => {
                "a table sheet comes from a phone the station did not invite"
            }
            SheetError::OtherBureau { .. } => {
                "a table sheet was made for another station or election"
            }
            SheetError::SlotTwice { .. } => "two sheets for the same table and recorder",
            SheetError::SameRecorder { .. } => {
                "a table's two sheets come from one phone or one person"
            }
            SheetError::Disagree { .. } => "a table's two sheets differ on a packet",
            SheetError::CountedTwice(_) => "a packet is counted twice",
            SheetError::NotTheTally => "the table sheets do not add up to the return's tally",
        }
    }

    fn figure(&self, f: &Figure) -> String {
        match f {
            Figure::Election => "election".into(),
            Figure::Coverage => "stations counted".into(),
            Figure::Votes(n) => format!("votes for {n}"),
            Figure::Percent(n) => format!("share of {n}"),
            Figure::Exprimes => "valid votes".into(),
            Figure::Blancs => "blank".into(),
            Figure::Nuls => "spoiled".into(),
            Figure::Enveloppes => "envelopes".into(),
            Figure::Emargements => "signatures".into(),
            Figure::Turnout => "turnout".into(),
        }
    }

    fn key_why(&self, e: &KeyError) -> String {
        match e {
            KeyError::TwoKeys {
                bureau,
                index,
                held_since,
            } => format!(
                "station {bureau}, leaf {index}: a second key enrolled while the key of leaf {held_since} was never revoked (a shadow key)"
            ),
            KeyError::KeyReused {
                bureau,
                index,
                first,
                first_bureau,
            } => format!(
                "station {bureau}, leaf {index}: a key already enrolled (leaf {first}, station {first_bureau}) enrolled again"
            ),
            KeyError::WrongRevocation { bureau, index } => format!(
                "station {bureau}, leaf {index}: the reissue revokes a key that was not the station's"
            ),
        }
    }

    fn say(&self, p: &Problem) -> String {
        let who = |b: &Option<String>| {
            b.as_deref()
                .map_or_else(String::new, |b| format!("{}, ", station(b)))
        };
        match p {
            Problem::Unreadable { line, bureau } => {
                format!("{}line {line}: unreadable (altered?)", who(bureau))
            }
            Problem::NoDefinition => "the record does not give the election's definition".into(),
            Problem::NoHead => "the record does not give the head the server signed".into(),
            Problem::Twice { line } => {
                format!("line {line}: a second definition or a second head")
            }
            Problem::ElectionHash => {
                "the election definition does not give the hash it claims".into()
            }
            Problem::Definition { error } => match error {
                Some(e @ pointage_core::ElectionError::ControlCharacter(_)) => {
                    format!("the election definition is not valid: {e}: it could rewrite what is shown")
                }
                Some(e) => format!("the election definition is not valid: {e}"),
                None => "the election definition cannot be read".into(),
            },
            Problem::LeafOrder { index, expected } => format!(
                "{} where leaf {expected} was due: leaves removed, added or moved",
                leaf(*index)
            ),
            Problem::HeadSize { head, leaves } => {
                format!("the signed head covers {head} leaves, the record gives {leaves}")
            }
            Problem::HeadRoot => "the leaves do not give the signed head's root: a leaf was changed, removed or moved after signing".into(),
            Problem::HeadSignature => "the head is not signed by the server key".into(),
            Problem::ServerKey { record, pinned } => format!(
                "the record is signed with key {}…, not the expected {}…",
                short(record),
                short(pinned)
            ),
            Problem::Opening { index } => format!(
                "{}: the record's opening is not this election's, or not the first leaf",
                leaf(*index)
            ),
            Problem::TimeBack { index } => {
                format!("{}: older than the leaf before it", leaf(*index))
            }
            Problem::AfterClosure { index } => {
                format!("{}: added after the election was closed", leaf(*index))
            }
            Problem::UnknownBureau { bureau, index } => format!(
                "{}: a key for a station {bureau} the election does not have",
                leaf(*index)
            ),
            Problem::MalformedKey { bureau, index } => format!(
                "{}, {}: the key enrolled is no usable Ed25519 key",
                station(bureau),
                leaf(*index)
            ),
            Problem::Keys(e) => self.key_why(e),
            Problem::Return {
                bureau,
                sequence,
                error,
            } => format!("{}{}: {}", who(bureau), leaf(*sequence), self.why(error)),
            Problem::KeyNotHeld { bureau, sequence } => format!(
                "{}, {}: signed with a key that was not the station's at that time",
                station(bureau),
                leaf(*sequence)
            ),
            Problem::Report {
                bureau,
                sequence,
                error,
            } => format!(
                "{}{}: turnout count refused, {}",
                who(bureau),
                leaf(*sequence),
                self.report_why(error)
            ),
            Problem::Photos {
                bureau,
                sequence,
                error,
            } => format!(
                "{}{}: photos of the paper report refused, {}",
                who(bureau),
                leaf(*sequence),
                self.photos_why(error)
            ),
            Problem::PhotosKeyNotHeld { bureau, sequence } => format!(
                "{}, {}: photos of the paper report signed by a key that was not the station's then",
                station(bureau),
                leaf(*sequence)
            ),
            Problem::PhotoBytes {
                bureau,
                page,
                sha256,
                fault,
            } => match fault {
                PhotoFault::Altered => format!(
                    "{}, page {page} of the paper report (photo {}): not the photo the station signed",
                    station(bureau),
                    short(sha256)
                ),
                PhotoFault::Unreachable(why) => format!(
                    "{}, page {page} of the paper report (photo {}): cannot be fetched ({})",
                    station(bureau),
                    short(sha256),
                    escape(why)
                ),
            },
            Problem::ReportKeyNotHeld { bureau, sequence } => format!(
                "{}, {}: turnout count signed with a key that was not the station's at that time",
                station(bureau),
                leaf(*sequence)
            ),
            Problem::Turnout {
                checkpoint,
                what,
                published,
                recomputed,
            } => format!(
                "turnout, checkpoint \"{checkpoint}\", {what}: the server publishes {published}, the record gives {recomputed}"
            ),
            Problem::StillOpen {
                published,
                recomputed,
            } => format!(
                "what the stations left could still change: the server publishes {}, the record gives {}",
                escape(published),
                escape(recomputed)
            ),
            Problem::Counted {
                bureau,
                published,
                recomputed,
            } => format!(
                "{}: the server counts {published}, the record gives {recomputed}",
                station(bureau)
            ),
            Problem::State {
                bureau,
                published,
                recomputed,
            } => format!(
                "{}: the server lists it as {}, the record gives {}",
                station(bureau),
                self.state(*published),
                self.state(*recomputed)
            ),
            Problem::OpenDataHead { file } => format!(
                "open data {}: the record head it names is not this record's",
                file.path()
            ),
            Problem::OpenData { file, bureau } => match bureau {
                Some(b) => format!(
                    "open data {}, {}: the published line is not the one the record gives",
                    file.path(),
                    station(b)
                ),
                None => format!(
                    "open data {}: the columns are not the ones the record gives",
                    file.path()
                ),
            },
            Problem::Figure {
                what,
                published,
                recomputed,
            } => format!(
                "{}: published {published}, recomputed {recomputed}",
                self.figure(what)
            ),
            Problem::ReceiptNotSigned { bureau, version } => format!(
                "{}, version {version}: the receipt given is not signed by the server",
                station(bureau)
            ),
            Problem::ReceiptContradicted {
                bureau,
                version,
                sequence,
            } => format!(
                "{}, version {version}: the server signed a receipt (leaf {sequence}) this record contradicts — the record was rewritten afterwards",
                station(bureau)
            ),
            Problem::HeadContradicted { size } => format!(
                "a head the server signed for {size} leaves is not this record's: the server showed two histories"
            ),
        }
    }

    fn change(&self, c: &KeyChange) -> String {
        match c {
            KeyChange::Reissued {
                bureau,
                index,
                at,
                revoked,
                by,
            } => {
                let who = match by {
                    Some(Actor::Admin) => " by an admin",
                    Some(Actor::Coordinator) => " by a coordinator",
                    Some(Actor::CommandLine) => " by the server's command line",
                    None => "",
                };
                match revoked
                    .as_deref()
                    .map(pointage_core::signed_return::key_fingerprint)
                {
                    Some(k) => format!(
                        "station {bureau}: code reissued{who} on {} (leaf {index}), key {k} revoked",
                        utc(*at)
                    ),
                    None => format!(
                        "station {bureau}: code reissued{who} on {} (leaf {index}), no phone had enrolled",
                        utc(*at)
                    ),
                }
            }
            KeyChange::Rekeyed {
                bureau,
                index,
                at,
                key,
            } => format!(
                "station {bureau}: new key {} enrolled on {} (leaf {index})",
                pointage_core::signed_return::key_fingerprint(key),
                utc(*at)
            ),
        }
    }

    fn title(&self) -> &'static str {
        "Pointage — public record check"
    }

    fn election_line(&self, name: &str, id: &str, hash: &str) -> String {
        format!("Election: {name} ({id}), hash {hash}")
    }

    fn log_line(&self, leaves: u64, root: &str, at: u64) -> String {
        format!(
            "Log: {} leaves, root {root}…, head signed on {}.",
            self.count(leaves),
            utc(at)
        )
    }

    fn returns_line(&self, read: u64, accepted: u64) -> String {
        format!(
            "Returns read: {}; accepted: {}.",
            self.count(read),
            self.count(accepted)
        )
    }

    fn closed(&self) -> &'static str {
        "Final record: the election was closed, the server takes no more returns."
    }

    fn no_key_change(&self) -> &'static str {
        "No key changed: each station kept the phone enrolled first."
    }

    fn key_changes(&self, n: u64) -> String {
        format!("Key changes ({}):", self.count(n))
    }

    fn carried(&self, from: &str, n: u64) -> String {
        match n {
            1 => format!(
                "1 station keeps its phone's key from election {from} (carried over without a new code)"
            ),
            n => format!(
                "{} stations keep their phone's key from election {from} (carried over without a new code)",
                self.count(n)
            ),
        }
    }

    fn other_key_version(&self, bureau: &str, version: u32, sequence: u64) -> String {
        format!(
            "station {bureau}, version {version} (leaf {sequence}): signed by another key than the version it replaces"
        )
    }

    fn counted_line(&self, reporting: u64, total: u64) -> String {
        format!(
            "Stations counted: {} / {}",
            self.count(reporting),
            self.count(total)
        )
    }

    fn candidate_line(&self, name: &str, votes: u64, percent_bp: Option<u32>) -> String {
        format!(
            "{name}: {} ({})",
            self.count(votes),
            self.percent(percent_bp)
        )
    }

    fn totals_line(&self, exprimes: u64, blancs: u64, nuls: u64) -> String {
        format!(
            "valid {} · blank {} · spoiled {}",
            self.count(exprimes),
            self.count(blancs),
            self.count(nuls)
        )
    }

    fn compared(&self, compared: bool) -> &'static str {
        if compared {
            "Compared with the published results."
        } else {
            "Not compared: no published results were given."
        }
    }

    fn checked_against(&self, receipts: u64, heads: u64) -> String {
        format!(
            "Checked against the record: {} receipt(s) and {} head(s) held.",
            self.count(receipts),
            self.count(heads)
        )
    }

    fn photos_line(&self, read: u64, accepted: u64, pages: u64) -> String {
        format!(
            "Photos of the paper report: {} document(s) read, {} accepted, {} page(s).",
            self.count(read),
            self.count(accepted),
            self.count(pages)
        )
    }

    fn pictures_checked(&self, pages: u64) -> String {
        format!(
            "Photos fetched and compared with their signed hash: {}.",
            self.count(pages)
        )
    }

    fn open_data_checked(&self, files: u64) -> String {
        format!(
            "Open data written again from the record and compared: {} file(s).",
            self.count(files)
        )
    }

    fn holds(&self) -> &'static str {
        "EVERYTHING HOLDS: every signature, the log's root, every key and every version."
    }

    fn discrepancies(&self, n: u64) -> String {
        format!("{} DISCREPANCY(IES):", self.count(n))
    }

    fn cannot_read(&self, why: &str) -> String {
        format!("Cannot read: {why}")
    }

    fn watch_first(&self, at: u64, leaves: u64, root: &str) -> String {
        format!("{}: first head, {leaves} leaves, root {root}…", utc(at))
    }

    fn watch_same(&self, at: u64, leaves: u64) -> String {
        format!("{}: unchanged, {leaves} leaves", utc(at))
    }

    fn watch_consistent(&self, at: u64, leaves: u64, previous: u64) -> String {
        format!(
            "{}: {leaves} leaves, consistent with the head of {previous} leaves",
            utc(at)
        )
    }

    fn watch_not_signed(&self, leaves: u64) -> String {
        format!("ALERT: the head of {leaves} leaves is not signed by the server key")
    }

    fn watch_fork(&self, shown: (u64, &str), kept: (u64, &str), kept_in: &str) -> String {
        format!(
            "ALERT: the server shows two histories. The head of {} leaves (root {}…) does not extend the head of {} leaves (root {}…) seen before. Both signed heads are in {kept_in}: keep them, they are the proof.",
            shown.0, shown.1, kept.0, kept.1
        )
    }
}
