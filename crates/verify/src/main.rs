//! `pointage-verify`: checks a Pointage public record, or watches a
//! server's log through the night. `pointage-verify --help` says how.
//!
//! Exits 0 only when everything holds, 1 on any discrepancy (or a fork seen
//! by the watcher), 2 when what was asked cannot be read.

use clap::Parser;
use pointage_core::Receipt;
use pointage_core::open_data::File;
use pointage_core::photo::{MAX_PAGE_BYTES, PhotoPage};
use pointage_core::results::Results;
use pointage_core::wire::{ResultsResponse, SubmitResponse};
use pointage_verify::photos::check_pictures;
use pointage_verify::report::{Lang, escape, render, short, words};
use pointage_verify::watch::{self, Seen, State, WatchError};
use pointage_verify::{Held, Published, net, verify_held};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Vérifie un registre public Pointage : chaque signature, la racine du
/// journal, chaque clé et chaque version, et recalcule les résultats.
/// Checks a Pointage public record: every signature, the log's root, every
/// key and version, and recomputes the results.
#[derive(Parser, Debug)]
#[command(name = "pointage-verify", version)]
struct Args {
    /// Le registre : un fichier (GET /api/v1/record) ou l’adresse du serveur
    /// (https://…), dont les résultats publiés sont alors comparés. / The
    /// record: a file, or the server's address (its published results are
    /// then compared).
    #[arg(required_unless_present = "watch")]
    record: Option<String>,
    /// Le rapport en anglais. / The report in English.
    #[arg(long)]
    en: bool,
    /// Le rapport en français (par défaut). / The report in French (the
    /// default).
    #[arg(long, conflicts_with = "en")]
    fr: bool,
    /// L’élection, quand le serveur en a plusieurs. / The election, when
    /// the server has several.
    #[arg(long, value_name = "ID")]
    election: Option<String>,
    /// Les résultats publiés à comparer (GET /api/v1/results), pour un
    /// registre en fichier. / The published results to compare with a
    /// record file.
    #[arg(long, value_name = "FICHIER")]
    results: Option<PathBuf>,
    /// La clé du serveur attendue (64 hex) : le registre doit être signé
    /// par elle. / The server key the record must be signed with.
    #[arg(long, value_name = "CLÉ")]
    server_key: Option<String>,
    /// Un reçu détenu (le fichier signé d’un bureau, ou une ligne JSON par
    /// reçu) à confronter au registre ; répétable. / A receipt someone
    /// holds, checked against the record; repeatable.
    #[arg(long, value_name = "FICHIER")]
    receipt: Vec<PathBuf>,
    /// Des têtes signées détenues (le heads.jsonl d’un veilleur) à
    /// confronter au registre ; répétable. / Signed heads someone kept (a
    /// watcher's heads.jsonl), checked against the record; repeatable.
    #[arg(long, value_name = "FICHIER")]
    heads: Vec<PathBuf>,
    /// Un fichier de données ouvertes (GET /api/v1/open-data/…) à
    /// réécrire depuis le registre ; répétable. / An open-data file,
    /// written again from the record to compare; repeatable.
    #[arg(long, value_name = "FICHIER")]
    open_data: Vec<PathBuf>,
    /// Veille le journal du serveur à cette adresse, toute la nuit. /
    /// Watches the log of the server at this address, all night.
    #[arg(
        long,
        value_name = "ADRESSE",
        requires = "state",
        conflicts_with = "record"
    )]
    watch: Option<String>,
    /// Où le veilleur garde les têtes vues. / Where the watcher keeps the
    /// heads it saw.
    #[arg(long, value_name = "DOSSIER")]
    state: Option<PathBuf>,
    /// Secondes entre deux regards du veilleur. / Seconds between two looks.
    #[arg(long, default_value_t = 30, value_name = "S")]
    interval: u64,
    /// Un seul regard, puis s’arrête. / One look, then stop.
    #[arg(long)]
    once: bool,
    /// Télécharge chaque photo du PV papier que le registre liste (du
    /// serveur, ou d’un dossier de fichiers nommés par leur SHA-256) et la
    /// compare à l’empreinte signée par son bureau. / Fetch each photo of
    /// the paper PV the record lists (from the server, or a folder of files
    /// named by their SHA-256) and check it against its signed hash.
    #[arg(long, value_name = "DOSSIER|ADRESSE", num_args = 0..=1, default_missing_value = "")]
    photos: Option<String>,
}

/// Receipts from a file: a receipt, an answer holding one, or one of
/// either per line.
fn receipts(path: &PathBuf) -> Result<Vec<Receipt>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let one = |t: &str| {
        serde_json::from_str::<Receipt>(t)
            .or_else(|_| serde_json::from_str::<SubmitResponse>(t).map(|s| s.receipt))
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    match one(&text) {
        Ok(r) => Ok(vec![r]),
        Err(_) => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(one)
            .collect(),
    }
}

fn read(a: &Args) -> Result<(String, Option<Published>, Held), String> {
    let mut held = Held {
        server_key: a.server_key.clone(),
        ..Held::default()
    };
    for r in &a.receipt {
        held.receipts.extend(receipts(r)?);
    }
    for h in &a.heads {
        held.heads
            .extend(watch::read_heads(h).map_err(|e| format!("{e:?}"))?);
    }
    for f in &a.open_data {
        held.open_data
            .push(std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?);
    }
    let record = a.record.as_deref().unwrap_or_default();
    let election = a.election.as_deref();
    if record.starts_with("http://") || record.starts_with("https://") {
        let base = record.trim_end_matches('/');
        let q = net::election_query(election);
        // The open data before the record: the head they name is then one
        // the record has reached.
        let open_data = [File::Results, File::Turnout]
            .into_iter()
            .map(|f| {
                net::get_limited(
                    &format!("{base}/api/v1/open-data/{}?{q}", f.path()),
                    net::MAX_OPEN_DATA,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let text = watch::record(base, election)?;
        let results: ResultsResponse = net::get_json(&format!("{base}/api/v1/results?{q}"))?;
        let bureaux = net::bureaux(base, election)?;
        let published = Published {
            results: results.results,
            bureaux: Some(bureaux),
            turnout: Some(results.turnout),
            still_open: results.still_open,
        };
        held.open_data.extend(open_data);
        return Ok((text, Some(published), held));
    }
    let text = std::fs::read_to_string(record).map_err(|e| format!("{record}: {e}"))?;
    let published = match &a.results {
        None => None,
        Some(f) => {
            let t = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
            // The results answer (with its turnout), or the totals alone.
            let (results, turnout, still_open) = serde_json::from_str::<ResultsResponse>(&t)
                .map(|r| (r.results, Some(r.turnout), r.still_open))
                .or_else(|_| serde_json::from_str::<Results>(&t).map(|r| (r, None, None)))
                .map_err(|e| format!("{}: {e}", f.display()))?;
            Some(Published {
                results,
                bureaux: None,
                turnout,
                still_open,
            })
        }
    };
    Ok((text, published, held))
}

fn watch(a: &Args, base: &str, lang: Lang) -> ExitCode {
    let w = words(lang);
    let Some(dir) = &a.state else {
        return ExitCode::from(2);
    };
    let state = match State::open(dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e:?}");
            return ExitCode::from(2);
        }
    };
    loop {
        let said = match watch::look(base, a.election.as_deref(), a.server_key.as_deref(), &state) {
            Ok(Seen::First(h)) => {
                Ok(w.watch_first(h.head.timestamp, h.head.tree_size, short(&h.head.root_hash)))
            }
            Ok(Seen::Same(h)) => Ok(w.watch_same(h.head.timestamp, h.head.tree_size)),
            Ok(Seen::Consistent { head, previous }) => {
                Ok(w.watch_consistent(head.head.timestamp, head.head.tree_size, previous))
            }
            Err(WatchError::Io(e)) => Err((2, e)),
            Err(WatchError::NotSigned(h)) => Err((1, w.watch_not_signed(h.head.tree_size))),
            Err(WatchError::Fork { kept, shown, .. }) => Err((
                1,
                w.watch_fork(
                    (shown.head.tree_size, short(&shown.head.root_hash)),
                    (kept.head.tree_size, short(&kept.head.root_hash)),
                    &dir.join("heads.jsonl").display().to_string(),
                ),
            )),
        };
        match said {
            Ok(line) => println!("{}", escape(&line)),
            Err((code, line)) => {
                println!("{}", escape(&line));
                if code == 1 {
                    // The fork's second head, kept beside the others.
                    return ExitCode::from(1);
                }
                if a.once {
                    return ExitCode::from(2);
                }
            }
        }
        if a.once {
            return ExitCode::SUCCESS;
        }
        std::thread::sleep(Duration::from_secs(a.interval.max(1)));
    }
}

/// Where `--photos` fetches the pictures from.
enum PhotoSource {
    Server(String),
    Folder(PathBuf),
}

fn photo_source(given: &str, record: &str) -> PhotoSource {
    let given = if given.is_empty() { record } else { given };
    if given.starts_with("http://") || given.starts_with("https://") {
        return PhotoSource::Server(given.trim_end_matches('/').to_owned());
    }
    let path = PathBuf::from(given);
    match (path.is_file(), path.parent()) {
        (true, Some(dir)) => PhotoSource::Folder(dir.to_owned()),
        _ => PhotoSource::Folder(path),
    }
}

impl PhotoSource {
    fn fetch(&self, page: &PhotoPage) -> Result<Vec<u8>, String> {
        match self {
            PhotoSource::Server(base) => net::get_bytes_patiently(
                &format!("{base}/api/v1/photos/{}", page.sha256),
                MAX_PAGE_BYTES + 1,
            ),
            PhotoSource::Folder(dir) => {
                let path = dir.join(&page.sha256);
                std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
            }
        }
    }
}

fn main() -> ExitCode {
    let a = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            // --help and --version are answers, not errors.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let lang = if a.en { Lang::En } else { Lang::Fr };
    if let Some(base) = &a.watch {
        return watch(&a, base, lang);
    }
    let (record, published, held) = match read(&a) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{}", words(lang).cannot_read(&escape(&e)));
            return ExitCode::from(2);
        }
    };
    let mut report = verify_held(&record, published.as_ref(), &held);
    if let Some(source) = &a.photos {
        let source = photo_source(source, a.record.as_deref().unwrap_or_default());
        let (checked, problems) = check_pictures(&report.photos, |page| source.fetch(page));
        report.pictures_checked = checked;
        report.problems.extend(problems);
    }
    print!("{}", render(lang, &report));
    if report.holds() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
