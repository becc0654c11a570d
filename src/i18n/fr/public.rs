//! French texts of the deposit page: a table of their own, which only
//! the deposit page reads, so the bureau app does not carry them.

use crate::i18n::PublicTexts;
use pointage_core::wire::ErrorCode;

pub static TEXTS: PublicTexts = PublicTexts {
    deposit_title: "Déposer un PV signé",
    deposit_intro: "Pour un bureau resté sans réseau\u{a0}: choisissez le fichier du PV signé, téléchargé sur le téléphone du bureau, et envoyez-le d’ici (les codes QR du PV, eux, s’ouvrent ici d’eux-mêmes une fois scannés). Le serveur central le vérifie comme s’il venait du téléphone.",
    deposit_label: "Fichier du PV signé (.json)",
    deposit_submit: "Envoyer au serveur central",
    deposit_another: "Déposer un autre PV",
    deposit_done: |bureau, version, code, seq| {
        format!(
            "Reçu par le serveur central\u{a0}: bureau {bureau}, version {version}, code {code} (n° {seq})."
        )
    },
    deposit_no_file: "Choisissez d’abord le fichier du PV signé.",
    deposit_not_a_return: "Ce fichier n’est pas un PV signé lisible\u{a0}: choisissez le fichier téléchargé depuis l’écran «\u{a0}Procès-verbal signé\u{a0}».",
    deposit_scanned: |read, count, missing| {
        format!(
            "PV en cours de lecture, codes lus\u{a0}: {read} sur {count}. Reste à scanner sur le téléphone du bureau\u{a0}: n° {missing}."
        )
    },
    deposit_read_whole: |bureau, version, code| {
        format!("PV lu en entier\u{a0}: bureau {bureau}, version {version}, code {code}.")
    },
    deposit_read_report: |bureau, checkpoint, version| {
        format!(
            "Relevé de participation lu en entier\u{a0}: bureau {bureau}, relevé «\u{a0}{checkpoint}\u{a0}», version {version}."
        )
    },
    deposit_done_report: |bureau, checkpoint, version, n| {
        format!(
            "Reçu par le serveur central\u{a0}: relevé de participation du bureau {bureau}, relevé «\u{a0}{checkpoint}\u{a0}», version {version} (n°\u{a0}{n})."
        )
    },
    deposit_read_photos: |bureau, version, pages| {
        format!(
            "Photos du PV papier lues en entier\u{a0}: bureau {bureau}, version {version}, {pages}\u{a0}page(s). Ces codes portent l’empreinte de chaque photo, pas les photos elles-mêmes."
        )
    },
    deposit_done_photos: |bureau, version, pages, n| {
        format!(
            "Reçu par le serveur central\u{a0}: photos du PV papier du bureau {bureau}, version {version}, {pages}\u{a0}page(s) (n°\u{a0}{n}). Les photos elles-mêmes partiront du téléphone du bureau dès qu’il aura du réseau."
        )
    },
    deposit_parked,
    deposit_retry: "Réessayer l’envoi",
    deposit_not_a_code: "Cette adresse ne porte pas de code de PV lisible\u{a0}: scannez à nouveau le code QR affiché sur le téléphone du bureau.",
    deposit_damaged: "Les codes lus ne forment pas un PV lisible\u{a0}: ils ont été effacés de cet appareil. Scannez à nouveau tous les codes du téléphone du bureau.",
    deposit_storage: "Cet appareil n’a pas pu garder le code lu (stockage plein ou désactivé)\u{a0}: scannez-le à nouveau, ou utilisez le fichier du PV.",
    deposit_kept: "Pas de réseau\u{a0}: le PV lu reste sur cet appareil et partira dès que le réseau reviendra (ou touchez «\u{a0}Envoyer au serveur central\u{a0}»).",
    deposit_forget: "Effacer de cet appareil",
    deposit_forget_confirm: "Effacer de cet appareil les codes lus de ce PV\u{a0}? Le PV signé reste sur le téléphone du bureau.",
    deposit_forget_yes: "Oui, effacer",
};

fn deposit_parked(code: ErrorCode) -> String {
    use ErrorCode::*;
    let why = match code {
        ReturnKeyNotEnrolled | ReportKeyNotEnrolled => {
            "le téléphone qui l’a signé n’est plus enrôlé pour son bureau (un nouveau code d’inscription a été émis)."
        }
        ReportOverInscrits | ReportNotWhatItAsks => {
            "son chiffre ne respecte pas les règles (plus d’émargements que d’inscrits) : le bureau doit le corriger."
        }
        ReportVersionTaken | ReportBrokenChain => {
            "le serveur a déjà une autre version de ce relevé de participation."
        }
        ReturnBadSignature | ReturnNotCanonical | ReturnUnknownFormat | ReturnMalformedKey
        | ReportBadSignature | ReportNotCanonical | ReportUnknownFormat | ReportMalformedKey
        | BadRequest => "il a été modifié après sa signature, ou il est illisible.",
        ReturnRulesBroken | ReturnExplanations | ReturnEntrants => {
            "ses chiffres, ses explications ou ses deux saisies ne respectent pas les règles : le bureau doit le corriger."
        }
        ReturnBrokenChain => "cette correction ne suit pas la version que le serveur a reçue.",
        ReturnSheetBadSignature | ReturnSheetNotInvited | ReturnSheetOtherBureau => {
            "une de ses feuilles de table n’est pas signée par un téléphone que le bureau a invité."
        }
        ReturnSheetSlotTwice
        | ReturnSheetSameRecorder
        | ReturnSheetsDisagree
        | ReturnPacketCountedTwice
        | ReturnSheetsNotTally => {
            "ses feuilles de table ne concordent pas entre elles ou avec son pointage."
        }
        ElectionClosed => "le scrutin est clos : le serveur ne reçoit plus aucun procès-verbal.",
        ReturnUnknownBureau
        | ReturnWrongElection
        | ReturnWrongMode
        | ReportUnknownBureau
        | ReportWrongElection
        | ReportUnknownCheckpoint => "il n’est pas pour l’élection que ce serveur reçoit.",
        _ => "le serveur ne l’acceptera pas tel quel.",
    };
    format!(
        "Refusé par le serveur central : {why} Ce PV ne repartira pas de lui-même : prévenez l’équipe centrale, et ne réessayez que si elle vous le demande."
    )
}
