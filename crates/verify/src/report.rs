//! The report, in French (the default) or English: what was checked, the
//! results recomputed, and each discrepancy, by bureau.

use crate::{Figure, Problem, Report};
use pointage_core::VerifyError;
use pointage_core::sheet::SheetError;
use pointage_core::signed_return::ChainError;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

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
    let receipt = |n: u64| {
        if fr {
            format!("reçu n° {n}")
        } else {
            format!("receipt no. {n}")
        }
    };
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
        Problem::NoElection | Problem::NoServerKey => (if fr {
            "le registre ne commence pas par l’élection et la clé du serveur"
        } else {
            "the record does not start with the election and the server key"
        })
        .into(),
        Problem::ElectionHash => (if fr {
            "la définition de l’élection ne donne pas l’empreinte annoncée"
        } else {
            "the election definition does not give the hash it claims"
        })
        .into(),
        Problem::Missing { from, to } => {
            let which = if from == to {
                receipt(*from)
            } else if fr {
                format!("reçus n° {from} à {to}")
            } else {
                format!("receipts no. {from} to {to}")
            };
            if fr {
                format!("{which} : absent(s) du registre (retours retirés)")
            } else {
                format!("{which}: missing from the record (returns removed)")
            }
        }
        Problem::AfterClosure { sequence, last } => {
            if fr {
                format!(
                    "{} : reçu après la clôture du scrutin (le registre définitif s’arrête au n° {last})",
                    receipt(*sequence)
                )
            } else {
                format!(
                    "{}: received after the election was closed (the final record ends at no. {last})",
                    receipt(*sequence)
                )
            }
        }
        Problem::OutOfOrder { sequence } => {
            if fr {
                format!("{} : hors d’ordre ou en double", receipt(*sequence))
            } else {
                format!("{}: out of order or twice", receipt(*sequence))
            }
        }
        Problem::Return {
            bureau,
            sequence,
            error,
        } => {
            let who = bureau
                .as_deref()
                .map_or_else(String::new, |b| format!("{}, ", station(b)));
            format!("{who}{} : {}", receipt(*sequence), why(lang, error))
        }
        Problem::Receipt { bureau, sequence } => {
            if fr {
                format!(
                    "{}, {} : le reçu n’est pas celui du serveur pour ce retour",
                    station(bureau),
                    receipt(*sequence)
                )
            } else {
                format!(
                    "{}, {}: the receipt is not the server's for this return",
                    station(bureau),
                    receipt(*sequence)
                )
            }
        }
        Problem::KeyNotHeld { bureau, sequence } => {
            if fr {
                format!(
                    "{}, {} : signé d’une clé qui n’était pas celle du bureau à ce moment",
                    station(bureau),
                    receipt(*sequence)
                )
            } else {
                format!(
                    "{}, {}: signed with a key that was not the station's at that time",
                    station(bureau),
                    receipt(*sequence)
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
    }
}

/// The whole report.
pub fn render(lang: Lang, r: &Report) -> String {
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
    if r.holds() {
        let _ = writeln!(
            out,
            "{}",
            if fr {
                "TOUT CONCORDE : chaque signature, chaque reçu, chaque clé et chaque version."
            } else {
                "EVERYTHING HOLDS: every signature, receipt, key and version."
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
