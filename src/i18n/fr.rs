//! French texts (the default language).

use super::Texts;

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
};

fn round(n: u8) -> String {
    match n {
        1 => "1er tour".to_owned(),
        n => format!("{n}e tour"),
    }
}
