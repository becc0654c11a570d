//! French texts that both apps show: the top bar, the language switch, the
//! central server's answers, and how figures are written; the server's
//! results page says some of them too.

use crate::CommonTexts;
use pointage_core::wire::ErrorCode;

pub static COMMON: CommonTexts = CommonTexts {
    app_name: "Pointage",
    language: "Langue",
    storage_failed: "Ce téléphone refuse d’enregistrer votre choix (stockage plein ou navigation privée). Rien n’a été modifié.",
    nav_home: "Accueil",
    nav_count: "Compter",
    nav_pv: "PV",
    nav_results: "Résultats",
    results_href: "/resultats?lang=fr",
    round,
    test_election: "Élection de test",
    no_network: "Le serveur central est injoignable. Vérifiez la connexion (Wi-Fi ou données mobiles) puis réessayez\u{a0}: rien n’est perdu.",
    api_error,
    blancs: "Blancs",
    nuls: "Nuls",
    received_version,
    decimal_comma: true,
    cancel: "Annuler",
};

fn api_error(code: ErrorCode) -> String {
    match code {
        ErrorCode::EnrollmentCodeUnknown => "Ce code n’existe pas. Vérifiez chaque caractère avec le document remis par l’équipe centrale.".into(),
        ErrorCode::EnrollmentCodeUsed => "Ce code a déjà servi à enrôler un autre téléphone. Demandez un nouveau code à l’équipe centrale.".into(),
        ErrorCode::EnrollmentCodeRevoked => "Ce code a été remplacé par un nouveau. Demandez le nouveau code à l’équipe centrale.".into(),
        ErrorCode::EnrollmentKeyInUse => "La clé de ce téléphone est déjà enrôlée pour un autre bureau. Rechargez la page puis saisissez le code à nouveau\u{a0}: une nouvelle clé sera créée.".into(),
        ErrorCode::RateLimited => "Trop d’essais depuis ce réseau. Attendez une minute avant de réessayer.".into(),
        ErrorCode::Busy => "Le serveur central est très sollicité. Ce téléphone réessaiera tout seul dans un instant\u{a0}: rien n’est perdu.".into(),
        ErrorCode::StorageUnavailable => "Le serveur central a un problème de stockage. Réessayez dans un instant.".into(),
        ErrorCode::Internal => "Le serveur central a eu une erreur. Réessayez dans un instant\u{a0}: rien n’est perdu.".into(),
        ErrorCode::NotFound => "Le serveur ne connaît pas encore d’élection.".into(),
        ErrorCode::PayloadTooLarge => "L’envoi est trop gros pour le serveur. Contactez l’équipe centrale.".into(),
        ErrorCode::ReturnNotCanonical | ErrorCode::ReturnUnknownFormat | ErrorCode::ReturnMalformedKey => "Le serveur ne peut pas lire ce procès-verbal signé\u{a0}: l’application de ce téléphone est peut-être trop ancienne. Gardez le téléphone et contactez l’équipe centrale.".into(),
        ErrorCode::ReturnBadSignature => "La signature de ce procès-verbal ne correspond pas à son contenu\u{a0}: il a été modifié après signature. Contactez l’équipe centrale.".into(),
        ErrorCode::ReturnKeyNotEnrolled => "Ce téléphone n’est plus (ou pas) le téléphone enrôlé pour ce bureau. Demandez à l’équipe centrale un nouveau code d’inscription.".into(),
        ErrorCode::ReturnWrongElection | ErrorCode::ReturnWrongMode => "Ce procès-verbal a été établi pour une autre version de l’élection. Contactez l’équipe centrale.".into(),
        ErrorCode::ReturnUnknownBureau => "Le serveur ne connaît pas ce bureau dans cette élection. Contactez l’équipe centrale.".into(),
        ErrorCode::ReturnRulesBroken | ErrorCode::ReturnExplanations | ErrorCode::ReturnEntrants => "Le serveur a refusé ce procès-verbal\u{a0}: ses chiffres, ses explications ou ses deux saisies ne respectent pas les règles. Vérifiez-le et corrigez-le.".into(),
        ErrorCode::ReturnVersionTaken | ErrorCode::ReturnNotLatest | ErrorCode::ReturnBrokenChain => "Le serveur a déjà une autre version de ce procès-verbal\u{a0}: celle-ci ne la remplace pas. Contactez l’équipe centrale avant toute correction.".into(),
        ErrorCode::ReturnSheetBadSignature | ErrorCode::ReturnSheetNotInvited | ErrorCode::ReturnSheetOtherBureau => "Une feuille de table de ce procès-verbal n’est pas signée par un téléphone que ce bureau a invité pour cette élection. Gardez les téléphones des tables et contactez l’équipe centrale.".into(),
        ErrorCode::ReturnSheetSlotTwice | ErrorCode::ReturnSheetSameRecorder => "Deux feuilles de ce procès-verbal viennent du même pointeur (même place à une table, même téléphone ou même personne). Contactez l’équipe centrale.".into(),
        ErrorCode::ReturnSheetsDisagree | ErrorCode::ReturnPacketCountedTwice | ErrorCode::ReturnSheetsNotTally => "Les feuilles des tables de ce procès-verbal ne concordent pas (un paquet diffère entre deux feuilles, est compté deux fois, ou leur total n’est pas le pointage). Contactez l’équipe centrale.".into(),
        ErrorCode::ReportNotCanonical | ErrorCode::ReportUnknownFormat | ErrorCode::ReportMalformedKey | ErrorCode::ReportBadSignature => "Le serveur ne peut pas lire ce relevé de participation signé\u{a0}: l’application de ce téléphone est peut-être trop ancienne. Contactez l’équipe centrale.".into(),
        ErrorCode::ReportWrongElection | ErrorCode::ReportUnknownBureau | ErrorCode::ReportUnknownCheckpoint => "Ce relevé de participation n’est pas pour l’élection (ou l’heure de relevé) que le serveur connaît. Contactez l’équipe centrale.".into(),
        ErrorCode::ReportNotWhatItAsks | ErrorCode::ReportOverInscrits => "Le serveur a refusé ce relevé de participation\u{a0}: son chiffre ne respecte pas les règles (plus d’émargements que d’inscrits). Corrigez-le.".into(),
        ErrorCode::ReportKeyNotEnrolled => "Ce téléphone n’est plus (ou pas) le téléphone enrôlé pour ce bureau\u{a0}: il ne peut pas envoyer la participation. Demandez un nouveau code à l’équipe centrale.".into(),
        ErrorCode::ReportVersionTaken | ErrorCode::ReportBrokenChain => "Le serveur a déjà une autre version de ce relevé de participation\u{a0}: celle-ci ne la remplace pas. Contactez l’équipe centrale.".into(),
        ErrorCode::PhotosNotCanonical | ErrorCode::PhotosUnknownFormat | ErrorCode::PhotosMalformedKey | ErrorCode::PhotosBadSignature => "Le serveur ne peut pas lire les photos signées du PV papier\u{a0}: l’application de ce téléphone est peut-être trop ancienne. Gardez le PV papier et contactez l’équipe centrale.".into(),
        ErrorCode::PhotosBadPages => "Les photos du PV papier dépassent ce que le serveur accepte (1 à 4 pages, 400\u{a0}Ko chacune au plus). Reprenez les photos.".into(),
        ErrorCode::PhotosWrongElection | ErrorCode::PhotosUnknownBureau => "Ces photos du PV papier ne sont pas pour l’élection ou le bureau que le serveur connaît. Contactez l’équipe centrale.".into(),
        ErrorCode::PhotosUnknownReturn => "Le serveur n’a pas reçu de ce bureau le procès-verbal signé dont ces photos montrent le papier (il l’a peut-être refusé). Contactez l’équipe centrale.".into(),
        ErrorCode::PhotosKeyNotEnrolled => "Ce téléphone n’est plus (ou pas) le téléphone enrôlé pour ce bureau\u{a0}: il ne peut pas envoyer les photos du PV. Demandez un nouveau code à l’équipe centrale.".into(),
        ErrorCode::PhotosVersionTaken | ErrorCode::PhotosBrokenChain => "Le serveur a déjà d’autres photos de ce PV papier, que celles-ci ne remplacent pas. Contactez l’équipe centrale.".into(),
        ErrorCode::PhotoPieceUnknown => "Le serveur n’attend pas cette photo\u{a0}: ses photos signées ne l’ont pas encore reçue. Ce téléphone réessaiera tout seul.".into(),
        ErrorCode::PhotoPieceNotSigned => "Une partie de la photo est arrivée abîmée au serveur\u{a0}: ce téléphone l’enverra à nouveau.".into(),
        ErrorCode::RecoverBadSignature => "Ce téléphone n’a pas pu prouver qu’il est celui du bureau (signature refusée). Prévenez l’équipe centrale.".into(),
        ErrorCode::RecoverKeyNotEnrolled => "Ce téléphone n’est plus le téléphone enrôlé pour ce bureau\u{a0}: il ne peut pas reprendre les PV du serveur. Demandez un nouveau code à l’équipe centrale.".into(),
        ErrorCode::RecoverStale => "L’heure de ce téléphone est trop éloignée de celle du serveur. Corrigez l’heure du téléphone, puis réessayez.".into(),
        ErrorCode::ElectionClosed => "Ce scrutin est clos sur le serveur central\u{a0}: il ne reçoit plus aucun procès-verbal ni aucun téléphone. Remettez le PV papier signé à l’équipe centrale.".into(),
        other => format!("Le serveur a refusé la demande (code «\u{a0}{}\u{a0}»). Contactez l’équipe centrale.", other.as_str()),
    }
}

fn received_version(version: u32, code: &str) -> String {
    format!("version {version} · code {code}")
}

fn round(n: u8) -> String {
    match n {
        // Kept on one line: "1er" alone at a line's end reads as a figure.
        1 => "1er\u{a0}tour".to_owned(),
        n => format!("{n}e\u{a0}tour"),
    }
}
