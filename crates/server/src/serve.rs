//! Accepting connections: HTTP/1.1 through hyper, as `axum::serve` does,
//! but with a timer, so that a client has [`HEADER_TIMEOUT`] to send a
//! request's headers (a connection that trickles them in, or sits idle
//! between requests, is closed instead of held for ever), and each
//! connection knows its client's address for the rate limits.
//!
//! On shutdown, no connection is accepted any more and those open finish
//! the request under way.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client has to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` resolves, each client given
/// `header_timeout` for a request's headers.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors, or a connection reset before it
                // was accepted: wait a moment, and go on accepting.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = app
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(client));
                req
            });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    // The requests under way finish; no new one is read.
    graceful.shutdown().await;
}

/// Serves `app` on a free port of this machine's loopback, in the
/// background, for as long as the runtime runs: for the tests and the
/// benchmarks. Gives the address.
pub async fn on_free_port(app: Router) -> std::io::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(serve(listener, app, HEADER_TIMEOUT, std::future::pending()));
    Ok(addr)
}
