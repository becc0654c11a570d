//! The cells of an organiser's spreadsheet, as text: CSV (`,` or `;`,
//! UTF-8, as Excel's and LibreOffice's "CSV UTF-8" write it), or the first
//! sheet of an ODS or XLSX file (read by `calamine`). Core's `roster` reads
//! the bureaux out of them (every problem, by line); [`definition`] puts
//! them in an election definition.

use pointage_core::Election;
use pointage_core::election::ElectionInfo;
use pointage_core::roster::{self, BureauDetails, Columns};
use std::io::Cursor;
use std::path::Path;
use thiserror::Error;

/// The largest spreadsheet read: 100,000 bureaux of a few hundred bytes.
pub const MAX_BYTES: usize = 64 << 20;
/// The most columns read on a line (the others are dropped).
pub const MAX_COLUMNS: usize = 64;

/// Why a file gives no cells.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SheetError {
    #[error("the file is larger than {} MB", MAX_BYTES >> 20)]
    TooLarge,
    #[error(
        "the file is neither CSV, ODS nor XLSX (by its name's extension: .csv, .ods, .xlsx, .xls)"
    )]
    UnknownKind,
    #[error("the CSV file is not UTF-8 text: save it as \"CSV UTF-8\"")]
    NotUtf8,
    #[error("the CSV file cannot be read at line {line}: {why}")]
    Csv { line: u64, why: String },
    #[error("the spreadsheet cannot be read: {0}")]
    Workbook(String),
    #[error("the spreadsheet has no sheet")]
    NoSheet,
}

/// The lines of cells of `bytes`, a file named `name` (its extension says
/// its kind).
pub fn cells(name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    if bytes.len() > MAX_BYTES {
        return Err(SheetError::TooLarge);
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, x)| x.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "csv" | "txt" => csv_cells(bytes),
        "ods" | "xlsx" | "xls" | "xlsm" => workbook_cells(bytes),
        _ => Err(SheetError::UnknownKind),
    }
}

fn csv_cells(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let text = std::str::from_utf8(bytes).map_err(|_| SheetError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // French spreadsheets write `;` (the comma is the decimal mark): the
    // header line says which.
    let header = text.lines().next().unwrap_or_default();
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Csv {
            line: e.position().map_or(0, |p| p.line()),
            why: e.to_string(),
        })?;
        lines.push(record.iter().take(MAX_COLUMNS).map(str::to_owned).collect());
    }
    Ok(lines)
}

fn workbook_cells(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    use calamine::{Data, Reader, open_workbook_auto_from_rs};
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| SheetError::Workbook(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(SheetError::NoSheet)?
        .map_err(|e| SheetError::Workbook(e.to_string()))?;
    // A range starts at its first cell that holds something: lines and
    // columns before it are blank, and line numbers must be the sheet's.
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut lines: Vec<Vec<String>> = vec![Vec::new(); top as usize];
    for row in range.rows() {
        let mut line = vec![String::new(); left as usize];
        line.extend(row.iter().map(|c| match c {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            // A number typed in a cell: 1234 is read as 1234.0.
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            other => other.to_string(),
        }));
        line.truncate(MAX_COLUMNS);
        lines.push(line);
    }
    Ok(lines)
}

/// The election of `definition` (JSON, or TOML by its extension; its
/// `bureaux` left out or empty) with the bureaux of the spreadsheet
/// `sheet`, its columns found by their titles; and what the central team
/// keeps of them. Every problem of the spreadsheet is said, with its line,
/// before anything is stored.
pub fn definition(
    definition: &Path,
    sheet: &Path,
) -> Result<(Election, Vec<BureauDetails>), String> {
    let text = std::fs::read_to_string(definition)
        .map_err(|e| format!("cannot read {}: {e}", definition.display()))?;
    let mut value: serde_json::Value = if definition.extension().is_some_and(|x| x == "toml") {
        toml::from_str(&text).map_err(|e| format!("{}: {e}", definition.display()))?
    } else {
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", definition.display()))?
    };
    let listed = value
        .get("bureaux")
        .and_then(serde_json::Value::as_array)
        .is_some_and(|b| !b.is_empty());
    if listed {
        return Err(format!(
            "{} lists bureaux, and {} gives them too: keep them in one place",
            definition.display(),
            sheet.display()
        ));
    }
    if let Some(o) = value.as_object_mut() {
        o.insert("bureaux".into(), serde_json::Value::Array(Vec::new()));
    }
    let mut info: ElectionInfo = serde_json::from_value(value)
        .map_err(|e| format!("{} is not a valid election: {e}", definition.display()))?;
    let bytes =
        std::fs::read(sheet).map_err(|e| format!("cannot read {}: {e}", sheet.display()))?;
    let name = sheet
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let rows = cells(name, &bytes).map_err(|e| format!("{}: {e}", sheet.display()))?;
    let columns = Columns::guess(rows.first().map(Vec::as_slice).unwrap_or_default());
    let roster = roster::read(&rows, &columns).map_err(|problems| {
        let mut said = format!(
            "{}: {} problem(s), nothing was stored:",
            sheet.display(),
            problems.len()
        );
        for p in &problems {
            match p.line {
                0 => said.push_str(&format!("\n  {}", p.problem)),
                line => said.push_str(&format!("\n  line {line}: {}", p.problem)),
            }
        }
        said
    })?;
    info.bureaux = roster.bureaux;
    let election = Election::new(info)
        .map_err(|e| format!("{} is not a valid election: {e}", definition.display()))?;
    Ok((election, roster.details))
}
