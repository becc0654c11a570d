//! The election form of `/operateur/election` (`import`): what it sent,
//! drawn again with what was typed and what is wrong, and the election it
//! describes.

use super::Signed;
use super::import::PATH;
use super::import_texts::{self as words, ImportTexts};
use axum::extract::Multipart;
use maud::{Markup, html};
use pointage_core::Election;
use pointage_core::election::{Candidate, ElectionInfo, Mode};
use pointage_core::roster::Field;
use pointage_texts::Lang;
use std::collections::HashMap;

/// What the form sent: its fields, and the file.
#[derive(Default)]
pub(super) struct Sent {
    pub(super) fields: HashMap<String, String>,
    pub(super) file: Option<(String, Vec<u8>)>,
}

impl Sent {
    pub(super) fn get(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    pub(super) fn lang(&self) -> Lang {
        Lang::from_code(self.get("lang")).unwrap_or_default()
    }
}

pub(super) async fn read(mut form: Multipart) -> Result<Sent, String> {
    let mut sent = Sent::default();
    while let Some(field) = form.next_field().await.map_err(|e| e.to_string())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|e| e.to_string())?;
            if !bytes.is_empty() {
                sent.file = Some((file_name, bytes.to_vec()));
            }
        } else if sent.fields.len() < 64 {
            let text = field.text().await.map_err(|e| e.to_string())?;
            sent.fields
                .insert(name, text.chars().take(20_000).collect());
        }
    }
    Ok(sent)
}

/// The field a column select names (`col-code` …).
pub(super) fn column_name(f: Field) -> String {
    format!("col-{f:?}").to_lowercase()
}

/// What the server offers the form beside what was typed: the elections a
/// later round may be made of, and the spreadsheet kept from the previous
/// attempt (its name and token).
pub(super) struct Offered<'a> {
    pub(super) earlier: &'a [(String, String, u8)],
    pub(super) kept: Option<&'a (String, String)>,
}

/// The form, with what was typed kept, and what is wrong with it.
pub(super) fn form(
    t: &ImportTexts,
    lang: Lang,
    signed: &Signed,
    sent: &Sent,
    offered: Offered<'_>,
    header: &[String],
    problems: &[String],
) -> Markup {
    let Offered { earlier, kept } = offered;
    let test_checked = sent.fields.is_empty() || !sent.get("test").is_empty();
    html! {
        main.operator aria-labelledby="import-title" {
            h1 #import-title { (t.title) }
            p { (t.intro) }
            @if !problems.is_empty() {
                div.problem role="alert" {
                    p.error { (problems.len()) " " (t.problems) }
                    ul #problems { @for p in problems { li { (p) } } }
                }
            }
            form method="post" action=(PATH) enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(signed.csrf);
                input type="hidden" name="lang" value=(lang.code());
                label for="id" { (t.id) }
                input #id name="id" type="text" required maxlength="64" value=(sent.get("id")) aria-describedby="id-hint";
                p.hint #id-hint { (t.id_hint) }
                label for="name" { (t.name) }
                input #name name="name" type="text" required maxlength="200" value=(sent.get("name"));
                label for="round" { (t.round) }
                select #round name="round" {
                    @for r in ["1", "2"] { option value=(r) selected[sent.get("round") == r] { (r) } }
                }
                label for="date" { (t.date) }
                input #date name="date" type="date" required value=(sent.get("date"));
                label { input name="test" type="checkbox" value="1" checked[test_checked]; " " (t.test) }
                label for="candidates" { (t.candidates) }
                textarea #candidates name="candidates" rows="6" required aria-describedby="candidates-hint" { (sent.get("candidates")) }
                p.hint #candidates-hint { (t.candidates_hint) }
                label for="team-phone" { (t.team_phone) }
                input #team-phone name="team_phone" type="tel" maxlength="40" value=(sent.get("team_phone"));
                fieldset {
                    legend { (t.day_title) }
                    label for="time-zone" { (t.time_zone) }
                    select #time-zone name="time_zone" {
                        @for z in pointage_core::day::TIME_ZONES {
                            option value=(z) selected[sent.get("time_zone") == z] { (z) }
                        }
                    }
                    label for="opening" { (t.opening) }
                    input #opening name="opening" type="time" value=(sent.get("opening"));
                    label for="counts" { (t.counts) }
                    input #counts name="counts" type="text" maxlength="100" value=(sent.get("counts")) aria-describedby="counts-hint";
                    p.hint #counts-hint { (t.counts_hint) }
                }
                label for="from" { (t.from) }
                select #from name="from" aria-describedby="from-hint" {
                    option value="" { (t.from_file) }
                    @for (id, name, round) in earlier {
                        option value=(id) selected[sent.get("from") == id] { (name) " (" (id) "), " (t.round.to_lowercase()) " " (round) }
                    }
                }
                p.hint #from-hint { (t.from_hint) }
                label for="file" { (t.file) }
                input #file name="file" type="file" accept=".csv,.ods,.xlsx,.xls" aria-describedby="file-hint";
                p.hint #file-hint { (t.file_hint) }
                @if let Some((name, token)) = kept {
                    input type="hidden" name="kept" value=(token);
                    p.hint #kept { ((t.kept_file)(name)) }
                }
                @if !header.is_empty() {
                    fieldset {
                        legend { (t.columns_title) }
                        p { (t.columns_intro) }
                        @for f in Field::ALL {
                            @let name = column_name(f);
                            label for=(name) { (words::field(lang, f)) }
                            select id=(name) name=(name) {
                                option value="" { (t.guessed) }
                                @for (i, title) in header.iter().enumerate() {
                                    option value=(i) selected[sent.get(&name) == i.to_string()] { (i + 1) " — " (title) }
                                }
                            }
                        }
                    }
                }
                button.primary type="submit" { (t.button) }
            }
        }
    }
}

/// The day the form describes: none when no time is given; `Err` when
/// one cannot be read.
pub(super) fn day(sent: &Sent) -> Result<Option<pointage_core::day::Day>, ()> {
    let opening = Some(sent.get("opening").trim()).filter(|t| !t.is_empty());
    let counts: Vec<&str> = sent
        .get("counts")
        .split([' ', ',', ';'])
        .filter(|t| !t.trim().is_empty())
        .collect();
    if opening.is_none() && counts.is_empty() {
        return Ok(None);
    }
    pointage_core::day::day_of(
        sent.get("time_zone"),
        sent.get("date").trim(),
        opening,
        &counts,
    )
    .map(Some)
    .ok_or(())
}

/// The election the form describes, with the bureaux of `roster`.
pub(super) fn election(
    sent: &Sent,
    bureaux: Vec<pointage_core::Bureau>,
    round: u8,
) -> Result<Election, String> {
    let candidates = sent
        .get("candidates")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, name)| Candidate {
            id: format!("c{}", i + 1),
            panel: i as u32 + 1,
            name: name.to_owned(),
        })
        .collect();
    Election::new(ElectionInfo {
        id: sent.get("id").trim().to_owned(),
        name: sent.get("name").trim().to_owned(),
        round,
        date: sent.get("date").trim().to_owned(),
        mode: if sent.get("test").is_empty() {
            Mode::Live
        } else {
            Mode::Test
        },
        candidates,
        bureaux,
        day: day(sent).map_err(|()| String::new())?,
        qualification: None,
    })
    .map_err(|e| e.to_string())
}
