//! Les textes des tables, en français.

use crate::i18n::TablesTexts;
use pointage_core::sheet::SheetError;

fn sheet_refused(e: &SheetError) -> String {
    match e {
        SheetError::BadSignature { table, .. } => format!("La feuille de la table {table} ne porte pas la signature de son téléphone : elle a été modifiée. Faites-la signer à nouveau."),
        SheetError::NotInvited { table, .. } => format!("La feuille de la table {table} vient d’un téléphone que ce téléphone n’a pas invité."),
        SheetError::OtherBureau { table, .. } => format!("La feuille de la table {table} a été faite pour un autre bureau ou une autre élection."),
        SheetError::NotTheTally => "Cette feuille a un paquet dont les pointages ne font pas le nombre d’enveloppes, ou des candidats qui ne sont pas ceux de l’élection.".into(),
        _ => "Cette feuille de table n’est pas lisible. Faites-la afficher à nouveau.".into(),
    }
}

pub static TABLES: TablesTexts = TablesTexts {
    home_title: "Plusieurs tables",
    home_intro: "Chaque pointeur peut compter sur son propre téléphone\u{a0}: préparez ces téléphones dès le matin, avec du réseau, puis invitez-les table par table et lisez leurs feuilles signées.",
    home_link: "Inviter les tables et lire leurs feuilles",
    not_enrolled_join: "Pointeur d’une table ? Rejoignez-la avec le code que le téléphone du bureau affiche.",
    go_table: "Ma table",
    title: "Tables",
    nav: "Tables",
    table: |n| format!("Table {n}"),
    slot: |s| format!("Pointeur {s}"),
    packet: |n| format!("Paquet n° {n}"),

    states_title: "Les tables",
    none_yet: "Aucune table invitée : invitez les pointeurs ci-dessous, table par table.",
    state_waiting: "en attente des feuilles",
    state_one: |s| format!("une feuille (pointeur {s})"),
    state_agree: "les deux feuilles concordent",
    sheet_of: |s, c| format!("feuille {s} : {c}"),
    state_disagree: |p, n| {
        if n == 1 {
            format!("les deux feuilles diffèrent (paquet n° {p}) : à recompter")
        } else {
            format!("les deux feuilles diffèrent (paquets n° {p}) : à recompter")
        }
    },
    recount_list: "À recompter",
    recount_at: |p, t| {
        format!(
            "Paquet n° {p} : à recompter à la table {t}, puis les deux pointeurs signent à nouveau leur feuille."
        )
    },
    counted_twice: |p, at| {
        format!(
            "Le paquet n° {p} est compté deux fois (tables {at}). Vérifiez le numéro sur sa bande."
        )
    },
    envelopes_of_found: |c, f| {
        format!("Enveloppes des paquets : {c} sur {f} trouvées dans l’urne.")
    },
    envelopes_no_polls: |c| {
        format!(
            "Enveloppes des paquets : {c}. Saisissez la clôture du scrutin pour les comparer à l’urne."
        )
    },
    ready: "Toutes les tables concordent et leurs paquets font les enveloppes de l’urne.",
    go_pv: "Saisir le procès-verbal",

    scan_title: "Lire une feuille de table",
    scan_intro: "Quand une table a fini, chaque pointeur affiche sa feuille signée. Visez ses codes avec ce téléphone : ils défilent seuls.",
    scan_start: "Ouvrir la caméra",
    scan_stop: "Fermer la caméra",
    parts_read: |h, o| format!("Feuille en cours : {h} code(s) lu(s) sur {o}"),
    part_kept: "Code gardé. Lisez les codes suivants de la feuille.",
    sheet_taken: |t, s| format!("Feuille de la table {t}, pointeur {s}, reçue."),
    sheet_replaced: |t, s| {
        format!(
            "Nouvelle feuille de la table {t}, pointeur {s}, reçue : elle remplace la précédente."
        )
    },
    sheet_again: |t, s| format!("La feuille de la table {t}, pointeur {s}, est déjà reçue."),
    sheet_unreadable: "Ces codes ne forment pas une feuille de table lisible. Faites-les afficher à nouveau.",
    sheet_not_invited: "Cette feuille vient d’un téléphone que ce téléphone n’a pas invité (un autre bureau ?).",
    sheet_superseded: |t, s| {
        format!(
            "Cette feuille vient de l’ancien téléphone de la table {t}, pointeur {s} : cette place a été réinvitée depuis."
        )
    },
    sheet_refused,
    sheet_other_phone: |t, s| {
        format!(
            "La table {t}, pointeur {s}, a déjà une feuille d’un autre téléphone. Ce téléphone-ci n’est pas celui qui a rejoint cette place."
        )
    },
    sheet_older: |t, s| {
        format!("Une feuille plus récente de la table {t}, pointeur {s}, est déjà reçue.")
    },

    invite_title: "Inviter un pointeur",
    invite_intro: "Pour chaque table, deux pointeurs comptent chacun sur leur téléphone. Choisissez la table et le pointeur, puis faites lire le code au téléphone du pointeur : aucun réseau n’est nécessaire.",
    table_label: "Numéro de la table",
    table_invalid: "Une table est numérotée de 1 à 20.",
    slot_legend: "Pointeur",
    invite_submit: "Afficher le code pour rejoindre",
    replace_ask: "Changer le téléphone de cette place",
    replace_question: "Un nouveau code sera fait pour cette table et ce pointeur. Le téléphone qui l’a rejointe ne comptera plus pour elle, et la feuille reçue de lui sera écartée. Changer de téléphone ?",
    replace_yes: "Oui, nouveau code",
    join_caption: |t, s| format!("Table {t} · pointeur {s} : code pour rejoindre"),
    join_intro: "Le pointeur ouvre l’appareil photo de son téléphone (ou Pointage, « Rejoindre une table ») et vise ce code.",
    join_never_loaded: "Sans réseau, un téléphone qui n’a jamais ouvert l’application de table ne peut pas l’ouvrir\u{a0}: donnez cette place à un téléphone préparé ce matin (« Préparer les téléphones des tables »), ou comptez cette table sur papier.",
    join_done: "Fermer le code",
    prepare_title: "Préparer les téléphones des tables",
    prepare_intro: "Ce matin, tant qu’il y a du réseau\u{a0}: chaque scrutateur scanne ce code avec l’appareil photo de son téléphone. L’application de table s’ouvre et reste sur le téléphone\u{a0}: ce soir, elle marchera sans réseau.",
    prepare_show: "Afficher le code pour préparer les téléphones",
    prepare_hide: "Masquer ce code",
    prepare_label: "Code QR pour préparer un téléphone de table",

    camera_label: "Image de la caméra",
    camera_denied: "La caméra est refusée. Autorisez-la pour Pointage dans le navigateur, ou lisez les codes avec l’appareil photo du téléphone.",
    camera_unavailable: "Pas de caméra disponible sur ce téléphone (ou elle est utilisée ailleurs). Lisez les codes avec l’appareil photo du téléphone.",

    join_page_title: "Rejoindre une table",
    join_scan_title: "Lire le code de la table",
    join_scan_intro: "Le téléphone du bureau affiche un code pour votre table et votre place. Visez-le.",
    join_ready_title: "Ce téléphone est prêt",
    join_ready_intro: "L’application de table est gardée sur ce téléphone et marchera sans réseau. Ce soir, au dépouillement, scannez le code de votre table et de votre place affiché par le téléphone du bureau.",
    join_preparing: "Préparation de ce téléphone… Gardez cette page ouverte quelques secondes.",
    join_not_kept_title: "Ce téléphone n’a pas pu garder l’application",
    join_not_kept: "Ce navigateur ne garde pas l’application de table (navigation privée, ou stockage refusé)\u{a0}: ce soir, ce téléphone aura besoin de réseau pour l’ouvrir. Essayez un autre navigateur, ou un autre téléphone.",
    join_scan_now: "Lire le code de ma table maintenant",
    seat_line: |b, t, s| format!("Bureau {b} · table {t} · pointeur {s}"),
    invited_by: |k| {
        format!(
            "Invité par le téléphone du bureau, clé {k} (la même s’affiche sur le téléphone du bureau)."
        )
    },
    join_check: "Vérifiez avec le président que c’est bien votre table et votre place, puis rejoignez-la. Ce téléphone comptera pour elle seule.",
    join_submit: "Rejoindre cette table",
    join_unreadable: "Ce code n’est pas un code de table lisible, ou il a été modifié. Faites-le afficher à nouveau.",
    join_no_crypto: "Ce navigateur ne sait pas créer la clé de ce téléphone (signature Ed25519)\u{a0}: il ne pourrait pas signer la feuille de la table. Ouvrez ce lien dans Chrome à jour, hors navigation privée, ou laissez cette place à un autre téléphone.",
    sheet_key_unreadable: "La clé de ce téléphone est illisible\u{a0}: la feuille n’a PAS été signée. Ce qui a été compté est conservé. Prévenez le président.",
    join_already: |t, s| {
        format!(
            "Ce téléphone compte déjà pour la table {t}, pointeur {s}. Il ne peut pas rejoindre une autre place."
        )
    },

    table_page_title: "Ma table",
    no_seat: "Ce téléphone n’a rejoint aucune table.",
    go_join: "Rejoindre une table",
    handed_title: "Enveloppes de la table",
    handed_intro: "Le président remet à votre table des paquets d’enveloppes. Saisissez combien d’enveloppes en tout (la somme des paquets).",
    handed_label: "Enveloppes remises à la table",
    handed_summary: |n| format!("{n} enveloppes remises à cette table"),
    handed_edit: "Corriger les enveloppes remises",
    handed_submit: "Enregistrer les enveloppes",
    counted_of_handed: |c, h| format!("{c} sur {h} remises"),
    bureau_key: |k| format!("Clé de ce téléphone : {k}. Le téléphone du pointeur affiche la même."),
    code_label: |k, n| format!("Code QR {k} sur {n}"),
    code_position: |k, n| format!("Code {k} sur {n}"),
    band_label: "Numéro du paquet (écrit sur sa bande)",
    band_hint: "Le même numéro que l’autre pointeur de la table.",
    all_counted_text: "Toutes les enveloppes remises à cette table sont comptées. Signez votre feuille ci-dessous.",
    recount_title: "Recompter un paquet",
    recount_hint: "Si le téléphone du bureau demande de recompter un paquet de cette table, saisissez son numéro : il sera compté à nouveau depuis zéro.",
    recount_submit: "Recompter ce paquet",
    sheet_title: "Signer ma feuille",
    sheet_intro: "Votre nom, puis la signature : la feuille est scellée par la clé de ce téléphone et s’affiche en codes pour le téléphone du bureau.",
    sheet_resign: "Le comptage a changé depuis la dernière feuille signée : signez-la à nouveau.",
    recorder_label: "Votre nom",
    recorder_needed: "Écrivez votre nom (4 000 octets au plus).",
    sheet_not_done: "Toutes les enveloppes de la table ne sont pas encore comptées.",
    sheet_submit: "Signer ma feuille",
    codes_title: "Ma feuille signée",
    codes_intro: "Montrez ces codes au téléphone du bureau : ils défilent seuls. Gardez l’écran allumé jusqu’à ce qu’il dise « reçue ».",
    sheet_code: |c| {
        format!("Code de la feuille : {c}. Recopiez-le sur votre feuille de pointage papier.")
    },
};
