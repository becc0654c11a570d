//! An election's bureaux read from an organiser's spreadsheet (CSV, ODS or
//! XLSX: the server reads the cells, this reads their text): which column
//! is which, each line checked, and **every** problem named with its line
//! before anything is kept, so that a file of 10,000 lines is fixed in one
//! go rather than one error at a time.
//!
//! A line's bureau is checked by [`Bureau::check`], the same check as a
//! definition's (`election import` of a JSON file): one set of checks. What
//! is not the public definition — the address, the département, the
//! président's name and phone number — comes out apart, as
//! [`BureauDetails`]: the phone number is personal data, for the central
//! team only, never in the record or a public answer.
//!
//! Pure: no file, no clock; the cells come in as text.

use crate::election::{Bureau, ElectionError, acts_on_display};
use std::collections::HashMap;
use thiserror::Error;

/// The most bureaux one election takes (a national election has some
/// 70,000; the verifier reads up to 100,000).
pub const MAX_BUREAUX: usize = 100_000;

/// The most characters in one cell of text.
pub const MAX_TEXT: usize = 200;

/// What a column of the spreadsheet holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Code,
    Name,
    Address,
    Commune,
    Departement,
    Inscrits,
    President,
    Phone,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Code,
        Field::Name,
        Field::Address,
        Field::Commune,
        Field::Departement,
        Field::Inscrits,
        Field::President,
        Field::Phone,
    ];

    /// Whether every spreadsheet must have it.
    pub fn required(self) -> bool {
        matches!(self, Field::Code | Field::Name | Field::Commune)
    }

    /// The column titles it is recognised by, written as [`title_key`]
    /// gives them (French first, then English).
    fn titles(self) -> &'static [&'static str] {
        match self {
            Field::Code => &[
                "code",
                "codebureau",
                "codedubureau",
                "numero",
                "numerobureau",
                "numerodubureau",
                "nbureau",
                "ndebureau",
                "ndubureau",
                "bureaucode",
                "stationcode",
                "pollingstationcode",
            ],
            Field::Name => &[
                "nom",
                "nombureau",
                "nomdubureau",
                "libelle",
                "bureau",
                "name",
                "stationname",
                "pollingstation",
            ],
            Field::Address => &["adresse", "adressedubureau", "lieu", "address"],
            Field::Commune => &["commune", "ville", "city", "town", "municipality"],
            Field::Departement => &["departement", "dept", "dep", "department", "county"],
            Field::Inscrits => &[
                "inscrits",
                "nbinscrits",
                "nombredinscrits",
                "electeursinscrits",
                "registered",
                "registeredvoters",
            ],
            Field::President => &[
                "president",
                "presidente",
                "presidentdubureau",
                "nomdupresident",
                "chair",
                "presidingofficer",
            ],
            Field::Phone => &[
                "telephone",
                "tel",
                "portable",
                "mobile",
                "telephonedupresident",
                "phone",
                "phonenumber",
            ],
        }
    }
}

/// A column title as it is compared: lower case, accents and everything
/// but letters and digits left out ("N° du bureau" → "ndubureau",
/// "Téléphone" → "telephone").
pub fn title_key(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| {
            let c = match c {
                'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
                'î' | 'ï' | 'Î' | 'Ï' => 'i',
                'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
                'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
                'ç' | 'Ç' => 'c',
                c => c,
            };
            c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
        })
        .collect()
}

/// Which column (from 0) holds each field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns(HashMap<Field, usize>);

impl Columns {
    /// The fields recognised by their titles in the header line.
    pub fn guess(header: &[String]) -> Self {
        let mut found = HashMap::new();
        for (i, title) in header.iter().enumerate() {
            let key = title_key(title);
            if let Some(f) = Field::ALL
                .into_iter()
                .find(|f| f.titles().contains(&key.as_str()))
            {
                found.entry(f).or_insert(i);
            }
        }
        Columns(found)
    }

    /// Says that column `index` holds `field` (the organiser's choice over
    /// a guess).
    pub fn set(&mut self, field: Field, index: usize) {
        self.0.insert(field, index);
    }

    pub fn get(&self, field: Field) -> Option<usize> {
        self.0.get(&field).copied()
    }

    /// The required fields no column holds.
    pub fn missing(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|f| f.required() && !self.0.contains_key(f))
            .collect()
    }
}

/// What the central team keeps of a bureau beyond the definition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BureauDetails {
    pub bureau: String,
    pub address: Option<String>,
    pub departement: Option<String>,
    pub president: Option<String>,
    /// As written in the spreadsheet (checked: digits, and `+`, spaces,
    /// dots, dashes or brackets).
    pub phone: Option<String>,
}

/// The bureaux of a spreadsheet, every line good.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    pub bureaux: Vec<Bureau>,
    /// One per bureau, in the same order.
    pub details: Vec<BureauDetails>,
}

/// What is wrong on one line (counted from 1, the header line included, as
/// the spreadsheet shows it), or with the whole file (line 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    pub problem: Problem,
}

/// Each problem a spreadsheet of bureaux can have.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("no column is the {0:?} (name one in the header line)")]
    MissingColumn(Field),
    #[error("the file has no bureau")]
    NoBureau,
    #[error("the file has more than {MAX_BUREAUX} bureaux")]
    TooMany,
    #[error("the bureau has no code")]
    NoCode,
    #[error("the code {0:?} is not 1 to 64 letters, digits, '-', '_' or '.'")]
    BadCode(String),
    #[error("the code {code:?} is already on line {first}")]
    DuplicateCode { code: String, first: usize },
    #[error("the bureau has no name")]
    NoName,
    #[error("the bureau has no commune")]
    NoCommune,
    #[error("the number of registered voters {0:?} is not a whole number")]
    Inscrits(String),
    #[error("the phone number {0:?} is not a phone number")]
    Phone(String),
    #[error("the {0:?} holds more than {MAX_TEXT} characters")]
    TooLong(Field),
    #[error("the {0:?} holds a control or bidirectional character")]
    ControlCharacter(Field),
}

/// The text of `field` on `row`, trimmed; `None` when blank or absent.
fn cell<'a>(row: &'a [String], columns: &Columns, field: Field) -> Option<&'a str> {
    let text = row.get(columns.get(field)?)?.trim();
    (!text.is_empty()).then_some(text)
}

/// A count as people and spreadsheets write it: digits, maybe grouped by
/// spaces ("1 234", with a no-break or narrow no-break space too).
fn whole_number(text: &str) -> Option<u32> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A phone number: 6 to 20 digits, with `+`, spaces, dots, dashes or
/// brackets between them.
fn is_phone(text: &str) -> bool {
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    (6..=20).contains(&digits)
        && text.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-' | '(' | ')' | '\u{a0}')
        })
}

/// Reads the bureaux of `rows` (the header line first, then one bureau a
/// line; blank lines are skipped) with `columns`. Every problem of every
/// line is given, in line order, or the roster once there is none.
pub fn read(rows: &[Vec<String>], columns: &Columns) -> Result<Roster, Vec<LineProblem>> {
    let mut problems: Vec<LineProblem> = columns
        .missing()
        .into_iter()
        .map(|f| LineProblem {
            line: 1,
            problem: Problem::MissingColumn(f),
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut roster = Roster::default();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        let before = problems.len();
        let mut say = |problem| problems.push(LineProblem { line, problem });
        let text = |field| cell(row, columns, field);
        for field in Field::ALL {
            if let Some(t) = text(field) {
                if t.chars().count() > MAX_TEXT {
                    say(Problem::TooLong(field));
                } else if t.chars().any(|c| acts_on_display(c) || c == '\n') {
                    say(Problem::ControlCharacter(field));
                }
            }
        }
        let code = text(Field::Code).unwrap_or_default();
        let name = text(Field::Name).unwrap_or_default();
        let commune = text(Field::Commune).unwrap_or_default();
        let bureau = Bureau {
            code: code.to_owned(),
            name: name.to_owned(),
            commune: commune.to_owned(),
            inscrits: None,
        };
        // The definition's own check, said field by field.
        if let Err(ElectionError::BlankBureau(_)) = bureau.check() {
            if code.is_empty() {
                say(Problem::NoCode);
            } else if !crate::election::is_identifier(code) {
                say(Problem::BadCode(code.to_owned()));
            }
            if crate::names::is_blank(name) {
                say(Problem::NoName);
            }
            if crate::names::is_blank(commune) {
                say(Problem::NoCommune);
            }
        }
        if !code.is_empty() {
            match first_line.get(code) {
                Some(&first) => say(Problem::DuplicateCode {
                    code: code.to_owned(),
                    first,
                }),
                None => {
                    first_line.insert(code.to_owned(), line);
                }
            }
        }
        let inscrits = match text(Field::Inscrits) {
            None => None,
            Some(t) => match whole_number(t) {
                Some(n) => Some(n),
                None => {
                    say(Problem::Inscrits(t.to_owned()));
                    None
                }
            },
        };
        let phone = text(Field::Phone);
        if let Some(p) = phone.filter(|p| !is_phone(p)) {
            say(Problem::Phone(p.to_owned()));
        }
        if problems.len() == before {
            roster.bureaux.push(Bureau { inscrits, ..bureau });
            roster.details.push(BureauDetails {
                bureau: code.to_owned(),
                address: text(Field::Address).map(str::to_owned),
                departement: text(Field::Departement).map(str::to_owned),
                president: text(Field::President).map(str::to_owned),
                phone: phone.map(str::to_owned),
            });
        }
    }
    if first_line.is_empty() && problems.is_empty() {
        problems.push(LineProblem {
            line: 0,
            problem: Problem::NoBureau,
        });
    }
    if first_line.len() > MAX_BUREAUX {
        problems.push(LineProblem {
            line: 0,
            problem: Problem::TooMany,
        });
    }
    if problems.is_empty() {
        Ok(roster)
    } else {
        Err(problems)
    }
}
