//! The photo-document vectors of `tests/vectors/photos/`
//! (docs/return-format.md §15): documents of the paper PV of the return
//! vector `pass_v1_clean` (the election of `returns/`), `pass_`/`fail_`,
//! each with the code checking it must give, and the pictures of the
//! `pass_` ones, each in a file named by its SHA-256.

use super::{BUREAU_SECRET, SIGNED_AT, election};
use pointage_core::photo::{
    MAX_PAGE_BYTES, PHOTOS_FORMAT, PHOTOS_SIGNING_CONTEXT, PhotoPage, PhotosBody, SignedPhotos,
    UnsignedPhotos,
};
use pointage_core::signed_return::public_key_hex;
use pointage_core::{Election, Replaces, SignedReturn};
use std::error::Error;
use std::path::Path;

fn body(e: &Election, ret: &SignedReturn, pages: Vec<PhotoPage>) -> PhotosBody {
    PhotosBody {
        format: PHOTOS_FORMAT.into(),
        election_id: e.id().into(),
        election_hash: e.hash().into(),
        mode: e.mode(),
        bureau: ret.body().bureau.clone(),
        return_id: ret.id().into(),
        return_version: ret.body().version,
        version: 1,
        replaces: None,
        pages,
        device_key: public_key_hex(&BUREAU_SECRET),
        signed_at: SIGNED_AT,
    }
}

/// Signed without core's checks: what altered code sends.
fn forged(b: &PhotosBody) -> Result<Vec<u8>, Box<dyn Error>> {
    use ed25519_dalek::Signer;
    let bytes = pointage_core::canonical::encode(b)?;
    let mut message = PHOTOS_SIGNING_CONTEXT.to_vec();
    message.extend_from_slice(&bytes);
    let signature = ed25519_dalek::SigningKey::from_bytes(&BUREAU_SECRET).sign(&message);
    Ok(format!(
        "{{\"body\":{},\"signature\":\"{}\"}}",
        String::from_utf8_lossy(&bytes),
        hex::encode(signature.to_bytes())
    )
    .into_bytes())
}

fn write(
    dir: &Path,
    name: &str,
    description: &str,
    latest: Option<&str>,
    expect: Option<&str>,
    bytes: &[u8],
) -> Result<(), Box<dyn Error>> {
    std::fs::write(dir.join(format!("{name}.photos")), bytes)?;
    let meta = serde_json::json!({
        "description": description,
        "return": "pass_v1_clean",
        "latest": latest,
        "expect": expect,
    });
    std::fs::write(
        dir.join(format!("{name}.json")),
        serde_json::to_string_pretty(&meta)? + "\n",
    )?;
    Ok(())
}

pub fn write_all(root: &Path) -> Result<(), Box<dyn Error>> {
    let dir = root.join("photos");
    let pictures = dir.join("pictures");
    std::fs::create_dir_all(&pictures)?;
    let e = election("Primaire des vecteurs de test")?;
    let ret = SignedReturn::from_bytes(&std::fs::read(root.join("returns/pass_v1_clean.return"))?)?;
    // Two pages: one of two pieces, one of one.
    let a = pointage_testkit::picture(1, 70_000);
    let b = pointage_testkit::picture(2, 1_500);
    let c = pointage_testkit::picture(3, 2_000);
    let page = |n, bytes: &[u8]| PhotoPage::of(n, "image/jpeg", bytes);
    for bytes in [&a, &b, &c] {
        std::fs::write(pictures.join(&page(1, bytes).sha256), bytes)?;
    }
    let sign =
        |b: PhotosBody, previous: Option<&SignedPhotos>| -> Result<SignedPhotos, Box<dyn Error>> {
            let previous = previous.map(|p| (p.id(), p.body().version));
            Ok(UnsignedPhotos::new(b, &e, previous)?.sign(&BUREAU_SECRET)?)
        };

    let two = body(&e, &ret, vec![page(1, &a), page(2, &b)]);
    let v1 = sign(two.clone(), None)?;
    write(
        &dir,
        "pass_v1_two_pages",
        "Two pages of the paper PV of pass_v1_clean.",
        None,
        None,
        &v1.to_bytes(),
    )?;
    let mut retake = body(&e, &ret, vec![page(1, &a), page(2, &c)]);
    retake.version = 2;
    retake.replaces = Some(Replaces {
        id: v1.id().into(),
        reason: "Page 2 floue.".into(),
    });
    let v2 = sign(retake.clone(), Some(&v1))?;
    write(
        &dir,
        "pass_v2_retake",
        "Replaces pass_v1_two_pages: page 2 taken again, with a reason.",
        Some("pass_v1_two_pages"),
        None,
        &v2.to_bytes(),
    )?;

    let mut altered = v1.to_bytes();
    let at = String::from_utf8_lossy(&altered)
        .find("\"signed_at\":")
        .ok_or("a time")?
        + 12;
    altered[at] = b'2';
    write(
        &dir,
        "fail_bad_signature",
        "pass_v1_two_pages with its time changed after signing.",
        None,
        Some("photos_bad_signature"),
        &altered,
    )?;
    let mut other_key = v1.to_bytes();
    let text = String::from_utf8_lossy(&other_key).into_owned();
    let sig = text.rfind("\"signature\":\"").ok_or("a signature")? + 13;
    other_key[sig] = if other_key[sig] == b'0' { b'1' } else { b'0' };
    write(
        &dir,
        "fail_signature_changed",
        "pass_v1_two_pages with one digit of its signature changed.",
        None,
        Some("photos_bad_signature"),
        &other_key,
    )?;

    let mut five = two.clone();
    five.pages = (1..=5).map(|n| page(n, &b)).collect();
    write(
        &dir,
        "fail_five_pages",
        "Five pages: at most four.",
        None,
        Some("photos_bad_pages"),
        &forged(&five)?,
    )?;
    let mut large = two.clone();
    large.pages[1].size = MAX_PAGE_BYTES + 1;
    large.pages[1].pieces = vec![large.pages[1].pieces[0].clone(); 7];
    write(
        &dir,
        "fail_page_too_large",
        "A page of 400 KiB and one byte.",
        None,
        Some("photos_bad_pages"),
        &forged(&large)?,
    )?;
    let mut pieces = two.clone();
    pieces.pages[0].pieces.pop();
    write(
        &dir,
        "fail_pieces_miscounted",
        "A page of two pieces naming one.",
        None,
        Some("photos_bad_pages"),
        &forged(&pieces)?,
    )?;
    let mut png = two.clone();
    png.pages[0].media_type = "image/png".into();
    write(
        &dir,
        "fail_media_type",
        "A PNG page: JPEG or WebP only.",
        None,
        Some("photos_bad_pages"),
        &forged(&png)?,
    )?;
    let mut order = two.clone();
    order.pages.swap(0, 1);
    write(
        &dir,
        "fail_pages_out_of_order",
        "Page 2 before page 1.",
        None,
        Some("photos_bad_pages"),
        &forged(&order)?,
    )?;
    let mut other = two.clone();
    other.election_hash = "00".repeat(32);
    write(
        &dir,
        "fail_other_election",
        "Made under another definition of the election.",
        None,
        Some("photos_wrong_election"),
        &forged(&other)?,
    )?;
    let mut unknown = two.clone();
    unknown.return_id = "ab".repeat(32);
    write(
        &dir,
        "fail_unknown_return",
        "Names a return nobody has.",
        None,
        Some("photos_unknown_return"),
        &forged(&unknown)?,
    )?;
    let mut version = two.clone();
    version.return_version = 2;
    write(
        &dir,
        "fail_return_version",
        "Names pass_v1_clean as its version 2.",
        None,
        Some("photos_unknown_return"),
        &forged(&version)?,
    )?;
    let mut unreplaced = retake.clone();
    unreplaced.replaces = None;
    write(
        &dir,
        "fail_broken_chain",
        "A version 2 replacing nothing.",
        Some("pass_v1_two_pages"),
        Some("photos_broken_chain"),
        &forged(&unreplaced)?,
    )?;
    Ok(())
}
