//! French: the paper PV's photos.

use crate::i18n::PhotoTexts;
use pointage_device::photos::{PageError, PhotoSignError, PhotoStanding};

pub static PHOTOS: PhotoTexts = PhotoTexts {
    title: "Photos du PV papier",
    intro: "Une fois le code écrit sur le PV papier et le PV signé par les membres du bureau, photographiez chacune de ses pages. Les photos sont signées par ce téléphone et partent au serveur central après les chiffres, dès qu’il y a du réseau\u{a0}: chacun pourra comparer le papier aux résultats publiés.",
    step: "Photos du PV papier",
    step_detail,
    go: "Photographier le PV papier",
    not_signed_yet: "Signez d’abord le PV sur ce téléphone et écrivez son code sur le PV papier\u{a0}: les photos sont celles de ce papier.",
    open_camera: "Ouvrir l’appareil photo",
    camera_label: "Ce que voit l’appareil photo",
    take: "Prendre la photo",
    pick_file: "Choisir une photo déjà prise",
    encoding: "Préparation de la photo…",
    check: "Vérifiez que tous les chiffres et les signatures se lisent. Sinon, reprenez la photo, plus près ou mieux éclairée.",
    keep: "Garder cette page",
    again: "Reprendre la photo",
    page: |n| format!("Page {n}"),
    remove: "Retirer",
    max_pages: "4 pages au plus.",
    sign: |n| match n {
        1 => "Signer et envoyer la page".to_owned(),
        n => format!("Signer et envoyer les {n}\u{a0}pages"),
    },
    signing: "Signature…",
    later: "Plus tard\u{a0}: revenir à la soirée",
    back: "Revenir à la soirée",
    camera_denied: "L’accès à l’appareil photo est refusé. Autorisez-le dans les réglages du navigateur, ou choisissez une photo déjà prise.",
    camera_unavailable: "L’appareil photo ne s’ouvre pas sur ce téléphone. Choisissez une photo prise avec l’application Appareil photo.",
    encode_failed: "Cette photo n’a pas pu être préparée. Reprenez-la.",
    page_error,
    sign_error,
    status,
    retake: "Reprendre les photos",
    reason_label: "Pourquoi reprendre les photos\u{a0}?",
    reason_hint: "Par exemple\u{a0}: page 2 floue. Les photos déjà envoyées restent publiées.",
    qr_title: "Les photos signées en codes QR",
    qr_intro: "Sans réseau ici\u{a0}? Faites lire ces codes par un téléphone qui a du réseau\u{a0}: la page de dépôt envoie au serveur central l’empreinte signée de chaque photo. Les photos elles-mêmes partiront de ce téléphone dès qu’il aura du réseau.",
    qr_label: |k, n| format!("Code QR {k} sur {n} des photos signées"),
};

fn step_detail(s: &PhotoStanding) -> Option<String> {
    match s {
        PhotoStanding::None => Some(
            "le PV papier signé par les membres, son code écrit dessus\u{a0}: 1 à 4\u{a0}pages"
                .to_owned(),
        ),
        PhotoStanding::Taken(n) => Some(match n {
            1 => "1\u{a0}page prise, pas encore signée".to_owned(),
            n => format!("{n}\u{a0}pages prises, pas encore signées"),
        }),
        signed => Some(status(signed)),
    }
}

fn status(s: &PhotoStanding) -> String {
    match s {
        PhotoStanding::Signed {
            parked: Some(code), ..
        } => format!(
            "refusées par le serveur central\u{a0}: {}",
            (pointage_texts::Lang::Fr.common_texts().api_error)(*code)
        ),
        PhotoStanding::Signed {
            pages,
            received: false,
            ..
        } => format!("{pages}\u{a0}page(s) signée(s), gardées sur ce téléphone en attente d’envoi"),
        PhotoStanding::Signed { pages, lost, .. } if *lost > 0 => format!(
            "reçues par le serveur central, mais la photo de {lost} page(s) sur {pages} n’est plus sur ce téléphone\u{a0}: reprenez les photos"
        ),
        PhotoStanding::Signed {
            pages, uploaded, ..
        } if uploaded < pages => {
            format!(
                "reçues par le serveur central\u{a0}; photos envoyées\u{a0}: {uploaded} sur {pages}"
            )
        }
        PhotoStanding::Signed { pages, .. } => {
            format!("{pages}\u{a0}page(s) reçue(s) par le serveur central, photos comprises")
        }
        _ => String::new(),
    }
}

fn page_error(e: PageError) -> &'static str {
    match e {
        PageError::TooMany => {
            "Le PV a déjà 4\u{a0}pages photographiées\u{a0}: retirez-en une pour la reprendre."
        }
        PageError::TooLarge | PageError::NotAPicture => {
            "Cette photo n’a pas pu être préparée. Reprenez-la."
        }
        PageError::Write(_) => {
            "Ce téléphone n’a pas pu garder la photo (stockage plein ou désactivé). Libérez de la place, puis reprenez-la."
        }
    }
}

fn sign_error(e: &PhotoSignError) -> String {
    match e {
        PhotoSignError::NoPage => "Prenez au moins une page en photo.".into(),
        PhotoSignError::PictureLost(i) => format!(
            "La photo de la page {} n’est plus sur ce téléphone\u{a0}: retirez-la et reprenez-la.",
            i + 1
        ),
        PhotoSignError::NoReason => "Dites pourquoi vous reprenez les photos.".into(),
        PhotoSignError::KeyUnreadable => "La clé de ce téléphone n’a pas pu signer. Réessayez\u{a0}; si cela persiste, contactez l’équipe centrale.".into(),
        PhotoSignError::Refused(pointage_core::photo::PhotosError::Pages) => "Ces pages dépassent ce que le serveur accepte (4\u{a0}pages de 400\u{a0}Ko au plus)\u{a0}: retirez-en une et reprenez-la.".into(),
        PhotoSignError::Refused(_) => "Ces photos ne correspondent pas au PV signé sur ce téléphone. Contactez l’équipe centrale.".into(),
        PhotoSignError::Write(_) => "Ce téléphone n’a pas pu garder les photos signées (stockage plein ou désactivé). Réessayez\u{a0}: les pages prises restent là.".into(),
    }
}
