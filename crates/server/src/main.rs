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
}

#[derive(Subcommand)]
enum ElectionCommand {
    /// Stores an election definition (JSON, or TOML by its .toml extension)
    /// and writes one single-use enrollment code per bureau, printed and as
    /// CSV.
    Import {
        file: PathBuf,
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
    /// Folder of the SQLite database (created if missing), and of the
    /// enrollment codes' CSV files.
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// Keep the server's state in this PostgreSQL database instead of
    /// SQLite (`postgres://user:password@host:5432/pointage`), so that
    /// several servers can share it.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

impl StorageArgs {
    fn storage(&self) -> admin::Storage {
        admin::Storage {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
        }
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
    /// Enrollment attempts allowed per client address and minute.
    #[arg(long, default_value_t = pointage_server::ENROLL_ATTEMPTS_PER_MINUTE)]
    enroll_attempts_per_minute: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Election(ElectionCommand::Import { file, out })) => {
            admin::import(&file, &out.storage.storage(), &out.base_url)
        }
        Some(Command::Election(ElectionCommand::Codes {
            election,
            reissue,
            out,
        })) => admin::reissue(&election, &reissue, &out.storage.storage(), &out.base_url),
        Some(Command::Election(ElectionCommand::Close { election, storage })) => {
            admin::close(&election, &storage.storage())
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
    let storage = args.storage.storage();
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
    state.enroll_limit = std::sync::Arc::new(pointage_server::rate_limit::RateLimiter::new(
        args.enroll_attempts_per_minute,
        60_000,
    ));
    let app = router(state, args.dist);
    pointage_server::serve::serve(
        listener,
        app,
        pointage_server::serve::HEADER_TIMEOUT,
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    )
    .await;
    Ok(())
}
