//! Accepting connections: HTTP/1.1 through hyper, as `axum::serve` does,
//! with bounds a client cannot stretch:
//! - a request's headers arrive within [`HEADER_TIMEOUT`] (a connection
//!   that trickles them in is closed);
//! - a connection on which nothing moves, either way, for [`IDLE_TIMEOUT`]
//!   is closed (a client that sends a body a byte a minute, or reads its
//!   answer so, or sits idle between requests);
//! - at most [`MAX_CONNECTIONS`] are open, and [`MAX_PER_CLIENT`] from one
//!   address (but a trusted proxy's, which carries everyone's): past them
//!   a new connection waits to be accepted, or is closed at once;
//! - each connection knows its client's address for the rate limits.
//!
//! On shutdown, no connection is accepted any more and those open finish
//! the request under way.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// How long a client has to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a connection may go without a byte read or written.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections open at once: far more phones than send at one moment,
/// well within the file descriptors a server is given (README).
pub const MAX_CONNECTIONS: usize = 8_192;

/// Connections open at once from one client address (an IPv6 /64).
pub const MAX_PER_CLIENT: usize = 256;

/// The bounds of [`serve`].
#[derive(Clone)]
pub struct Bounds {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub max_per_client: usize,
    /// Peers whose connections carry many clients (`--trusted-proxy`): not
    /// held to `max_per_client`.
    pub trusted: Vec<crate::rate_limit::Cidr>,
}

impl Default for Bounds {
    fn default() -> Self {
        Self {
            header_timeout: HEADER_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            max_per_client: MAX_PER_CLIENT,
            trusted: Vec::new(),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, within `bounds`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    bounds: Bounds,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let open = Arc::new(tokio::sync::Semaphore::new(bounds.max_connections));
    let per_client: Arc<Mutex<HashMap<crate::rate_limit::Client, usize>>> = Arc::default();
    let app = normalized(app);
    tokio::pin!(shutdown);
    loop {
        // A free place first: past the bound, new connections wait in the
        // system's queue.
        let place = tokio::select! {
            p = open.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
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
        let Some(held) = Held::take(&per_client, client.ip(), &bounds) else {
            // Too many from this address: closed at once.
            drop(stream);
            continue;
        };
        let service = app
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(client));
                req
            });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(bounds.header_timeout)
            .serve_connection(
                TokioIo::new(Idle::new(stream, bounds.idle_timeout)),
                TowerToHyperService::new(service),
            );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(held);
            drop(place);
        });
    }
    // The requests under way finish; no new one is read.
    graceful.shutdown().await;
}

/// A connection counted against its client's address while it is open.
struct Held {
    table: Arc<Mutex<HashMap<crate::rate_limit::Client, usize>>>,
    client: Option<crate::rate_limit::Client>,
}

impl Held {
    fn take(
        table: &Arc<Mutex<HashMap<crate::rate_limit::Client, usize>>>,
        ip: IpAddr,
        bounds: &Bounds,
    ) -> Option<Held> {
        if bounds.trusted.iter().any(|c| c.contains(ip)) {
            return Some(Held {
                table: table.clone(),
                client: None,
            });
        }
        let client = crate::rate_limit::Client::from(Some(ip));
        let mut t = table.lock().unwrap_or_else(|p| p.into_inner());
        let n = t.entry(client).or_default();
        if *n >= bounds.max_per_client {
            return None;
        }
        *n += 1;
        Some(Held {
            table: table.clone(),
            client: Some(client),
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(c) = self.client {
            let mut t = self.table.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(n) = t.get_mut(&c) {
                *n -= 1;
                if *n == 0 {
                    t.remove(&c);
                }
            }
        }
    }
}

/// A connection closed once nothing has moved on it for a while.
struct Idle<T> {
    inner: T,
    timeout: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl<T> Idle<T> {
    fn new(inner: T, timeout: Duration) -> Self {
        Self {
            inner,
            timeout,
            deadline: Box::pin(tokio::time::sleep(timeout)),
        }
    }

    fn moved(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + self.timeout);
    }

    /// Pending, unless the deadline has passed.
    fn waiting<R>(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<R>> {
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::ErrorKind::TimedOut.into())),
            Poll::Pending => Poll::Pending,
        }
    }

    /// A write's outcome: bytes moved reset the idle clock; nothing ready
    /// waits within it.
    fn wrote(
        &mut self,
        cx: &mut Context<'_>,
        wrote: Poll<std::io::Result<usize>>,
    ) -> Poll<std::io::Result<usize>> {
        match wrote {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.moved();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(e) => Poll::Ready(e),
            Poll::Pending => self.waiting(cx),
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Idle<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                if buf.filled().len() > before {
                    self.moved();
                }
                Poll::Ready(r)
            }
            Poll::Pending => self.waiting(cx),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Idle<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let wrote = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.wrote(cx, wrote)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending => self.waiting(cx),
            done => done,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let wrote = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.wrote(cx, wrote)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// `app` with each request's path cleaned before it is routed: runs of
/// slashes made one, so that `//public` is the path `/public` (a redirect
/// to `//public/` would send the browser to the host `public`).
pub fn normalized(app: Router) -> Router {
    Router::new().fallback_service(app.map_request(|mut req: axum::http::Request<_>| {
        let uri = req.uri();
        if uri.path().contains("//") {
            let mut path = String::with_capacity(uri.path().len());
            for c in uri.path().chars() {
                if !(c == '/' && path.ends_with('/')) {
                    path.push(c);
                }
            }
            let with_query = match uri.query() {
                Some(q) => format!("{path}?{q}"),
                None => path,
            };
            if let Ok(pq) = with_query.parse::<axum::http::uri::PathAndQuery>() {
                let mut parts = uri.clone().into_parts();
                parts.path_and_query = Some(pq);
                if let Ok(clean) = axum::http::Uri::from_parts(parts) {
                    *req.uri_mut() = clean;
                }
            }
        }
        req
    }))
}

/// Serves `app` on a free port of this machine's loopback, in the
/// background, for as long as the runtime runs: for the tests and the
/// benchmarks. Gives the address.
pub async fn on_free_port(app: Router) -> std::io::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(serve(
        listener,
        app,
        Bounds::default(),
        std::future::pending(),
    ));
    Ok(addr)
}
