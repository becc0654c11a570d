//! French: turnout during the day.

use crate::i18n::DayTexts;

pub static DAY: DayTexts = DayTexts {
    title: "La journée",
    intro: "Aux heures prévues, relevez le nombre de signatures sur la liste d’émargement. Chaque relevé est signé par ce téléphone et part dès que le réseau le permet\u{a0}; il ne bloque jamais le dépouillement ni le PV.",
    opening: |time| format!("Ouverture du bureau ({time})"),
    count_at: |time| format!("Relevé de {time}"),
    not_yet: "pas encore relevé",
    late: |time| format!("en retard\u{a0}: prévu à {time}"),
    counted: |n| format!("{n}\u{a0}émargements"),
    opened: |n| match n {
        1 => "ouvert, 1\u{a0}membre présent".to_owned(),
        n => format!("ouvert, {n}\u{a0}membres présents"),
    },
    version: |v| format!("version {v}"),
    waiting: "gardé sur ce téléphone, en attente d’envoi",
    received: |n| format!("reçu par le serveur central (n°\u{a0}{n})"),
    refused: |why| format!("refusé par le serveur central\u{a0}: {why}"),
    go: "Relever",
    go_named: |label| format!("Relever maintenant\u{a0}: {label}"),
    correct: "Corriger ce relevé",
    count_label: "Signatures sur la liste d’émargement",
    count_hint: "Comptez les signatures à cette heure-ci, pas les bulletins.",
    again_label: "Le même nombre, saisi une seconde fois",
    again_hint: "Les deux saisies doivent être identiques\u{a0}: une faute de frappe est ainsi arrêtée avant la signature.",
    present_label: "Membres présents à l’ouverture",
    present_hint: "Un nom par case\u{a0}: président, secrétaire, assesseurs.",
    member: |n| format!("Membre {n}"),
    add_member: "Ajouter un membre",
    explanation_label: |time, count| {
        format!(
            "Ce nombre est inférieur au relevé de {time} ({count}). Les signatures ne font que croître\u{a0}: expliquez pourquoi, ou corrigez d’abord ce relevé."
        )
    },
    reason_label: "Raison de la correction",
    submit: "Signer ce relevé",
    cancel: "Annuler",
    working: "Signature en cours…",
    kept: |label| {
        format!(
            "{label}\u{a0}: signé et gardé sur ce téléphone. Il part dès que le réseau le permet."
        )
    },
    not_a_number: "Saisissez un nombre entier, en chiffres, dans les deux cases.",
    not_the_same: "Les deux saisies diffèrent\u{a0}: l’une est mal tapée. Recomptez les signatures et saisissez de nouveau les deux cases. Rien n’a été signé.",
    over_inscrits: |count, inscrits| {
        format!(
            "{count}\u{a0}signatures, c’est plus que les {inscrits}\u{a0}inscrits du bureau. Vérifiez le nombre\u{a0}: rien n’a été signé."
        )
    },
    below_earlier: |time, count| {
        format!(
            "Ce nombre est inférieur au relevé de {time} ({count})\u{a0}: écrivez une explication ci-dessous, ou corrigez d’abord ce relevé. Rien n’a été signé."
        )
    },
    none_present: "Nommez au moins un membre présent.",
    no_reason: "Dites pourquoi ce relevé est corrigé\u{a0}: la raison est publiée avec la correction.",
    too_long: "Un nom ou un texte est trop long (plus de 4\u{a0}000\u{a0}octets). Raccourcissez-le.",
    refused_here: "Ce relevé ne correspond pas à l’élection de ce téléphone. Prévenez l’équipe centrale.",
    key_unreadable: "La clé du bureau est illisible sur ce téléphone\u{a0}: le relevé n’a PAS été signé. Prévenez l’équipe centrale.",
    storage_failed: "Rien n’a été enregistré\u{a0}: le téléphone refuse (stockage plein ou navigation privée). Ce que vous avez tapé reste à l’écran\u{a0}; réessayez.",
    changed_elsewhere: "Ce relevé a été signé dans un autre onglet de ce téléphone entre-temps. Rechargez la page.",
    home_link: "Ouvrir la journée",
    back_home: "Retour à l’accueil du bureau",
    qr_title: "Le relevé signé en codes QR",
    qr_label: |k, n| format!("Code QR {k} sur {n} du relevé signé"),
    qr_intro: "Sans réseau ici\u{a0}? Faites lire ces codes par un téléphone qui a du réseau (avec son appareil photo)\u{a0}: ils ouvrent la page de dépôt, qui envoie ce relevé signé au serveur central.",
};
