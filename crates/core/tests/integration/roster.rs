//! An organiser's spreadsheet of bureaux: columns found by their titles
//! (French or English, accents and case aside), every problem of every
//! line named with its line, and a roster read without problem always
//! makes a definition core accepts: one set of checks.

use pointage_core::election::{ElectionInfo, Mode};
use pointage_core::roster::{BureauDetails, Columns, Field, LineProblem, Problem, read};
use pointage_core::{Candidate, Election};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
    text.iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

fn definition(
    bureaux: Vec<pointage_core::Bureau>,
) -> Result<Election, pointage_core::ElectionError> {
    Election::new(ElectionInfo {
        id: "primaire-2027".into(),
        name: "Primaire 2027".into(),
        round: 1,
        date: "2027-01-22".into(),
        mode: Mode::Test,
        candidates: vec![Candidate {
            id: "a".into(),
            panel: 1,
            name: "A".into(),
        }],
        bureaux,
        day: None,
        qualification: None,
    })
}

const HEADER: &[&str] = &[
    "N° de bureau ",
    "Nom du bureau",
    "Adresse",
    "Commune",
    "Département",
    "Inscrits",
    "Président(e)",
    "Téléphone",
];

#[test]
fn a_french_spreadsheet_is_read_with_its_details_apart() {
    let r = rows(&[
        &[
            " Code du bureau",
            "Nom",
            "Adresse",
            "Commune",
            "Département",
            "Nombre d'inscrits",
            "Président du bureau",
            "Tél.",
        ],
        &[
            "075-001",
            "École Jean-Jaurès",
            "3 rue Haute",
            "Paris",
            "75",
            "1 234",
            "Awa Diallo",
            "+33 6 12 34 56 78",
        ],
        &["", "", "", "", "", "", "", ""],
        &["075-002", "Mairie annexe", "", "Paris", "75", "", "", ""],
    ]);
    let columns = Columns::guess(&r[0]);
    assert_eq!(columns.missing(), vec![]);
    assert_eq!(columns.get(Field::Phone), Some(7));
    let roster = read(&r, &columns).unwrap();
    assert_eq!(roster.bureaux.len(), 2);
    assert_eq!(roster.bureaux[0].inscrits, Some(1234));
    // "Not known" is not zero.
    assert_eq!(roster.bureaux[1].inscrits, None);
    assert_eq!(
        roster.details[0],
        BureauDetails {
            bureau: "075-001".into(),
            address: Some("3 rue Haute".into()),
            departement: Some("75".into()),
            president: Some("Awa Diallo".into()),
            phone: Some("+33 6 12 34 56 78".into()),
        }
    );
    assert_eq!(roster.details[1].phone, None);
    let e = definition(roster.bureaux).unwrap();
    assert_eq!(e.bureaux().len(), 2);
}

#[test]
fn english_titles_are_known_and_a_column_can_be_chosen_by_hand() {
    let r = rows(&[
        &[
            "Station code",
            "Polling station",
            "City",
            "Registered voters",
            "Reference",
        ],
        &["B1", "Town hall", "Springfield", "900", "x"],
    ]);
    let mut columns = Columns::guess(&r[0]);
    assert_eq!(columns.get(Field::Code), Some(0));
    assert_eq!(columns.get(Field::Name), Some(1));
    assert_eq!(columns.get(Field::Inscrits), Some(3));
    columns.set(Field::Code, 4);
    let roster = read(&r, &columns).unwrap();
    assert_eq!(roster.bureaux[0].code, "x");
}

#[test]
fn every_problem_of_every_line_is_named_with_its_line() {
    let r = rows(&[
        HEADER,
        &["075-001", "École A", "", "Paris", "75", "800", "", ""],
        &["075-002", "", "", "Paris", "75", "800", "", ""],
        &[
            "075-001",
            "École B",
            "",
            "Paris",
            "75",
            "huit cents",
            "",
            "06 12",
        ],
        &["075 003", "École C", "", "", "75", "-3", "", ""],
        &[
            "075-004",
            "École\u{202e}D",
            "",
            "Paris",
            "75",
            "1.5",
            "",
            "",
        ],
    ]);
    let columns = Columns::guess(&r[0]);
    let problems = read(&r, &columns).unwrap_err();
    let at = |line, problem| LineProblem { line, problem };
    assert_eq!(
        problems,
        vec![
            at(3, Problem::NoName),
            at(
                4,
                Problem::DuplicateCode {
                    code: "075-001".into(),
                    first: 2
                }
            ),
            at(4, Problem::Inscrits("huit cents".into())),
            at(4, Problem::Phone("06 12".into())),
            at(5, Problem::BadCode("075 003".into())),
            at(5, Problem::NoCommune),
            at(5, Problem::Inscrits("-3".into())),
            at(6, Problem::ControlCharacter(Field::Name)),
            at(6, Problem::Inscrits("1.5".into())),
        ]
    );
    // Said in words a person can act on.
    assert_eq!(
        problems[1].problem.to_string(),
        "the code \"075-001\" is already on line 2"
    );
}

#[test]
fn a_file_without_the_needed_columns_or_without_bureaux_says_so() {
    let r = rows(&[&["Code", "Adresse"], &["1", "rue"]]);
    let problems = read(&r, &Columns::guess(&r[0])).unwrap_err();
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.line, p.problem.clone()))
            .collect::<Vec<_>>(),
        vec![
            (1, Problem::MissingColumn(Field::Name)),
            (1, Problem::MissingColumn(Field::Commune)),
        ]
    );
    let empty = rows(&[HEADER, &["", "", ""]]);
    assert_eq!(
        read(&empty, &Columns::guess(&empty[0])).unwrap_err()[0].problem,
        Problem::NoBureau
    );
}

/// Property tests run on the host only (proptest's randomness needs
/// getrandom).
#[cfg(not(target_arch = "wasm32"))]
mod agree {
    use super::*;
    use proptest::prelude::*;

    fn cell_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "a", "B", "0", "7", "-", "_", ".", " ", "é", "\u{a0}", "\t", "\u{200e}", "\n", "+",
            ]),
            0..6,
        )
        .prop_map(|parts| parts.concat())
    }

    fn line() -> impl Strategy<Value = Vec<String>> {
        let pick = |v: &[&'static str]| prop::sample::select(v.to_vec()).prop_map(str::to_owned);
        (
            pick(&["075-001", "075-002", "B.3", "", " ", "a b", "x\u{200e}"]),
            cell_text(),
            cell_text(),
            pick(&["", "12", "1 000", "x"]),
            pick(&["", "06 12 34 56 78", "12"]),
        )
            .prop_map(|(code, name, commune, inscrits, phone)| {
                vec![
                    code,
                    name,
                    String::new(),
                    commune,
                    String::new(),
                    inscrits,
                    String::new(),
                    phone,
                ]
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// What the spreadsheet reader accepts, the definition accepts; and a
        /// bureau the definition refuses is never read without a problem.
        #[test]
        fn the_reader_and_the_definition_agree(lines in prop::collection::vec(line(), 1..4)) {
            let mut r = vec![HEADER.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>()];
            r.extend(lines);
            let columns = Columns::guess(&r[0]);
            match read(&r, &columns) {
                Ok(roster) => {
                    prop_assert_eq!(roster.bureaux.len(), roster.details.len());
                    prop_assert!(definition(roster.bureaux).is_ok());
                }
                Err(problems) => {
                    prop_assert!(!problems.is_empty());
                    prop_assert!(problems.windows(2).all(|w| w[0].line <= w[1].line));
                }
            }
        }
    }
}
