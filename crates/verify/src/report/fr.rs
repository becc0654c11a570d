//! Every sentence of the verifier, in French (the default).

use super::{Words, escape, short, utc};
use crate::photos::PhotoFault;
use crate::{Figure, Problem};
use pointage_core::VerifyError;
use pointage_core::log::{KeyChange, KeyError};
use pointage_core::operator::Actor;
use pointage_core::photo::PhotosError;
use pointage_core::sheet::SheetError;
use pointage_core::signed_return::ChainError;
use pointage_core::turnout::ReportError;
use pointage_core::wire::BureauState;

pub struct Fr;

fn station(b: &str) -> String {
    format!("bureau {b}")
}

fn leaf(n: u64) -> String {
    format!("feuille {n}")
}

impl Words for Fr {
    fn count(&self, n: u64) -> String {
        pointage_core::results::group_digits(n, '\u{202f}')
    }

    fn percent(&self, bp: Option<u32>) -> String {
        bp.map_or("—".into(), |b| {
            pointage_core::results::percent_text(b, true)
        })
    }

    fn report_why(&self, e: &ReportError) -> String {
        match e {
            ReportError::BadSignature => "sa signature ne correspond pas à son contenu".into(),
            ReportError::OverInscrits { count, inscrits } => {
                format!("T1 : {count} émargements pour {inscrits} inscrits")
            }
            ReportError::UnknownCheckpoint(c) => {
                format!("l’élection n’a pas de relevé «\u{a0}{}\u{a0}»", escape(c))
            }
            ReportError::Chain | ReportError::TooManyVersions => {
                "cette version ne suit pas la précédente du même relevé".into()
            }
            ReportError::OtherElection => "il est pour une autre élection".into(),
            other => format!(
                "illisible ou hors des règles ({})",
                escape(&other.to_string())
            ),
        }
    }

    fn photos_why(&self, e: &PhotosError) -> &'static str {
        match e {
            PhotosError::BadSignature => "leur signature ne correspond pas à leur contenu",
            PhotosError::UnknownReturn => {
                "elles ne désignent aucun retour reçu de ce bureau avant elles"
            }
            PhotosError::Chain | PhotosError::TooManyVersions => {
                "cette version ne suit pas la précédente des photos du bureau"
            }
            PhotosError::OtherElection => "elles sont pour une autre élection",
            PhotosError::UnknownBureau(_) => "l’élection n’a pas ce bureau",
            PhotosError::Pages => {
                "leurs pages sont hors des limites (1 à 4 pages JPEG ou WebP de 400 Ko au plus)"
            }
            _ => "illisibles ou hors du format",
        }
    }

    fn state(&self, s: Option<BureauState>) -> &'static str {
        match s {
            Some(BureauState::Received) => "«\u{a0}reçu\u{a0}»",
            Some(BureauState::Enrolled) => "«\u{a0}inscrit, sans retour\u{a0}»",
            Some(BureauState::NotEnrolled) => "«\u{a0}sans téléphone inscrit\u{a0}»",
            None => "absent (ou listé deux fois)",
        }
    }

    fn why(&self, e: &VerifyError) -> &'static str {
        match e {
            VerifyError::Encoding(_) => "le retour n’est pas dans son encodage canonique",
            VerifyError::UnknownFormat => "format de retour inconnu",
            VerifyError::MalformedKey => "clé ou signature mal formée",
            VerifyError::BadSignature => {
                "la signature ne correspond pas au contenu : il a été modifié après signature"
            }
            VerifyError::WrongElection | VerifyError::WrongMode => "fait pour une autre élection",
            VerifyError::UnknownBureau(_) => "bureau inconnu de l’élection",
            VerifyError::KeyNotEnrolled => "signé par une clé qui n’est pas celle du bureau",
            VerifyError::RulesBroken(_) => "le PV enfreint une règle bloquante",
            VerifyError::Explanations => {
                "une alerte sans explication, ou une explication sans alerte"
            }
            VerifyError::Entrants => "les deux personnes de la saisie manquent ou sont la même",
            VerifyError::Sheets(e) => self.sheet_why(e),
            VerifyError::Chain(ChainError::MissingPrevious) => {
                "corrige une version absente du registre"
            }
            VerifyError::Chain(_) => "la chaîne des versions est rompue",
        }
    }

    fn sheet_why(&self, e: &SheetError) -> &'static str {
        match e {
            SheetError::Encoding(_) => "une feuille de table n’est pas dans son encodage canonique",
            SheetError::UnknownFormat => "format de feuille de table inconnu",
            SheetError::BadSignature { .. } => {
                "une feuille de table ne porte pas la signature de son téléphone : elle a été modifiée ou forgée"
            }
            SheetError::NotInvited { .. } => {
                "une feuille de table vient d’un téléphone que le bureau n’a pas invité"
            }
            SheetError::OtherBureau { .. } => {
                "une feuille de table a été faite pour un autre bureau ou une autre élection"
            }
            SheetError::SlotTwice { .. } => "deux feuilles pour la même table et le même pointeur",
            SheetError::SameRecorder { .. } => {
                "les deux feuilles d’une table viennent d’un seul téléphone ou d’une seule personne"
            }
            SheetError::Disagree { .. } => {
                "les deux feuilles d’une table ne concordent pas sur un paquet"
            }
            SheetError::CountedTwice(_) => "un paquet est compté deux fois",
            SheetError::NotTheTally => "les feuilles des tables ne font pas le pointage du retour",
        }
    }

    fn figure(&self, f: &Figure) -> String {
        match f {
            Figure::Election => "élection".into(),
            Figure::Coverage => "bureaux comptés".into(),
            Figure::Votes(n) => format!("voix de {n}"),
            Figure::Percent(n) => format!("pourcentage de {n}"),
            Figure::Exprimes => "exprimés".into(),
            Figure::Blancs => "blancs".into(),
            Figure::Nuls => "nuls".into(),
            Figure::Enveloppes => "enveloppes".into(),
            Figure::Emargements => "émargements".into(),
            Figure::Turnout => "participation".into(),
        }
    }

    fn key_why(&self, e: &KeyError) -> String {
        match e {
            KeyError::TwoKeys {
                bureau,
                index,
                held_since,
            } => format!(
                "bureau {bureau}, feuille {index} : une seconde clé enrôlée alors que celle de la feuille {held_since} n’a jamais été révoquée (clé fantôme)"
            ),
            KeyError::KeyReused {
                bureau,
                index,
                first,
                first_bureau,
            } => format!(
                "bureau {bureau}, feuille {index} : une clé déjà enrôlée (feuille {first}, bureau {first_bureau}) enrôlée de nouveau"
            ),
            KeyError::WrongRevocation { bureau, index } => format!(
                "bureau {bureau}, feuille {index} : la réémission révoque une clé qui n’était pas celle du bureau"
            ),
        }
    }

    fn say(&self, p: &Problem) -> String {
        let who = |b: &Option<String>| {
            b.as_deref()
                .map_or_else(String::new, |b| format!("{}, ", station(b)))
        };
        match p {
            Problem::Unreadable { line, bureau } => {
                format!("{}ligne {line} : illisible (modifiée ?)", who(bureau))
            }
            Problem::NoDefinition => "le registre ne donne pas la définition de l’élection".into(),
            Problem::NoHead => "le registre ne donne pas la tête signée par le serveur".into(),
            Problem::Twice { line } => {
                format!("ligne {line} : une deuxième définition ou une deuxième tête")
            }
            Problem::ElectionHash => {
                "la définition de l’élection ne donne pas l’empreinte annoncée".into()
            }
            Problem::Definition { error } => match error {
                Some(pointage_core::ElectionError::ControlCharacter(what)) => format!(
                    "la définition de l’élection contient un caractère de contrôle ou de direction du texte ({what}) : elle pourrait réécrire ce qui s’affiche"
                ),
                Some(e) => format!("la définition de l’élection n’est pas valable ({e})"),
                None => "la définition de l’élection est illisible".into(),
            },
            Problem::LeafOrder { index, expected } => format!(
                "{} à la place de la feuille {expected} : feuilles retirées, ajoutées ou déplacées",
                leaf(*index)
            ),
            Problem::HeadSize { head, leaves } => {
                format!("la tête signée couvre {head} feuilles, le registre en donne {leaves}")
            }
            Problem::HeadRoot => "les feuilles ne donnent pas la racine de la tête signée : une feuille a été modifiée, retirée ou déplacée après signature".into(),
            Problem::HeadSignature => "la tête n’est pas signée par la clé du serveur".into(),
            Problem::ServerKey { record, pinned } => format!(
                "le registre est signé de la clé {}…, pas de la clé attendue {}…",
                short(record),
                short(pinned)
            ),
            Problem::Opening { index } => format!(
                "{} : l’ouverture du registre n’est pas celle de cette élection, ou n’est pas la première feuille",
                leaf(*index)
            ),
            Problem::TimeBack { index } => {
                format!("{} : plus ancienne que la feuille d’avant", leaf(*index))
            }
            Problem::AfterClosure { index } => {
                format!("{} : ajoutée après la clôture du scrutin", leaf(*index))
            }
            Problem::UnknownBureau { bureau, index } => format!(
                "{} : clé d’un bureau {bureau} que l’élection n’a pas",
                leaf(*index)
            ),
            Problem::MalformedKey { bureau, index } => format!(
                "{}, {} : la clé enrôlée n’est pas une clé Ed25519 utilisable",
                station(bureau),
                leaf(*index)
            ),
            Problem::Keys(e) => self.key_why(e),
            Problem::Return {
                bureau,
                sequence,
                error,
            } => format!("{}{} : {}", who(bureau), leaf(*sequence), self.why(error)),
            Problem::KeyNotHeld { bureau, sequence } => format!(
                "{}, {} : signé d’une clé qui n’était pas celle du bureau à ce moment",
                station(bureau),
                leaf(*sequence)
            ),
            Problem::Report {
                bureau,
                sequence,
                error,
            } => format!(
                "{}{} : relevé de participation refusé, {}",
                who(bureau),
                leaf(*sequence),
                self.report_why(error)
            ),
            Problem::Photos {
                bureau,
                sequence,
                error,
            } => format!(
                "{}{} : photos du PV refusées, {}",
                who(bureau),
                leaf(*sequence),
                self.photos_why(error)
            ),
            Problem::PhotosKeyNotHeld { bureau, sequence } => format!(
                "{}, {} : photos du PV signées d’une clé qui n’était pas celle du bureau à ce moment",
                station(bureau),
                leaf(*sequence)
            ),
            Problem::PhotoBytes {
                bureau,
                page,
                sha256,
                fault,
            } => match fault {
                PhotoFault::Altered => format!(
                    "{}, page {page} du PV (photo {}) : ce n’est pas la photo que le bureau a signée",
                    station(bureau),
                    short(sha256)
                ),
                PhotoFault::Unreachable(why) => format!(
                    "{}, page {page} du PV (photo {}) : introuvable ({})",
                    station(bureau),
                    short(sha256),
                    escape(why)
                ),
            },
            Problem::ReportKeyNotHeld { bureau, sequence } => format!(
                "{}, {} : relevé de participation signé d’une clé qui n’était pas celle du bureau à ce moment",
                station(bureau),
                leaf(*sequence)
            ),
            Problem::Turnout {
                checkpoint,
                what,
                published,
                recomputed,
            } => format!(
                "participation, relevé «\u{a0}{checkpoint}\u{a0}», {what} : le serveur publie {published}, le registre donne {recomputed}"
            ),
            Problem::StillOpen {
                published,
                recomputed,
            } => format!(
                "ce que les bureaux restants peuvent encore changer\u{a0}: le serveur publie {}, le registre donne {}",
                escape(published),
                escape(recomputed)
            ),
            Problem::Counted {
                bureau,
                published,
                recomputed,
            } => format!(
                "{} : le serveur compte {published}, le registre donne {recomputed}",
                station(bureau)
            ),
            Problem::State {
                bureau,
                published,
                recomputed,
            } => format!(
                "{} : le serveur le dit {}, le registre le dit {}",
                station(bureau),
                self.state(*published),
                self.state(*recomputed)
            ),
            Problem::OpenDataHead { file } => format!(
                "données ouvertes {}\u{a0}: la tête de registre qu’elles nomment n’est pas celle de ce registre",
                file.path()
            ),
            Problem::OpenData { file, bureau } => match bureau {
                Some(b) => format!(
                    "données ouvertes {}, {}\u{a0}: la ligne publiée n’est pas celle que le registre donne",
                    file.path(),
                    station(b)
                ),
                None => format!(
                    "données ouvertes {}\u{a0}: les colonnes ne sont pas celles que le registre donne",
                    file.path()
                ),
            },
            Problem::Figure {
                what,
                published,
                recomputed,
            } => format!(
                "{} : publié {published}, recalculé {recomputed}",
                self.figure(what)
            ),
            Problem::ReceiptNotSigned { bureau, version } => format!(
                "{}, version {version} : le reçu donné n’est pas signé par le serveur",
                station(bureau)
            ),
            Problem::ReceiptContradicted {
                bureau,
                version,
                sequence,
            } => format!(
                "{}, version {version} : le serveur a signé un reçu (feuille {sequence}) que ce registre contredit — le registre a été réécrit après coup",
                station(bureau)
            ),
            Problem::HeadContradicted { size } => format!(
                "une tête signée par le serveur pour {size} feuilles n’est pas celle de ce registre : le serveur a montré deux histoires"
            ),
        }
    }

    fn change(&self, c: &KeyChange) -> String {
        match c {
            KeyChange::Reissued {
                bureau,
                index,
                at,
                revoked,
                by,
            } => {
                let who = match by {
                    Some(Actor::Admin) => " par un administrateur",
                    Some(Actor::Coordinator) => " par un coordinateur",
                    Some(Actor::CommandLine) => " par la ligne de commande du serveur",
                    None => "",
                };
                match revoked
                    .as_deref()
                    .map(pointage_core::signed_return::key_fingerprint)
                {
                    Some(k) => format!(
                        "bureau {bureau} : code réémis{who} le {} (feuille {index}), la clé {k} révoquée",
                        utc(*at)
                    ),
                    None => format!(
                        "bureau {bureau} : code réémis{who} le {} (feuille {index}), aucun téléphone n’était enrôlé",
                        utc(*at)
                    ),
                }
            }
            KeyChange::Rekeyed {
                bureau,
                index,
                at,
                key,
            } => format!(
                "bureau {bureau} : nouvelle clé {} enrôlée le {} (feuille {index})",
                pointage_core::signed_return::key_fingerprint(key),
                utc(*at)
            ),
        }
    }

    fn title(&self) -> &'static str {
        "Pointage — vérification du registre public"
    }

    fn election_line(&self, name: &str, id: &str, hash: &str) -> String {
        format!("Élection : {name} ({id}), empreinte {hash}")
    }

    fn log_line(&self, leaves: u64, root: &str, at: u64) -> String {
        format!(
            "Journal : {} feuilles, racine {root}…, tête signée le {}.",
            self.count(leaves),
            utc(at)
        )
    }

    fn returns_line(&self, read: u64, accepted: u64) -> String {
        format!(
            "Retours lus : {} ; acceptés : {}.",
            self.count(read),
            self.count(accepted)
        )
    }

    fn closed(&self) -> &'static str {
        "Registre définitif : le scrutin a été clos, le serveur ne prend plus aucun retour."
    }

    fn no_key_change(&self) -> &'static str {
        "Aucun changement de clé : chaque bureau a gardé le téléphone enrôlé en premier."
    }

    fn key_changes(&self, n: u64) -> String {
        format!("Changements de clé ({}) :", self.count(n))
    }

    fn carried(&self, from: &str, n: u64) -> String {
        match n {
            1 => format!(
                "1 bureau garde la clé de son téléphone de l’élection {from} (reprise sans nouveau code)"
            ),
            n => format!(
                "{} bureaux gardent la clé de leur téléphone de l’élection {from} (reprise sans nouveau code)",
                self.count(n)
            ),
        }
    }

    fn other_key_version(&self, bureau: &str, version: u32, sequence: u64) -> String {
        format!(
            "bureau {bureau}, version {version} (feuille {sequence}) : signée par une autre clé que la version qu’elle remplace"
        )
    }

    fn counted_line(&self, reporting: u64, total: u64) -> String {
        format!(
            "Bureaux comptés : {} / {}",
            self.count(reporting),
            self.count(total)
        )
    }

    fn candidate_line(&self, name: &str, votes: u64, percent_bp: Option<u32>) -> String {
        format!(
            "{name} : {} ({})",
            self.count(votes),
            self.percent(percent_bp)
        )
    }

    fn totals_line(&self, exprimes: u64, blancs: u64, nuls: u64) -> String {
        format!(
            "exprimés {} · blancs {} · nuls {}",
            self.count(exprimes),
            self.count(blancs),
            self.count(nuls)
        )
    }

    fn compared(&self, compared: bool) -> &'static str {
        if compared {
            "Comparés aux résultats publiés."
        } else {
            "Non comparés : aucun résultat publié n’a été donné."
        }
    }

    fn checked_against(&self, receipts: u64, heads: u64) -> String {
        format!(
            "Confrontés au registre : {} reçu(s) et {} tête(s) détenus.",
            self.count(receipts),
            self.count(heads)
        )
    }

    fn photos_line(&self, read: u64, accepted: u64, pages: u64) -> String {
        format!(
            "Photos du PV papier : {} document(s) lu(s), {} accepté(s), {} page(s).",
            self.count(read),
            self.count(accepted),
            self.count(pages)
        )
    }

    fn pictures_checked(&self, pages: u64) -> String {
        format!(
            "Photos téléchargées et comparées à leur empreinte signée : {}.",
            self.count(pages)
        )
    }

    fn open_data_checked(&self, files: u64) -> String {
        format!(
            "Données ouvertes réécrites depuis le registre et comparées : {} fichier(s).",
            self.count(files)
        )
    }

    fn holds(&self) -> &'static str {
        "TOUT CONCORDE : chaque signature, la racine du journal, chaque clé et chaque version."
    }

    fn discrepancies(&self, n: u64) -> String {
        format!("{} ANOMALIE(S) :", self.count(n))
    }

    fn cannot_read(&self, why: &str) -> String {
        format!("Lecture impossible : {why}")
    }

    fn watch_first(&self, at: u64, leaves: u64, root: &str) -> String {
        format!(
            "{} : première tête, {leaves} feuilles, racine {root}…",
            utc(at)
        )
    }

    fn watch_same(&self, at: u64, leaves: u64) -> String {
        format!("{} : inchangé, {leaves} feuilles", utc(at))
    }

    fn watch_consistent(&self, at: u64, leaves: u64, previous: u64) -> String {
        format!(
            "{} : {leaves} feuilles, cohérent avec la tête de {previous} feuilles",
            utc(at)
        )
    }

    fn watch_not_signed(&self, leaves: u64) -> String {
        format!("ALERTE : la tête de {leaves} feuilles n’est pas signée par la clé du serveur")
    }

    fn watch_fork(&self, shown: (u64, &str), kept: (u64, &str), kept_in: &str) -> String {
        format!(
            "ALERTE : le serveur montre deux histoires. La tête de {} feuilles (racine {}…) ne prolonge pas celle de {} feuilles (racine {}…) vue avant. Les deux têtes signées sont dans {kept_in} : gardez-les, elles en sont la preuve.",
            shown.0, shown.1, kept.0, kept.1
        )
    }
}
