//! The import page's sentences, French and English, and each problem of
//! a spreadsheet said in the admin's language (core names them in code,
//! `roster::Problem`; the command line says them in English).

use crate::spreadsheet::SheetError;
use pointage_core::roster::{Field, Problem};
use pointage_texts::Lang;

pub struct ImportTexts {
    pub link: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub id: &'static str,
    pub id_hint: &'static str,
    pub name: &'static str,
    pub round: &'static str,
    pub date: &'static str,
    pub test: &'static str,
    pub candidates: &'static str,
    pub candidates_hint: &'static str,
    pub team_phone: &'static str,
    pub day_title: &'static str,
    pub time_zone: &'static str,
    pub opening: &'static str,
    pub counts: &'static str,
    pub counts_hint: &'static str,
    pub bad_times: &'static str,
    pub file: &'static str,
    pub file_hint: &'static str,
    pub columns_title: &'static str,
    pub columns_intro: &'static str,
    pub guessed: &'static str,
    pub button: &'static str,
    pub problems: &'static str,
    pub line: &'static str,
    pub no_file: &'static str,
    pub exists: &'static str,
    pub invalid: &'static str,
    pub done_title: &'static str,
    pub done_intro: &'static str,
    pub download_letters: &'static str,
    pub download_codes: &'static str,
    pub download_gone: &'static str,
    pub from: &'static str,
    pub from_file: &'static str,
    pub from_hint: &'static str,
    pub from_unknown: &'static str,
    pub carried: fn(usize) -> String,
    pub by_departement: &'static str,
    pub kept_file: fn(&str) -> String,
}

const FR: ImportTexts = ImportTexts {
    link: "Préparer une élection depuis un tableur",
    title: "Préparer une élection",
    intro: "Chaque problème du tableur est montré avec sa ligne, et rien n’est enregistré tant qu’il en reste un : corrigez le fichier et envoyez-le de nouveau.",
    id: "Identifiant de l’élection",
    id_hint: "Lettres, chiffres, « - », « _ » ou « . » : par exemple primaire-2027-t1.",
    name: "Nom de l’élection",
    round: "Tour",
    date: "Date du scrutin",
    test: "Élection d’essai (répétition : ses lettres le disent, ses résultats ne comptent pas)",
    candidates: "Candidats",
    candidates_hint: "Un par ligne, dans l’ordre des panneaux.",
    team_phone: "Téléphone de l’équipe centrale (sur chaque lettre)",
    day_title: "La journée (facultatif) : quand les bureaux font leur point",
    time_zone: "Fuseau horaire",
    opening: "Ouverture des bureaux",
    counts: "Points de participation",
    counts_hint: "Les heures, séparées par des espaces : 12:00 17:00.",
    bad_times: "Les heures de la journée ne se lisent pas : écrivez-les HH:MM (12:00), séparées par des espaces.",
    file: "Tableur des bureaux (CSV, ODS ou XLSX)",
    file_hint: "Une ligne de titres, puis un bureau par ligne : code, nom, commune ; adresse, département, inscrits, président, téléphone s’il y a lieu.",
    columns_title: "Les colonnes du tableur",
    columns_intro: "Choisissez la colonne de chaque information si le titre n’a pas été reconnu, puis envoyez de nouveau le fichier.",
    guessed: "(d’après les titres)",
    button: "Vérifier et enregistrer",
    problems: "problème(s), rien n’a été enregistré :",
    line: "ligne",
    no_file: "Choisissez le tableur des bureaux.",
    exists: "Une élection porte déjà cet identifiant : choisissez-en un autre.",
    invalid: "L’élection n’est pas valide :",
    done_title: "Élection enregistrée",
    done_intro: "Téléchargez maintenant les lettres des bureaux et leurs codes : ces liens valent une heure, pour vous seul ; ensuite les codes ne peuvent plus être relus (un code perdu se réémet depuis le tableau).",
    download_letters: "Les lettres (PDF, une page par bureau)",
    download_codes: "Les codes (CSV)",
    download_gone: "Ce téléchargement a expiré ou n’est pas le vôtre.",
    from: "Les bureaux",
    from_file: "ceux du tableur ci-dessous",
    from_hint: "Pour un second tour, choisissez le premier : mêmes bureaux, tour suivant, et chaque téléphone déjà enrôlé garde sa clé sans nouveau code (le registre le dit). Seuls les autres bureaux reçoivent une lettre.",
    from_unknown: "L’élection choisie pour les bureaux n’existe pas.",
    carried: |n| {
        match n {
        1 => "1 bureau garde le téléphone du tour précédent : pas de lettre pour lui (un code perdu se réémet depuis le tableau).".to_owned(),
        n => format!("{n} bureaux gardent le téléphone du tour précédent : pas de lettre pour eux (un code perdu se réémet depuis le tableau)."),
    }
    },
    by_departement: "Par département :",
    kept_file: |name| {
        format!(
            "Le tableur « {name} » envoyé est gardé une heure : renvoyez le formulaire sans le choisir de nouveau, ou choisissez-en un autre (corrigé)."
        )
    },
};

const EN: ImportTexts = ImportTexts {
    link: "Prepare an election from a spreadsheet",
    title: "Prepare an election",
    intro: "Every problem of the spreadsheet is shown with its line, and nothing is stored while one is left: fix the file and send it again.",
    id: "The election's identifier",
    id_hint: "Letters, digits, '-', '_' or '.': for example primaire-2027-t1.",
    name: "The election's name",
    round: "Round",
    date: "Polling day",
    test: "Test election (a rehearsal: its letters say so, its results do not count)",
    candidates: "Candidates",
    candidates_hint: "One a line, in the ballot's order.",
    team_phone: "The central team's phone number (on each letter)",
    day_title: "The day (optional): when the bureaux report",
    time_zone: "Time zone",
    opening: "Bureaux open at",
    counts: "Turnout reports at",
    counts_hint: "The times, separated by spaces: 12:00 17:00.",
    bad_times: "The day's times cannot be read: write them HH:MM (12:00), separated by spaces.",
    file: "Spreadsheet of the bureaux (CSV, ODS or XLSX)",
    file_hint: "A line of titles, then one bureau a line: code, name, commune; address, département, registered voters, président, phone where known.",
    columns_title: "The spreadsheet's columns",
    columns_intro: "Choose each field's column where its title was not recognised, then send the file again.",
    guessed: "(from the titles)",
    button: "Check and store",
    problems: "problem(s), nothing was stored:",
    line: "line",
    no_file: "Choose the spreadsheet of the bureaux.",
    exists: "An election has this identifier already: choose another.",
    invalid: "The election is not valid:",
    done_title: "Election stored",
    done_intro: "Download the bureaux' letters and their codes now: these links work for an hour, for you only; then the codes cannot be read again (a lost code is reissued from the board).",
    download_letters: "The letters (PDF, a page per bureau)",
    download_codes: "The codes (CSV)",
    download_gone: "This download expired or is not yours.",
    from: "The bureaux",
    from_file: "those of the spreadsheet below",
    from_hint: "For a second round, choose the first: the same bureaux, the next round, and each phone already enrolled keeps its key without a new code (the record says so). Only the other bureaux get a letter.",
    from_unknown: "The election chosen for the bureaux does not exist.",
    carried: |n| {
        match n {
        1 => "1 bureau keeps the previous round's phone: no letter for it (a lost code is reissued from the board).".to_owned(),
        n => format!("{n} bureaux keep the previous round's phone: no letter for them (a lost code is reissued from the board)."),
    }
    },
    by_departement: "By département:",
    kept_file: |name| {
        format!(
            "The spreadsheet \"{name}\" sent is kept for an hour: send the form again without choosing it, or choose another (fixed) one."
        )
    },
};

pub fn of(lang: Lang) -> &'static ImportTexts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

/// A field's name, as its column is called.
pub fn field(lang: Lang, f: Field) -> &'static str {
    match (lang, f) {
        (Lang::Fr, Field::Code) => "code du bureau",
        (Lang::Fr, Field::Name) => "nom du bureau",
        (Lang::Fr, Field::Address) => "adresse",
        (Lang::Fr, Field::Commune) => "commune",
        (Lang::Fr, Field::Departement) => "département",
        (Lang::Fr, Field::Inscrits) => "inscrits",
        (Lang::Fr, Field::President) => "président",
        (Lang::Fr, Field::Phone) => "téléphone",
        (Lang::En, Field::Code) => "bureau code",
        (Lang::En, Field::Name) => "bureau name",
        (Lang::En, Field::Address) => "address",
        (Lang::En, Field::Commune) => "commune",
        (Lang::En, Field::Departement) => "département",
        (Lang::En, Field::Inscrits) => "registered voters",
        (Lang::En, Field::President) => "président",
        (Lang::En, Field::Phone) => "phone",
    }
}

/// A spreadsheet's problem, said in `lang`.
pub fn problem(lang: Lang, p: &Problem) -> String {
    let fr = lang == Lang::Fr;
    match p {
        Problem::MissingColumn(f) if fr => format!(
            "aucune colonne n’est « {} » (nommez-la dans la ligne de titres, ou choisissez-la ci-dessous)",
            field(lang, *f)
        ),
        Problem::MissingColumn(f) => format!(
            "no column is the {} (name it in the line of titles, or choose it below)",
            field(lang, *f)
        ),
        Problem::NoBureau if fr => "le fichier ne contient aucun bureau".into(),
        Problem::NoBureau => "the file holds no bureau".into(),
        Problem::TooMany if fr => format!(
            "le fichier contient plus de {} bureaux",
            pointage_core::roster::MAX_BUREAUX
        ),
        Problem::TooMany => format!(
            "the file holds more than {} bureaux",
            pointage_core::roster::MAX_BUREAUX
        ),
        Problem::NoCode if fr => "le bureau n’a pas de code".into(),
        Problem::NoCode => "the bureau has no code".into(),
        Problem::BadCode(c) if fr => format!(
            "le code « {c} » n’est pas fait de 1 à 64 lettres, chiffres, « - », « _ » ou « . »"
        ),
        Problem::BadCode(c) => {
            format!("the code \"{c}\" is not 1 to 64 letters, digits, '-', '_' or '.'")
        }
        Problem::DuplicateCode { code, first } if fr => {
            format!("le code « {code} » est déjà ligne {first}")
        }
        Problem::DuplicateCode { code, first } => {
            format!("the code \"{code}\" is already on line {first}")
        }
        Problem::NoName if fr => "le bureau n’a pas de nom".into(),
        Problem::NoName => "the bureau has no name".into(),
        Problem::NoCommune if fr => "le bureau n’a pas de commune".into(),
        Problem::NoCommune => "the bureau has no commune".into(),
        Problem::Inscrits(v) if fr => {
            format!("le nombre d’inscrits « {v} » n’est pas un nombre entier")
        }
        Problem::Inscrits(v) => format!("the registered voters \"{v}\" are not a whole number"),
        Problem::Phone(v) if fr => format!("« {v} » n’est pas un numéro de téléphone"),
        Problem::Phone(v) => format!("\"{v}\" is not a phone number"),
        Problem::TooLong(f) if fr => format!("la colonne « {} » est trop longue", field(lang, *f)),
        Problem::TooLong(f) => format!("the {} is too long", field(lang, *f)),
        Problem::ControlCharacter(f) if fr => format!(
            "la colonne « {} » contient un caractère de contrôle",
            field(lang, *f)
        ),
        Problem::ControlCharacter(f) => {
            format!("the {} holds a control character", field(lang, *f))
        }
    }
}

/// Why a file gives no cells, said in `lang`.
pub fn sheet(lang: Lang, e: &SheetError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        SheetError::TooLarge => format!("le fichier dépasse {} Mo", crate::spreadsheet::MAX_BYTES >> 20),
        SheetError::UnknownKind => "le fichier n’est ni CSV, ni ODS, ni XLSX (d’après l’extension de son nom : .csv, .ods, .xlsx, .xls)".into(),
        SheetError::NotUtf8 => "le fichier CSV n’est pas en UTF-8 : enregistrez-le en « CSV UTF-8 »".into(),
        SheetError::Csv { line, why } => format!("le fichier CSV est illisible ligne {line} : {why}"),
        SheetError::Workbook(why) => format!("le tableur est illisible : {why}"),
        SheetError::NoSheet => "le tableur n’a aucune feuille".into(),
    }
}
