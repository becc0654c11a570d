//! French texts (the default language).

mod day;
mod photos;
pub mod public;
mod pv;
pub mod table_phones;

use crate::i18n::{CountTexts, EveningTexts, StartupTexts, Texts};
use pointage_core::{NulReason, TallyError};
use pv::PV;

pub static TEXTS: Texts = Texts {
    home_title: "Bureau de vote",
    bureau: "Bureau",
    enrolled_note: |code| {
        format!(
            "Ce téléphone compte pour le bureau {code}. Avant de commencer, vérifiez avec le président que c’est bien le sien."
        )
    },
    not_enrolled_title: "Ce téléphone n’est rattaché à aucun bureau",
    not_enrolled_body: "Avant de compter, il doit être inscrit pour votre bureau de vote. Demandez à l’équipe centrale le lien d’inscription de votre bureau et ouvrez-le sur ce téléphone.",
    update_ready: "Une nouvelle version de Pointage est prête. Elle s’installe quand vous le décidez\u{a0}: rien de ce qui est compté ou saisi n’est perdu.",
    update_apply: "Mettre à jour maintenant",

    enroll_title: "Enrôler ce téléphone",
    enroll_intro: "Saisissez le code d’inscription de votre bureau, remis par l’équipe centrale. Ce téléphone recevra l’élection et créera la clé qui signera les résultats du bureau. Il faut du réseau pour cette étape seulement.",
    enroll_code_label: "Code d’inscription",
    enroll_code_hint: "12 caractères, par exemple 7KQ3‑M9XD‑2B4F",
    enroll_submit: "Enrôler ce téléphone",
    enroll_working: "Inscription en cours…",
    enroll_done_title: "Téléphone enrôlé",
    enroll_done_body: "Ce téléphone compte désormais pour ce bureau. Sa clé est créée et restera sur le téléphone.",
    enroll_next: "Continuer : la soirée du bureau",
    enroll_already,
    enroll_link: "Saisir un code d’inscription",
    next_round_title: "Tour suivant\u{a0}: ce téléphone est prêt",
    next_round_body,
    next_round_take: "Compter pour ce tour",
    next_round_waiting,
    next_round_failed: "Ce téléphone n’a pas pu enregistrer le changement de tour (stockage plein\u{a0}?). Réessayez\u{a0}: rien n’est perdu.",
    enroll_bad_format: "Ce code n’a pas le bon format\u{a0}: 12 lettres et chiffres, par exemple 7KQ3‑M9XD‑2B4F.",
    enroll_no_crypto: "Ce navigateur ne sait pas créer la clé du bureau (signature Ed25519). Ouvrez ce lien dans Chrome à jour, hors navigation privée\u{a0}; le code reste saisi.",
    enroll_storage_failed: "Ce téléphone refuse d’enregistrer l’inscription (stockage plein ou navigation privée). Quittez la navigation privée puis réessayez\u{a0}: le code reste saisi.",

    colon: COLON,
    common: pointage_texts::Lang::Fr.common_texts(),
    pv: &PV,
    tables: &table_phones::TABLES,
    day: &day::DAY,
    photos: &photos::PHOTOS,
    count: &COUNT,
    startup: &STARTUP,
    evening: EveningTexts {
        title: "La soirée du bureau",
        correction: |v| format!("Correction\u{a0}: version {v}"),
        done: "Fait\u{a0}:",
        next: "À faire maintenant\u{a0}:",
        later: "Ensuite\u{a0}:",
        elsewhere_polls: "faite sur papier",
        elsewhere_count: "fait sur papier",
        polls: "Clôture du scrutin",
        count: "Dépouillement",
        count_progress: |packets, counted, found| {
            let p = if packets > 1 {
                "paquets vérifiés"
            } else {
                "paquet vérifié"
            };
            match found {
                Some(f) => format!("{packets} {p} · {counted} enveloppes sur {f}"),
                None => format!("{packets} {p}"),
            }
        },
        first: "Première saisie du PV",
        second: "Seconde saisie, à l’aveugle",
        by: |name| format!("par {name}"),
        agreement: "Les deux saisies concordent",
        differing: |n| {
            if n > 1 {
                format!("{n} chiffres diffèrent\u{a0}: chacun les ressaisit")
            } else {
                "1 chiffre diffère\u{a0}: chacun le ressaisit".into()
            }
        },
        signature: "Signature du PV",
        code: |code| format!("Code {code}, à recopier sur le PV papier"),
        sent: "Reçu par le serveur central",
        sent_waiting: "Le téléphone l’enverra seul dès qu’il aura du réseau.",
        sent_refused: "Le serveur central l’a refusé\u{a0}: la raison est sur l’écran du PV.",
        sent_done: "Accusé de réception gardé sur ce téléphone.",
        go_polls: "Clôturer le scrutin",
        go_count: "Continuer le dépouillement",
        go_first: "Saisir le procès-verbal",
        go_second: "Seconde saisie du procès-verbal",
        go_agreement: "Ressaisir les chiffres qui diffèrent",
        go_sign: "Vérifier et signer le procès-verbal",
        go_send: "Envoyer maintenant",
        go_refused: "Voir pourquoi",
        finished: "Le serveur central a reçu le procès-verbal signé. La soirée du bureau est terminée\u{a0}: merci\u{a0}!",
        see_pv: "Voir le procès-verbal signé",
        on_paper: "Le dépouillement se fait sur papier\u{a0}?",
        on_paper_link: "Saisir directement le procès-verbal",
    },
};

fn next_round_body(name: &str, round: u8, date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let date = crate::i18n::spelt_date(date, &MONTHS, |d, m, y| format!("{d} {m} {y}"));
    let round = match round {
        1 => "1er tour".to_owned(),
        n => format!("{n}e tour"),
    };
    format!(
        "«\u{a0}{name}\u{a0}», {round}, le {date}\u{a0}: ce téléphone y reste enrôlé pour le même bureau, avec la même clé. Aucun nouveau code n’est nécessaire. Ce que le tour précédent a gardé reste sur le téléphone."
    )
}

fn next_round_waiting(n: usize) -> String {
    format!(
        "{n} document(s) du tour en cours attendent encore le serveur central\u{a0}: ils partent d’abord, dès qu’il y a du réseau. Le bouton s’ouvrira ensuite."
    )
}

fn enroll_already(bureau: &str) -> String {
    format!(
        "Ce téléphone est déjà enrôlé pour le bureau {bureau}. Un nouveau code le rattacherait à un autre bureau."
    )
}

fn count_gap_label(gap: u32) -> String {
    format!("Écart de {gap} entre émargements et enveloppes\u{a0}: expliquez-le")
}

fn count_polls_summary(emargements: &str, enveloppes: &str) -> String {
    format!("{emargements} émargements · {enveloppes} enveloppes dans l’urne")
}

fn count_open_submit(n: u32) -> String {
    format!("Ouvrir le paquet n° {n}")
}

fn count_packet_heading(n: u32, table: &str) -> String {
    format!("Paquet n° {n} · {table}")
}

fn count_closed_title(n: u32) -> String {
    format!("Paquet n° {n} fermé")
}

fn count_recount_badge(n: u32) -> String {
    format!("Recomptage n° {n} de ce paquet")
}

fn count_counted_of_found(counted: &str, found: &str) -> String {
    format!("{counted} sur {found} trouvées")
}

fn count_nul_reason(r: NulReason) -> &'static str {
    match r {
        NulReason::DifferentBallots => "Bulletins différents dans l’enveloppe",
        NulReason::NoEnvelope => "Bulletin sans enveloppe",
        NulReason::IdentifyingMark => "Signe distinctif, mention injurieuse",
        NulReason::AlteredBallot => "Nom rayé ou ajouté",
        NulReason::UnregisteredCandidate => "Candidat non enregistré",
        NulReason::WrongModel => "Bulletin d’un autre modèle",
        NulReason::Other => "Autre raison",
    }
}

fn count_refused(e: &TallyError) -> String {
    match e {
        TallyError::PollsNotClosed => "Enregistrez d’abord la clôture du scrutin (émargements et enveloppes).".into(),
        TallyError::GapNotExplained { emargements, enveloppes } => format!("{emargements} émargements pour {enveloppes} enveloppes\u{a0}: écrivez l’explication de l’écart."),
        TallyError::InvalidTableName => "Donnez un nom à la table (1 à 40 caractères).".into(),
        TallyError::TextTooLong => format!("Ce texte est trop long\u{a0}: {} caractères au plus.", text_max()),
        TallyError::NulNeedsNote => "Pour «\u{a0}Autre raison\u{a0}», écrivez laquelle.".into(),
        TallyError::NothingToRecount => "Il n’y a pas de paquet fermé à recompter.".into(),
        TallyError::PacketAlreadyOpen => "Un paquet est déjà ouvert\u{a0}: fermez-le d’abord.".into(),
        TallyError::InvalidEnvelopeCount(_) => "Un paquet compte de 1 à 100 enveloppes.".into(),
        TallyError::NoOpenPacket => "Aucun paquet n’est ouvert.".into(),
        TallyError::PacketFull => "Toutes les enveloppes de ce paquet sont déjà pointées. Fermez le paquet, ou annulez un pointage erroné.".into(),
        TallyError::UnknownCandidate(_) => "Ce candidat n’est pas dans cette élection.".into(),
        TallyError::NothingToUndo => "Il n’y a aucun pointage à annuler dans ce paquet.".into(),
        TallyError::PacketNotBalanced { marks, envelopes } if marks < envelopes => format!("Le paquet n’est pas fini\u{a0}: {marks} bulletins pointés sur {envelopes}. Il en manque {}.", envelopes - marks),
        TallyError::PacketNotBalanced { marks, envelopes } => format!("{marks} bulletins pointés pour {envelopes} enveloppes."),
        TallyError::MoreThanLeft { envelopes, left: 0 } => format!("Il ne reste aucune enveloppe à compter\u{a0}: un paquet de {envelopes} est de trop. Si la clôture est fausse, corrigez-la."),
        TallyError::MoreThanLeft { envelopes, left } => format!("Il ne reste que {left} enveloppe(s) à compter, pas {envelopes}. Saisissez {left} ou moins, ou corrigez la clôture si elle est fausse."),
        TallyError::FewerThanMarks { envelopes, marks } => format!("{marks} bulletins sont déjà pointés dans ce paquet\u{a0}: il ne peut pas en contenir {envelopes}. Annulez d’abord les pointages en trop."),
        TallyError::ReasonNeeded => format!("Écrivez pourquoi ({} caractères au plus).", text_max()),
        TallyError::PacketNotChecked { number } => format!("Le paquet n° {number} est fermé mais pas vérifié\u{a0}: dites d’abord si les deux feuilles de pointage concordent."),
        TallyError::NothingToConfirm => "Aucun paquet fermé n’attend sa vérification.".into(),
        TallyError::NoSuchPacket(n) => format!("Le paquet n° {n} n’a pas été compté sur ce téléphone."),
        TallyError::InvalidPacketNumber => "Saisissez le numéro écrit sur la bande du paquet (1 ou plus).".into(),
        TallyError::PacketNumberUsed(n) => format!("Le paquet n° {n} est déjà compté sur ce téléphone. Vérifiez le numéro écrit sur sa bande."),
        TallyError::BrokenChain { .. } => "Le journal du comptage est abîmé.".into(),
    }
}

fn count_envelopes_left(n: u32) -> String {
    match n {
        0 => "Il ne reste aucune enveloppe à compter.".into(),
        1 => "Il reste 1 enveloppe à compter.".into(),
        n => format!("Il reste {n} enveloppes à compter."),
    }
}

/// The limit of a count's texts, as the language writes it (core's).
fn text_max() -> String {
    pointage_texts::Lang::Fr
        .common_texts()
        .count(pointage_core::tally::TEXT_MAX as u64)
}

/// The counting screen: its own static, so that a table phone’s app links it without the bureau app’s other texts.
pub static COUNT: CountTexts = CountTexts {
    title: "Dépouillement",
    polls_title: "Clôture du scrutin",
    polls_intro: "Avant d’ouvrir les paquets\u{a0}: comptez les signatures de la liste d’émargement, puis les enveloppes trouvées dans l’urne.",
    emargements_label: "Émargements (signatures sur la liste)",
    enveloppes_label: "Enveloppes trouvées dans l’urne",
    gap_label: count_gap_label,
    gap_hint: "La loi demande de porter l’écart au procès-verbal, avec son explication.",
    polls_submit: "Enregistrer la clôture",
    polls_edit: "Corriger la clôture",
    polls_summary: count_polls_summary,
    text_chars: |n, max| format!("{n} caractères sur {max} au plus"),
    undone: |mark| format!("Pointage annulé\u{a0}: {mark}."),
    number_invalid: "Saisissez un nombre entier, en chiffres seulement.",
    open_title: "Ouvrir un paquet",
    table_label: "Table",
    table_hint: "Le nom ou le numéro de votre table, par exemple «\u{a0}Table 1\u{a0}».",
    table_is: |name| format!("Compté à la table «\u{a0}{name}\u{a0}»."),
    table_other: "Une autre table\u{a0}?",
    envelopes_label: "Enveloppes dans ce paquet",
    envelopes_hint: "100, ou le nombre écrit sur le dernier paquet.",
    open_submit: count_open_submit,
    packet_heading: count_packet_heading,
    progress_label: "Bulletins pointés dans ce paquet",
    blanc: "Blanc",
    nul: "Nul",
    nul_title: "Bulletin nul\u{a0}: pour quelle raison\u{a0}?",
    nul_reason: count_nul_reason,
    nul_note_label: "Précision (obligatoire pour «\u{a0}Autre raison\u{a0}»)",
    nul_confirm: "Compter ce bulletin nul",
    cancel: "Annuler",
    undo: "Annuler le dernier",
    last_marks: "Derniers pointages (le plus récent en premier)",
    no_marks: "Aucun bulletin pointé dans ce paquet.",
    close_packet: "Fermer le paquet",
    fixes_title: "Un problème avec ce paquet\u{a0}?",
    fix_packet: "Le nombre d’enveloppes de ce paquet est faux",
    fix_packet_intro: "Si le paquet contient un autre nombre d’enveloppes que celui saisi, corrigez-le\u{a0}: les bulletins déjà pointés restent. Si ce paquet ne doit pas être compté ici, mettez-le de côté\u{a0}: ses pointages ne comptent plus et ses enveloppes reviennent à compter.",
    resize_label: "Nombre d’enveloppes réellement dans ce paquet",
    fix_reason_label: "Pourquoi (gardé dans le journal du comptage)",
    resize_submit: "Corriger le nombre d’enveloppes",
    set_aside_submit: "Mettre ce paquet de côté",
    set_aside_hint: "Ses enveloppes seront à recompter dans un nouveau paquet.",
    envelopes_left: count_envelopes_left,
    all_counted_title: "Toutes les enveloppes sont comptées",
    all_counted_text: "Chaque enveloppe trouvée dans l’urne est dans un paquet fermé. Étape suivante\u{a0}: le procès-verbal.",
    go_to_pv: "Passer au procès-verbal",
    closed_title: count_closed_title,
    fingerprint_label: "Empreinte du paquet",
    fingerprint_intro: "Lisez cette empreinte à voix haute à l’autre pointeur de la table\u{a0}: sa feuille doit donner la même.",
    packet_counts: "Ou comparez ces nombres à la feuille de pointage\u{a0}:",
    counts_against_paper: "Comparez ces nombres à la feuille de pointage de l’autre pointeur\u{a0}:",
    fingerprint_if_phone: "Si l’autre pointeur compte sur un téléphone, son empreinte du paquet doit être\u{a0}:",
    sheets_agree: "Les feuilles concordent",
    sheets_differ: "Elles diffèrent\u{a0}: recompter",
    recount_confirm: "Recompter ce paquet depuis zéro\u{a0}? Les pointages actuels restent dans le journal du téléphone mais ne comptent plus.",
    recount_yes: "Oui, recompter depuis zéro",
    recount_badge: count_recount_badge,
    show_totals: "Voir les totaux",
    back_to_count: "Retour au pointage",
    totals_title: "Totaux pointés",
    packets_closed: "Paquets fermés",
    envelopes_counted: "Enveloppes pointées",
    counted_of_found: count_counted_of_found,
    per_table: "Par table",
    all_counted: "Toutes les enveloppes trouvées sont pointées.",
    refused: count_refused,
    storage_failed: "Ce bulletin n’a PAS été compté\u{a0}: le téléphone n’a pas pu l’enregistrer. Tout ce qui était compté avant est conservé. Pointez de nouveau ce bulletin\u{a0}; si cela se répète, rechargez la page.",
    storage_full: "Ce bulletin n’a PAS été compté\u{a0}: le téléphone refuse d’enregistrer (stockage plein ou navigation privée). Tout ce qui était compté avant est conservé. Libérez de la place puis pointez de nouveau ce bulletin.",
    changed_elsewhere: "Ce bureau est compté dans un autre onglet ou une autre fenêtre de ce téléphone. Cet écran ne peut plus rien enregistrer, pour ne pas écraser l’autre comptage. Fermez l’autre onglet puis rechargez cette page.",
    damaged: "Le comptage enregistré sur ce téléphone est illisible. N’effacez rien et prévenez l’équipe centrale\u{a0}; comptez ce bureau sur papier en attendant.",
    unavailable: "Ce navigateur ne permet pas d’enregistrer sur le téléphone (navigation privée ou stockage désactivé)\u{a0}: impossible de compter ici sans risquer de tout perdre. Ouvrez Pointage dans une fenêtre normale.",
    dismiss: "J’ai compris",
    reload: "Recharger la page",
};

/// What went wrong when the phone’s storage was opened: its own static, so that a table phone’s app links it without the bureau app’s other texts.
pub static STARTUP: StartupTexts = StartupTexts {
    unavailable: "Ce navigateur ne permet pas d’enregistrer sur le téléphone (navigation privée ou stockage désactivé)\u{a0}: rien de ce qui serait compté ou saisi ici ne serait gardé. Ouvrez Pointage dans une fenêtre normale.",
    not_moved_full: "Pointage n’a pas pu reprendre ce que sa version précédente avait enregistré sur ce téléphone\u{a0}: le stockage est plein. Rien n’est perdu. Libérez de la place, puis rouvrez Pointage avant de compter.",
    not_moved: "Pointage n’a pas pu reprendre ce que sa version précédente avait enregistré sur ce téléphone. Rien n’est perdu. Rouvrez Pointage avant de compter\u{a0}; si ce message revient, prévenez l’équipe centrale.",
    damaged: "Ce que la version précédente de Pointage avait enregistré sur ce téléphone est illisible. Il est conservé tel quel\u{a0}: n’effacez rien et prévenez l’équipe centrale.",
    key_not_moved: "La clé du bureau n’a pas pu être mise à l’abri dans ce navigateur\u{a0}: ce téléphone ne peut pas signer le PV. Rouvrez Pointage\u{a0}; si ce message revient, prévenez l’équipe centrale.",
    restored: "Le navigateur avait effacé les données de Pointage sur ce téléphone (il a dû être fermé de force). Tout ce qui avait été enregistré a été repris de la copie de secours\u{a0}: vérifiez le comptage avant de continuer.",
    restored_key_lost: "Le navigateur avait effacé les données de Pointage sur ce téléphone. Le comptage et le PV ont été repris de la copie de secours, mais pas la clé du bureau\u{a0}: ce téléphone ne peut plus signer. Prévenez l’équipe centrale, qui vous donnera un nouveau code.",
};

/// Between a label and its value.
pub const COLON: &str = "\u{a0}: ";
