//! What the benchmarks and tests share, built once: a national election
//! (70,000 bureaux, 12 candidates in the benchmarks), plausible PVs with
//! no warning, the bureau's members, an agreed double entry, and device
//! secrets from a number. Dev-only: no crate that ships depends on it.

use pointage_core::{
    Bureau, Candidate, DoubleEntry, Election, ElectionInfo, ElectionRef, Members, Mode,
    ProcesVerbal, ReturnDraft, SignedReturn,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The bureaux of a national election, as the benchmarks size it.
pub const NATIONAL_BUREAUX: usize = 70_000;
/// Its candidates.
pub const NATIONAL_CANDIDATES: usize = 12;

/// Candidate `i`'s id: `c00`, `c01`, …
pub fn candidate_id(i: usize) -> String {
    format!("c{i:02}")
}

/// Bureau `i`'s code: `000-0000`, `000-0001`, … (a thousand a commune
/// group).
pub fn bureau_code(i: usize) -> String {
    format!("{:03}-{:04}", i / 1000, i % 1000)
}

/// An election `id` of `bureaux` bureaux (1,000 inscrits each) and
/// `candidates` candidates, in test mode.
///
/// # Panics
/// If core refuses it (it cannot, for any sizes core accepts).
pub fn election(id: &str, bureaux: usize, candidates: usize) -> Election {
    Election::new(ElectionInfo {
        day: None,
        qualification: None,
        id: id.into(),
        name: "Élection nationale (banc d'essai)".into(),
        round: 1,
        date: "2027-04-11".into(),
        mode: Mode::Test,
        candidates: (0..candidates)
            .map(|i| Candidate {
                id: candidate_id(i),
                panel: i as u32 + 1,
                name: format!("Candidate {i}"),
            })
            .collect(),
        bureaux: (0..bureaux)
            .map(|i| Bureau {
                code: bureau_code(i),
                name: format!("Bureau {i}"),
                commune: format!("Commune {}", i / 3),
                inscrits: Some(1_000),
            })
            .collect(),
    })
    .unwrap_or_else(|e| panic!("the test kit's election: {e}"))
}

/// A test election `id` of one bureau, `001`, with `inscrits` (or none:
/// an open primary), and these candidate ids in panel order: the shape
/// core's vectors and device's tests are written against.
///
/// # Panics
/// If core refuses it (duplicate or empty candidate ids).
pub fn one_bureau(id: &str, name: &str, candidates: &[&str], inscrits: Option<u32>) -> Election {
    Election::new(ElectionInfo {
        day: None,
        qualification: None,
        id: id.into(),
        name: name.into(),
        round: 1,
        date: "2027-01-22".into(),
        mode: Mode::Test,
        candidates: (1..)
            .zip(candidates)
            .map(|(panel, id)| Candidate {
                id: (*id).into(),
                panel,
                name: format!("Candidate {id}"),
            })
            .collect(),
        bureaux: vec![Bureau {
            code: "001".into(),
            name: "Bureau 001".into(),
            commune: "Commune".into(),
            inscrits,
        }],
    })
    .unwrap_or_else(|e| panic!("the test kit's election {id}: {e}"))
}

/// The national election of the benchmarks (`bench-national`).
pub fn national() -> Election {
    election("bench-national", NATIONAL_BUREAUX, NATIONAL_CANDIDATES)
}

/// A bureau's legal composition: four different people.
pub fn members() -> Members {
    Members {
        president: "Awa Diallo".into(),
        secretaire: "Bruno Petit".into(),
        assesseurs: vec!["Chloé Martin".into(), "Djamel Haddad".into()],
    }
}

/// A plausible PV for `candidates` candidates (1,000 inscrits, 10 blank or
/// spoiled, each candidate 20 to 79 votes from `seed`): no rule broken,
/// no warning.
pub fn plausible_pv(seed: usize, candidates: usize) -> ProcesVerbal {
    let mut voix = BTreeMap::new();
    let mut exprimes = 0;
    for c in 0..candidates {
        let n = 20 + ((seed * 7 + c * 13) % 60) as u32;
        exprimes += n;
        voix.insert(candidate_id(c), Some(n));
    }
    ProcesVerbal {
        inscrits: Some(1_000),
        emargements: Some(exprimes + 10),
        enveloppes: Some(exprimes + 10),
        blancs: Some(6),
        nuls: Some(4),
        exprimes: Some(exprimes),
        voix,
        contributions_cents: None,
        members: members(),
        observations: String::new(),
    }
}

/// `pv` entered twice, alike, by two people: the double entry agreed.
///
/// # Panics
/// If core refuses an entry (never, for a PV with every field typed).
pub fn agreed(pv: ProcesVerbal) -> DoubleEntry {
    DoubleEntry::new()
        .finish_first("Awa Diallo", pv.clone())
        .and_then(|d| d.finish_second("Bruno Petit", pv))
        .unwrap_or_else(|e| panic!("the test kit's double entry: {e}"))
}

/// Device `i`'s secret key, the same at every run (`label` keeps the keys
/// of two benchmarks apart).
pub fn device_secret(label: &str, i: usize) -> [u8; 32] {
    Sha256::digest(format!("{label} device {i}").as_bytes()).into()
}

/// Bureau `bureau`'s version 1 of `pv`, agreed by two people, signed by
/// `secret` at `at` (no tally, no explanation: `pv` must raise no warning).
///
/// # Panics
/// If core refuses to sign it.
pub fn signed_return(
    election: &Election,
    bureau: &str,
    pv: ProcesVerbal,
    secret: &[u8; 32],
    at: u64,
) -> SignedReturn {
    signed_version(election, bureau, pv, secret, at, None)
}

/// The same, as the version that corrects `correction`'s return with its
/// reason (version 1 when `None`).
///
/// # Panics
/// If core refuses to sign it.
pub fn signed_version<E: ElectionRef + ?Sized>(
    election: &E,
    bureau: &str,
    pv: ProcesVerbal,
    secret: &[u8; 32],
    at: u64,
    correction: Option<(&SignedReturn, String)>,
) -> SignedReturn {
    let entry = agreed(pv);
    let draft = ReturnDraft {
        turnout: None,
        tables: &[],
        bureau,
        entry: &entry,
        explanations: BTreeMap::new(),
        tally: None,
        correction,
    };
    SignedReturn::sign(election, draft, secret, at)
        .unwrap_or_else(|e| panic!("the test kit's return for {bureau}: {e}"))
}

/// The day French elections live, on `date` (`YYYY-MM-DD`, winter time):
/// the opening at 08:00, then counts at 12:00 and 17:00.
pub fn french_day(date: &str) -> pointage_core::Day {
    use pointage_core::{Checkpoint, CheckpointKind};
    let at = |id: &str, kind, time: &str| Checkpoint {
        id: id.into(),
        kind,
        due: format!("{date}T{time}:00+01:00"),
    };
    pointage_core::Day {
        time_zone: "Europe/Paris".into(),
        checkpoints: vec![
            at("ouverture", CheckpointKind::Opening, "08:00"),
            at("12h", CheckpointKind::Count, "12:00"),
            at("17h", CheckpointKind::Count, "17:00"),
        ],
    }
}

/// `election` with [`french_day`] on its polling day: a new definition,
/// with a new hash.
///
/// # Panics
/// If core refuses it (it cannot: the day is on the election's date).
pub fn with_day(election: &Election) -> Election {
    let mut info = election.info();
    info.day = Some(french_day(&info.date));
    Election::new(info).unwrap_or_else(|e| panic!("the test kit's day: {e}"))
}

/// Today's date (UTC), `YYYY-MM-DD`, from the system clock.
///
/// # Panics
/// If the clock is before 1970.
pub fn today() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_else(|e| panic!("the clock is before 1970: {e}"))
        .as_millis() as u64;
    pointage_core::day::utc_rfc3339(ms)[..10].to_owned()
}

/// An election `id` of `bureaux` bureaux `J-001`… of 1,000 inscrits each,
/// polling today, whose day has two count checkpoints: "matin", due at
/// 00:00 at UTC+14 (long past, whatever the hour here), and "soir", due
/// at 23:59 at UTC−12 (still to come): a server's real clock finds a
/// report at the first late, at the second on time.
///
/// # Panics
/// If core refuses it (it cannot).
pub fn polling_today(id: &str, bureaux: usize, candidates: usize) -> Election {
    use pointage_core::{Checkpoint, CheckpointKind, Day};
    let mut info = election(id, 1, candidates).info();
    let date = today();
    info.date = date.clone();
    info.bureaux = (1..=bureaux)
        .map(|i| Bureau {
            code: format!("J-{i:03}"),
            name: format!("Bureau {i}"),
            commune: "Arles".into(),
            inscrits: Some(1_000),
        })
        .collect();
    let at = |id: &str, due: String| Checkpoint {
        id: id.into(),
        kind: CheckpointKind::Count,
        due,
    };
    info.day = Some(Day {
        time_zone: "Pacific/Kiritimati".into(),
        checkpoints: vec![
            at("matin", format!("{date}T00:00:00+14:00")),
            at("soir", format!("{date}T23:59:00-12:00")),
        ],
    });
    Election::new(info).unwrap_or_else(|e| panic!("the test kit's day: {e}"))
}

/// A turnout report of `bureau` at `checkpoint`, signed with `secret`:
/// version 1, or the correction of `previous` with a reason. At an opening,
/// the bureau's members (`count` is not used); else `count`.
///
/// # Panics
/// If core refuses it (a count over the inscrits, say).
pub fn turnout_report(
    e: &Election,
    bureau: &str,
    secret: &[u8; 32],
    checkpoint: &str,
    count: u32,
    previous: Option<&pointage_core::turnout::SignedReport>,
) -> pointage_core::turnout::SignedReport {
    use pointage_core::turnout::{REPORT_FORMAT, ReportBody, UnsignedReport};
    let opening = e
        .checkpoints()
        .iter()
        .any(|c| c.id == checkpoint && c.kind == pointage_core::CheckpointKind::Opening);
    let body = ReportBody {
        format: REPORT_FORMAT.into(),
        election_id: e.id().into(),
        election_hash: e.hash().into(),
        mode: e.mode(),
        bureau: bureau.into(),
        checkpoint: checkpoint.into(),
        version: previous.map_or(1, |p| p.body().version + 1),
        replaces: previous.map(|p| pointage_core::Replaces {
            id: p.id().into(),
            reason: "Un zéro de trop.".into(),
        }),
        count: (!opening).then_some(count),
        present: if opening {
            vec![members().president, members().secretaire]
        } else {
            Vec::new()
        },
        explanation: None,
        device_key: pointage_core::signed_return::public_key_hex(secret),
        signed_at: 0,
    };
    UnsignedReport::new(body, e, e.checkpoints(), previous)
        .and_then(|u| u.sign(secret))
        .unwrap_or_else(|err| panic!("the test kit's report: {err}"))
}

/// A stand-in picture of `len` bytes, different for each `seed` (a JPEG's
/// first bytes, then noise): what the server and the verifier handle is
/// bytes and their hashes, never pixels.
pub fn picture(seed: u8, len: usize) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xd8, 0xff, 0xe0];
    let mut x = u32::from(seed).wrapping_mul(2_654_435_761).wrapping_add(1);
    while bytes.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push(x as u8);
    }
    bytes.truncate(len);
    bytes
}

/// Bureau `ret`'s photo document of the paper PV whose pages are
/// `pictures` (JPEG), signed by `secret`; the retake of `previous` when
/// given.
///
/// # Panics
/// If core refuses to sign it.
pub fn photos_of(
    e: &Election,
    ret: &SignedReturn,
    secret: &[u8; 32],
    pictures: &[Vec<u8>],
    previous: Option<&pointage_core::photo::SignedPhotos>,
) -> pointage_core::photo::SignedPhotos {
    use pointage_core::photo::{PHOTOS_FORMAT, PhotoPage, PhotosBody, UnsignedPhotos};
    let body = PhotosBody {
        format: PHOTOS_FORMAT.into(),
        election_id: e.id().into(),
        election_hash: e.hash().into(),
        mode: e.mode(),
        bureau: ret.body().bureau.clone(),
        return_id: ret.id().into(),
        return_version: ret.body().version,
        version: previous.map_or(1, |p| p.body().version + 1),
        replaces: previous.map(|p| pointage_core::Replaces {
            id: p.id().into(),
            reason: "Photo floue.".into(),
        }),
        pages: pictures
            .iter()
            .zip(1..)
            .map(|(p, n)| PhotoPage::of(n, "image/jpeg", p))
            .collect(),
        device_key: pointage_core::signed_return::public_key_hex(secret),
        signed_at: 0,
    };
    UnsignedPhotos::new(body, e, previous.map(|p| (p.id(), p.body().version)))
        .and_then(|u| u.sign(secret))
        .unwrap_or_else(|err| panic!("the test kit's photos: {err}"))
}

/// Signs a report body without core's checks: what a phone running
/// altered code (or a script) sends.
///
/// # Panics
/// If the body cannot be encoded (it always can).
pub fn forged_report(
    body: &pointage_core::turnout::ReportBody,
    secret: &[u8; 32],
) -> pointage_core::turnout::SignedReport {
    use ed25519_dalek::Signer;
    let bytes = pointage_core::canonical::encode(body).unwrap_or_default();
    let mut message = pointage_core::turnout::REPORT_SIGNING_CONTEXT.to_vec();
    message.extend_from_slice(&bytes);
    let signature = ed25519_dalek::SigningKey::from_bytes(secret).sign(&message);
    let text = format!(
        "{{\"body\":{},\"signature\":\"{}\"}}",
        String::from_utf8_lossy(&bytes),
        hex::encode(signature.to_bytes())
    );
    pointage_core::turnout::SignedReport::from_bytes(text.as_bytes())
        .unwrap_or_else(|err| panic!("a forged report: {err}"))
}

/// Results made by hand for `election`: its first `counted` bureaux
/// counted (with a placeholder return id), its candidates with `votes` in
/// order, every vote exprimé. For the tests of what is said about results
/// ("could it still change") without signing returns.
pub fn hand_made_results(
    election: &Election,
    counted: usize,
    votes: &[u64],
) -> pointage_core::results::Results {
    use pointage_core::results::{CandidateTotal, CountedReturn, Coverage, Results};
    let exprimes = votes.iter().sum();
    Results {
        election_id: election.id().into(),
        election_hash: election.hash().into(),
        mode: election.mode(),
        coverage: Coverage {
            reporting: counted as u32,
            total: election.bureaux().len() as u32,
        },
        candidates: election
            .candidates()
            .iter()
            .zip(votes)
            .map(|(c, &votes)| CandidateTotal {
                id: c.id.clone(),
                panel: c.panel,
                name: c.name.clone(),
                votes,
                percent_of_exprimes_bp: None,
            })
            .collect(),
        exprimes,
        blancs: 0,
        nuls: 0,
        enveloppes: exprimes,
        emargements: exprimes,
        turnout: None,
        counted: election.bureaux()[..counted]
            .iter()
            .map(|b| {
                let counted = CountedReturn {
                    version: 1,
                    return_id: "00".repeat(32),
                };
                (b.code.clone(), counted)
            })
            .collect(),
    }
}
