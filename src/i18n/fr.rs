//! French texts (the default language).

use super::Texts;
use pointage_core::wire::ErrorCode;

pub static TEXTS: Texts = Texts {
    app_name: "Pointage",
    language: "Langue",
    home_title: "Bureau de vote",
    election: "Élection",
    bureau: "Bureau",
    enrolled_note: "Ce téléphone compte pour ce bureau. Vérifiez le code avec le président avant de commencer.",
    not_enrolled_title: "Ce téléphone n’est rattaché à aucun bureau",
    not_enrolled_body: "Avant de compter, il doit être inscrit pour votre bureau de vote. Demandez à l’équipe centrale le lien d’inscription de votre bureau et ouvrez-le sur ce téléphone.",
    storage_failed: "Ce téléphone refuse d’enregistrer votre choix (stockage plein ou navigation privée). Rien n’a été modifié.",
    round,
    nav_home: "Accueil",
    nav_results: "Résultats",
    test_election: "Élection de test",

    enroll_title: "Enrôler ce téléphone",
    enroll_intro: "Saisissez le code d’inscription de votre bureau, remis par l’équipe centrale. Ce téléphone recevra l’élection et créera la clé qui signera les résultats du bureau. Il faut du réseau pour cette étape seulement.",
    enroll_code_label: "Code d’inscription",
    enroll_code_hint: "12 caractères, par exemple 7KQ3‑M9XD‑2B4F",
    enroll_submit: "Enrôler ce téléphone",
    enroll_working: "Inscription en cours…",
    enroll_done_title: "Téléphone enrôlé",
    enroll_done_body: "Ce téléphone compte désormais pour ce bureau. Sa clé est créée et restera sur le téléphone.",
    enroll_already,
    enroll_link: "Saisir un code d’inscription",
    enroll_bad_format: "Ce code n’a pas le bon format : 12 lettres et chiffres, par exemple 7KQ3‑M9XD‑2B4F.",
    enroll_storage_failed: "Ce téléphone refuse d’enregistrer l’inscription (stockage plein ou navigation privée). Quittez la navigation privée puis réessayez : le code reste saisi.",
    no_network: "Le serveur central est injoignable. Vérifiez la connexion (Wi-Fi ou données mobiles) puis réessayez : rien n’est perdu.",
    api_error,

    results_title: "Résultats",
    results_intro: "Totaux calculés uniquement à partir des procès-verbaux signés reçus. Les pourcentages sont ceux des suffrages exprimés.",
    results_loading: "Chargement des résultats…",
    results_refresh: "Actualiser",
    coverage,
    results_covering: "Ces totaux portent sur",
    candidate: "Candidat",
    votes: "Voix",
    percent_of_exprimes: "% des exprimés",
    exprimes: "Exprimés",
    blancs: "Blancs",
    nuls: "Nuls",
    votants: "Votants (émargements)",
    turnout: "Participation",
    turnout_over,
    turnout_unknown: "Participation non calculable : aucun bureau reçu n’a de liste d’inscrits.",
    bureaux_title: "Bureaux",
    state_not_enrolled: "Non enrôlé",
    state_enrolled: "Enrôlé, PV attendu",
    state_received: "PV reçu",
    received_version,
    decimal_comma: true,
};

fn enroll_already(bureau: &str) -> String {
    format!(
        "Ce téléphone est déjà enrôlé pour le bureau {bureau}. Un nouveau code le rattacherait à un autre bureau."
    )
}

fn api_error(code: ErrorCode) -> String {
    match code {
        ErrorCode::EnrollmentCodeUnknown => "Ce code n’existe pas. Vérifiez chaque caractère avec le document remis par l’équipe centrale.".into(),
        ErrorCode::EnrollmentCodeUsed => "Ce code a déjà servi à enrôler un autre téléphone. Demandez un nouveau code à l’équipe centrale.".into(),
        ErrorCode::EnrollmentCodeRevoked => "Ce code a été remplacé par un nouveau. Demandez le nouveau code à l’équipe centrale.".into(),
        ErrorCode::RateLimited => "Trop d’essais depuis ce réseau. Attendez une minute avant de réessayer.".into(),
        ErrorCode::StorageUnavailable => "Le serveur central a un problème de stockage. Réessayez dans un instant.".into(),
        ErrorCode::NotFound => "Le serveur ne connaît pas encore d’élection.".into(),
        ErrorCode::PayloadTooLarge => "L’envoi est trop gros pour le serveur. Contactez l’équipe centrale.".into(),
        ErrorCode::ReturnNotCanonical | ErrorCode::ReturnUnknownFormat | ErrorCode::ReturnMalformedKey => "Le serveur ne peut pas lire ce procès-verbal signé : l’application de ce téléphone est peut-être trop ancienne. Gardez le téléphone et contactez l’équipe centrale.".into(),
        ErrorCode::ReturnBadSignature => "La signature de ce procès-verbal ne correspond pas à son contenu : il a été modifié après signature. Contactez l’équipe centrale.".into(),
        ErrorCode::ReturnKeyNotEnrolled => "Ce téléphone n’est plus (ou pas) le téléphone enrôlé pour ce bureau. Demandez à l’équipe centrale un nouveau code d’inscription.".into(),
        ErrorCode::ReturnWrongElection | ErrorCode::ReturnWrongMode => "Ce procès-verbal a été établi pour une autre version de l’élection. Contactez l’équipe centrale.".into(),
        ErrorCode::ReturnUnknownBureau => "Le serveur ne connaît pas ce bureau dans cette élection. Contactez l’équipe centrale.".into(),
        ErrorCode::ReturnRulesBroken | ErrorCode::ReturnExplanations | ErrorCode::ReturnEntrants => "Le serveur a refusé ce procès-verbal : ses chiffres, ses explications ou ses deux saisies ne respectent pas les règles. Vérifiez-le et corrigez-le.".into(),
        ErrorCode::ReturnVersionTaken | ErrorCode::ReturnNotLatest | ErrorCode::ReturnBrokenChain => "Le serveur a déjà une autre version de ce procès-verbal : celle-ci ne la remplace pas. Contactez l’équipe centrale avant toute correction.".into(),
        other => format!("Le serveur a refusé la demande (code « {} »). Contactez l’équipe centrale.", other.as_str()),
    }
}

fn coverage(reporting: u32, total: u32, percent: &str) -> String {
    // French: "0 bureau", "1 bureau", "2 bureaux".
    let s = if reporting > 1 { "x" } else { "" };
    format!("{reporting} bureau{s} sur {total} ({percent})")
}

fn turnout_over(n: u32) -> String {
    match n {
        1 => "sur le seul bureau reçu dont les inscrits sont connus".into(),
        n => format!("sur les {n} bureaux reçus dont les inscrits sont connus"),
    }
}

fn received_version(version: u32, code: &str) -> String {
    format!("version {version} · code {code}")
}

fn round(n: u8) -> String {
    match n {
        1 => "1er tour".to_owned(),
        n => format!("{n}e tour"),
    }
}
