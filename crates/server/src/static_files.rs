//! Serves the built bureau app (Trunk's `dist/`): the right content type for
//! every file (`application/wasm` for the module), `index.html` for any path
//! that is not a file, so that client-side routes survive a reload.
//!
//! Files are sent precompressed when `NAME.br` or `NAME.gz` is beside them
//! (the build writes them at the highest settings); others are compressed on
//! the fly by the router's compression layer.
//!
//! Every file is served with `Cache-Control: no-cache`: the browser keeps it but
//! revalidates it (a cheap 304), so a phone never runs an `index.html` that
//! points at a wasm module the server no longer has.
//!
//! And with a Content-Security-Policy that lets the page load nothing but
//! this server's own files: the one inline script Trunk writes (which starts
//! the wasm module) is allowed by its hash, read from `index.html` at start.

use axum::Router;
use axum::http::{HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy for the app: its own origin only; wasm compilation allowed;
/// inline scripts only those of `index.html`, by hash.
pub fn content_security_policy(index_html: &str) -> String {
    let mut scripts = String::new();
    let mut rest = index_html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let Some(close) = after.find("</script>") else {
            break;
        };
        let tag = &after[..open_end];
        if !tag.contains("src=") && close > open_end {
            let body = &after[open_end + 1..close];
            let hash =
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes()));
            scripts.push_str(&format!(" 'sha256-{hash}'"));
        }
        rest = &after[close + "</script>".len()..];
    }
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

fn policy_for(dist: &Path) -> HeaderValue {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    HeaderValue::from_str(&content_security_policy(&index))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

pub fn router(dist: PathBuf) -> Router {
    let index = ServeFile::new(dist.join("index.html"));
    let csp = policy_for(&dist);
    Router::new()
        // `cargo xtask` writes brotli and gzip twins of the built files;
        // they are sent as they are when the browser accepts them.
        .fallback_service(
            ServeDir::new(dist)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index.precompressed_br().precompressed_gzip()),
        )
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_starter_script_is_allowed_by_its_hash_and_nothing_else() {
        let html =
            "<head><script type=\"module\">init();</script><script src=\"/x.js\"></script></head>";
        let csp = content_security_policy(html);
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init();"));
        assert!(csp.starts_with("default-src 'self'; "), "{csp}");
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        assert_eq!(csp.matches("'sha256-").count(), 1, "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
    }
}
