//! `pointage-verify [--en] [--election ID] [--results FILE] RECORD`
//!
//! RECORD is a record file (JSON lines, from `GET /api/v1/record`) or a
//! server's address (`https://…`): the record, the results and the version
//! counted for each bureau are then fetched from it and compared. Prints a
//! short report; exits 0 only when everything holds, 1 on any discrepancy,
//! 2 when the record cannot be read.

use pointage_core::results::Results;
use pointage_core::wire::{BUREAU_PAGE_MAX, BureauPage, BureauStatus, ResultsResponse};
use pointage_verify::report::{Lang, render};
use pointage_verify::{Published, verify};
use std::process::ExitCode;

struct Args {
    lang: Lang,
    election: Option<String>,
    results: Option<String>,
    record: String,
}

const USAGE: &str = "pointage-verify [--en] [--election ID] [--results FICHIER] REGISTRE\n\
REGISTRE : un fichier (GET /api/v1/record) ou l’adresse du serveur (https://…)\n\
RECORD: a file (GET /api/v1/record) or the server's address (https://…)";

fn args() -> Result<Args, String> {
    let mut a = Args {
        lang: Lang::Fr,
        election: None,
        results: None,
        record: String::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--en" => a.lang = Lang::En,
            "--fr" => a.lang = Lang::Fr,
            "--election" => a.election = Some(it.next().ok_or(USAGE)?),
            "--results" => a.results = Some(it.next().ok_or(USAGE)?),
            "-h" | "--help" => return Err(USAGE.into()),
            _ if a.record.is_empty() && !x.starts_with("--") => a.record = x,
            _ => return Err(USAGE.into()),
        }
    }
    if a.record.is_empty() {
        return Err(USAGE.into());
    }
    Ok(a)
}

fn get(url: &str) -> Result<String, String> {
    ureq::get(url)
        .call()
        .map_err(|e| format!("{url}: {e}"))?
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_string()
        .map_err(|e| format!("{url}: {e}"))
}

/// Every bureau the server lists, a page at a time.
fn bureaux(base: &str, election: &str) -> Result<Vec<BureauStatus>, String> {
    let mut all = Vec::new();
    loop {
        let url = format!(
            "{base}/api/v1/bureaux?{election}offset={}&limit={BUREAU_PAGE_MAX}",
            all.len()
        );
        let page: BureauPage = serde_json::from_str(&get(&url)?).map_err(|e| e.to_string())?;
        let n = page.bureaux.len();
        all.extend(page.bureaux);
        if n == 0 || all.len() >= page.matching as usize {
            return Ok(all);
        }
    }
}

fn run(a: &Args) -> Result<(String, Option<Published>), String> {
    let remote = a.record.starts_with("http://") || a.record.starts_with("https://");
    if remote {
        let base = a.record.trim_end_matches('/');
        let q = a
            .election
            .as_ref()
            .map_or(String::new(), |e| format!("election={e}&"));
        let record = get(&format!("{base}/api/v1/record?{q}"))?;
        let results: ResultsResponse =
            serde_json::from_str(&get(&format!("{base}/api/v1/results?{q}"))?)
                .map_err(|e| e.to_string())?;
        let bureaux = bureaux(base, &q)?;
        return Ok((
            record,
            Some(Published {
                results: results.results,
                bureaux: Some(bureaux),
            }),
        ));
    }
    let record = std::fs::read_to_string(&a.record).map_err(|e| format!("{}: {e}", a.record))?;
    let published = match &a.results {
        None => None,
        Some(f) => {
            let text = std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"))?;
            // The results answer, or the totals alone.
            let results = serde_json::from_str::<ResultsResponse>(&text)
                .map(|r| r.results)
                .or_else(|_| serde_json::from_str::<Results>(&text))
                .map_err(|e| format!("{f}: {e}"))?;
            Some(Published {
                results,
                bureaux: None,
            })
        }
    };
    Ok((record, published))
}

fn main() -> ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (record, published) = match run(&a) {
        Ok(x) => x,
        Err(e) => {
            eprintln!(
                "{}{e}",
                if a.lang == Lang::Fr {
                    "Lecture impossible : "
                } else {
                    "Cannot read: "
                }
            );
            return ExitCode::from(2);
        }
    };
    let report = verify(&record, published.as_ref());
    print!("{}", render(a.lang, &report));
    if report.holds() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
