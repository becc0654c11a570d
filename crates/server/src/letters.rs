//! Each bureau's letter: one printable A4 page per bureau — the election,
//! the bureau and its address, the enrollment QR code and the code in
//! clear, the day's steps in a few lines, the central team's phone number —
//! all in one PDF, made here (pdf-writer, the PDF layer Typst writes with;
//! no browser on the server). A test election's letters say on every page
//! that they are for a rehearsal.
//!
//! The codes exist in clear only when they are issued: the letters are
//! made from the codes' CSV files `election import` and `election codes`
//! write, with the links issued with them (the server's public address
//! given then); the latest code of a bureau wins, so a letter made after a
//! reissue carries the new code.

use crate::admin::{Storage, write_private};
use crate::db::Db;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use qrcodegen::{QrCode, QrCodeEcc};
use std::path::{Path, PathBuf};

/// The languages a letter is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

/// What every letter of a set shares.
#[derive(Clone, Debug)]
pub struct LetterSet {
    pub election: String,
    pub round: u8,
    pub date: String,
    /// A test election: every page says it is for a rehearsal.
    pub test: bool,
    /// The central team's phone number, for questions on the day.
    pub team_phone: Option<String>,
    pub lang: Lang,
}

/// One bureau's letter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub bureau: String,
    pub name: String,
    pub commune: String,
    pub address: Option<String>,
    pub president: Option<String>,
    pub code: String,
    /// The enrollment link, as issued with the code (the server's public
    /// address in it): what the QR code holds.
    pub link: String,
}

struct Words {
    title: &'static str,
    round: fn(u8, &str) -> String,
    rehearsal: &'static str,
    bureau: &'static str,
    to: &'static str,
    intro: &'static str,
    code: &'static str,
    or_open: &'static str,
    day: &'static str,
    steps: [&'static str; 4],
    team: &'static str,
    keep: &'static str,
}

const FR: Words = Words {
    title: "Pointage : lettre au président du bureau de vote",
    round: |round, date| format!("tour {round}, {date}"),
    rehearsal: "ESSAI : lettre de répétition, sans valeur pour le scrutin",
    bureau: "Bureau",
    to: "À l’attention de\u{a0}:",
    intro: "Ce code inscrit le téléphone du bureau auprès de l’équipe centrale. Il ne sert qu’une fois : ne le montrez qu’au téléphone du bureau.",
    code: "Code d’inscription",
    or_open: "Sans appareil photo : ouvrez l’adresse ci-dessous et tapez le code.",
    day: "Le jour du vote",
    steps: [
        "1. Le matin, avec du réseau : scannez ce code QR avec l’appareil photo du téléphone du bureau, puis touchez « Enrôler ce téléphone ».",
        "2. Pendant la journée : saisissez les relevés de participation aux heures prévues.",
        "3. Au dépouillement : comptez les bulletins sur le téléphone, saisissez le procès-verbal à deux, signez-le.",
        "4. Écrivez le code du PV signé sur le PV papier et photographiez-le. Le téléphone envoie tout dès qu’il a du réseau.",
    ],
    team: "Une question, un problème\u{a0}? Équipe centrale\u{a0}:",
    keep: "Gardez cette lettre jusqu’à la fin du dépouillement.",
};

const EN: Words = Words {
    title: "Pointage: letter to the polling station's chair",
    round: |round, date| format!("round {round}, {date}"),
    rehearsal: "TEST: rehearsal letter, of no value for the election",
    bureau: "Polling station",
    to: "For the attention of:",
    intro: "This code enrolls the station's phone with the central team. It works once: show it to the station's phone only.",
    code: "Enrollment code",
    or_open: "No camera: open the address below and type the code.",
    day: "On polling day",
    steps: [
        "1. In the morning, with a network: scan this QR code with the station phone's camera, then tap \"Enroll this phone\".",
        "2. During the day: enter the turnout counts at the times set.",
        "3. At the count: count the ballots on the phone, enter the report twice, sign it.",
        "4. Write the signed report's code on the paper report and photograph it. The phone sends everything as soon as it has a network.",
    ],
    team: "A question, a problem? Central team:",
    keep: "Keep this letter until the count is over.",
};

/// `text` in the standard PDF fonts' WinAnsi encoding: Latin-1, the
/// typographic quotes, dashes, ellipsis, euro and œ; anything else `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => c as u8,
            '\u{202f}' => 0xa0,
            '€' => 0x80,
            '…' => 0x85,
            'Œ' => 0x8c,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            'œ' => 0x9c,
            _ => b'?',
        })
        .collect()
}

/// `text` cut into lines of at most `width` points in Helvetica of `size`
/// (its glyphs are about half an em wide on average in French text).
fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    let per_line = ((width / (size * 0.5)) as usize).max(10);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > per_line {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

const PAGE: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;

/// Writes one page's content.
struct Writer {
    content: Content,
    y: f32,
}

impl Writer {
    fn text(&mut self, font: &[u8], size: f32, text: &str) {
        for line in wrap(text, PAGE.0 - 2.0 * MARGIN, size) {
            self.y -= size * 1.35;
            self.content
                .begin_text()
                .set_font(Name(font), size)
                .next_line(MARGIN, self.y)
                .show(Str(&win_ansi(&line)))
                .end_text();
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    /// The QR code of `text`, `side` points wide, centred.
    fn qr(&mut self, text: &str, side: f32) {
        let Ok(qr) = QrCode::encode_text(text, QrCodeEcc::Medium) else {
            return;
        };
        let n = qr.size();
        // Four modules of white around it, as the standard asks.
        let module = side / (n + 8) as f32;
        let left = (PAGE.0 - side) / 2.0 + 4.0 * module;
        let top = self.y - 4.0 * module;
        self.content.set_fill_gray(0.0);
        // One rectangle per run of dark modules on a line: a third of the
        // rectangles one per module would draw.
        for y in 0..n {
            let mut x = 0;
            while x < n {
                if !qr.get_module(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < n && qr.get_module(x, y) {
                    x += 1;
                }
                self.content.rect(
                    left + start as f32 * module,
                    top - (y + 1) as f32 * module,
                    (x - start) as f32 * module,
                    module,
                );
            }
        }
        self.content.fill_nonzero();
        self.y -= side;
    }
}

/// The letters of `letters`, one page each, as one PDF.
pub fn pdf(set: &LetterSet, letters: &[Letter]) -> Vec<u8> {
    let w = match set.lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    };
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    let pages: Vec<(Ref, Ref)> = (0..letters.len() as i32)
        .map(|i| (Ref::new(5 + 2 * i), Ref::new(6 + 2 * i)))
        .collect();
    pdf.pages(tree)
        .kids(pages.iter().map(|(p, _)| *p))
        .count(letters.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (letter, (page_id, content_id)) in letters.iter().zip(&pages) {
        let mut page = pdf.page(*page_id);
        page.parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE.0, PAGE.1))
            .contents(*content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
        page.finish();
        // Deflated: a page's text and QR code shrink about sixfold, which
        // for 10,000 letters is the difference between a file one can
        // send to a printer and one that cannot.
        let content = page_content(set, w, letter).finish();
        let mut deflate =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let compressed =
            std::io::Write::write_all(&mut deflate, &content).and_then(|()| deflate.finish());
        match compressed {
            Ok(bytes) => {
                pdf.stream(*content_id, &bytes).filter(Filter::FlateDecode);
            }
            Err(_) => {
                pdf.stream(*content_id, &content);
            }
        }
    }
    pdf.finish()
}

fn page_content(set: &LetterSet, w: &Words, letter: &Letter) -> Content {
    let mut p = Writer {
        content: Content::new(),
        y: PAGE.1 - MARGIN + 12.0,
    };
    p.text(b"F2", 11.0, w.title);
    p.text(
        b"F1",
        10.0,
        &format!("{}, {}", set.election, (w.round)(set.round, &set.date)),
    );
    if set.test {
        p.content.set_fill_rgb(0.7, 0.0, 0.0);
        p.text(b"F2", 13.0, w.rehearsal);
        p.content.set_fill_gray(0.0);
    }
    p.gap(14.0);
    p.text(b"F2", 20.0, &format!("{} {}", w.bureau, letter.bureau));
    p.text(b"F2", 14.0, &letter.name);
    let place = match &letter.address {
        Some(a) => format!("{a}, {}", letter.commune),
        None => letter.commune.clone(),
    };
    p.text(b"F1", 12.0, &place);
    if let Some(president) = &letter.president {
        p.text(b"F1", 12.0, &format!("{} {president}", w.to));
    }
    p.gap(10.0);
    p.text(b"F1", 11.0, w.intro);
    p.gap(8.0);
    p.qr(&letter.link, 220.0);
    p.text(b"F1", 11.0, w.code);
    p.text(b"F2", 22.0, &letter.code);
    p.text(b"F1", 9.0, w.or_open);
    // The address to type: the link without the code after `#`.
    p.text(
        b"F1",
        9.0,
        letter.link.split('#').next().unwrap_or_default(),
    );
    p.gap(12.0);
    p.text(b"F2", 13.0, w.day);
    for step in w.steps {
        p.text(b"F1", 10.5, step);
    }
    p.gap(10.0);
    if let Some(phone) = &set.team_phone {
        p.text(b"F2", 12.0, &format!("{} {phone}", w.team));
    }
    p.text(b"F1", 10.0, w.keep);
    p.content
}

/// What `election letters` is asked for.
pub struct LettersAsked<'a> {
    pub election: &'a str,
    /// The codes' CSV files, oldest first: a bureau's latest code wins.
    pub codes: &'a [PathBuf],
    /// Only the bureaux of this département.
    pub departement: Option<&'a str>,
    pub team_phone: Option<&'a str>,
    pub lang: Lang,
    pub out: &'a Path,
}

/// The codes of `files` (as `admin::write_codes` writes them) and their
/// links, by bureau, the latest file's winning.
fn read_codes(
    files: &[PathBuf],
) -> Result<std::collections::HashMap<String, (String, String)>, String> {
    let mut codes = std::collections::HashMap::new();
    for file in files {
        let mut reader = csv::Reader::from_path(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let header = reader
            .headers()
            .map_err(|e| format!("{}: {e}", file.display()))?
            .clone();
        let column = |name: &str| {
            header.iter().position(|h| h == name).ok_or_else(|| {
                format!(
                    "{} has no column {name:?}: not a codes file",
                    file.display()
                )
            })
        };
        let (bureau, code, url) = (column("bureau")?, column("code")?, column("url")?);
        for record in reader.records() {
            let record = record.map_err(|e| format!("{}: {e}", file.display()))?;
            let field = |i: usize| record.get(i).unwrap_or_default();
            // A cell a spreadsheet would run was written after a `'`.
            let b = field(bureau);
            let b = b
                .strip_prefix('\'')
                .filter(|r| r.starts_with(['=', '+', '-', '@']))
                .unwrap_or(b);
            codes.insert(
                b.to_owned(),
                (field(code).to_owned(), field(url).to_owned()),
            );
        }
    }
    Ok(codes)
}

/// `pointage-server election letters`: one page per bureau of the
/// election (or of one département) that has a code in the files given, in
/// one PDF.
pub fn letters(asked: &LettersAsked<'_>, storage: &Storage) -> Result<(), String> {
    let db = storage.open()?;
    let (pdf, written, without_code) = letters_pdf(&db, asked)?;
    write_private(asked.out, &pdf)
        .map_err(|e| format!("cannot write {}: {e}", asked.out.display()))?;
    println!("{written} letter(s) written to {}", asked.out.display());
    if !without_code.is_empty() {
        println!(
            "No code in the files given for {} bureau(x): {}",
            without_code.len(),
            without_code.join(", ")
        );
    }
    Ok(())
}

/// The letters' PDF of [`letters`] from `db`: its bytes, how many letters,
/// and the bureaux left out for want of a code.
pub fn letters_pdf(
    db: &Db,
    asked: &LettersAsked<'_>,
) -> Result<(Vec<u8>, usize, Vec<String>), String> {
    let election = db
        .election(asked.election)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("there is no election {}", asked.election))?;
    let details = db
        .bureau_details(election.id())
        .map_err(|e| e.to_string())?;
    let codes = read_codes(asked.codes)?;
    // A code a reissue replaced would enroll nothing: the newer file was
    // left out (or given before the older one).
    let mut replaced = Vec::new();
    for (bureau, (code, _)) in &codes {
        if election.bureau(bureau).is_some()
            && db.code_state(code).map_err(|e| e.to_string())?.as_deref() == Some("revoked")
        {
            replaced.push(bureau.clone());
        }
    }
    if !replaced.is_empty() {
        replaced.sort();
        return Err(format!(
            "the code of {} bureau(x) in the files given was replaced by a reissue: {}. Give the newer codes file too, after the older one",
            replaced.len(),
            replaced.join(", ")
        ));
    }
    let team_phone = match asked.team_phone {
        Some(p) => Some(p.to_owned()),
        None => db.team_phone(election.id()).map_err(|e| e.to_string())?,
    };
    let made = pile(
        &election,
        &details,
        &codes,
        asked.departement,
        team_phone.as_deref(),
        asked.lang,
    );
    if made.1 == 0 {
        return Err(
            "no bureau to write to: none has a code in the files given (or is of that département)"
                .into(),
        );
    }
    Ok(made)
}

/// The letters of `election`'s bureaux (of `departement` only) that have
/// a code in `codes` (the code and its link, by bureau), sorted by
/// département, as one PDF: its bytes, how many, and the bureaux without
/// a code. Shared by the command line and the admin's import page, which
/// has the codes it just issued.
pub fn pile(
    election: &pointage_core::Election,
    details: &[pointage_core::roster::BureauDetails],
    codes: &std::collections::HashMap<String, (String, String)>,
    departement: Option<&str>,
    team_phone: Option<&str>,
    lang: Lang,
) -> (Vec<u8>, usize, Vec<String>) {
    let details: std::collections::HashMap<&str, &pointage_core::roster::BureauDetails> =
        details.iter().map(|d| (d.bureau.as_str(), d)).collect();
    let mut letters = Vec::new();
    let mut without_code = Vec::new();
    for b in election.bureaux() {
        let d = details.get(b.code.as_str());
        let dep = d.and_then(|d| d.departement.as_deref());
        if departement.is_some_and(|want| dep != Some(want)) {
            continue;
        }
        let Some((code, link)) = codes.get(&b.code) else {
            without_code.push(b.code.clone());
            continue;
        };
        letters.push((
            dep.unwrap_or_default().to_owned(),
            Letter {
                bureau: b.code.clone(),
                name: b.name.clone(),
                commune: b.commune.clone(),
                address: d.and_then(|d| d.address.clone()),
                president: d.and_then(|d| d.president.clone()),
                code: code.clone(),
                link: link.clone(),
            },
        ));
    }
    // By département, then in the definition's order: one pile per post.
    letters.sort_by(|a, b| a.0.cmp(&b.0));
    let letters: Vec<_> = letters.into_iter().map(|(_, l)| l).collect();
    let set = LetterSet {
        election: election.name().to_owned(),
        round: election.round(),
        date: election.date().to_owned(),
        test: election.mode() == pointage_core::election::Mode::Test,
        team_phone: team_phone.map(str::to_owned),
        lang,
    };
    if letters.is_empty() {
        return (Vec::new(), 0, without_code);
    }
    (pdf(&set, &letters), letters.len(), without_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_written_in_win_ansi() {
        assert_eq!(
            win_ansi("Élu à l’été — 12 €"),
            b"\xc9lu \xe0 l\x92\xe9t\xe9 \x97 12 \x80"
        );
        assert_eq!(win_ansi("日本"), b"??");
    }

    #[test]
    fn a_test_election_s_letters_say_they_are_for_a_rehearsal() {
        let letter = Letter {
            bureau: "B1".into(),
            name: "École".into(),
            commune: "Arles".into(),
            address: None,
            president: None,
            code: "AAAA-BBBB-CCCC".into(),
            link: "https://x.example/enroler#code=AAAA-BBBB-CCCC".into(),
        };
        let mut set = LetterSet {
            election: "Primaire".into(),
            round: 1,
            date: "2027-01-22".into(),
            test: true,
            team_phone: Some("01 23 45 67 89".into()),
            lang: Lang::Fr,
        };
        // A line with a letter outside ASCII is written as a hex string.
        let has = |pdf: &[u8], text: &str| {
            let bytes = win_ansi(text);
            let hex: Vec<u8> = bytes
                .iter()
                .flat_map(|b| format!("{b:02X}").into_bytes())
                .collect();
            let upper = String::from_utf8_lossy(pdf).to_uppercase().into_bytes();
            pdf.windows(bytes.len()).any(|w| w == bytes.as_slice())
                || upper.windows(hex.len()).any(|w| w == hex.as_slice())
        };
        let rehearsal = inflated(&pdf(&set, std::slice::from_ref(&letter)));
        assert!(has(&rehearsal, "ESSAI"));
        assert!(has(&rehearsal, "AAAA-BBBB-CCCC"));
        assert!(has(&rehearsal, "01 23 45 67 89"));
        set.test = false;
        assert!(!has(
            &inflated(&pdf(&set, std::slice::from_ref(&letter))),
            "ESSAI"
        ));
        set.lang = Lang::En;
        assert!(has(&inflated(&pdf(&set, &[letter])), "Enrollment code"));
    }

    /// The PDF with each deflated stream's bytes in clear, as a reader
    /// draws them.
    fn inflated(pdf: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        let mut rest = pdf;
        while let Some(at) = rest.windows(7).position(|w| w == b"stream\n") {
            out.extend_from_slice(&rest[..at + 7]);
            rest = &rest[at + 7..];
            let end = rest
                .windows(10)
                .position(|w| w == b"\nendstream")
                .unwrap_or(rest.len());
            let mut plain = Vec::new();
            match flate2::read::ZlibDecoder::new(&rest[..end]).read_to_end(&mut plain) {
                Ok(_) => out.extend_from_slice(&plain),
                Err(_) => out.extend_from_slice(&rest[..end]),
            }
            rest = &rest[end..];
        }
        out.extend_from_slice(rest);
        out
    }

    #[test]
    fn long_text_is_wrapped_within_the_page() {
        let lines = wrap(FR.steps[3], PAGE.0 - 2.0 * MARGIN, 10.5);
        assert!(lines.len() >= 2);
        assert_eq!(lines.join(" "), FR.steps[3]);
        assert!(lines.iter().all(|l| l.chars().count() <= 92));
    }
}
