//! Turnout during the day: the definition's checkpoints, the signed
//! report and its rules (T1, the chain, T2), and what is published per
//! checkpoint (the sum, its coverage, lateness, participation over the
//! reporting bureaux' inscrits only).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use pointage_core::election::rfc3339_ms;
use pointage_core::signed_return::public_key_hex;
use pointage_core::turnout::{
    self, REPORT_FORMAT, Received, ReportBody, ReportError, SignedReport, UnsignedReport,
};
use pointage_core::{CheckpointKind, Election, ElectionError, Replaces, canonical};
use pointage_testkit::{bureau_code, election, with_day};

const KEY: [u8; 32] = [7; 32];

fn body(e: &Election, bureau: &str, checkpoint: &str, count: Option<u32>) -> ReportBody {
    ReportBody {
        format: REPORT_FORMAT.into(),
        election_id: e.id().into(),
        election_hash: e.hash().into(),
        mode: e.mode(),
        bureau: bureau.into(),
        checkpoint: checkpoint.into(),
        version: 1,
        replaces: None,
        count,
        present: Vec::new(),
        explanation: None,
        device_key: public_key_hex(&KEY),
        signed_at: 1_800_000_000_000,
    }
}

fn signed(e: &Election, b: ReportBody, previous: Option<&SignedReport>) -> SignedReport {
    UnsignedReport::new(b, e, e.checkpoints(), previous)
        .unwrap()
        .sign(&KEY)
        .unwrap()
}

#[test]
fn times_are_read_in_the_one_strict_form_with_their_offset() {
    assert_eq!(rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
    // 2027-01-22 12:00 in Paris (winter) is 11:00 UTC.
    assert_eq!(
        rfc3339_ms("2027-01-22T12:00:00+01:00"),
        Some(1_800_615_600_000)
    );
    assert_eq!(
        rfc3339_ms("2027-01-22T06:00:00-05:00"),
        rfc3339_ms("2027-01-22T11:00:00Z")
    );
    for bad in [
        "2027-01-22 12:00:00+01:00",
        "2027-01-22T12:00+01:00",
        "2027-01-22T24:00:00+01:00",
        "2027-13-22T12:00:00+01:00",
        "2027-01-22T12:00:00+0100",
        "2027-01-22T12:00:00",
    ] {
        assert_eq!(rfc3339_ms(bad), None, "{bad}");
    }
}

#[test]
fn a_definition_without_a_day_keeps_its_hash_and_a_bad_day_is_refused_naming_why() {
    let plain = election("e", 3, 2);
    let bytes = String::from_utf8(canonical::encode(&plain).unwrap()).unwrap();
    assert!(!bytes.contains("\"day\""), "{bytes}");
    assert!(plain.checkpoints().is_empty());
    let with = with_day(&plain);
    assert_ne!(with.hash(), plain.hash());
    assert_eq!(with.checkpoints().len(), 3);
    assert_eq!(with.checkpoints()[1].local_time(), "12:00");

    let refused = |change: &dyn Fn(&mut pointage_core::Day)| {
        let mut info = with.info();
        change(info.day.as_mut().unwrap());
        Election::new(info).unwrap_err()
    };
    assert_eq!(
        refused(&|d| d.checkpoints[2].due = "2027-04-12T17:00:00+02:00".into()),
        ElectionError::CheckpointTime("17h".into())
    );
    assert_eq!(
        refused(&|d| d.checkpoints.swap(1, 2)),
        ElectionError::CheckpointOrder("12h".into())
    );
    assert_eq!(
        refused(&|d| d.checkpoints[1].kind = CheckpointKind::Opening),
        ElectionError::OpeningNotFirst("12h".into())
    );
    assert_eq!(
        refused(&|d| d.checkpoints[2].id = "12h".into()),
        ElectionError::DuplicateCheckpoint("12h".into())
    );
    assert_eq!(
        refused(&|d| d.time_zone = " ".into()),
        ElectionError::TimeZone
    );
}

#[test]
fn a_report_is_signed_read_back_and_refused_for_what_its_checkpoint_does_not_ask() {
    let e = with_day(&election("e", 3, 2));
    let b0 = bureau_code(0);
    let r = signed(&e, body(&e, &b0, "12h", Some(312)), None);
    let back = SignedReport::from_bytes(&r.to_bytes()).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.id().len(), 64);

    // One byte of the count changed after signing.
    let doctored = String::from_utf8(r.to_bytes())
        .unwrap()
        .replace("\"count\":312", "\"count\":313");
    assert_eq!(
        SignedReport::from_bytes(doctored.as_bytes()),
        Err(ReportError::BadSignature)
    );

    let new = |b| UnsignedReport::new(b, &e, e.checkpoints(), None).map(|_| ());
    assert_eq!(
        new(body(&e, &b0, "12h", Some(1_001))),
        Err(ReportError::OverInscrits {
            count: 1_001,
            inscrits: 1_000
        })
    );
    assert_eq!(
        new(body(&e, &b0, "midi", Some(3))),
        Err(ReportError::UnknownCheckpoint("midi".into()))
    );
    assert_eq!(
        new(body(&e, &b0, "ouverture", Some(3))),
        Err(ReportError::NotWhatItAsks)
    );
    assert_eq!(
        new(body(&e, &b0, "12h", None)),
        Err(ReportError::NotWhatItAsks)
    );
    let mut opening = body(&e, &b0, "ouverture", None);
    opening.present = vec!["Awa Diallo".into(), "Jean Martin".into()];
    assert_eq!(new(opening), Ok(()));
    let other = with_day(&election("other", 3, 2));
    assert_eq!(
        new(body(&other, &b0, "12h", Some(3))),
        Err(ReportError::OtherElection)
    );
    assert_eq!(
        new(body(&e, "nowhere", "12h", Some(3))),
        Err(ReportError::UnknownBureau("nowhere".into()))
    );
}

#[test]
fn a_correction_is_the_next_version_naming_the_one_it_replaces_with_a_reason() {
    let e = with_day(&election("e", 3, 2));
    let b0 = bureau_code(0);
    let v1 = signed(&e, body(&e, &b0, "12h", Some(900)), None);
    let mut fix = body(&e, &b0, "12h", Some(90));
    fix.version = 2;
    fix.replaces = Some(Replaces {
        id: v1.id().into(),
        reason: "Un zéro de trop.".into(),
    });
    let v2 = signed(&e, fix.clone(), Some(&v1));
    assert_eq!(v2.check(&e, e.checkpoints(), Some(&v1)), Ok(()));
    // Not after v1, or without a reason, or a version skipped.
    assert_eq!(v2.check(&e, e.checkpoints(), None), Err(ReportError::Chain));
    assert_eq!(
        v1.check(&e, e.checkpoints(), Some(&v1)),
        Err(ReportError::Chain)
    );
    let mut blank = fix.clone();
    blank.replaces.as_mut().unwrap().reason = " ".into();
    assert_eq!(
        UnsignedReport::new(blank, &e, e.checkpoints(), Some(&v1)).map(|_| ()),
        Err(ReportError::Chain)
    );
    let mut skipped = fix;
    skipped.version = 3;
    assert_eq!(
        UnsignedReport::new(skipped, &e, e.checkpoints(), Some(&v1)).map(|_| ()),
        Err(ReportError::Chain)
    );
}

#[test]
fn t2_names_the_earlier_count_a_new_one_is_below() {
    let earlier = vec![("12h".to_owned(), 300), ("15h".to_owned(), 280)];
    assert_eq!(turnout::t2(250, &earlier), Some(("15h".into(), 280)));
    assert_eq!(turnout::t2(290, &earlier), Some(("12h".into(), 300)));
    assert_eq!(turnout::t2(300, &earlier), None);
    assert_eq!(turnout::t2(0, &[]), None);
}

#[test]
fn a_checkpoint_sums_what_was_reported_over_the_reporting_bureaux_inscrits_only() {
    let e = with_day(&election("e", 13, 2));
    let noon = e.checkpoints()[1].due_ms().unwrap();
    let code = |i| bureau_code(i);
    // Three of 13 at 12:00; the third one late. A mistyped count corrected.
    let a = signed(&e, body(&e, &code(0), "12h", Some(300)), None);
    let b1 = signed(&e, body(&e, &code(1), "12h", Some(4_00)), None);
    let mut fix = body(&e, &code(1), "12h", Some(200));
    fix.version = 2;
    fix.replaces = Some(Replaces {
        id: b1.id().into(),
        reason: "Erreur de frappe.".into(),
    });
    let b2 = signed(&e, fix, Some(&b1));
    let c = signed(&e, body(&e, &code(2), "12h", Some(100)), None);
    // At 17:00 the first bureau reports less than at noon (T2).
    let a17 = signed(&e, body(&e, &code(0), "17h", Some(250)), None);
    let rx = [
        (&a, noon - 60_000),
        (&b1, noon - 30_000),
        (&b2, noon + 3_600_000),
        (&c, noon + 60_000),
        (&a17, noon + 5 * 3_600_000),
    ];
    let t = turnout::compute(&e, rx.iter().map(|(r, at)| Received { report: r, at: *at }));
    // As the server counts them: a few at a time, keeping only each
    // bureau's latest report and when its first came — the same figures
    // after each batch, whatever the batches.
    for cut in 0..=rx.len() {
        let mut counting = turnout::Counting::default();
        // The first part twice: a computation that failed half-way read
        // it already.
        for part in [&rx[..cut], &rx[..cut], &rx[cut..]] {
            for (r, at) in part {
                counting.add(&e, (*r).clone(), *at);
            }
        }
        assert_eq!(turnout::compute(&e, counting.received()), t, "cut at {cut}");
        let mut first = turnout::Counting::default();
        for (r, at) in &rx[..cut] {
            first.add(&e, (*r).clone(), *at);
        }
        let upto = turnout::compute(
            &e,
            rx[..cut]
                .iter()
                .map(|(r, at)| Received { report: r, at: *at }),
        );
        assert_eq!(turnout::compute(&e, first.received()), upto);
    }
    assert_eq!(t.len(), 3);
    let opening = &t[0];
    assert_eq!((opening.reporting, opening.bureaux), (0, 13));
    assert_eq!(opening.participation_bp, None);
    let n = &t[1];
    assert_eq!(n.checkpoint, "12h");
    assert_eq!(n.signatures, 600, "the corrected version counts");
    assert_eq!((n.reporting, n.bureaux, n.late), (3, 13, 1));
    // Over the three bureaux' 3 000 inscrits: 20 %, never over 13 000.
    assert_eq!(n.inscrits_reporting, Some(3_000));
    assert_eq!(n.participation_bp, Some(2_000));
    let ev = &t[2];
    assert_eq!((ev.signatures, ev.reporting), (250, 1));
    assert_eq!(ev.participation_bp, Some(2_500));
    assert_eq!(ev.below_earlier, vec![code(0)]);

    // A report for another definition counts for nothing.
    let other = with_day(&election("other", 13, 2));
    let x = signed(&other, body(&other, &code(3), "12h", Some(999)), None);
    let t = turnout::compute(&e, [Received { report: &x, at: 0 }]);
    assert_eq!(t[1].reporting, 0);
}

#[test]
fn w7_asks_an_explanation_when_the_pv_has_fewer_emargements_than_the_day() {
    use pointage_core::{ReturnDraft, RuleCode, SignError, SignedReturn};
    use pointage_testkit::{agreed, plausible_pv};
    let e = election("e", 1, 12);
    let b0 = bureau_code(0);
    let pv = plausible_pv(1, 12);
    let emargements = pv.emargements.unwrap();
    let entry = agreed(pv);
    let draft = |turnout: Option<(String, u32)>, why: Option<&str>| ReturnDraft {
        bureau: &b0,
        entry: &entry,
        explanations: why
            .map(|w| [(RuleCode::W7, w.to_owned())].into())
            .unwrap_or_default(),
        tally: None,
        correction: None,
        tables: &[],
        turnout,
    };
    let above = Some(("17h".to_owned(), emargements + 5));
    assert_eq!(
        SignedReturn::sign(&e, draft(above.clone(), None), &KEY, 1).map(|_| ()),
        Err(SignError::Unexplained(RuleCode::W7))
    );
    // Equal or below the PV's émargements: no warning, no explanation.
    let below = Some(("17h".to_owned(), emargements));
    assert!(SignedReturn::sign(&e, draft(below, None), &KEY, 1).is_ok());
    let explained = SignedReturn::sign(
        &e,
        draft(
            above,
            Some("Deux électeurs ont signé la mauvaise ligne à 17 h."),
        ),
        &KEY,
        1,
    )
    .unwrap();
    // The server does not see the phone's reports: it takes the return
    // with its W7 explanation, and one without.
    let key = public_key_hex(&KEY);
    assert_eq!(explained.check_content(&e, &key), Ok(()));
    let plain = SignedReturn::sign(&e, draft(None, None), &KEY, 1).unwrap();
    assert_eq!(plain.check_content(&e, &key), Ok(()));
    // But a blank W7 explanation is still none.
    let mut body = explained.body().clone();
    body.explanations.insert(RuleCode::W7, " ".into());
    let blank = SignedReturn::seal_unchecked(body, &KEY).unwrap();
    assert_eq!(
        blank.check_content(&e, &key),
        Err(pointage_core::VerifyError::Explanations)
    );
}

#[test]
fn a_courier_labels_a_report_by_its_bureau_checkpoint_and_version() {
    use pointage_core::ReturnLabel;
    let e = with_day(&election("e", 3, 2));
    let r = signed(&e, body(&e, &bureau_code(1), "17h", Some(40)), None);
    let label = ReturnLabel::read(&r.to_bytes()).unwrap();
    assert_eq!(label.bureau, bureau_code(1));
    assert_eq!(label.version, 1);
    assert_eq!(label.checkpoint(), Some("17h"));
    assert_eq!(label.id, r.id());
    // Parts carry it as they carry a return.
    let parts = pointage_core::handover::split(&r.to_bytes());
    let whole = pointage_core::handover::collect(parts.iter().map(String::as_str));
    assert_eq!(whole[0].bytes, Some(Ok(r.to_bytes())));
}

/// The turnout-report vectors of `tests/vectors/reports/` (compiled in, so
/// that they run on wasm32 too): each verifies, against its `latest`, or
/// fails with its code.
#[test]
fn every_report_vector_verifies_or_fails_with_its_code() {
    use crate::common::vectors;
    use pointage_core::wire::ErrorCode;
    use std::collections::BTreeMap;
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Meta {
        #[allow(dead_code)]
        description: String,
        latest: Option<String>,
        expect: Option<ErrorCode>,
    }
    let e: Election = serde_json::from_slice(vectors::REPORTS_ELECTION).unwrap();
    assert_eq!(e.checkpoints().len(), 3);
    assert_eq!(
        vectors::names(vectors::REPORTS),
        vectors::names(vectors::REPORT_METAS)
    );
    #[cfg(not(target_arch = "wasm32"))]
    assert_eq!(
        vectors::names(vectors::REPORTS),
        vectors::on_disk("reports", ".report")
    );
    let bytes: BTreeMap<&str, &[u8]> = vectors::REPORTS.iter().copied().collect();
    let mut codes = Vec::new();
    for ((name, report), (_, meta)) in vectors::REPORTS.iter().zip(vectors::REPORT_METAS) {
        let meta: Meta = serde_json::from_slice(meta).unwrap();
        let latest = meta
            .latest
            .as_ref()
            .map(|l| SignedReport::from_bytes(bytes[l.as_str()]).unwrap());
        let got = SignedReport::from_bytes(report)
            .and_then(|r| r.check(&e, e.checkpoints(), latest.as_ref()))
            .err()
            .map(|err| ErrorCode::from(&err));
        assert_eq!(got, meta.expect, "{name}");
        assert_eq!(name.starts_with("pass_"), got.is_none(), "{name}");
        codes.extend(got);
    }
    for needed in [
        ErrorCode::ReportBadSignature,
        ErrorCode::ReportUnknownCheckpoint,
        ErrorCode::ReportOverInscrits,
        ErrorCode::ReportBrokenChain,
        ErrorCode::ReportWrongElection,
    ] {
        assert!(codes.contains(&needed), "no vector refused with {needed:?}");
    }
}
