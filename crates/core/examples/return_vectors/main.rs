//! Writes the signed-return test vectors of `tests/vectors/returns/`, and
//! those of human codes, receipts, the hand-over parts and public records
//! beside them (docs/return-format.md says what each file holds):
//! `cargo run -p pointage-core --example return_vectors`.
//!
//! The vectors are committed; run this only when the return format changes
//! on purpose (and bump the format), since returns already signed in the
//! field must keep verifying. `tests/integration/return_vectors.rs` re-signs every `pass_`
//! vector and fails if a byte differs.

mod others;
mod photos;
mod reports;
mod tables;

use pointage_core::signed_return::public_key_hex;
use pointage_core::{
    Bureau, Candidate, DoubleEntry, Election, ElectionInfo, Mark, Members, Mode, NulReason,
    ProcesVerbal, ReturnBody, ReturnDraft, RuleCode, SignedReturn, TallyEvent, TallyLog,
};
use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};

/// Fixed seeds: the vectors must be reproducible. Never a real key.
const BUREAU_SECRET: [u8; 32] = [1; 32];
const OTHER_SECRET: [u8; 32] = [3; 32];
const SIGNED_AT: u64 = 1_800_644_400_000;

fn election(name: &str) -> Result<Election, Box<dyn Error>> {
    let candidates = [
        ("a", "Alice Moreau"),
        ("b", "Bastien Roux"),
        ("c", "Céline Garnier"),
    ];
    Ok(Election::new(ElectionInfo {
        day: None,
        qualification: None,
        id: "vectors-2027-t1".into(),
        name: name.into(),
        round: 1,
        date: "2027-01-22".into(),
        mode: Mode::Test,
        candidates: (1..)
            .zip(candidates)
            .map(|(panel, (id, name))| Candidate {
                id: id.into(),
                panel,
                name: name.into(),
            })
            .collect(),
        bureaux: vec![
            Bureau {
                code: "001".into(),
                name: "École Jules-Ferry".into(),
                commune: "Villeurbanne".into(),
                inscrits: Some(1200),
            },
            Bureau {
                code: "002".into(),
                name: "Mairie annexe".into(),
                commune: "Villeurbanne".into(),
                inscrits: Some(900),
            },
        ],
    })?)
}

fn pv(blancs: u32, nuls: u32, a: u32, b: u32, c: u32, emargements: u32) -> ProcesVerbal {
    ProcesVerbal {
        inscrits: Some(1200),
        emargements: Some(emargements),
        enveloppes: Some(blancs + nuls + a + b + c),
        blancs: Some(blancs),
        nuls: Some(nuls),
        exprimes: Some(a + b + c),
        voix: [
            ("a".to_owned(), Some(a)),
            ("b".to_owned(), Some(b)),
            ("c".to_owned(), Some(c)),
        ]
        .into(),
        contributions_cents: None,
        members: Members {
            president: "Awa Diallo".into(),
            secretaire: "Bruno Petit".into(),
            assesseurs: vec!["Chloé Martin".into(), "Djamel Haddad".into()],
        },
        observations: "RAS.".into(),
    }
}

fn agreed(pv: ProcesVerbal) -> Result<DoubleEntry, Box<dyn Error>> {
    Ok(DoubleEntry::new()
        .finish_first("Awa Diallo", pv.clone())?
        .finish_second("Bruno Petit", pv)?)
}

fn sign(
    e: &Election,
    entry: &DoubleEntry,
    explanations: BTreeMap<RuleCode, String>,
    tally: Option<&TallyLog>,
    correction: Option<(&SignedReturn, String)>,
) -> Result<SignedReturn, Box<dyn Error>> {
    let draft = ReturnDraft {
        turnout: None,
        tables: &[],
        bureau: "001",
        entry,
        explanations,
        tally,
        correction,
    };
    Ok(SignedReturn::sign(e, draft, &BUREAU_SECRET, SIGNED_AT)?)
}

fn seal(body: ReturnBody, secret: &[u8; 32]) -> Result<Vec<u8>, Box<dyn Error>> {
    Ok(SignedReturn::seal_unchecked(body, secret)?.to_bytes())
}

struct Out(PathBuf);

impl Out {
    fn write(
        &self,
        name: &str,
        description: &str,
        latest: Option<&str>,
        expect: Option<&str>,
        bytes: &[u8],
    ) -> Result<(), Box<dyn Error>> {
        std::fs::write(self.0.join(format!("{name}.return")), bytes)?;
        let meta = serde_json::json!({
            "description": description,
            "latest": latest,
            "expect": expect,
        });
        let text = serde_json::to_string_pretty(&meta)? + "\n";
        std::fs::write(self.0.join(format!("{name}.json")), text)?;
        Ok(())
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    reports::write_all(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors"))?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/returns");
    std::fs::create_dir_all(&dir)?;
    let out = Out(dir.clone());
    let e = election("Primaire des vecteurs de test")?;

    std::fs::write(
        dir.join("election.json"),
        serde_json::to_string_pretty(&e)? + "\n",
    )?;
    let keys = serde_json::json!({
        "election_hash": e.hash(),
        "bureau_001_key": public_key_hex(&BUREAU_SECRET),
    });
    std::fs::write(
        dir.join("keys.json"),
        serde_json::to_string_pretty(&keys)? + "\n",
    )?;

    // 1. A clean first version.
    let v1 = sign(
        &e,
        &agreed(pv(2, 1, 50, 30, 17, 100))?,
        BTreeMap::new(),
        None,
        None,
    )?;
    out.write(
        "pass_v1_clean",
        "A first version with no warning, typed twice and agreed.",
        None,
        None,
        &v1.to_bytes(),
    )?;

    // 2. Tap-counted, with a W1 gap explained.
    let mut log = TallyLog::new(vec!["a".into(), "b".into(), "c".into()], [0; 32]);
    log.append(TallyEvent::ClosePolls {
        emargements: 101,
        enveloppes: 100,
        explanation: "Une électrice a signé puis est partie sans voter.".into(),
    })?;
    log.append(TallyEvent::OpenPacket {
        table: "Table 1".into(),
        envelopes: 100,
    })?;
    for (mark, n) in [
        (Mark::Candidate("a".into()), 50),
        (Mark::Candidate("b".into()), 30),
        (Mark::Candidate("c".into()), 17),
        (Mark::Blanc, 2),
        (Mark::nul(NulReason::IdentifyingMark), 1),
    ] {
        for _ in 0..n {
            log.append(TallyEvent::Mark(mark.clone()))?;
        }
    }
    log.append(TallyEvent::ClosePacket)?;
    let w1 = [(
        RuleCode::W1,
        "Une électrice a signé puis est partie sans voter.".to_owned(),
    )]
    .into();
    let tallied = sign(
        &e,
        &agreed(pv(2, 1, 50, 30, 17, 101))?,
        w1,
        Some(&log),
        None,
    )?;
    out.write(
        "pass_v1_tally_and_explained_warning",
        "Tap-counted in one packet of 100; 101 émargements for 100 envelopes (W1), explained.",
        None,
        None,
        &tallied.to_bytes(),
    )?;

    // 3. A correction of the first.
    let reason = "Un bulletin compté nul était blanc.".to_owned();
    let v2 = sign(
        &e,
        &agreed(pv(3, 0, 50, 30, 17, 100))?,
        BTreeMap::new(),
        None,
        Some((&v1, reason)),
    )?;
    out.write(
        "pass_v2_correction",
        "Version 2 of pass_v1_clean, naming it and giving a reason.",
        Some("pass_v1_clean"),
        None,
        &v2.to_bytes(),
    )?;

    // Failures.
    let text = String::from_utf8(v1.to_bytes())?;
    let sig_at = text.find(",\"signature\":\"").ok_or("no signature")? + 14;
    let mut bad_sig = text.clone().into_bytes();
    bad_sig[sig_at] = if bad_sig[sig_at] == b'0' { b'1' } else { b'0' };
    out.write(
        "fail_bad_signature",
        "pass_v1_clean with one character of its signature changed.",
        None,
        Some("return_bad_signature"),
        &bad_sig,
    )?;

    let edited = text.replace("\"a\":50,\"b\":30", "\"a\":49,\"b\":31");
    if edited == text {
        return Err("the edit did not apply".into());
    }
    out.write(
        "fail_edited_field",
        "pass_v1_clean with one vote moved from a to b after signing: the sums still hold, the signature does not.",
        None,
        Some("return_bad_signature"),
        edited.as_bytes(),
    )?;

    let spaced = text.replacen(",", ", ", 1);
    out.write(
        "fail_not_canonical",
        "pass_v1_clean with a space added: same meaning, not the canonical bytes.",
        None,
        Some("return_not_canonical"),
        spaced.as_bytes(),
    )?;

    let mut body = v1.body().clone();
    body.election_hash = election("Une autre définition")?.hash().to_owned();
    out.write(
        "fail_wrong_election_hash",
        "Signed by the bureau under another definition of the election.",
        None,
        Some("return_wrong_election"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    body.mode = Mode::Live;
    out.write(
        "fail_wrong_mode",
        "Flagged live for a test election.",
        None,
        Some("return_wrong_mode"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    body.bureau = "999".into();
    out.write(
        "fail_unknown_bureau",
        "For a bureau the election does not have.",
        None,
        Some("return_unknown_bureau"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    body.device_key = public_key_hex(&OTHER_SECRET);
    out.write(
        "fail_key_not_enrolled",
        "Genuinely signed, by a key that is not the one enrolled for bureau 001.",
        None,
        Some("return_key_not_enrolled"),
        &seal(body, &OTHER_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    body.pv.exprimes = Some(96);
    body.pv.nuls = Some(2);
    out.write(
        "fail_rules_broken",
        "exprimés 96 while the votes add up to 97 (H1): signed by a device that skipped the rules.",
        None,
        Some("return_rules_broken"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = tallied.body().clone();
    body.explanations.clear();
    out.write(
        "fail_unexplained_warning",
        "pass_v1_tally_and_explained_warning without its W1 explanation.",
        None,
        Some("return_explanations"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    body.entered_by.second = " awa diallo ".into();
    out.write(
        "fail_same_entrants",
        "Both entries by the same person.",
        None,
        Some("return_entrants"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    // "Awa Diallo" with a Cyrillic А and о: the same person to the eye.
    body.entered_by.second = "\u{0410}wa Diall\u{043e}".into();
    out.write(
        "fail_homoglyph_entrants",
        "Both entries by Awa Diallo, the second name typed with a Cyrillic А and о (TS #39's skeleton makes them one person).",
        None,
        Some("return_entrants"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    // Hangul fillers and a blank Braille pattern: names that show as blank.
    body.pv.members.secretaire = "\u{3164}\u{3164}".into();
    body.pv.members.assesseurs = vec!["\u{2800}".into(), "\u{115F}\u{200B}".into()];
    out.write(
        "fail_filler_members",
        "pass_v1_clean with its secretary and assessors named by fillers only (U+3164, U+2800, U+115F, U+200B): the bureau is not named (W5), and no explanation is given.",
        None,
        Some("return_explanations"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = tallied.body().clone();
    for text in body.explanations.values_mut() {
        *text = "\u{200B}\u{FEFF}\u{00AD}".into();
    }
    out.write(
        "fail_invisible_explanation",
        "pass_v1_tally_and_explained_warning with its W1 explanation made of a zero-width space, a byte order mark and a soft hyphen only: blank.",
        None,
        Some("return_explanations"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v2.body().clone();
    if let Some(r) = body.replaces.as_mut() {
        r.id = "0".repeat(64);
    }
    out.write(
        "fail_broken_chain",
        "Version 2 naming a return that is not pass_v1_clean, the latest.",
        Some("pass_v1_clean"),
        Some("return_not_latest"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    body.pv.observations = "é".repeat(2_001);
    out.write(
        "fail_text_too_long",
        "Observations of 4,002 bytes of UTF-8 (2,001 × é), over the 4,000-byte limit.",
        None,
        Some("return_not_canonical"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = tallied.body().clone();
    if let Some(t) = body.tally.as_mut() {
        t.head = "NOT-HEX".into();
    }
    out.write(
        "fail_tally_head_not_hex",
        "pass_v1_tally_and_explained_warning with a tally head that is not a hex SHA-256.",
        None,
        Some("return_not_canonical"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = tallied.body().clone();
    if let Some(t) = body.tally.as_mut() {
        t.summary.voix.insert("zorro".into(), 0);
    }
    out.write(
        "fail_tally_unknown_candidate",
        "pass_v1_tally_and_explained_warning whose tally also counts a candidate the election does not have (H5).",
        None,
        Some("return_rules_broken"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v2.body().clone();
    if let Some(r) = body.replaces.as_mut() {
        r.reason = "  ".into();
    }
    out.write(
        "fail_correction_without_reason",
        "Version 2 naming pass_v1_clean, the latest, with a blank reason.",
        Some("pass_v1_clean"),
        Some("return_broken_chain"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    body.version = 0;
    out.write(
        "fail_version_zero",
        "pass_v1_clean numbered version 0.",
        None,
        Some("return_broken_chain"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v1.body().clone();
    body.replaces = v2.body().replaces.clone();
    out.write(
        "fail_version_one_replacing",
        "pass_v1_clean, version 1, naming a version it replaces.",
        None,
        Some("return_broken_chain"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v2.body().clone();
    body.version = 3;
    out.write(
        "fail_version_skipped",
        "Version 3 naming pass_v1_clean, the latest: version 2 skipped.",
        Some("pass_v1_clean"),
        Some("return_not_latest"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    let mut body = v2.body().clone();
    body.version = 101;
    out.write(
        "fail_version_over_the_cap",
        "Version 101: a bureau's return has at most 100 versions (step 1).",
        Some("pass_v1_clean"),
        Some("return_not_canonical"),
        &seal(body, &BUREAU_SECRET)?,
    )?;

    out.write(
        "fail_correction_without_previous",
        "pass_v2_correction arriving where no version 1 is known.",
        None,
        Some("return_not_latest"),
        &v2.to_bytes(),
    )?;

    tables::write(&out, &e)?;
    println!("vectors written to {}", dir.display());
    others::write(&e, &v1, &v2)?;
    photos::write_all(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors"))
}
