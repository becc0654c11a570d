//! `pointage-server`: starts the central server. `cargo xtask serve` builds the
//! app and runs this; run it directly to choose the address, port and folders.
//!
//! It prints exactly one line starting with `Pointage is running at ` once it
//! listens, which `cargo xtask test` reads to find the port it was given.

use clap::Parser;
use pointage_server::{AppState, db::Db, demo, router};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    version,
    about = "Pointage's central server: the bureau app and its API"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Folder of the SQLite database (created if missing).
    #[arg(long, default_value = "data")]
    data_dir: PathBuf,
    /// Folder of the built app (Trunk's output).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Do not create the demo election on an empty database.
    #[arg(long)]
    no_demo: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pointage-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let index = args.dist.join("index.html");
    if !index.is_file() {
        return Err(format!(
            "the built app is missing ({} not found): build it with `cargo xtask serve`, or pass --dist",
            index.display()
        ));
    }
    let db = Db::open(&args.data_dir).map_err(|e| e.to_string())?;
    let seeded = match args.no_demo {
        true => None,
        false => db.with(demo::seed_if_empty).map_err(|e| e.to_string())?,
    };
    if let Some(e) = seeded {
        println!(
            "Created the demo election \"{}\" ({} candidates, {} bureaux).",
            e.name(),
            e.candidates().len(),
            e.bureaux().len()
        );
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(args.bind, args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.bind, args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("Data directory: {}", args.data_dir.display());
    if addr.ip().is_unspecified() {
        // Listening on every interface: the address to type is this
        // machine's own, which a phone on the same network can reach.
        let local = SocketAddr::new(IpAddr::from([127, 0, 0, 1]), addr.port());
        println!("Pointage is running at http://{local}/");
        println!(
            "From a phone on the same network, open http://<this machine's address>:{}/",
            addr.port()
        );
    } else {
        println!("Pointage is running at http://{addr}/");
    }
    let app = router(AppState { db }, args.dist);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
