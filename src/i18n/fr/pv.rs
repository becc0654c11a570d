//! French texts of the procès-verbal screens.

use crate::i18n::PvTexts;
use pointage_core::rules::{W2_PERCENT, W4_HIGH_PERCENT, W4_LOW_PERCENT};
use pointage_core::{Field, MAX_TEXT_BYTES, RuleCode};

pub static PV: PvTexts = PvTexts {
    title: "Procès-verbal",
    field,
    voix_of: |name| format!("Voix {}{name}", crate::i18n::de(name)),
    optional: "Facultatif\u{a0}: laissez vide si inconnu.",
    euros: "En euros, par exemple 152,50. Facultatif (primaires seulement).",
    first_title: "Première saisie",
    first_intro: "Recopiez le procès-verbal papier, champ par champ. Une autre personne le saisira ensuite sans voir vos chiffres\u{a0}: Pointage comparera les deux saisies.",
    handover_title: "Passez le téléphone à la seconde personne",
    handover_text: |first| {
        format!(
            "La première saisie, par {first}, est enregistrée. Une autre personne recopie maintenant le même procès-verbal papier, sans voir ces chiffres."
        )
    },
    handover_go: "Commencer la seconde saisie",
    second_name_label: "Votre nom (seconde saisie)",
    handover_same: |first| {
        format!(
            "{first} a fait la première saisie. La seconde doit être faite par une autre personne\u{a0}: donnez le téléphone à quelqu’un d’autre."
        )
    },
    second_by: |name| format!("Saisie de {name}"),
    not_me: |name| format!("Je ne suis pas {name}"),
    not_me_confirm: "Rendre le téléphone\u{a0}? Ce qui a été tapé dans cette seconde saisie sera effacé, et le nom redemandé.",
    not_me_yes: "Oui, effacer et rendre",
    second_title: "Seconde saisie, à l’aveugle",
    second_intro: |first| {
        format!(
            "Recopiez le même procès-verbal papier, champ par champ. Les chiffres de la première saisie, par {first}, ne sont pas affichés\u{a0}: ne les demandez pas."
        )
    },
    name_label: "Votre nom (la personne qui saisit)",
    figures_title: "Chiffres du procès-verbal",
    members_title: "Membres du bureau",
    president: "Président",
    secretaire: "Secrétaire",
    assesseurs: "Assesseurs (un nom par ligne)",
    observations: "Observations (incidents, réclamations, décisions, explication des écarts)",
    finish: "Terminer ma saisie",
    no_name: "Écrivez votre nom\u{a0}: il figurera dans le PV signé.",
    empty_fields: |list| {
        format!(
            "Ces champs sont vides\u{a0}: {list}. Tapez 0 si c’est zéro\u{a0}: un champ vide n’est jamais pris pour zéro."
        )
    },
    too_large: |list| {
        format!(
            "Ces nombres sont trop grands pour un procès-verbal\u{a0}: {list}. Vérifiez-les sur le papier."
        )
    },
    not_numbers: |list| {
        format!(
            "Ces champs ne sont pas des nombres entiers\u{a0}: {list}. Tapez des chiffres seulement."
        )
    },
    same_person: "Vous avez fait la première saisie. La seconde doit être faite par une autre personne, pour que deux lectures indépendantes du PV se contrôlent.",
    not_an_entrant: "Seules les deux personnes qui ont saisi peuvent ressaisir.",
    discard: |name| format!("{name}\u{a0}: effacer ma saisie"),
    discard_confirm: "Effacer cette saisie\u{a0}? Une autre personne devra la refaire entièrement.",
    discard_yes: "Oui, effacer",
    cancel_correction: "Abandonner cette correction",
    cancel_correction_confirm: "Abandonner cette correction\u{a0}? Les deux saisies seront effacées\u{a0}; la version signée reste telle quelle.",
    differ_title: "Les deux saisies diffèrent",
    differ_intro: "Ces champs ne sont pas identiques dans les deux saisies. Relisez le procès-verbal papier\u{a0}: chacun ressaisit seulement ces champs, sans voir l’autre saisie.",
    redo_as: |name| format!("Je suis {name}\u{a0}: ressaisir"),
    redone: |name| format!("{name} a ressaisi ces champs."),
    redo_title: |name| format!("Ressaisie {}{name}", crate::i18n::de(name)),
    redo_intro: "Relisez le procès-verbal papier et tapez de nouveau ces champs.",
    redo_finish: "Valider ma ressaisie",
    review_title: "Vérification du procès-verbal",
    agreed: |a, b| {
        format!(
            "Les saisies {}{a} et {}{b} concordent.",
            crate::i18n::de(a),
            crate::i18n::de(b)
        )
    },
    errors_title: "À corriger avant de signer",
    rule,
    inscrits_defined: |n| {
        format!(
            "L’élection donne à ce bureau {n}\u{a0}inscrits (la liste électorale)\u{a0}: le PV doit porter ce nombre."
        )
    },
    tally_gap: |label, tally, pv| {
        format!(
            "{label}\u{a0}: pointage {tally}, PV {pv} (écart {})",
            tally.abs_diff(pv)
        )
    },
    packet_open: |n| format!("Paquet n° {n}\u{a0}: pas encore fermé au pointage."),
    restart_hint: "Si le PV papier lui-même est faux\u{a0}: recomptez, corrigez-le, puis saisissez-le de nouveau à deux.",
    restart: "Reprendre la saisie depuis le début",
    restart_confirm: "Effacer les deux saisies et tout reprendre\u{a0}?",
    warnings_title: "Avertissements\u{a0}: une explication écrite est demandée",
    explanation_label: |code| format!("Explication ({code:?})"),
    whole_signed: "Contenu du PV signé",
    whole_title: "Le procès-verbal tel qu’il sera signé et envoyé",
    key_label: "Clé de signature de ce téléphone",
    key_hint: "Elle est écrite dans le PV signé\u{a0}: le serveur central n’accepte que les PV signés par la clé créée pour ce bureau à l’enrôlement.",
    sign: "Signer le procès-verbal",
    sign_blocked: "Signature impossible tant qu’une erreur demeure.",
    explain_first: "Écrivez une explication pour chaque avertissement avant de signer.",
    sign_confirm: "Signer définitivement\u{a0}? Un PV signé ne se modifie plus\u{a0}: il ne peut qu’être corrigé par une nouvelle version signée.",
    sign_yes: "Oui, signer",
    signed_title: "Procès-verbal signé",
    version: |v| format!("Version {v}"),
    code_label: "Code du PV",
    code_instruction: "Recopiez ce code sur le procès-verbal papier, à côté des signatures.",
    code_letters: "Le code n’a jamais de lettre O, I, L ni U\u{a0}: un rond est un zéro, un trait est un un.",
    back_to_evening: "Code recopié : retour à la soirée du bureau",
    print: "Imprimer le résumé",
    download: "Télécharger le PV signé (fichier)",
    versions_title: "Versions signées sur ce téléphone",
    replaces: |v, code, reason| {
        format!("Remplace la version {v} (code {code}). Motif\u{a0}: {reason}")
    },
    correct: "Corriger le PV",
    correct_title: "Corriger le procès-verbal signé",
    correct_intro: "La version signée reste sur ce téléphone et au serveur. La correction est une nouvelle version, saisie deux fois à l’aveugle, qui nomme celle qu’elle remplace.",
    reason_label: "Motif de la correction",
    correct_fields: "Champs à corriger",
    correct_start: "Commencer la correction",
    no_reason: "Écrivez le motif de la correction.",
    no_fields: "Cochez au moins un champ à corriger.",
    correction_banner: |v, reason| format!("Correction, version {v}. Motif\u{a0}: {reason}"),
    entered_by: "Saisi par\u{a0}:",
    assesseurs_shown: "Assesseurs",
    signed_at: "Signé le",
    explanations: "Explications",
    storage_failed: "Rien n’a été enregistré\u{a0}: le téléphone refuse (stockage plein ou navigation privée). Ce que vous avez tapé reste à l’écran\u{a0}; libérez de la place puis réessayez.",
    damaged: "Le procès-verbal enregistré sur ce téléphone est illisible. N’effacez rien et prévenez l’équipe centrale.",
    tally_damaged: "Le pointage enregistré sur ce téléphone est illisible\u{a0}: le PV ne peut pas être contrôlé avec lui. N’effacez rien et prévenez l’équipe centrale.",
    changed_elsewhere: "Le PV a changé dans un autre onglet de ce téléphone (une saisie ou une signature)\u{a0}: cette étape n’est plus possible ici. Rechargez la page.",
    sync_tried_no_network: |n| {
        format!(
            "Envoi essayé à l’instant\u{a0}: pas de réseau. Le PV ({n}) partira dès qu’il y en aura."
        )
    },
    sync_pending: |n| format!("PV à envoyer ({n})\u{a0}: il partira dès qu’il y aura du réseau"),
    sync_sending: "Envoi du PV au serveur central…",
    sync_sent: |seq, at| format!("PV reçu par le serveur central · n° {seq} à {at}"),
    sync_failed: |n, why| format!("PV non envoyé ({n})\u{a0}: {why}"),
    sync_retry: "Nouvel essai automatique.",
    sync_parked: "Il ne sera plus renvoyé tout seul\u{a0}: une fois le problème réglé, touchez «\u{a0}Envoyer maintenant\u{a0}» sur la page du PV.",
    sync_no_network: "pas de réseau.",
    sync_bad_receipt: "la réponse ne porte pas la signature du serveur central.",
    sync_storage: "le téléphone n’a pas pu garder l’accusé de réception.",
    receipt_line: |seq, at| format!("Reçu par le serveur central\u{a0}: n° {seq}, {at}"),
    witness_holds: |at| format!("Dans le registre public, vérifié à {at}."),
    witness_other_phone: |at| {
        format!(
            "Un autre téléphone a été enrôlé pour votre bureau à {at}, sans que celui-ci soit révoqué."
        )
    },
    witness_replaced: |reissued, at| {
        format!(
            "Le code de votre bureau a été réémis à {reissued}, puis un autre téléphone a été enrôlé pour votre bureau à {at}\u{a0}: ce téléphone n’est plus celui du bureau."
        )
    },
    witness_reissued: |at| {
        format!(
            "Le code de votre bureau a été réémis à {at}\u{a0}: ce téléphone n’est plus celui du bureau."
        )
    },
    witness_return_missing: "Le registre public ne contient plus votre PV tel que le serveur central l’a reçu.",
    witness_not_signed: "Le registre public présenté à ce téléphone ne porte pas la signature du serveur central.",
    witness_enrollment_missing: "Le registre public ne mentionne pas l’enrôlement de ce téléphone.",
    witness_unproven: "Le serveur central n’a pas pu prouver ce qu’il dit du registre public.",
    witness_what_to_do: "Gardez ce téléphone tel quel, appelez l’équipe centrale et montrez le reçu à un délégué.",
    other_key_version: "Version signée par une autre clé",
    other_key_banner: "Cette version a été signée par une autre clé que celle de ce téléphone\u{a0}: par le téléphone enrôlé pour votre bureau avant que son code soit réémis. Vérifiez ses chiffres avec le PV papier\u{a0}; s’ils diffèrent, touchez «\u{a0}Corriger le PV\u{a0}».",
    witness_if_not_you: "Si personne du bureau ne l’a demandé, gardez ce téléphone tel quel, appelez l’équipe centrale et montrez le reçu à un délégué.",
    not_yet_received: "Pas encore reçu par le serveur central.",
    version_file: |v| format!("Fichier de la version {v}"),
    send_now: "Envoyer maintenant",
    deposit_hint: "Sans réseau ici\u{a0}? Montrez le PV en codes QR à un téléphone qui a du réseau, ou envoyez ce fichier depuis n’importe quel appareil connecté, à l’adresse /deposer de ce serveur.",
    qr_show: "Montrer en codes QR",
    qr_hide: "Masquer les codes QR",
    qr_title: "Le PV signé en codes QR",
    qr_intro: "Sans réseau ici\u{a0}: avec l’appareil photo d’un téléphone qui a du réseau, scannez chaque code. Il ouvre la page de dépôt de Pointage, qui envoie le PV au serveur central une fois tous les codes lus.",
    qr_position: |k, n| format!("Code {k} sur {n}"),
    qr_label: |k, n| format!("Code QR {k} sur {n} du PV signé"),
    qr_previous: "Code précédent",
    qr_next: "Code suivant",
    key_unreadable: "La clé du bureau est illisible sur ce téléphone\u{a0}: le PV n’a PAS été signé. Ce qui a été saisi est conservé. Prévenez l’équipe centrale\u{a0}: un nouveau code d’enrôlement donnera une nouvelle clé.",
    sign_refused: "Pointage refuse de signer ce PV\u{a0}: une règle n’est pas respectée. Relisez les erreurs et avertissements ci-dessus.",
    text_too_long: |label, bytes| {
        format!(
            "«\u{a0}{label}\u{a0}» est trop long\u{a0}: {bytes} octets pour {} au plus (une lettre accentuée compte pour deux). Raccourcissez ce texte.",
            max_text()
        )
    },
    text_size: |bytes| {
        format!(
            "{bytes} / {} octets (une lettre accentuée compte pour deux)",
            max_text()
        )
    },
};

fn field(f: &Field) -> &'static str {
    match f {
        Field::Inscrits => "Inscrits",
        Field::Emargements => "Émargements (votants)",
        Field::Enveloppes => "Enveloppes trouvées dans l’urne",
        Field::Blancs => "Bulletins blancs",
        Field::Nuls => "Bulletins nuls",
        Field::Exprimes => "Suffrages exprimés",
        Field::Contributions => "Contributions collectées",
        Field::Voix(_) => "Voix",
    }
}

fn rule(code: RuleCode) -> String {
    match code {
        RuleCode::H1 => {
            "Les suffrages exprimés ne sont pas égaux à la somme des voix des candidats. Recomptez les voix de chaque candidat.".into()
        }
        RuleCode::H2 => {
            "Blancs + nuls + exprimés ne font pas le nombre d’enveloppes trouvées. Recomptez les enveloppes, les blancs et les nuls.".into()
        }
        RuleCode::H3 => {
            "Des chiffres manquent\u{a0}: chaque champ obligatoire doit être saisi, zéro compris.".into()
        }
        RuleCode::H4 => {
            "Les inscrits ne sont pas ceux que l’élection donne à ce bureau, ou il y a plus d’émargements ou d’enveloppes que d’inscrits. Vérifiez les inscrits et recomptez les émargements.".into()
        }
        RuleCode::H5 => {
            "Le PV ne donne pas les chiffres pointés sur ce téléphone. Recomptez les paquets concernés, ou corrigez le PV papier.".into()
        }
        RuleCode::W1 => {
            "Le nombre d’enveloppes diffère du nombre d’émargements. La loi demande d’écrire l’écart et son explication.".into()
        }
        RuleCode::W2 => format!(
            "Plus de {W2_PERCENT}\u{a0}% de bulletins blancs ou nuls. Expliquez-en la cause."
        ),
        RuleCode::W3 => {
            "Un candidat n’a aucune voix, ou un seul candidat a toutes les voix. Confirmez-le en l’expliquant.".into()
        }
        RuleCode::W4 => format!(
            "La participation dépasse {W4_HIGH_PERCENT}\u{a0}% ou reste sous {W4_LOW_PERCENT}\u{a0}% des inscrits. Expliquez-la."
        ),
        RuleCode::W5 => {
            "Le PV ne nomme pas un président, un secrétaire et au moins deux assesseurs, chacun une personne différente (la composition du bureau). Complétez les noms, ou expliquez pourquoi il en manque.".into()
        }
        RuleCode::W6 => {
            "Une table n’a remis qu’une feuille de pointage sur téléphone (l’autre pointeur sur papier). Expliquez pourquoi.".into()
        }        RuleCode::W7 => {
            "Les émargements du PV sont moins nombreux que ceux du dernier relevé de participation de la journée. Les signatures ne font que croître\u{a0}: l’un des deux est mal saisi. Vérifiez la liste d’émargement, puis corrigez le PV ou le relevé, ou expliquez l’écart.".into()
        }
    }
}

/// The limit of a return's texts, as the language writes it (core's).
fn max_text() -> String {
    pointage_texts::Lang::Fr
        .common_texts()
        .count(MAX_TEXT_BYTES as u64)
}
