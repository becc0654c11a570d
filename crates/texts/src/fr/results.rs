//! French texts of the results page (`/resultats`), which the server
//! writes.

use crate::ResultsTexts;

pub static TEXTS: ResultsTexts = ResultsTexts {
    results_title: "Résultats",
    results_description: "Pointage\u{a0}: les résultats publiés, calculés des seuls procès-verbaux signés, et où en est chaque bureau.",
    results_intro: "Totaux calculés uniquement à partir des procès-verbaux signés reçus. Les pourcentages sont ceux des suffrages exprimés.",
    results_refresh: "Actualiser",
    results_offline: "Le serveur central est injoignable\u{a0}: ces chiffres sont ceux qu’il a envoyés à ce téléphone la dernière fois, ils ont pu changer depuis. Vérifiez la connexion (Wi-Fi ou données mobiles) puis actualisez.",
    coverage,
    results_covering: "Ces totaux portent sur",
    results_check: "Chacun peut recalculer ces totaux et vérifier chaque signature\u{a0}: téléchargez le registre public, puis lancez pointage-verify sur ce fichier (voir le README du projet).",
    results_record: "Télécharger le registre public",
    results_open_data: "Données ouvertes (CSV, chacune nomme la tête du registre dont elle est calculée)\u{a0}:",
    results_open_results: "résultats par bureau",
    results_open_turnout: "participation par bureau",
    candidate: "Candidat",
    votes: "Voix",
    percent_of_exprimes: "% des exprimés",
    exprimes: "Exprimés",
    votants: "Votants (émargements)",
    turnout: "Participation",
    turnout_over,
    turnout_unknown: "Participation non calculable\u{a0}: aucun bureau reçu n’a de liste d’inscrits.",
    day_title: "Participation pendant la journée",
    day_count: |time, n, reporting, total| {
        format!(
            "{time}\u{a0}: {n}\u{a0}émargements dans {reporting}\u{a0}bureau{} sur {total}",
            if reporting > 1 { "x" } else { "" }
        )
    },
    day_opening: |time, reporting, total| {
        format!(
            "{time}\u{a0}: {reporting}\u{a0}bureau{} ouvert{} sur {total}",
            if reporting > 1 { "x" } else { "" },
            if reporting > 1 { "s" } else { "" }
        )
    },
    day_participation: |pct| format!(", soit {pct} de leurs inscrits"),
    day_late: |n| format!(" (dont {n} en retard)"),
    day_never_projected: "Chaque chiffre ne compte que les bureaux qui l’ont envoyé, signé\u{a0}: jamais une projection.",
    still_title: "Les bureaux restants peuvent-ils encore changer le résultat\u{a0}?",
    still_outstanding: |left, total, inscrits| {
        format!(
            "{}, {inscrits}\u{a0}inscrits\u{a0}: toutes leurs voix pourraient aller à n’importe qui.",
            bureaux_left(left, total)
        )
    },
    still_unknown: |left, total| {
        format!(
            "{}, dont un au moins sans liste d’inscrits\u{a0}: impossible de dire encore ce qu’ils peuvent changer.",
            bureaux_left(left, total)
        )
    },
    still_none: "Tous les bureaux sont comptés\u{a0}: ces totaux ne peuvent plus changer que par la correction d’un PV.",
    order_decided: |a, b| {
        format!("{a} devant {b}\u{a0}: acquis, quoi que contiennent les bureaux restants.")
    },
    order_open: |a, b| format!("L’ordre entre {a} et {b} peut encore changer."),
    majority_certain: |a| {
        format!(
            "{a} a la majorité absolue des exprimés, quoi que contiennent les bureaux restants."
        )
    },
    majority_never: |a| format!("{a} ne peut plus avoir la majorité absolue des exprimés."),
    majority_open: |a| {
        format!("La majorité absolue des exprimés peut encore être gagnée ou perdue par {a}.")
    },
    still_rule: |majority, first| {
        let first_go = match first {
            0 => String::new(),
            1 => "le premier va au tour suivant".to_owned(),
            k => format!("les {} premiers vont au tour suivant", fr_number(k)),
        };
        match (majority, first) {
            (true, 0) => {
                "Règle de ce tour\u{a0}: la majorité absolue des exprimés élit.".to_owned()
            }
            (true, _) => format!(
                "Règle de ce tour\u{a0}: la majorité absolue des exprimés élit, sinon {first_go}."
            ),
            (false, _) => format!("Règle de ce tour\u{a0}: {first_go}."),
        }
    },
    first_in: |k, names| match k {
        1 => format!("Certainement en tête\u{a0}: {names}."),
        k => format!(
            "Certainement parmi les {} premiers\u{a0}: {names}.",
            fr_number(k)
        ),
    },
    first_out: |k, names| match k {
        1 => format!("Ne peuvent plus être en tête\u{a0}: {names}."),
        k => format!(
            "Ne peuvent plus être parmi les {} premiers\u{a0}: {names}.",
            fr_number(k)
        ),
    },
    bureaux_title: "Bureaux",
    bureaux_filter: "Afficher",
    bureaux_all: "Tous les bureaux",
    bureaux_search: "Rechercher un bureau (code, nom ou commune)",
    bureaux_apply: "Rechercher",
    bureaux_shown,
    bureaux_more: "Afficher les suivants",
    pv_photo: |bureau, n| format!("PV papier du bureau {bureau}, page {n}"),
    state_not_enrolled: "Non enrôlé",
    state_enrolled: "Enrôlé, PV attendu",
    state_received: "PV reçu",
    results_wall_link: "Avancement des bureaux, pour un écran mural",
    wall_title: "Avancement des bureaux",
    wall_description: "Pointage\u{a0}: où en sont les bureaux de vote, d’après ce que le serveur central a reçu d’eux.",
    wall_intro: "D’après ce que le serveur central a reçu, signé, de chaque bureau\u{a0}; la page se met à jour toute seule.",
    wall_enrolled: |k, n| format!("Téléphones de bureau enrôlés\u{a0}: {k} sur {n}"),
    wall_opened: |time, k, n| {
        format!(
            "Ouverture ({time})\u{a0}: {k} bureau{} sur {n}",
            if k > 1 { "x" } else { "" }
        )
    },
    wall_reported: |time, k, n| {
        format!(
            "Relevé de {time}\u{a0}: {k} bureau{} sur {n}",
            if k > 1 { "x" } else { "" }
        )
    },
    wall_counted: |k, n| format!("Procès-verbaux signés reçus\u{a0}: {k} sur {n}"),
    wall_corrected: |k| format!("dont {k} corrigé{}", if k > 1 { "s" } else { "" }),
    wall_refused: |k| {
        match k {
        1 => "1\u{a0}bureau dont le dernier PV envoyé a été refusé par le serveur\u{a0}: l’équipe centrale l’appelle.".to_owned(),
        k => format!("{k}\u{a0}bureaux dont le dernier PV envoyé a été refusé par le serveur\u{a0}: l’équipe centrale les appelle."),
    }
    },
    wall_late: |k| match k {
        0 => "Aucun bureau en retard.".to_owned(),
        1 => "1\u{a0}bureau en retard (heure d’un relevé passée sans ce relevé, pas encore de PV)."
            .to_owned(),
        k => format!(
            "{k}\u{a0}bureaux en retard (heure d’un relevé passée sans ce relevé, pas encore de PV)."
        ),
    },
};

fn coverage(reporting: u32, total: u32, percent: &str) -> String {
    // French: "0 bureau", "1 bureau", "2 bureaux".
    let s = if reporting > 1 { "x" } else { "" };
    format!("{} bureau{s} sur {} ({percent})", n(reporting), n(total))
}

/// "12 bureaux restants sur 13", "1 bureau restant sur 13".
fn bureaux_left(left: u32, total: u32) -> String {
    let (x, s) = if left > 1 { ("x", "s") } else { ("", "") };
    format!("{} bureau{x} restant{s} sur {}", n(left), n(total))
}

/// A count grouped as French writes it: "70 000" (narrow no-break space).
fn n(count: u32) -> String {
    pointage_core::results::group_digits(u64::from(count), '\u{202f}')
}

fn turnout_over(n: u32) -> String {
    match n {
        1 => "sur le seul bureau reçu dont les inscrits sont connus".into(),
        n => format!("sur les {n} bureaux reçus dont les inscrits sont connus"),
    }
}

fn bureaux_shown(shown: u32, matching: u32) -> String {
    match matching {
        0 => "Aucun bureau ne correspond.".into(),
        _ => format!("{shown} affiché(s) sur {matching}"),
    }
}

/// Two to nine in words, as a sentence writes them; digits above.
fn fr_number(k: u8) -> String {
    const WORDS: [&str; 8] = [
        "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
    ];
    WORDS
        .get(usize::from(k).wrapping_sub(2))
        .map_or(k.to_string(), |w| (*w).to_owned())
}
