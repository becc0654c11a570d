//! English: the paper report's photos.

use crate::i18n::PhotoTexts;
use pointage_device::photos::{PageError, PhotoSignError, PhotoStanding};

pub static PHOTOS: PhotoTexts = PhotoTexts {
    title: "Photos of the paper report",
    intro: "Once the code is written on the paper report and the station's members have signed it, photograph each of its pages. This phone signs the photos and sends them to the central server after the figures, as soon as there is a network: anyone can then compare the paper with the published results.",
    step: "Photos of the paper report",
    step_detail,
    go: "Photograph the paper report",
    not_signed_yet: "First sign the report on this phone and write its code on the paper report: the photos are of that paper.",
    open_camera: "Open the camera",
    camera_label: "What the camera sees",
    take: "Take the photo",
    pick_file: "Choose a photo already taken",
    encoding: "Preparing the photo…",
    check: "Check that every figure and signature can be read. If not, take the photo again, closer or with more light.",
    keep: "Keep this page",
    again: "Take it again",
    page: |n| format!("Page {n}"),
    remove: "Remove",
    max_pages: "At most 4 pages.",
    sign: |n| match n {
        1 => "Sign and send the page".to_owned(),
        n => format!("Sign and send the {n} pages"),
    },
    signing: "Signing…",
    later: "Later: back to the evening",
    back: "Back to the evening",
    camera_denied: "Access to the camera is denied. Allow it in the browser's settings, or choose a photo already taken.",
    camera_unavailable: "The camera does not open on this phone. Choose a photo taken with the Camera app.",
    encode_failed: "This photo could not be prepared. Take it again.",
    page_error,
    sign_error,
    status,
    retake: "Take the photos again",
    reason_label: "Why take the photos again?",
    reason_hint: "For example: page 2 blurred. The photos already sent stay published.",
    qr_title: "The signed photos as QR codes",
    qr_intro: "No network here? Have a phone with a network read these codes: the deposit page sends the central server each picture’s signed fingerprint. The pictures themselves will leave from this phone as soon as it has a network.",
    qr_label: |k, n| format!("QR code {k} of {n} of the signed photos"),
};

fn step_detail(s: &PhotoStanding) -> Option<String> {
    match s {
        PhotoStanding::None => Some(
            "the paper report signed by the members, its code written on it: 1 to 4 pages"
                .to_owned(),
        ),
        PhotoStanding::Taken(n) => Some(match n {
            1 => "1 page taken, not signed yet".to_owned(),
            n => format!("{n} pages taken, not signed yet"),
        }),
        signed => Some(status(signed)),
    }
}

fn status(s: &PhotoStanding) -> String {
    match s {
        PhotoStanding::Signed {
            parked: Some(code), ..
        } => format!(
            "refused by the central server: {}",
            (pointage_texts::Lang::En.common_texts().api_error)(*code)
        ),
        PhotoStanding::Signed {
            pages,
            received: false,
            ..
        } => format!("{pages} page(s) signed, kept on this phone until they can be sent"),
        PhotoStanding::Signed { pages, lost, .. } if *lost > 0 => format!(
            "received by the central server, but the picture of {lost} page(s) of {pages} is no longer on this phone: take the photos again"
        ),
        PhotoStanding::Signed {
            pages, uploaded, ..
        } if uploaded < pages => {
            format!("received by the central server; photos sent: {uploaded} of {pages}")
        }
        PhotoStanding::Signed { pages, .. } => {
            format!("{pages} page(s) received by the central server, photos included")
        }
        _ => String::new(),
    }
}

fn page_error(e: PageError) -> &'static str {
    match e {
        PageError::TooMany => {
            "The report already has 4 pages photographed: remove one to take it again."
        }
        PageError::TooLarge | PageError::NotAPicture => {
            "This photo could not be prepared. Take it again."
        }
        PageError::Write(_) => {
            "This phone could not keep the photo (storage full or disabled). Free some space, then take it again."
        }
    }
}

fn sign_error(e: &PhotoSignError) -> String {
    match e {
        PhotoSignError::NoPage => "Take at least one page.".into(),
        PhotoSignError::PictureLost(i) => format!(
            "The photo of page {} is no longer on this phone: remove it and take it again.",
            i + 1
        ),
        PhotoSignError::NoReason => "Say why you are taking the photos again.".into(),
        PhotoSignError::KeyUnreadable => "This phone's key could not sign. Try again; if it persists, contact the central team.".into(),
        PhotoSignError::Refused(pointage_core::photo::PhotosError::Pages) => "These pages exceed what the server takes (4 pages of at most 400 KB): remove one and take it again.".into(),
        PhotoSignError::Refused(_) => "These photos do not match the report signed on this phone. Contact the central team.".into(),
        PhotoSignError::Write(_) => "This phone could not keep the signed photos (storage full or disabled). Try again: the pages taken are still here.".into(),
    }
}
