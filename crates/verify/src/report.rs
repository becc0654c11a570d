//! The report, in French (the default) or English: what was checked, the
//! results recomputed, every change of a bureau's key, and each
//! discrepancy, by bureau.
//!
//! Every text a record brings (names, codes, reasons) is printed escaped: a
//! control or bidirectional character in it is written as `\u{…}`, so that
//! no record can move the cursor, recolour or rewrite what the report says
//! on a terminal ([`escape`]).

use crate::{Figure, Problem, Report};
use pointage_core::VerifyError;
use pointage_core::log::{KeyChange, KeyError};
use pointage_core::sheet::SheetError;
use pointage_core::signed_return::ChainError;
use pointage_core::turnout::ReportError;
use pointage_core::wire::BureauState;
use std::fmt::Write;

pub use pointage_texts::Lang;

/// A count as the language writes it ("70 000" / "70,000").
fn count(lang: Lang, n: u64) -> String {
    let sep = if lang == Lang::Fr { '\u{202f}' } else { ',' };
    pointage_core::results::group_digits(n, sep)
}

/// Basis points as a percentage ("12,34 %" / "12.34%"), or "—".
fn percent(lang: Lang, bp: Option<u32>) -> String {
    bp.map_or("—".into(), |b| {
        pointage_core::results::percent_text(b, lang == Lang::Fr)
    })
}

/// Why a turnout report is refused, in the reader's language.
fn report_why(lang: Lang, e: &ReportError) -> String {
    let fr = lang == Lang::Fr;
    match (e, fr) {
        (ReportError::BadSignature, true) => "sa signature ne correspond pas à son contenu".into(),
        (ReportError::BadSignature, false) => "its signature does not match its content".into(),
        (ReportError::OverInscrits { count, inscrits }, true) => {
            format!("T1 : {count} émargements pour {inscrits} inscrits")
        }
        (ReportError::OverInscrits { count, inscrits }, false) => {
            format!("T1: {count} signatures for {inscrits} registered voters")
        }
        (ReportError::UnknownCheckpoint(c), true) => {
            format!("l’élection n’a pas de relevé «\u{a0}{}\u{a0}»", escape(c))
        }
        (ReportError::UnknownCheckpoint(c), false) => {
            format!("the election has no checkpoint \"{}\"", escape(c))
        }
        (ReportError::Chain | ReportError::TooManyVersions, true) => {
            "cette version ne suit pas la précédente du même relevé".into()
        }
        (ReportError::Chain | ReportError::TooManyVersions, false) => {
            "this version does not follow the previous one of the same checkpoint".into()
        }
        (ReportError::OtherElection, true) => "il est pour une autre élection".into(),
        (ReportError::OtherElection, false) => "it is for another election".into(),
        (other, true) => format!(
            "illisible ou hors des règles ({})",
            escape(&other.to_string())
        ),
        (other, false) => format!(
            "unreadable or against the rules ({})",
            escape(&other.to_string())
        ),
    }
}

/// A bureau's state as the results page names it; `None`: listed not
/// once, or not in the definition.
fn state(lang: Lang, s: Option<BureauState>) -> &'static str {
    let fr = lang == Lang::Fr;
    match (s, fr) {
        (Some(BureauState::Received), true) => "«\u{a0}reçu\u{a0}»",
        (Some(BureauState::Received), false) => "\"received\"",
        (Some(BureauState::Enrolled), true) => "«\u{a0}inscrit, sans retour\u{a0}»",
        (Some(BureauState::Enrolled), false) => "\"enrolled, no return\"",
        (Some(BureauState::NotEnrolled), true) => "«\u{a0}sans téléphone inscrit\u{a0}»",
        (Some(BureauState::NotEnrolled), false) => "\"no phone enrolled\"",
        (None, true) => "absent (ou listé deux fois)",
        (None, false) => "absent (or listed twice)",
    }
}

fn why(lang: Lang, e: &VerifyError) -> &'static str {
    let fr = lang == Lang::Fr;
    match e {
        VerifyError::Encoding(_) => {
            if fr {
                "le retour n’est pas dans son encodage canonique"
            } else {
                "the return is not in its canonical encoding"
            }
        }
        VerifyError::UnknownFormat => {
            if fr {
                "format de retour inconnu"
            } else {
                "unknown return format"
            }
        }
        VerifyError::MalformedKey => {
            if fr {
                "clé ou signature mal formée"
            } else {
                "malformed key or signature"
            }
        }
        VerifyError::BadSignature => {
            if fr {
                "la signature ne correspond pas au contenu : il a été modifié après signature"
            } else {
                "the signature does not match the content: it was changed after signing"
            }
        }
        VerifyError::WrongElection | VerifyError::WrongMode => {
            if fr {
                "fait pour une autre élection"
            } else {
                "made for another election"
            }
        }
        VerifyError::UnknownBureau(_) => {
            if fr {
                "bureau inconnu de l’élection"
            } else {
                "a polling station the election does not have"
            }
        }
        VerifyError::KeyNotEnrolled => {
            if fr {
                "signé par une clé qui n’est pas celle du bureau"
            } else {
                "signed by a key that is not the station's"
            }
        }
        VerifyError::RulesBroken(_) => {
            if fr {
                "le PV enfreint une règle bloquante"
            } else {
                "the report breaks a blocking rule"
            }
        }
        VerifyError::Explanations => {
            if fr {
                "une alerte sans explication, ou une explication sans alerte"
            } else {
                "a warning without its explanation, or an explanation without a warning"
            }
        }
        VerifyError::Entrants => {
            if fr {
                "les deux personnes de la saisie manquent ou sont la même"
            } else {
                "the two people who entered it are missing or the same"
            }
        }
        VerifyError::Sheets(e) => sheet_why(fr, e),
        VerifyError::Chain(ChainError::MissingPrevious) => {
            if fr {
                "corrige une version absente du registre"
            } else {
                "corrects a version the record does not hold"
            }
        }
        VerifyError::Chain(_) => {
            if fr {
                "la chaîne des versions est rompue"
            } else {
                "the chain of versions is broken"
            }
        }
    }
}

/// Why a return's table sheets do not hold.
fn sheet_why(fr: bool, e: &SheetError) -> &'static str {
    let (fr_text, en_text) = match e {
        SheetError::Encoding(_) => (
            "une feuille de table n’est pas dans son encodage canonique",
            "a table sheet is not in its canonical encoding",
        ),
        SheetError::UnknownFormat => (
            "format de feuille de table inconnu",
            "unknown table sheet format",
        ),
        SheetError::BadSignature { .. } => (
            "une feuille de table ne porte pas la signature de son téléphone : elle a été modifiée ou forgée",
            "a table sheet does not carry its phone's signature: it was changed or forged",
        ),
        SheetError::NotInvited { .. } => (
            "une feuille de table vient d’un téléphone que le bureau n’a pas invité",
            "a table sheet comes from a phone the station did not invite",
        ),
        SheetError::OtherBureau { .. } => (
            "une feuille de table a été faite pour un autre bureau ou une autre élection",
            "a table sheet was made for another station or election",
        ),
        SheetError::SlotTwice { .. } => (
            "deux feuilles pour la même table et le même pointeur",
            "two sheets for the same table and recorder",
        ),
        SheetError::SameRecorder { .. } => (
            "les deux feuilles d’une table viennent d’un seul téléphone ou d’une seule personne",
            "a table's two sheets come from one phone or one person",
        ),
        SheetError::Disagree { .. } => (
            "les deux feuilles d’une table ne concordent pas sur un paquet",
            "a table's two sheets differ on a packet",
        ),
        SheetError::CountedTwice(_) => (
            "un paquet est compté deux fois",
            "a packet is counted twice",
        ),
        SheetError::NotTheTally => (
            "les feuilles des tables ne font pas le pointage du retour",
            "the table sheets do not add up to the return's tally",
        ),
    };
    if fr { fr_text } else { en_text }
}

fn figure(lang: Lang, f: &Figure) -> String {
    let fr = lang == Lang::Fr;
    match f {
        Figure::Election => (if fr { "élection" } else { "election" }).into(),
        Figure::Coverage => (if fr {
            "bureaux comptés"
        } else {
            "stations counted"
        })
        .into(),
        Figure::Votes(n) => format!("{} {n}", if fr { "voix de" } else { "votes for" }),
        Figure::Percent(n) => format!("{} {n}", if fr { "pourcentage de" } else { "share of" }),
        Figure::Exprimes => (if fr { "exprimés" } else { "valid votes" }).into(),
        Figure::Blancs => (if fr { "blancs" } else { "blank" }).into(),
        Figure::Nuls => (if fr { "nuls" } else { "spoiled" }).into(),
        Figure::Enveloppes => (if fr { "enveloppes" } else { "envelopes" }).into(),
        Figure::Emargements => (if fr { "émargements" } else { "signatures" }).into(),
        Figure::Turnout => (if fr { "participation" } else { "turnout" }).into(),
    }
}

/// The text with every character a terminal would act on, or that would
/// reorder what is shown, written as `\u{…}`: C0 controls but the line
/// feed, DEL, C1 controls, and the bidirectional marks, embeddings,
/// overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if pointage_core::election::acts_on_display(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A time of the log (ms since 1970) as a date and time in UTC.
pub fn utc(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

fn key_why(fr: bool, e: &KeyError) -> String {
    match e {
        KeyError::TwoKeys {
            bureau,
            index,
            held_since,
        } => {
            if fr {
                format!(
                    "bureau {bureau}, feuille {index} : une seconde clé enrôlée alors que celle de la feuille {held_since} n’a jamais été révoquée (clé fantôme)"
                )
            } else {
                format!(
                    "station {bureau}, leaf {index}: a second key enrolled while the key of leaf {held_since} was never revoked (a shadow key)"
                )
            }
        }
        KeyError::KeyReused {
            bureau,
            index,
            first,
            first_bureau,
        } => {
            if fr {
                format!(
                    "bureau {bureau}, feuille {index} : une clé déjà enrôlée (feuille {first}, bureau {first_bureau}) enrôlée de nouveau"
                )
            } else {
                format!(
                    "station {bureau}, leaf {index}: a key already enrolled (leaf {first}, station {first_bureau}) enrolled again"
                )
            }
        }
        KeyError::WrongRevocation { bureau, index } => {
            if fr {
                format!(
                    "bureau {bureau}, feuille {index} : la réémission révoque une clé qui n’était pas celle du bureau"
                )
            } else {
                format!(
                    "station {bureau}, leaf {index}: the reissue revokes a key that was not the station's"
                )
            }
        }
    }
}

/// One discrepancy, as a line of the report.
pub fn say(lang: Lang, p: &Problem) -> String {
    let fr = lang == Lang::Fr;
    let station = |b: &str| {
        if fr {
            format!("bureau {b}")
        } else {
            format!("station {b}")
        }
    };
    let leaf = |n: u64| {
        if fr {
            format!("feuille {n}")
        } else {
            format!("leaf {n}")
        }
    };
    let pick = |f: &str, e: &str| if fr { f.to_owned() } else { e.to_owned() };
    match p {
        Problem::Unreadable { line, bureau } => {
            let who = bureau.as_deref().map(|b| format!("{}, ", station(b)));
            let who = who.unwrap_or_default();
            if fr {
                format!("{who}ligne {line} : illisible (modifiée ?)")
            } else {
                format!("{who}line {line}: unreadable (altered?)")
            }
        }
        Problem::NoDefinition => pick(
            "le registre ne donne pas la définition de l’élection",
            "the record does not give the election's definition",
        ),
        Problem::NoHead => pick(
            "le registre ne donne pas la tête signée par le serveur",
            "the record does not give the head the server signed",
        ),
        Problem::Twice { line } => {
            if fr {
                format!("ligne {line} : une deuxième définition ou une deuxième tête")
            } else {
                format!("line {line}: a second definition or a second head")
            }
        }
        Problem::ElectionHash => pick(
            "la définition de l’élection ne donne pas l’empreinte annoncée",
            "the election definition does not give the hash it claims",
        ),
        Problem::Definition { error } => match (fr, error) {
            (true, Some(pointage_core::ElectionError::ControlCharacter(what))) => format!(
                "la définition de l’élection contient un caractère de contrôle ou de direction du texte ({what}) : elle pourrait réécrire ce qui s’affiche"
            ),
            (false, Some(e @ pointage_core::ElectionError::ControlCharacter(_))) => {
                format!("the election definition is not valid: {e}: it could rewrite what is shown")
            }
            (true, Some(e)) => {
                format!("la définition de l’élection n’est pas valable ({e})")
            }
            (false, Some(e)) => format!("the election definition is not valid: {e}"),
            (true, None) => "la définition de l’élection est illisible".into(),
            (false, None) => "the election definition cannot be read".into(),
        },
        Problem::LeafOrder { index, expected } => {
            if fr {
                format!(
                    "{} à la place de la feuille {expected} : feuilles retirées, ajoutées ou déplacées",
                    leaf(*index)
                )
            } else {
                format!(
                    "{} where leaf {expected} was due: leaves removed, added or moved",
                    leaf(*index)
                )
            }
        }
        Problem::HeadSize { head, leaves } => {
            if fr {
                format!("la tête signée couvre {head} feuilles, le registre en donne {leaves}")
            } else {
                format!("the signed head covers {head} leaves, the record gives {leaves}")
            }
        }
        Problem::HeadRoot => pick(
            "les feuilles ne donnent pas la racine de la tête signée : une feuille a été modifiée, retirée ou déplacée après signature",
            "the leaves do not give the signed head's root: a leaf was changed, removed or moved after signing",
        ),
        Problem::HeadSignature => pick(
            "la tête n’est pas signée par la clé du serveur",
            "the head is not signed by the server key",
        ),
        Problem::ServerKey { record, pinned } => {
            if fr {
                format!(
                    "le registre est signé de la clé {}…, pas de la clé attendue {}…",
                    &record[..record.len().min(16)],
                    &pinned[..pinned.len().min(16)]
                )
            } else {
                format!(
                    "the record is signed with key {}…, not the expected {}…",
                    &record[..record.len().min(16)],
                    &pinned[..pinned.len().min(16)]
                )
            }
        }
        Problem::Opening { index } => {
            if fr {
                format!(
                    "{} : l’ouverture du registre n’est pas celle de cette élection, ou n’est pas la première feuille",
                    leaf(*index)
                )
            } else {
                format!(
                    "{}: the record's opening is not this election's, or not the first leaf",
                    leaf(*index)
                )
            }
        }
        Problem::TimeBack { index } => {
            if fr {
                format!("{} : plus ancienne que la feuille d’avant", leaf(*index))
            } else {
                format!("{}: older than the leaf before it", leaf(*index))
            }
        }
        Problem::AfterClosure { index } => {
            if fr {
                format!("{} : ajoutée après la clôture du scrutin", leaf(*index))
            } else {
                format!("{}: added after the election was closed", leaf(*index))
            }
        }
        Problem::UnknownBureau { bureau, index } => {
            if fr {
                format!(
                    "{} : clé d’un bureau {bureau} que l’élection n’a pas",
                    leaf(*index)
                )
            } else {
                format!(
                    "{}: a key for a station {bureau} the election does not have",
                    leaf(*index)
                )
            }
        }
        Problem::MalformedKey { bureau, index } => {
            if fr {
                format!(
                    "{}, {} : la clé enrôlée n’est pas une clé Ed25519 utilisable",
                    station(bureau),
                    leaf(*index)
                )
            } else {
                format!(
                    "{}, {}: the key enrolled is no usable Ed25519 key",
                    station(bureau),
                    leaf(*index)
                )
            }
        }
        Problem::Keys(e) => key_why(fr, e),
        Problem::Return {
            bureau,
            sequence,
            error,
        } => {
            let who = bureau
                .as_deref()
                .map_or_else(String::new, |b| format!("{}, ", station(b)));
            format!("{who}{} : {}", leaf(*sequence), why(lang, error))
        }
        Problem::KeyNotHeld { bureau, sequence } => {
            if fr {
                format!(
                    "{}, {} : signé d’une clé qui n’était pas celle du bureau à ce moment",
                    station(bureau),
                    leaf(*sequence)
                )
            } else {
                format!(
                    "{}, {}: signed with a key that was not the station's at that time",
                    station(bureau),
                    leaf(*sequence)
                )
            }
        }
        Problem::Report {
            bureau,
            sequence,
            error,
        } => {
            let who = bureau.as_deref().map(|b| format!("{}, ", station(b)));
            let who = who.unwrap_or_default();
            let why = report_why(lang, error);
            if fr {
                format!(
                    "{who}{} : relevé de participation refusé, {why}",
                    leaf(*sequence)
                )
            } else {
                format!("{who}{}: turnout count refused, {why}", leaf(*sequence))
            }
        }
        Problem::ReportKeyNotHeld { bureau, sequence } => {
            if fr {
                format!(
                    "{}, {} : relevé de participation signé d’une clé qui n’était pas celle du bureau à ce moment",
                    station(bureau),
                    leaf(*sequence)
                )
            } else {
                format!(
                    "{}, {}: turnout count signed with a key that was not the station's at that time",
                    station(bureau),
                    leaf(*sequence)
                )
            }
        }
        Problem::Turnout {
            checkpoint,
            what,
            published,
            recomputed,
        } => {
            if fr {
                format!(
                    "participation, relevé «\u{a0}{checkpoint}\u{a0}», {what} : le serveur publie {published}, le registre donne {recomputed}"
                )
            } else {
                format!(
                    "turnout, checkpoint \"{checkpoint}\", {what}: the server publishes {published}, the record gives {recomputed}"
                )
            }
        }
        Problem::StillOpen {
            published,
            recomputed,
        } => {
            let (p, r) = (escape(published), escape(recomputed));
            if fr {
                format!(
                    "ce que les bureaux restants peuvent encore changer\u{a0}: le serveur publie {p}, le registre donne {r}"
                )
            } else {
                format!(
                    "what the stations left could still change: the server publishes {p}, the record gives {r}"
                )
            }
        }
        Problem::Counted {
            bureau,
            published,
            recomputed,
        } => {
            if fr {
                format!(
                    "{} : le serveur compte {published}, le registre donne {recomputed}",
                    station(bureau)
                )
            } else {
                format!(
                    "{}: the server counts {published}, the record gives {recomputed}",
                    station(bureau)
                )
            }
        }
        Problem::State {
            bureau,
            published,
            recomputed,
        } => {
            let (p, r) = (state(lang, *published), state(lang, *recomputed));
            if fr {
                format!(
                    "{} : le serveur le dit {p}, le registre le dit {r}",
                    station(bureau)
                )
            } else {
                format!(
                    "{}: the server lists it as {p}, the record gives {r}",
                    station(bureau)
                )
            }
        }
        Problem::OpenDataHead { file } => {
            let f = file.path();
            pick(
                &format!(
                    "données ouvertes {f}\u{a0}: la tête de registre qu’elles nomment n’est pas celle de ce registre"
                ),
                &format!("open data {f}: the record head it names is not this record's"),
            )
        }
        Problem::OpenData { file, bureau } => {
            let f = file.path();
            match bureau {
                Some(b) => pick(
                    &format!(
                        "données ouvertes {f}, {}\u{a0}: la ligne publiée n’est pas celle que le registre donne",
                        station(b)
                    ),
                    &format!(
                        "open data {f}, {}: the published line is not the one the record gives",
                        station(b)
                    ),
                ),
                None => pick(
                    &format!(
                        "données ouvertes {f}\u{a0}: les colonnes ne sont pas celles que le registre donne"
                    ),
                    &format!("open data {f}: the columns are not the ones the record gives"),
                ),
            }
        }
        Problem::Figure {
            what,
            published,
            recomputed,
        } => {
            if fr {
                format!(
                    "{} : publié {published}, recalculé {recomputed}",
                    figure(lang, what)
                )
            } else {
                format!(
                    "{}: published {published}, recomputed {recomputed}",
                    figure(lang, what)
                )
            }
        }
        Problem::ReceiptNotSigned { bureau, version } => {
            if fr {
                format!(
                    "{}, version {version} : le reçu donné n’est pas signé par le serveur",
                    station(bureau)
                )
            } else {
                format!(
                    "{}, version {version}: the receipt given is not signed by the server",
                    station(bureau)
                )
            }
        }
        Problem::ReceiptContradicted {
            bureau,
            version,
            sequence,
        } => {
            if fr {
                format!(
                    "{}, version {version} : le serveur a signé un reçu (feuille {sequence}) que ce registre contredit — le registre a été réécrit après coup",
                    station(bureau)
                )
            } else {
                format!(
                    "{}, version {version}: the server signed a receipt (leaf {sequence}) this record contradicts — the record was rewritten afterwards",
                    station(bureau)
                )
            }
        }
        Problem::HeadContradicted { size } => {
            if fr {
                format!(
                    "une tête signée par le serveur pour {size} feuilles n’est pas celle de ce registre : le serveur a montré deux histoires"
                )
            } else {
                format!(
                    "a head the server signed for {size} leaves is not this record's: the server showed two histories"
                )
            }
        }
    }
}

fn change(fr: bool, c: &KeyChange) -> String {
    match c {
        KeyChange::Reissued {
            bureau,
            index,
            at,
            revoked,
        } => {
            let revoked = revoked
                .as_deref()
                .map(pointage_core::signed_return::key_fingerprint);
            match (fr, revoked) {
                (true, Some(k)) => format!(
                    "bureau {bureau} : code réémis le {} (feuille {index}), la clé {k} révoquée",
                    utc(*at)
                ),
                (true, None) => format!(
                    "bureau {bureau} : code réémis le {} (feuille {index}), aucun téléphone n’était enrôlé",
                    utc(*at)
                ),
                (false, Some(k)) => format!(
                    "station {bureau}: code reissued on {} (leaf {index}), key {k} revoked",
                    utc(*at)
                ),
                (false, None) => format!(
                    "station {bureau}: code reissued on {} (leaf {index}), no phone had enrolled",
                    utc(*at)
                ),
            }
        }
        KeyChange::Rekeyed {
            bureau,
            index,
            at,
            key,
        } => {
            let k = pointage_core::signed_return::key_fingerprint(key);
            if fr {
                format!(
                    "bureau {bureau} : nouvelle clé {k} enrôlée le {} (feuille {index})",
                    utc(*at)
                )
            } else {
                format!(
                    "station {bureau}: new key {k} enrolled on {} (leaf {index})",
                    utc(*at)
                )
            }
        }
    }
}

/// The whole report, escaped (see [`escape`]).
pub fn render(lang: Lang, r: &Report) -> String {
    escape(&render_text(lang, r))
}

fn render_text(lang: Lang, r: &Report) -> String {
    let fr = lang == Lang::Fr;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        if fr {
            "Pointage — vérification du registre public"
        } else {
            "Pointage — public record check"
        }
    );
    if let Some(e) = &r.election {
        let _ = writeln!(
            out,
            "{} : {} ({}), {} {}",
            if fr { "Élection" } else { "Election" },
            e.name(),
            e.id(),
            if fr { "empreinte" } else { "hash" },
            &e.hash()[..16]
        );
    }
    if let Some(h) = &r.head {
        let _ = writeln!(
            out,
            "{} {} {}, {} {}…, {} {}.",
            if fr { "Journal :" } else { "Log:" },
            count(lang, h.head.tree_size),
            if fr { "feuilles" } else { "leaves" },
            if fr { "racine" } else { "root" },
            h.head.root_hash.get(..16).unwrap_or_default(),
            if fr {
                "tête signée le"
            } else {
                "head signed on"
            },
            utc(h.head.timestamp)
        );
    }
    let _ = writeln!(
        out,
        "{} {} ; {} {}.",
        if fr { "Retours lus :" } else { "Returns read:" },
        count(lang, r.returns as u64),
        if fr { "acceptés :" } else { "accepted:" },
        count(lang, r.accepted as u64)
    );
    if r.closed_at.is_some() {
        let _ = writeln!(
            out,
            "{}",
            if fr {
                "Registre définitif : le scrutin a été clos, le serveur ne prend plus aucun retour."
            } else {
                "Final record: the election was closed, the server takes no more returns."
            }
        );
    }
    if r.rekeyed.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            if fr {
                "Aucun changement de clé : chaque bureau a gardé le téléphone enrôlé en premier."
            } else {
                "No key changed: each station kept the phone enrolled first."
            }
        );
    } else {
        let _ = writeln!(
            out,
            "{} ({}) :",
            if fr {
                "Changements de clé"
            } else {
                "Key changes"
            },
            count(lang, r.rekeyed.len() as u64)
        );
        for c in &r.rekeyed {
            let _ = writeln!(out, "  - {}", change(fr, c));
        }
    }
    for v in &r.other_key_versions {
        let _ = writeln!(
            out,
            "  ! {}",
            if fr {
                format!(
                    "bureau {}, version {} (feuille {}) : signée par une autre clé que la version qu’elle remplace",
                    v.bureau, v.version, v.sequence
                )
            } else {
                format!(
                    "station {}, version {} (leaf {}): signed by another key than the version it replaces",
                    v.bureau, v.version, v.sequence
                )
            }
        );
    }
    if let Some(res) = &r.results {
        let _ = writeln!(
            out,
            "{} {} / {}",
            if fr {
                "Bureaux comptés :"
            } else {
                "Stations counted:"
            },
            count(lang, res.coverage.reporting.into()),
            count(lang, res.coverage.total.into())
        );
        for c in &res.candidates {
            let _ = writeln!(
                out,
                "  {} : {} ({})",
                c.name,
                count(lang, c.votes),
                percent(lang, c.percent_of_exprimes_bp)
            );
        }
        let _ = writeln!(
            out,
            "  {} {} · {} {} · {} {}",
            if fr { "exprimés" } else { "valid" },
            count(lang, res.exprimes),
            if fr { "blancs" } else { "blank" },
            count(lang, res.blancs),
            if fr { "nuls" } else { "spoiled" },
            count(lang, res.nuls)
        );
        let _ = writeln!(
            out,
            "{}",
            match (r.compared, fr) {
                (true, true) => "Comparés aux résultats publiés.",
                (true, false) => "Compared with the published results.",
                (false, true) => "Non comparés : aucun résultat publié n’a été donné.",
                (false, false) => "Not compared: no published results were given.",
            }
        );
    }
    if r.receipts_checked + r.heads_checked > 0 {
        let _ = writeln!(
            out,
            "{} {} {} {} {}.",
            if fr {
                "Confrontés au registre :"
            } else {
                "Checked against the record:"
            },
            count(lang, r.receipts_checked as u64),
            if fr { "reçu(s) et" } else { "receipt(s) and" },
            count(lang, r.heads_checked as u64),
            if fr {
                "tête(s) détenus"
            } else {
                "head(s) held"
            }
        );
    }
    if r.open_data_checked > 0 {
        let n = count(lang, r.open_data_checked as u64);
        let _ = writeln!(
            out,
            "{}",
            if fr {
                format!(
                    "Données ouvertes réécrites depuis le registre et comparées : {n} fichier(s)."
                )
            } else {
                format!("Open data written again from the record and compared: {n} file(s).")
            }
        );
    }
    if r.holds() {
        let _ = writeln!(
            out,
            "{}",
            if fr {
                "TOUT CONCORDE : chaque signature, la racine du journal, chaque clé et chaque version."
            } else {
                "EVERYTHING HOLDS: every signature, the log's root, every key and every version."
            }
        );
    } else {
        let n = r.problems.len().max(1);
        let _ = writeln!(
            out,
            "{} {}",
            count(lang, n as u64),
            if fr {
                "ANOMALIE(S) :"
            } else {
                "DISCREPANCY(IES):"
            }
        );
        for p in &r.problems {
            let _ = writeln!(out, "  - {}", say(lang, p));
        }
    }
    out
}
