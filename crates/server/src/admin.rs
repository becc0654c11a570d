//! What the organisers run from the command line: import an election with its
//! enrollment codes, replace a bureau's code. Codes are shown here once (on
//! screen and in a CSV to print) and stored only as hashes.

use crate::db::{Db, IssuedCode, Secrets};
use crate::system;
use pointage_core::Election;
use std::path::{Path, PathBuf};

/// Where the server keeps its state: SQLite in the data directory (the
/// default), or the PostgreSQL database of `database_url`. The codes' CSV
/// files, and the pepper file unless another is given, are in the data
/// directory either way (the owner's alone).
#[derive(Clone, Debug)]
pub struct Storage {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    /// The pepper file (`code-pepper` in the data directory when `None`):
    /// every node of one PostgreSQL database must be given the same.
    pub pepper_file: Option<PathBuf>,
    /// Where the server key lives, when not in the database.
    pub server_key_file: Option<PathBuf>,
}

impl Storage {
    /// The SQLite database of `data_dir`, its secrets there too.
    pub fn sqlite(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            database_url: None,
            pepper_file: None,
            server_key_file: None,
        }
    }

    fn secrets(&self) -> Result<Secrets, String> {
        crate::db::secrets::private_dir(&self.data_dir).map_err(|e| e.to_string())?;
        let secrets = match &self.pepper_file {
            Some(file) => Secrets::with_pepper_file(file),
            None => Secrets::in_dir(&self.data_dir),
        };
        Ok(secrets
            .map_err(|e| e.to_string())?
            .server_key_in(self.server_key_file.clone()))
    }

    /// Opens the database, bringing its schema up to date.
    pub fn open(&self) -> Result<Db, String> {
        let secrets = self.secrets()?;
        match &self.database_url {
            None => Db::open_with(&self.data_dir, secrets).map_err(|e| e.to_string()),
            Some(url) => Db::open_postgres(url, secrets)
                .map_err(|e| format!("PostgreSQL ({}): {e}", redacted(url))),
        }
    }
}

/// A secret kept in a text file the owner alone may read (the database's
/// address, with its password), trimmed.
pub fn read_private_text(file: &Path) -> Result<String, String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "{} may be read by others (mode {:o}): `chmod 600` it",
                file.display(),
                mode & 0o777
            ));
        }
    }
    Ok(std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?
        .trim()
        .to_owned())
}

/// A database address as it may be printed: without its password.
pub fn redacted(url: &str) -> String {
    match url.parse::<tokio_postgres::Config>() {
        Ok(c) => {
            let hosts: Vec<String> = c
                .get_hosts()
                .iter()
                .map(|h| match h {
                    tokio_postgres::config::Host::Tcp(name) => name.clone(),
                    tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
                })
                .collect();
            format!(
                "database {} on {} as {}",
                c.get_dbname().unwrap_or("(default)"),
                hosts.join(","),
                c.get_user().unwrap_or("(default)")
            )
        }
        Err(_) => "an invalid address".into(),
    }
}

/// The link that opens the app's enrollment screen with the code filled
/// in. The code is in the fragment, which the browser never sends (no
/// proxy or server log has it), and which the app takes out of the
/// address bar and the history once read.
pub fn enrollment_url(base_url: &str, code: &str) -> String {
    format!("{}/enroler#code={code}", base_url.trim_end_matches('/'))
}

/// Reads an election definition: TOML when the file ends in `.toml`, JSON
/// otherwise. Core checks it as it is read.
pub fn read_definition(file: &Path) -> Result<Election, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let parsed = if file.extension().is_some_and(|x| x == "toml") {
        toml::from_str::<Election>(&text).map_err(|e| e.to_string())
    } else {
        serde_json::from_str::<Election>(&text).map_err(|e| e.to_string())
    };
    parsed.map_err(|e| format!("{} is not a valid election: {e}", file.display()))
}

/// Writes the codes as CSV (bureau, name, commune, code, link) and prints
/// them; returns the CSV's path.
pub fn write_codes(
    election: &Election,
    codes: &[IssuedCode],
    csv: &Path,
    base_url: &str,
) -> Result<(), String> {
    for c in codes {
        let url = enrollment_url(base_url, &c.code);
        println!("  {:<12} {}  {url}", c.bureau, c.code);
    }
    let out = codes_text(election, codes, base_url);
    write_private(csv, out.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", csv.display()))?;
    println!("Enrollment codes written to {}", csv.display());
    Ok(())
}

/// The codes' CSV (`bureau,name,commune,code,url`), as `write_codes`
/// writes it and `letters` reads it.
pub fn codes_text(election: &Election, codes: &[IssuedCode], base_url: &str) -> String {
    let mut out = String::from("bureau,name,commune,code,url\n");
    for c in codes {
        let (name, commune) = election
            .bureau(&c.bureau)
            .map(|b| (b.name.as_str(), b.commune.as_str()))
            .unwrap_or_default();
        let url = enrollment_url(base_url, &c.code);
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            csv_field(&c.bureau),
            csv_field(name),
            csv_field(commune),
            c.code,
            csv_field(&url)
        ));
    }
    out
}

/// A CSV cell, as core writes the open data's.
fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    pointage_core::open_data::cell(s, ',')
}

/// Writes a file only its owner may read (the codes are secrets until
/// they are handed out).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Where the codes of an election are written.
pub fn codes_csv(data_dir: &Path, election_id: &str, suffix: &str) -> PathBuf {
    data_dir.join(format!("codes-{election_id}{suffix}.csv"))
}

/// `pointage-server election import FILE [--bureaux SPREADSHEET]`.
pub fn import(
    file: &Path,
    bureaux: Option<&Path>,
    from: Option<&str>,
    storage: &Storage,
    base_url: &str,
) -> Result<(), String> {
    let (election, details) = match bureaux {
        Some(sheet) => crate::spreadsheet::definition(file, sheet)?,
        None => (read_definition(file)?, Vec::new()),
    };
    let db = storage.open()?;
    let now = system::now_ms();
    let codes = match from {
        Some(from) => {
            let first = db
                .election(from)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("--from {from}: there is no such election"))?;
            if first.round() >= election.round() {
                return Err(format!(
                    "--from {from}: its round ({}) must come before this election's ({})",
                    first.round(),
                    election.round()
                ));
            }
            let codes = db
                .store_next_round(&election, &details, from, now)
                .map_err(|e| format!("cannot store the election {}: {e}", election.id()))?;
            println!(
                "{} bureau(x) keep their phone's key from {from}: no code for them.",
                election.bureaux().len() - codes.len()
            );
            codes
        }
        None => db
            .store_election_with(&election, &details, now)
            .map_err(|e| format!("cannot store the election {}: {e}", election.id()))?,
    };
    println!(
        "Imported \"{}\" ({}): {} candidates, {} bureaux, hash {}.",
        election.name(),
        election.id(),
        election.candidates().len(),
        election.bureaux().len(),
        election.hash()
    );
    write_codes(
        &election,
        &codes,
        &codes_csv(&storage.data_dir, election.id(), ""),
        base_url,
    )
}

/// `pointage-server election codes --election ID --reissue BUREAU`.
pub fn reissue(
    election_id: &str,
    bureau: &str,
    storage: &Storage,
    base_url: &str,
) -> Result<(), String> {
    let db = storage.open()?;
    let election = db
        .election(election_id)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("there is no election {election_id}"))?;
    if election.bureau(bureau).is_none() {
        return Err(format!("election {election_id} has no bureau {bureau}"));
    }
    let code = db
        .reissue_code(
            election_id,
            bureau,
            system::now_ms(),
            pointage_core::operator::Actor::CommandLine,
        )
        .map_err(|e| e.to_string())?;
    println!("The old code of bureau {bureau} and the device enrolled with it are revoked.");
    write_codes(
        &election,
        &[code],
        &codes_csv(
            &storage.data_dir,
            election_id,
            &format!("-{bureau}-reissued"),
        ),
        base_url,
    )
}

/// `pointage-server operator invite --name N --role R`: the invitation's
/// link, printed (it is shown once; the database keeps only its hash).
pub fn invite_operator(
    name: &str,
    role: pointage_core::operator::Role,
    public_url: &str,
    storage: &Storage,
) -> Result<(), String> {
    let name = pointage_core::operator::account_name(name)
        .ok_or("--name: an account name of 1 to 64 characters is needed")?;
    crate::operators::Operators::new(public_url)?;
    let db = storage.open()?;
    let token =
        crate::operators::invite(&db, &name, role, system::now_ms()).map_err(|e| e.to_string())?;
    println!(
        "Invitation for {name} ({}), valid 7 days, once: send this link by a safe means.",
        role.code()
    );
    println!("{}", crate::operators::invitation_url(public_url, &token));
    Ok(())
}

/// `pointage-server election close --election ID`.
pub fn close(election_id: &str, storage: &Storage) -> Result<(), String> {
    let db = storage.open()?;
    let closure = db
        .close_election(
            election_id,
            system::now_ms(),
            pointage_core::operator::Actor::CommandLine,
        )
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("there is no election {election_id}"))?;
    println!(
        "Election {election_id} is closed (at {} ms since 1970): its record ends with receipt {} and is final. No return, enrollment or new code is taken for it any more.",
        closure.closed_at, closure.last_sequence
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
id = "municipales-2026-arles"
name = "Municipales 2026, Arles"
round = 1
date = "2026-03-15"
mode = "live"

[[candidates]]
id = "liste-a"
panel = 1
name = "Arles ensemble"

[[candidates]]
id = "liste-b"
panel = 2
name = "Arles demain, liste \"citoyenne\""

[[bureaux]]
code = "001"
name = "Hôtel de ville"
commune = "Arles"
inscrits = 1200

[[bureaux]]
code = "002"
name = "École, annexe"
commune = "Arles"
"#;

    #[test]
    fn the_bureaux_of_a_spreadsheet_are_imported_with_their_codes_and_details() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("arles.toml");
        // The definition without its bureaux: the spreadsheet gives them.
        let without = &TOML[..TOML.find("[[bureaux]]").expect("bureaux")];
        std::fs::write(&file, without).expect("write");
        let sheet =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/bureaux/bureaux.xlsx");
        let data = dir.path().join("data");
        let storage = Storage::sqlite(data.clone());
        import(&file, Some(&sheet), None, &storage, "https://x.example").expect("imports");
        let db = Db::open(&data).expect("db");
        let e = db
            .election("municipales-2026-arles")
            .expect("read")
            .expect("stored");
        assert_eq!(e.bureaux().len(), 3);
        let details = db.bureau_details(e.id()).expect("details");
        assert_eq!(details.len(), 3);
        let csv = std::fs::read_to_string(codes_csv(&data, e.id(), "")).expect("codes");
        assert_eq!(csv.lines().count(), 4, "{csv}");
        assert!(csv.contains("069-001,Salle des fêtes,Lyon,"), "{csv}");
        // A bad sheet: nothing stored (the election is not there twice).
        let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/bureaux/bad.csv");
        std::fs::write(&file, without.replace("municipales-2026-arles", "autre")).expect("write");
        let said = import(&file, Some(&bad), None, &storage, "https://x.example").unwrap_err();
        assert!(said.contains("line 3: the bureau has no name"), "{said}");
        assert!(db.election("autre").expect("read").is_none());
    }

    #[test]
    fn an_election_is_imported_from_toml_with_one_code_per_bureau_in_a_csv() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("arles.toml");
        std::fs::write(&file, TOML).expect("write");
        let data = dir.path().join("data");
        import(
            &file,
            None,
            None,
            &Storage::sqlite(data.clone()),
            "https://pointage.example.org/",
        )
        .expect("imports");

        let db = Db::open(&data).expect("db");
        let e = db
            .election("municipales-2026-arles")
            .expect("read")
            .expect("stored");
        assert_eq!(e.bureau("002").map(|b| b.inscrits), Some(None));
        let csv = std::fs::read_to_string(codes_csv(&data, e.id(), "")).expect("csv");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "bureau,name,commune,code,url");
        assert_eq!(lines.len(), 3);
        assert!(
            lines[2].starts_with("002,\"École, annexe\",Arles,"),
            "{}",
            lines[2]
        );
        let code = lines[1].split(',').nth(3).expect("code");
        assert!(
            lines[1].ends_with(&format!("https://pointage.example.org/enroler#code={code}")),
            "{}",
            lines[1]
        );
        // Importing it again is refused: a definition is never replaced.
        assert!(
            import(
                &file,
                None,
                None,
                &Storage::sqlite(data.clone()),
                "http://x"
            )
            .is_err()
        );
    }

    #[test]
    fn reissuing_replaces_the_code_and_an_unknown_bureau_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("arles.toml");
        std::fs::write(&file, TOML).expect("write");
        let data = dir.path().join("data");
        import(
            &file,
            None,
            None,
            &Storage::sqlite(data.clone()),
            "http://x",
        )
        .expect("imports");
        reissue(
            "municipales-2026-arles",
            "001",
            &Storage::sqlite(data.clone()),
            "http://x",
        )
        .expect("reissues");
        let csv = codes_csv(&data, "municipales-2026-arles", "-001-reissued");
        assert!(
            std::fs::read_to_string(csv)
                .expect("csv")
                .contains("\n001,")
        );
        let err = reissue(
            "municipales-2026-arles",
            "999",
            &Storage::sqlite(data.clone()),
            "http://x",
        )
        .expect_err("no such bureau");
        assert!(err.contains("no bureau 999"), "{err}");
    }

    #[test]
    fn a_second_round_from_the_command_line_carries_the_enrolled_phones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (first, second) = (dir.path().join("t1.toml"), dir.path().join("t2.toml"));
        std::fs::write(&first, TOML).expect("write");
        let t2 = TOML
            .replace("municipales-2026-arles", "municipales-2026-arles-t2")
            .replace("round = 1", "round = 2")
            .replace("2026-03-15", "2026-03-22");
        std::fs::write(&second, &t2).expect("write");
        let data = dir.path().join("data");
        let storage = Storage::sqlite(data.clone());
        import(&first, None, None, &storage, "http://x").expect("imports");
        let codes =
            std::fs::read_to_string(codes_csv(&data, "municipales-2026-arles", "")).expect("csv");
        let code = codes
            .lines()
            .find(|l| l.starts_with("001,"))
            .and_then(|l| l.split(',').nth(3))
            .expect("001's code")
            .to_owned();
        let key = pointage_core::signed_return::public_key_hex(&[5; 32]);
        storage
            .open()
            .expect("db")
            .enroll(&code, &key, 1)
            .expect("enrolls");
        // Not a later round: refused, nothing stored.
        let err = import(&second, None, Some("nowhere"), &storage, "http://x").unwrap_err();
        assert!(
            err.contains("--from nowhere: there is no such election"),
            "{err}"
        );
        import(
            &second,
            None,
            Some("municipales-2026-arles"),
            &storage,
            "http://x",
        )
        .expect("imports");
        let codes = std::fs::read_to_string(codes_csv(&data, "municipales-2026-arles-t2", ""))
            .expect("csv");
        let listed: Vec<&str> = codes.lines().skip(1).map(|l| &l[..3]).collect();
        assert_eq!(listed, ["002"], "001's phone is carried: no code for it");
        let db = storage.open().expect("db");
        assert_eq!(
            db.enrolled_key("municipales-2026-arles-t2", "001")
                .expect("read"),
            Some(key)
        );
        // The first round from the second: refused.
        let third = dir.path().join("t3.toml");
        std::fs::write(
            &third,
            t2.replace("arles-t2", "arles-t3")
                .replace("round = 2", "round = 1"),
        )
        .expect("write");
        let err = import(
            &third,
            None,
            Some("municipales-2026-arles-t2"),
            &storage,
            "http://x",
        )
        .unwrap_err();
        assert!(err.contains("must come before"), "{err}");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_as_text() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_field("+33 1 23"), "'+33 1 23");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tcmd"), "'\tcmd");
        assert_eq!(csv_field("École, annexe"), "\"École, annexe\"");
        assert_eq!(csv_field("Arles"), "Arles");
    }

    #[test]
    fn an_invalid_definition_says_what_is_wrong() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("bad.json");
        std::fs::write(&file, r#"{"id":"x","name":"X","round":1,"date":"2026-13-01","mode":"live","candidates":[],"bureaux":[]}"#).expect("write");
        let err = read_definition(&file).expect_err("invalid");
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }
}
