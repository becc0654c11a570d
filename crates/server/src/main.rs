//! `pointage-server`: starts the central server, or manages elections.
//! `cargo xtask serve` builds the app and runs this; run it directly to choose
//! the address, port and folders, or to import an election and its codes.
//!
//! Serving prints exactly one line starting with `Pointage is running at `
//! once it listens, which `cargo xtask test` reads to find the port it was
//! given.

use clap::{Args, Parser, Subcommand};
use pointage_server::admin;
use pointage_server::{AppState, demo, router};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    version,
    about = "Pointage's central server: the bureau app and its API"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Manage elections: import one with its enrollment codes, replace a
    /// code, close one.
    #[command(subcommand)]
    Election(ElectionCommand),
    /// Manage the central team's accounts.
    #[command(subcommand)]
    Operator(OperatorCommand),
}

#[derive(Subcommand)]
enum OperatorCommand {
    /// Prints a one-time link (7 days) with which a person makes an
    /// account and its passkey: the first admin's, or anyone's.
    Invite {
        /// The account's name, as its holder will type it to sign in.
        #[arg(long)]
        name: String,
        /// admin (elections, accounts), coordinator (the board, reissues,
        /// notes) or observer (reads the board).
        #[arg(long)]
        role: pointage_core::operator::Role,
        /// The server's public address, as the serving node is given it
        /// (`--public-url`).
        #[arg(long, default_value = "http://localhost:8080")]
        public_url: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Subcommand)]
enum ElectionCommand {
    /// Stores an election definition (JSON, or TOML by its .toml extension)
    /// and writes one single-use enrollment code per bureau, printed and as
    /// CSV.
    Import {
        file: PathBuf,
        /// The bureaux from a spreadsheet (CSV, ODS or XLSX), one a line
        /// under a header line naming the columns: code, name (nom),
        /// commune; optionally address (adresse), département, inscrits,
        /// président, phone (téléphone). Every problem is said with its
        /// line, and nothing is stored while there is one. The definition
        /// then lists no bureau.
        #[arg(long)]
        bureaux: Option<PathBuf>,
        /// A later round of this election (its id): every phone whose key
        /// holds a bureau there holds the same bureau of this one at once
        /// (a key leaf naming it), with no new code; the codes file lists
        /// the other bureaux only.
        #[arg(long)]
        from: Option<String>,
        #[command(flatten)]
        out: CodeOutput,
    },
    /// Replaces a bureau's code (lost, or a phone to replace): the old code
    /// and the device key enrolled with it are revoked.
    Codes {
        /// The election's id.
        #[arg(long)]
        election: String,
        /// The bureau whose code is replaced.
        #[arg(long)]
        reissue: String,
        #[command(flatten)]
        out: CodeOutput,
    },
    /// Writes each bureau's letter to its président, one A4 page each in
    /// one PDF: the bureau, its address, the enrollment QR code and the
    /// code in clear, the day's steps, the central team's phone number. The
    /// codes come from the CSV files `import` and `codes` wrote (a bureau's
    /// latest wins: a letter made after a reissue carries the new code).
    Letters {
        /// The election's id.
        #[arg(long)]
        election: String,
        /// A codes CSV file (repeat: oldest first).
        #[arg(long = "codes", required = true)]
        codes: Vec<PathBuf>,
        /// Only the bureaux of this département (as in the spreadsheet).
        #[arg(long)]
        departement: Option<String>,
        /// The central team's phone number, printed on every letter.
        #[arg(long)]
        team_phone: Option<String>,
        /// The letters' language: fr or en.
        #[arg(long, default_value = "fr")]
        lang: String,
        /// The PDF to write (readable by its owner only: it holds codes).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Writes where every bureau stands and since when, the late first,
    /// with the président's name and phone number, as a CSV for the
    /// central team (personal data: readable by its owner only).
    Board {
        /// The election's id.
        #[arg(long)]
        election: String,
        /// Only the bureaux of this département.
        #[arg(long)]
        departement: Option<String>,
        /// Only the late: a checkpoint's time passed without its report,
        /// and no PV yet.
        #[arg(long)]
        late: bool,
        /// The CSV to write.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Closes an election once its results are final: the server takes no
    /// more returns, enrollments or new codes for it, and its public record
    /// is final (cached for good). Cannot be undone.
    Close {
        /// The election's id.
        #[arg(long)]
        election: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Args)]
struct StorageArgs {
    /// Folder of the SQLite database (created if missing), of the
    /// enrollment codes' CSV files and of the pepper file; the owner's
    /// alone (700).
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// Keep the server's state in this PostgreSQL database instead of
    /// SQLite (`postgres://user:password@host:5432/pointage`, or libpq's
    /// `host=… user=… sslmode=verify-full`), so that several servers can
    /// share it. Better from the environment (or a file) than on the
    /// command line, which other users of the machine can read.
    #[arg(
        long,
        value_name = "URL",
        env = "POINTAGE_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Read the PostgreSQL address from this file (the owner's alone).
    #[arg(long, value_name = "FILE", conflicts_with = "database_url")]
    database_url_file: Option<PathBuf>,
    /// The pepper the enrollment codes are stored under (created if
    /// missing; `code-pepper` in the data directory by default). Every
    /// node of one PostgreSQL database is given the same file.
    #[arg(long, value_name = "FILE")]
    code_pepper_file: Option<PathBuf>,
    /// Keep the server's signing key in this file (created, or moved there
    /// from the database, if missing) instead of in the database.
    #[arg(long, value_name = "FILE")]
    server_key_file: Option<PathBuf>,
}

impl StorageArgs {
    fn storage(&self) -> Result<admin::Storage, String> {
        let database_url = match &self.database_url_file {
            Some(file) => Some(admin::read_private_text(file)?),
            None => self.database_url.clone(),
        };
        Ok(admin::Storage {
            data_dir: self.data_dir.clone(),
            database_url,
            pepper_file: self.code_pepper_file.clone(),
            server_key_file: self.server_key_file.clone(),
        })
    }
}

#[derive(Args)]
struct CodeOutput {
    #[command(flatten)]
    storage: StorageArgs,
    /// The address phones will open, for the enrollment links.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    #[command(flatten)]
    storage: StorageArgs,
    /// Folder of the built app (Trunk's output).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Do not create the demo election on an empty database.
    #[arg(long)]
    no_demo: bool,
    /// Enrollment attempts allowed per client (an address, an IPv6 /64)
    /// and minute, on this node.
    #[arg(long, default_value_t = pointage_server::ENROLL_ATTEMPTS_PER_MINUTE)]
    enroll_attempts_per_minute: u32,
    /// Returns (signed PVs) allowed per client and minute, on this node: a
    /// polling station's phones behind one address stay far below; a
    /// drill sending a night's returns from one machine needs more.
    #[arg(long, default_value_t = pointage_server::RETURNS_PER_CLIENT_PER_MINUTE)]
    returns_per_minute: u32,
    /// Whole copies of the public record allowed per client and minute, on
    /// this node (a 304 for an unchanged copy does not count).
    #[arg(long, default_value_t = pointage_server::RECORDS_PER_CLIENT_PER_MINUTE)]
    records_per_minute: u32,
    /// Pictures of paper PVs allowed per client and minute, on this node
    /// (a 304 for a picture the client holds does not count).
    #[arg(long, default_value_t = pointage_server::PICTURES_PER_CLIENT_PER_MINUTE)]
    pictures_per_minute: u32,
    /// The address people open this server at (`https://pointage.example`):
    /// the central team's passkeys belong to its host name. Default:
    /// `http://localhost:PORT`, for this machine only.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// A reverse proxy in front of this server (an address or a block,
    /// `10.0.0.0/8`; repeat for several): its `Forwarded` or
    /// `X-Forwarded-For` says which client a request is from. Anyone
    /// else's is ignored.
    #[arg(long, value_name = "ADDRESS")]
    trusted_proxy: Vec<pointage_server::rate_limit::Cidr>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Election(ElectionCommand::Import {
            file,
            bureaux,
            from,
            out,
        })) => out.storage.storage().and_then(|s| {
            admin::import(
                &file,
                bureaux.as_deref(),
                from.as_deref(),
                &s,
                &out.base_url,
            )
        }),
        Some(Command::Election(ElectionCommand::Codes {
            election,
            reissue,
            out,
        })) => out
            .storage
            .storage()
            .and_then(|s| admin::reissue(&election, &reissue, &s, &out.base_url)),
        Some(Command::Election(ElectionCommand::Letters {
            election,
            codes,
            departement,
            team_phone,
            lang,
            out,
            storage,
        })) => {
            let lang = match lang.as_str() {
                "fr" => Ok(pointage_server::letters::Lang::Fr),
                "en" => Ok(pointage_server::letters::Lang::En),
                other => Err(format!("--lang {other}: the letters are in fr or en")),
            };
            lang.and_then(|lang| {
                let asked = pointage_server::letters::LettersAsked {
                    election: &election,
                    codes: &codes,
                    departement: departement.as_deref(),
                    team_phone: team_phone.as_deref(),
                    lang,
                    out: &out,
                };
                storage
                    .storage()
                    .and_then(|s| pointage_server::letters::letters(&asked, &s))
            })
        }
        Some(Command::Election(ElectionCommand::Board {
            election,
            departement,
            late,
            out,
            storage,
        })) => {
            let asked = pointage_server::board::BoardAsked {
                election: &election,
                departement: departement.as_deref(),
                late,
                out: &out,
            };
            storage
                .storage()
                .and_then(|s| pointage_server::board::write(&asked, &s))
        }
        Some(Command::Operator(OperatorCommand::Invite {
            name,
            role,
            public_url,
            storage,
        })) => storage
            .storage()
            .and_then(|s| admin::invite_operator(&name, role, &public_url, &s)),
        Some(Command::Election(ElectionCommand::Close { election, storage })) => {
            storage.storage().and_then(|s| admin::close(&election, &s))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pointage-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let index = args.dist.join("index.html");
    if !index.is_file() {
        return Err(format!(
            "the built app is missing ({} not found): build it with `cargo xtask serve`, or pass --dist",
            index.display()
        ));
    }
    let storage = args.storage.storage()?;
    let db = storage.open()?;
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(args.bind, args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.bind, args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let shown = if addr.ip().is_unspecified() {
        // Listening on every interface: the address to type is this
        // machine's own, which a phone on the same network can reach.
        SocketAddr::new(IpAddr::from([127, 0, 0, 1]), addr.port())
    } else {
        addr
    };
    let base_url = format!("http://{shown}");
    if !args.no_demo {
        demo::seed_and_print(&db, &storage.data_dir, &base_url)?;
    }
    match &storage.database_url {
        None => println!("Data directory: {}", storage.data_dir.display()),
        Some(url) => println!("PostgreSQL: {}", admin::redacted(url)),
    }
    println!("Pointage is running at {base_url}/");
    if addr.ip().is_unspecified() {
        println!(
            "From a phone on the same network, open http://<this machine's address>:{}/",
            addr.port()
        );
    }
    let mut state = AppState::new(db).map_err(|e| e.to_string())?;
    state.limits = std::sync::Arc::new(
        pointage_server::Limits::new(args.enroll_attempts_per_minute, args.trusted_proxy.clone())
            .returns_per_minute(args.returns_per_minute)
            .records_per_minute(args.records_per_minute)
            .pictures_per_minute(args.pictures_per_minute),
    );
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://localhost:{}", addr.port()));
    state.operators = std::sync::Arc::new(pointage_server::operators::Operators::new(&public_url)?);
    println!("The central team signs in at {public_url}/operateur");
    pointage_server::results::warm_up(state.clone());
    let app = router(state, args.dist);
    pointage_server::serve::serve(
        listener,
        app,
        pointage_server::serve::Bounds {
            trusted: args.trusted_proxy,
            ..Default::default()
        },
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    )
    .await;
    Ok(())
}
