//! The paper PV's photos on the bureau phone: pages kept before they are
//! listed, signed into one document that the one outbox policy sends, then
//! the pictures piece by piece; a connection that drops mid-way and a
//! "reload" of the phone cost no piece already held, and no picture is
//! sent twice whole.

use crate::common::Rng;
use crate::common::pv::{SECRET, WORKS};
use futures_executor::block_on;
use pointage_core::photo::{MAX_PAGES, PIECE_BYTES, PhotoPage, SignedPhotos};
use pointage_core::signature::Verified;
use pointage_core::wire::{ErrorCode, PiecesHeld};
use pointage_core::{ElectionView, Receipt, ServerSigner, SignedReturn};
use pointage_device::outbox::{Courier, Kind, Outgoing, SendError, Sending, send_due};
use pointage_device::photos::{
    PageError, PhotoSignError, PhotoStanding, PhotoStore, PieceCourier, Uploading,
};
use pointage_device::ports::{MemDisk, MemPictures, Pictures};
use pointage_device::pv::PvStore;
use std::cell::RefCell;
use std::collections::BTreeMap;

fn bureau() -> (ElectionView, SignedReturn) {
    let e = pointage_testkit::election("photos", 2, 12);
    let code = pointage_testkit::bureau_code(0);
    let ret = pointage_testkit::signed_return(
        &e,
        &code,
        pointage_testkit::plausible_pv(1, 12),
        &SECRET,
        1,
    );
    (e.view_for(&code).unwrap(), ret)
}

/// A server that keeps documents and pieces, and drops the connection on
/// the sends it is told to.
#[derive(Default)]
struct Server {
    online: bool,
    documents: Vec<SignedPhotos>,
    pieces: BTreeMap<(String, u32), Vec<u8>>,
    /// Piece puts received, and the puts (counted from 1) that drop.
    puts: u32,
    drop_put: Vec<u32>,
    /// Questions "which pieces do you hold?" received.
    asked: u32,
}

struct Net<'a>(&'a RefCell<Server>, &'a ServerSigner);

impl Server {
    fn page(&self, sha: &str) -> Option<PhotoPage> {
        self.documents.iter().find_map(|d| d.page(sha).cloned())
    }

    fn held(&self, page: &PhotoPage) -> PiecesHeld {
        PiecesHeld {
            sha256: page.sha256.clone(),
            pieces: page.pieces.len() as u32,
            held: (0..page.pieces.len() as u32)
                .filter(|n| self.pieces.contains_key(&(page.sha256.clone(), *n)))
                .collect(),
        }
    }

    fn picture(&self, page: &PhotoPage) -> Vec<u8> {
        (0..page.pieces.len() as u32)
            .flat_map(|n| self.pieces[&(page.sha256.clone(), n)].clone())
            .collect()
    }
}

impl Courier for Net<'_> {
    async fn send(&self, kind: Kind, text: String) -> Result<(Receipt, Verified), SendError> {
        assert_eq!(kind, Kind::Photos);
        let mut server = self.0.borrow_mut();
        if !server.online {
            return Err(SendError::NoNetwork);
        }
        let d = SignedPhotos::from_bytes(text.as_bytes()).unwrap();
        server.documents.push(d.clone());
        let sequence = server.documents.len() as u64;
        let receipt = self.1.sign_photos(&d, sequence, 1_000, &[0; 32]).unwrap();
        let held = Verified(
            receipt
                .signature_check(&self.1.public_key())
                .ok()
                .into_iter()
                .collect(),
        );
        Ok((receipt, held))
    }

    async fn recover(&self) -> bool {
        unreachable!("photos are never recovered")
    }
}

impl PieceCourier for Net<'_> {
    async fn held(&self, sha256: &str) -> Result<PiecesHeld, SendError> {
        let mut server = self.0.borrow_mut();
        if !server.online {
            return Err(SendError::NoNetwork);
        }
        server.asked += 1;
        let page = server
            .page(sha256)
            .ok_or(SendError::Refused(ErrorCode::PhotoPieceUnknown))?;
        Ok(server.held(&page))
    }

    async fn put_piece(
        &self,
        sha256: &str,
        n: u32,
        bytes: Vec<u8>,
    ) -> Result<PiecesHeld, SendError> {
        let mut server = self.0.borrow_mut();
        if !server.online {
            return Err(SendError::NoNetwork);
        }
        server.puts += 1;
        if server.drop_put.contains(&server.puts) {
            // Cut in the middle: nothing of the piece is kept.
            return Err(SendError::NoNetwork);
        }
        let page = server
            .page(sha256)
            .ok_or(SendError::Refused(ErrorCode::PhotoPieceUnknown))?;
        page.check_piece(n as usize, &bytes)
            .map_err(|_| SendError::Refused(ErrorCode::PhotoPieceNotSigned))?;
        server.pieces.insert((sha256.to_owned(), n), bytes);
        Ok(server.held(&page))
    }
}

/// The bureau's return kept and given its receipt by `signer`.
fn return_received(
    s: &pointage_device::ports::MemStore,
    returns: &PvStore,
    ret: &SignedReturn,
    signer: &ServerSigner,
) {
    block_on(returns.store_signed(s, &[], ret)).unwrap();
    let key = signer.public_key();
    let receipt = signer.sign(ret, 1, 5, &[0; 32]).unwrap();
    let held = Verified(receipt.signature_check(&key).ok().into_iter().collect());
    block_on(returns.acknowledge(s, receipt, &key, &held)).unwrap();
}

/// One round of the outbox for the photos, at `now`.
fn send_photos(
    s: &pointage_device::ports::MemStore,
    store: &PhotoStore,
    returns: &PvStore,
    net: &Net<'_>,
    now: u64,
) -> Sending {
    block_on(send_due(
        s,
        Outgoing::Photos(store, returns),
        net,
        &net.1.public_key(),
        now,
        500,
    ))
}

#[test]
fn pages_are_kept_signed_sent_and_their_pictures_resume_after_drops_and_a_reload() {
    let (e, ret) = bureau();
    let disk = MemDisk::new();
    let pictures = MemPictures::new();
    let s = disk.open();
    let store = PhotoStore::new(&e.hash, &e.bureau.code);
    let pages = [
        pointage_testkit::picture(1, 400 * 1024),
        pointage_testkit::picture(2, 150_000),
    ];

    // Bounds are the phone's too: nothing kept of a page refused.
    let too_large = pointage_testkit::picture(3, 400 * 1024 + 1);
    assert_eq!(
        block_on(store.add_page(&s, &pictures, "image/jpeg", too_large)),
        Err(PageError::TooLarge)
    );
    assert_eq!(
        block_on(store.add_page(&s, &pictures, "image/png", pages[1].clone())),
        Err(PageError::NotAPicture)
    );
    assert!(pictures.is_empty());
    assert_eq!(
        block_on(store.sign(&s, &pictures, &WORKS, (&e, &ret), None, 5)),
        Err(PhotoSignError::NoPage)
    );
    for p in &pages {
        block_on(store.add_page(&s, &pictures, "image/jpeg", p.clone())).unwrap();
    }
    assert_eq!(store.standing(&s), PhotoStanding::Taken(2));

    // Killed before signing: the pages are still there.
    let s = disk.open();
    assert_eq!(store.draft(&s).len(), 2);
    let signed = block_on(store.sign(&s, &pictures, &WORKS, (&e, &ret), None, 5)).unwrap();
    assert_eq!(signed.body().return_id, ret.id());
    assert!(
        signed
            .body()
            .pages
            .iter()
            .zip(&pages)
            .all(|(p, b)| p.holds(b))
    );
    assert!(store.draft(&s).is_empty());

    let signer = ServerSigner::new(&[9; 32]);
    let server = RefCell::new(Server::default());
    let net = Net(&server, &signer);
    let key = signer.public_key();
    // The return waits for its receipt: the photos wait behind it (the
    // server takes photos only of a return it holds).
    let returns = PvStore::new(&e.hash, &e.bureau.code);
    block_on(returns.store_signed(&s, &[], &ret)).unwrap();
    server.borrow_mut().online = true;
    let sent = send_photos(&s, &store, &returns, &net, 10);
    assert_eq!(sent, Sending::NothingDue);
    assert!(server.borrow().documents.is_empty());
    server.borrow_mut().online = false;
    let receipt = signer.sign(&ret, 1, 5, &[0; 32]).unwrap();
    let held = Verified(receipt.signature_check(&key).ok().into_iter().collect());
    block_on(returns.acknowledge(&s, receipt, &key, &held)).unwrap();
    // No network: the document waits, nothing of the pictures goes.
    let sent = send_photos(&s, &store, &returns, &net, 10);
    assert!(matches!(sent, Sending::Failed(_)), "{sent:?}");
    assert_eq!(
        block_on(store.upload_due(&s, &pictures, &net, 10, 500)),
        Uploading::NothingDue
    );

    server.borrow_mut().online = true;
    // Puts 3 and 9 drop the connection half-way.
    server.borrow_mut().drop_put = vec![3, 9];
    block_on(store.network_back(&s));
    let sent = send_photos(&s, &store, &returns, &net, 20);
    assert_eq!(sent, Sending::Done);
    let first = block_on(store.upload_due(&s, &pictures, &net, 20, 500));
    assert!(
        matches!(
            first,
            Uploading::Failed {
                sent: 2,
                why: SendError::NoNetwork
            }
        ),
        "{first:?}"
    );
    // The backoff holds it back; once over (or the network back), it
    // resumes where it stopped, even from a reloaded phone.
    assert_eq!(
        block_on(store.upload_due(&s, &pictures, &net, 21, 500)),
        Uploading::NothingDue
    );
    let s = disk.open();
    block_on(store.network_back(&s));
    let second = block_on(store.upload_due(&s, &pictures, &net, 30, 500));
    assert!(matches!(second, Uploading::Failed { .. }), "{second:?}");
    block_on(store.network_back(&s));
    assert_eq!(
        block_on(store.upload_due(&s, &pictures, &net, 40, 500)),
        Uploading::Done
    );
    let server = server.borrow();
    // 7 + 3 pieces, and only the two dropped sent twice.
    assert_eq!(server.puts, 12);
    for (page, bytes) in signed.body().pages.iter().zip(&pages) {
        assert_eq!(&server.picture(page), bytes);
    }
    assert_eq!(
        store.standing(&s),
        PhotoStanding::Signed {
            return_version: 1,
            pages: 2,
            received: true,
            uploaded: 2,
            parked: None,
            lost: 0
        }
    );
    assert_eq!(
        block_on(store.upload_due(&s, &pictures, &net, 50, 500)),
        Uploading::NothingDue
    );
}

#[test]
fn a_picture_lost_on_the_phone_is_asked_about_only_after_the_backoff() {
    let (e, ret) = bureau();
    let s = MemDisk::new().open();
    let pictures = MemPictures::new();
    let store = PhotoStore::new(&e.hash, &e.bureau.code);
    let pages = [
        pointage_testkit::picture(4, 100_000),
        pointage_testkit::picture(5, 70_000),
    ];
    for p in &pages {
        block_on(store.add_page(&s, &pictures, "image/jpeg", p.clone())).unwrap();
    }
    let signed = block_on(store.sign(&s, &pictures, &WORKS, (&e, &ret), None, 5)).unwrap();
    let signer = ServerSigner::new(&[9; 32]);
    let server = RefCell::new(Server {
        online: true,
        ..Server::default()
    });
    let net = Net(&server, &signer);
    let returns = PvStore::new(&e.hash, &e.bureau.code);
    return_received(&s, &returns, &ret, &signer);
    assert_eq!(send_photos(&s, &store, &returns, &net, 10), Sending::Done);
    // Page 1's picture is gone from the phone (its storage cleared).
    block_on(pictures.delete(&signed.body().pages[0].sha256)).unwrap();
    assert_eq!(
        block_on(store.upload_due(&s, &pictures, &net, 20, 500)),
        Uploading::Lost { sent: 2, pages: 1 }
    );
    assert_eq!(server.borrow().asked, 2);
    // Every round of the outbox calls again: none asks before the backoff.
    for now in 21..25 {
        assert_eq!(
            block_on(store.upload_due(&s, &pictures, &net, now, 500)),
            Uploading::NothingDue
        );
    }
    assert_eq!(server.borrow().asked, 2);
    // After it, only the lost one is asked about, and still lost.
    assert_eq!(
        block_on(store.upload_due(&s, &pictures, &net, 20 + 60_000, 500)),
        Uploading::Lost { sent: 0, pages: 1 }
    );
    assert_eq!(server.borrow().asked, 3);
    assert!(matches!(
        store.standing(&s),
        PhotoStanding::Signed {
            pages: 2,
            uploaded: 1,
            received: true,
            lost: 1,
            ..
        }
    ));
}

#[test]
fn a_retake_needs_a_reason_and_at_most_four_pages_are_taken() {
    let (e, ret) = bureau();
    let s = MemDisk::new().open();
    let pictures = MemPictures::new();
    let store = PhotoStore::new(&e.hash, &e.bureau.code);
    let mut rng = Rng(7);
    for i in 0..MAX_PAGES {
        let len = 1 + rng.below(3 * PIECE_BYTES as u64) as usize;
        block_on(store.add_page(
            &s,
            &pictures,
            "image/webp",
            pointage_testkit::picture(i as u8, len),
        ))
        .unwrap();
    }
    assert_eq!(
        block_on(store.add_page(
            &s,
            &pictures,
            "image/webp",
            pointage_testkit::picture(9, 10)
        )),
        Err(PageError::TooMany)
    );
    block_on(store.remove_page(&s, &pictures, 3)).unwrap();
    assert_eq!(pictures.len(), 3);
    let v1 = block_on(store.sign(&s, &pictures, &WORKS, (&e, &ret), None, 5)).unwrap();
    assert_eq!(v1.body().pages.len(), 3);
    block_on(store.add_page(
        &s,
        &pictures,
        "image/jpeg",
        pointage_testkit::picture(8, 99),
    ))
    .unwrap();
    assert_eq!(
        block_on(store.sign(&s, &pictures, &WORKS, (&e, &ret), Some("  "), 6)),
        Err(PhotoSignError::NoReason)
    );
    let v2 = block_on(store.sign(&s, &pictures, &WORKS, (&e, &ret), Some("Floue"), 6)).unwrap();
    assert_eq!(v2.body().version, 2);
    assert_eq!(v2.body().replaces.as_ref().unwrap().id, v1.id());
    assert_eq!(store.documents(&s).len(), 2);
}
