//! The paper PV's photo document: its vectors (what checking each must
//! give, on the host and on wasm32), its pages' pieces, and what the
//! phone may sign.

use crate::common::vectors;
use pointage_core::photo::{
    MAX_PAGES, PIECE_BYTES, PhotoPage, PhotosError, SignedPhotos, UnsignedPhotos,
};
use pointage_core::wire::ErrorCode;
use pointage_core::{Election, SignedReturn};
use std::collections::BTreeMap;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn returns() -> BTreeMap<String, (String, u32)> {
    vectors::RETURNS
        .iter()
        .filter(|(n, _)| n.starts_with("pass_"))
        .map(|(_, b)| {
            let r = SignedReturn::from_bytes(b).unwrap();
            (
                r.id().to_owned(),
                (r.body().bureau.clone(), r.body().version),
            )
        })
        .collect()
}

fn check(
    e: &Election,
    bytes: &[u8],
    latest: Option<&SignedPhotos>,
) -> Result<SignedPhotos, PhotosError> {
    let returns = returns();
    let p = SignedPhotos::from_bytes(bytes)?;
    p.check_content(e)?;
    let found = returns
        .get(&p.body().return_id)
        .map(|(b, v)| (b.as_str(), *v));
    p.check_return(found)?;
    p.check_chain(latest.map(|l| (l.id(), l.body().version)))?;
    Ok(p)
}

#[test]
fn every_photo_vector_gives_what_it_says() {
    #[derive(serde::Deserialize)]
    struct Meta {
        latest: Option<String>,
        expect: Option<ErrorCode>,
        #[serde(rename = "return")]
        ret: String,
    }
    let e: Election = serde_json::from_slice(vectors::RETURNS_ELECTION).unwrap();
    assert_eq!(
        vectors::names(vectors::PHOTOS),
        vectors::names(vectors::PHOTO_METAS)
    );
    #[cfg(not(target_arch = "wasm32"))]
    {
        assert_eq!(
            vectors::names(vectors::PHOTOS),
            vectors::on_disk("photos", ".photos")
        );
        assert_eq!(
            vectors::names(vectors::PICTURES),
            vectors::on_disk("photos/pictures", "")
        );
    }
    let bytes: BTreeMap<&str, &[u8]> = vectors::PHOTOS.iter().copied().collect();
    let pictures: BTreeMap<&str, &[u8]> = vectors::PICTURES.iter().copied().collect();
    let mut codes = Vec::new();
    for ((name, doc), (_, meta)) in vectors::PHOTOS.iter().zip(vectors::PHOTO_METAS) {
        let meta: Meta = serde_json::from_slice(meta).unwrap();
        assert_eq!(meta.ret, "pass_v1_clean");
        let latest = meta
            .latest
            .as_ref()
            .map(|l| SignedPhotos::from_bytes(bytes[l.as_str()]).unwrap());
        let got = check(&e, doc, latest.as_ref());
        let code = got.as_ref().err().map(ErrorCode::from);
        assert_eq!(code, meta.expect, "{name}");
        assert_eq!(name.starts_with("pass_"), code.is_none(), "{name}");
        codes.extend(code);
        // Each page of a document that passes is a picture anyone can
        // check with sha256sum, and so is each of its pieces.
        for page in got.iter().flat_map(|p| &p.body().pages) {
            let picture = pictures[page.sha256.as_str()];
            assert!(page.holds(picture), "{name} page {}", page.number);
            for (n, piece) in picture.chunks(PIECE_BYTES).enumerate() {
                page.check_piece(n, piece).unwrap();
            }
        }
    }
    for needed in [
        ErrorCode::PhotosBadSignature,
        ErrorCode::PhotosBadPages,
        ErrorCode::PhotosWrongElection,
        ErrorCode::PhotosUnknownReturn,
        ErrorCode::PhotosBrokenChain,
    ] {
        assert!(codes.contains(&needed), "no vector refused with {needed:?}");
    }
}

#[test]
fn a_page_is_checked_piece_by_piece_and_whole() {
    let bytes = pointage_testkit::picture(9, 2 * PIECE_BYTES + 10);
    let page = PhotoPage::of(1, "image/webp", &bytes);
    assert_eq!(page.pieces.len(), 3);
    assert_eq!(PhotoPage::piece_count(page.size), 3);
    assert_eq!(
        page.piece_range(2),
        Some(2 * PIECE_BYTES..2 * PIECE_BYTES + 10)
    );
    assert_eq!(page.piece_range(3), None);
    for (n, piece) in bytes.chunks(PIECE_BYTES).enumerate() {
        page.check_piece(n, piece).unwrap();
    }
    // A piece from elsewhere, a piece cut short, one byte changed.
    assert!(
        page.check_piece(0, &bytes[PIECE_BYTES..2 * PIECE_BYTES])
            .is_err()
    );
    assert!(
        page.check_piece(2, &bytes[2 * PIECE_BYTES..2 * PIECE_BYTES + 9])
            .is_err()
    );
    let mut changed = bytes.clone();
    changed[5] ^= 0x40;
    assert!(page.check_piece(0, &changed[..PIECE_BYTES]).is_err());
    assert!(!page.holds(&changed));
    assert!(page.holds(&bytes));
    assert!(page.check_piece(3, &[]).is_err());
}

#[test]
fn the_phone_cannot_sign_photos_the_server_would_refuse() {
    let e: Election = serde_json::from_slice(vectors::RETURNS_ELECTION).unwrap();
    let doc = SignedPhotos::from_bytes(
        vectors::PHOTOS
            .iter()
            .find(|(n, _)| *n == "pass_v1_two_pages")
            .unwrap()
            .1,
    )
    .unwrap();
    let mut body = doc.body().clone();
    assert!(UnsignedPhotos::new(body.clone(), &e, None).is_ok());
    let page = body.pages[1].clone();
    body.pages = (1..=MAX_PAGES as u32 + 1)
        .map(|n| PhotoPage {
            number: n,
            ..page.clone()
        })
        .collect();
    assert_eq!(
        UnsignedPhotos::new(body.clone(), &e, None),
        Err(PhotosError::Pages)
    );
    body.pages.truncate(MAX_PAGES);
    assert!(UnsignedPhotos::new(body.clone(), &e, None).is_ok());
    body.pages.clear();
    assert_eq!(
        UnsignedPhotos::new(body.clone(), &e, None),
        Err(PhotosError::Pages)
    );
    // At most ten versions: the eleventh is refused.
    let mut eleventh = doc.body().clone();
    eleventh.version = 11;
    eleventh.replaces = Some(pointage_core::Replaces {
        id: "ab".repeat(32),
        reason: "Encore floue".into(),
    });
    assert_eq!(
        UnsignedPhotos::new(eleventh, &e, Some((&"ab".repeat(32), 10))),
        Err(PhotosError::TooManyVersions)
    );
    // A retake must name the version it replaces.
    let mut retake = doc.body().clone();
    retake.version = 2;
    assert_eq!(
        UnsignedPhotos::new(retake, &e, Some((doc.id(), 1))),
        Err(PhotosError::Chain)
    );
}

#[test]
fn a_courier_labels_photos_by_bureau_version_and_pages_and_carries_them_by_qr() {
    use pointage_core::{Carried, ReturnLabel};
    for (name, bytes) in vectors::PHOTOS
        .iter()
        .filter(|(n, _)| n.starts_with("pass_"))
    {
        let p = SignedPhotos::from_bytes(bytes).unwrap();
        let label = ReturnLabel::read(bytes).unwrap();
        assert_eq!(label.bureau, p.body().bureau, "{name}");
        assert_eq!(label.version, p.body().version, "{name}");
        assert_eq!(label.id, p.id(), "{name}");
        assert_eq!(label.checkpoint(), None);
        assert_eq!(
            label.kind,
            Carried::Photos {
                pages: p.body().pages.len(),
                return_version: p.body().return_version,
            },
            "{name}"
        );
        let parts = pointage_core::handover::split(bytes);
        let whole = pointage_core::handover::collect(parts.iter().map(String::as_str));
        assert_eq!(whole[0].bytes, Some(Ok(bytes.to_vec())), "{name}");
    }
    // Photos with a checkpoint, or without their pages, are nobody's.
    let text = String::from_utf8(vectors::PHOTOS[0].1.to_vec()).unwrap();
    for (from, to) in [
        ("\"pages\":", "\"checkpoint\":\"17h\",\"pages\":"),
        ("\"pages\":", "\"leaves\":"),
    ] {
        let bad = text.replacen(from, to, 1);
        assert_ne!(bad, text);
        assert!(ReturnLabel::read(bad.as_bytes()).is_err(), "{bad}");
    }
}
