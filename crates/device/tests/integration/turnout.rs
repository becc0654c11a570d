//! Turnout on the bureau phone: a count typed twice (1 200 for 120 caught
//! before it is signed), T1, T2 (an explanation, or nothing signed), the
//! opening's members, a correction's reason; reports kept durably, sent by
//! the one outbox policy with a receipt, a refusal parking only its own
//! checkpoint, and everything still there after a reload.

use crate::common::pv::{TestSigner, WORKS, key};
use futures_executor::block_on;
use pointage_core::signature::Verified;
use pointage_core::turnout::SignedReport;
use pointage_core::wire::ErrorCode;
use pointage_core::{ElectionView, Receipt, ServerSigner};
use pointage_device::MemStore;
use pointage_device::outbox::{Answer, Courier, Kind, Outgoing, SendError, Sending, send_due};
use pointage_device::turnout::{
    ReportSignError, ReportStore, Standing, Typed, TypingError, prepare,
};
use std::cell::RefCell;

fn election() -> ElectionView {
    pointage_testkit::with_day(&pointage_testkit::one_bureau(
        "e",
        "Test",
        &["a", "b"],
        Some(200),
    ))
    .view_for("001")
    .unwrap()
}

fn typed(count: &str, again: &str) -> Typed {
    Typed {
        count: count.into(),
        again: again.into(),
        ..Typed::default()
    }
}

fn checkpoint<'a>(e: &'a ElectionView, id: &str) -> &'a pointage_core::Checkpoint {
    e.checkpoints().iter().find(|c| c.id == id).unwrap()
}

fn signed(
    s: &MemStore,
    e: &ElectionView,
    id: &str,
    t: &Typed,
    previous: Option<&SignedReport>,
) -> SignedReport {
    let store = ReportStore::new(&e.hash, &e.bureau.code);
    let earlier = store.earlier_counts(s, e, id);
    let u = prepare(e, checkpoint(e, id), t, previous, &earlier, &key(), 7).unwrap();
    block_on(store.sign(s, u, &WORKS)).unwrap()
}

#[test]
fn a_count_is_signed_only_when_typed_twice_alike_and_within_the_rules() {
    let e = election();
    let noon = checkpoint(&e, "12h");
    let p = |t: &Typed, earlier: &[(String, u32)]| {
        prepare(&e, noon, t, None, earlier, &key(), 7).map(|_| ())
    };
    assert_eq!(p(&typed("1 200", "120"), &[]), Err(TypingError::NotTheSame));
    assert_eq!(p(&typed("12O", "120"), &[]), Err(TypingError::NotANumber));
    assert_eq!(p(&typed("", ""), &[]), Err(TypingError::NotANumber));
    assert_eq!(
        p(&typed("201", "201"), &[]),
        Err(TypingError::OverInscrits {
            count: 201,
            inscrits: 200
        })
    );
    assert_eq!(p(&typed("1 20", "120"), &[]), Ok(()));
    // T2: below an earlier count, signed only with an explanation.
    let earlier = [("ouverture".to_owned(), 0), ("10h".to_owned(), 130)];
    assert_eq!(
        p(&typed("120", "120"), &earlier),
        Err(TypingError::BelowEarlier {
            checkpoint: "10h".into(),
            count: 130
        })
    );
    let mut explained = typed("120", "120");
    explained.explanation = "Deux émargements barrés après vérification.".into();
    let u = prepare(&e, noon, &explained, None, &earlier, &key(), 7).unwrap();
    assert!(u.body().explanation.is_some());
    // No explanation is kept where T2 does not ask for one.
    let mut needless = typed("140", "140");
    needless.explanation = "rien".into();
    let u = prepare(&e, noon, &needless, None, &earlier, &key(), 7).unwrap();
    assert_eq!(u.body().explanation, None);

    // The opening names who is there.
    let opening = checkpoint(&e, "ouverture");
    let mut open = Typed::default();
    assert_eq!(
        prepare(&e, opening, &open, None, &[], &key(), 7).map(|_| ()),
        Err(TypingError::NonePresent)
    );
    open.present = vec!["Awa Diallo".into(), " ".into(), "Jean Martin".into()];
    let u = prepare(&e, opening, &open, None, &[], &key(), 7).unwrap();
    assert_eq!(u.body().present, vec!["Awa Diallo", "Jean Martin"]);
    assert_eq!(u.body().count, None);
}

#[test]
fn a_mistyped_count_is_corrected_by_a_new_version_with_a_reason_and_both_are_kept() {
    let e = election();
    let s = MemStore::new();
    let store = ReportStore::new(&e.hash, &e.bureau.code);
    let v1 = signed(&s, &e, "12h", &typed("190", "190"), None);
    assert_eq!(store.standing(&s, "12h"), Standing::Waiting(v1.clone()));
    let noon = checkpoint(&e, "12h");
    assert_eq!(
        prepare(&e, noon, &typed("19", "19"), Some(&v1), &[], &key(), 8).map(|_| ()),
        Err(TypingError::NoReason)
    );
    let mut fix = typed("19", "19");
    fix.reason = "Un zéro de trop.".into();
    let v2 = signed(&s, &e, "12h", &fix, Some(&v1));
    assert_eq!(v2.body().version, 2);
    assert_eq!(store.reports(&s).len(), 2);
    // A reload: both still there, the latest one standing.
    let again = s.disk().open();
    assert_eq!(store.reports(&again), vec![v1.clone(), v2.clone()]);
    assert_eq!(store.standing(&again, "12h"), Standing::Waiting(v2));
    // Another tab's version 2 of the same checkpoint is never written over.
    let stale = prepare(&e, noon, &fix, Some(&v1), &[], &key(), 9).unwrap();
    assert_eq!(
        block_on(store.sign(&s, stale, &WORKS)),
        Err(ReportSignError::Write(pointage_device::WriteError::Changed))
    );
    // A key that does not sign keeps nothing.
    let broken = TestSigner {
        works: false,
        ..WORKS
    };
    let u = prepare(
        &e,
        checkpoint(&e, "17h"),
        &typed("150", "150"),
        None,
        &[],
        &key(),
        9,
    )
    .unwrap();
    assert_eq!(
        block_on(store.sign(&s, u, &broken)),
        Err(ReportSignError::KeyUnreadable)
    );
    assert_eq!(store.reports(&s).len(), 2);
}

/// The server as the phone meets it: takes reports, refuses some for good,
/// or is out of reach.
struct Server {
    signer: ServerSigner,
    online: bool,
    refuse: Option<(String, ErrorCode)>,
    taken: Vec<String>,
}

struct Net<'a>(&'a RefCell<Server>);

impl Courier for Net<'_> {
    async fn send(&self, kind: Kind, text: String) -> Result<(Receipt, Verified), SendError> {
        assert_eq!(kind, Kind::Report);
        let mut server = self.0.borrow_mut();
        if !server.online {
            return Err(SendError::NoNetwork);
        }
        let r = SignedReport::from_bytes(text.as_bytes()).unwrap();
        if let Some((checkpoint, code)) = &server.refuse
            && r.body().checkpoint == *checkpoint
        {
            return Err(SendError::Refused(*code));
        }
        server.taken.push(r.id().to_owned());
        let sequence = server.taken.len() as u64;
        let receipt = server
            .signer
            .sign_report(&r, sequence, 1_000, &[0; 32])
            .unwrap();
        let held = Verified(
            receipt
                .signature_check(&server.signer.public_key())
                .ok()
                .into_iter()
                .collect(),
        );
        Ok((receipt, held))
    }

    async fn recover(&self) -> bool {
        unreachable!("reports are never recovered")
    }
}

#[test]
fn reports_go_by_the_one_policy_and_a_refusal_parks_only_its_checkpoint() {
    let e = election();
    let s = MemStore::new();
    let store = ReportStore::new(&e.hash, &e.bureau.code);
    let server = RefCell::new(Server {
        signer: ServerSigner::new(&[9; 32]),
        online: false,
        refuse: Some(("12h".into(), ErrorCode::ReportOverInscrits)),
        taken: Vec::new(),
    });
    let server_key = server.borrow().signer.public_key();
    let opening = Typed {
        present: vec!["Awa Diallo".into()],
        ..Typed::default()
    };
    let open = signed(&s, &e, "ouverture", &opening, None);
    let noon = signed(&s, &e, "12h", &typed("120", "120"), None);
    let five = signed(&s, &e, "17h", &typed("150", "150"), None);

    // No network: everything waits, nothing lost.
    let out = block_on(send_due(
        &s,
        Outgoing::Reports(&store),
        &Net(&server),
        &server_key,
        0,
        500,
    ));
    assert_eq!(out, Sending::Failed(Answer::NoNetwork));
    // The backoff holds it back until its time.
    assert_eq!(
        block_on(send_due(
            &s,
            Outgoing::Reports(&store),
            &Net(&server),
            &server_key,
            1,
            500
        )),
        Sending::NothingDue
    );

    server.borrow_mut().online = true;
    let out = block_on(send_due(
        &s,
        Outgoing::Reports(&store),
        &Net(&server),
        &server_key,
        600_000,
        500,
    ));
    assert_eq!(
        out,
        Sending::Failed(Answer::Refused(ErrorCode::ReportOverInscrits))
    );
    assert!(matches!(store.standing(&s, "ouverture"), Standing::Received(r, _) if r == open));
    assert_eq!(
        store.standing(&s, "12h"),
        Standing::Parked(noon.clone(), ErrorCode::ReportOverInscrits)
    );
    assert!(matches!(store.standing(&s, "17h"), Standing::Received(r, _) if r == five));
    assert_eq!(server.borrow().taken.len(), 2);
    // Parked: not sent again by itself.
    assert_eq!(
        block_on(send_due(
            &s,
            Outgoing::Reports(&store),
            &Net(&server),
            &server_key,
            2_000_000,
            500
        )),
        Sending::NothingDue
    );
    // Asked by hand, once the server takes it.
    server.borrow_mut().refuse = None;
    block_on(store.unpark(&s)).unwrap();
    assert_eq!(
        block_on(send_due(
            &s,
            Outgoing::Reports(&store),
            &Net(&server),
            &server_key,
            2_000_001,
            500
        )),
        Sending::Done
    );
    assert!(matches!(
        store.standing(&s.disk().open(), "12h"),
        Standing::Received(..)
    ));
}

#[test]
fn the_day_says_which_checkpoint_is_due_late_or_reported() {
    use pointage_device::turnout::{day, day_leads, next_to_report};
    let e = election();
    let s = MemStore::new();
    let store = ReportStore::new(&e.hash, &e.bureau.code);
    let at = |id: &str| checkpoint(&e, id).due_ms().unwrap();
    // Before the opening: nothing due, the opening first.
    let items = day(&e, &store, &s, at("ouverture") - 1);
    assert!(items.iter().all(|i| !i.due && !i.late));
    assert_eq!(next_to_report(&items).unwrap().checkpoint.id, "ouverture");
    // The day's report leads the home until the evening begins.
    assert!(day_leads(true, &items));
    assert!(!day_leads(false, &items));
    // At 12:30 with the opening reported: 12:00 is late, and next.
    let opening = Typed {
        present: vec!["Awa Diallo".into()],
        ..Typed::default()
    };
    signed(&s, &e, "ouverture", &opening, None);
    let items = day(&e, &store, &s, at("12h") + 30 * 60_000);
    assert!(!items[0].late);
    assert!(items[1].late);
    assert!(!items[2].due);
    assert_eq!(next_to_report(&items).unwrap().checkpoint.id, "12h");
    // 12:00 missed but 17:00 reported early: 12:00 still next, still late.
    signed(&s, &e, "17h", &typed("150", "150"), None);
    let items = day(&e, &store, &s, at("12h") + 60 * 60_000);
    assert_eq!(next_to_report(&items).unwrap().checkpoint.id, "12h");
    signed(&s, &e, "12h", &typed("120", "120"), None);
    let items = day(&e, &store, &s, at("17h"));
    assert_eq!(next_to_report(&items), None);
    // All reported: the evening leads, begun or not.
    assert!(!day_leads(true, &items));
}
