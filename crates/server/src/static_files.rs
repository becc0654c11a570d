//! Serves the three built apps (Trunk's `dist/`): the right content type
//! for every file (`application/wasm` for the module); for a path that is
//! not a file, the deposit app's page (`dist/public/index.html`) at
//! `/deposer`, a table phone's (`dist/table-phone/index.html`) at
//! `/rejoindre` and `/table`, the bureau app's (`index.html`) everywhere else (but
//! `/resultats`, which the server writes: `results_page`), so that every
//! screen survives a reload and each phone downloads only its app.
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
//! this server's own files: the inline scripts of the apps' pages
//! (Trunk's, which starts the wasm module; the bureau page's early read)
//! are allowed by their hashes, read from every `index.html` at start.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get_service;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy for the app: its own origin only; wasm compilation allowed;
/// inline scripts only those of `index.html`, by hash; pictures also from
/// `blob:` (the paper PV's photos, shown from the phone's own storage).
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
         img-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
         form-action 'self'"
    )
}

/// The deposit app's paths: the server answers them with its page.
pub const PUBLIC_PATHS: [&str; 2] = ["/deposer", "/deposer/"];

/// Where the deposit app is built, inside `dist/` (its files are served
/// under `/public/`).
pub const PUBLIC_DIR: &str = "public";

/// A table phone's paths (the invitation's QR code opens the first).
pub const TABLE_PATHS: [&str; 4] = ["/rejoindre", "/rejoindre/", "/table", "/table/"];

/// Where a table phone's app is built, inside `dist/` (its files are served
/// under `/table-phone/`).
pub const TABLE_DIR: &str = "table-phone";

fn policy_for(pages: &[PathBuf]) -> HeaderValue {
    let html: String = pages
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    HeaderValue::from_str(&content_security_policy(&html))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

pub fn router(dist: PathBuf) -> Router {
    let bureau_page = dist.join("index.html");
    // A dist/ without an app of its own (an older build) answers its paths
    // with the bureau app, as before the split.
    let own_page = |dir: &str| match dist.join(dir).join("index.html") {
        page if page.is_file() => page,
        _ => bureau_page.clone(),
    };
    let public_page = own_page(PUBLIC_DIR);
    let table_page = own_page(TABLE_DIR);
    let csp = policy_for(&[bureau_page.clone(), public_page.clone(), table_page.clone()]);
    let index = ServeFile::new(bureau_page);
    let mut router = Router::new();
    let paths = PUBLIC_PATHS.map(|p| (p, &public_page));
    for (path, page) in paths
        .into_iter()
        .chain(TABLE_PATHS.map(|p| (p, &table_page)))
    {
        router = router.route(
            path,
            get_service(ServeFile::new(page).precompressed_br().precompressed_gzip()),
        );
    }
    router
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

    async fn page_at(router: Router, path: &str) -> String {
        use tower::ServiceExt;
        let res = router
            .oneshot(
                axum::http::Request::get(path)
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await
            .expect("answer");
        assert_eq!(res.status(), 200, "{path}");
        let body = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("body");
        String::from_utf8(body.to_vec()).expect("utf-8")
    }

    #[tokio::test]
    async fn the_deposit_and_table_paths_get_their_apps_and_every_other_the_bureau_app() {
        let dir = std::env::temp_dir().join(format!("pointage-static-{}", std::process::id()));
        for (app, page) in [(PUBLIC_DIR, "public();"), (TABLE_DIR, "table();")] {
            std::fs::create_dir_all(dir.join(app)).expect("dirs");
            std::fs::write(
                dir.join(app).join("index.html"),
                format!("<script>{page}</script>"),
            )
            .expect("write");
        }
        std::fs::write(dir.join("index.html"), "<script>bureau();</script>").expect("write");
        let router = router(dir.clone());
        for path in PUBLIC_PATHS {
            assert!(
                page_at(router.clone(), path).await.contains("public();"),
                "{path}"
            );
        }
        for path in TABLE_PATHS {
            assert!(
                page_at(router.clone(), path).await.contains("table();"),
                "{path}"
            );
        }
        for path in [
            "/",
            "/tables",
            "/compter",
            "/pv",
            "/enroler",
            "/resultatsx",
            "/deposer/x",
        ] {
            assert!(
                page_at(router.clone(), path).await.contains("bureau();"),
                "{path}"
            );
        }
        let res = tower::ServiceExt::oneshot(
            router,
            axum::http::Request::get("/deposer")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("answer");
        let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("ascii")
            .to_owned();
        for body in ["bureau();", "public();", "table();"] {
            let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body));
            assert!(csp.contains(&hash), "{body}: {csp}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
