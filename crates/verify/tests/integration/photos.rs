//! The verifier on a record with photos of the paper PV a real server
//! took: the documents listed and checked; with `--photos`, each picture
//! fetched (from the server, or a folder) and checked against the hash
//! its bureau signed, and a byte changed in one names the bureau and the
//! page.

use crate::common::{Server, sign, start};
use pointage_core::photo::{PIECE_BYTES, SignedPhotos};
use pointage_testkit::{photos_of, picture};
use pointage_verify::report::{Lang, render};
use pointage_verify::verify;

const PHONE: [u8; 32] = [71; 32];

/// DEMO-001's return and its two-page photo document, every piece sent.
async fn with_photos(s: &Server) -> (SignedPhotos, Vec<Vec<u8>>) {
    s.enrolled(&s.code("DEMO-001"), &PHONE).await;
    let ret = sign(&s.election, "DEMO-001", [40, 30, 20, 10], &PHONE, None);
    assert_eq!(s.submit(ret.to_bytes()).await.status(), 201);
    let pages = vec![picture(11, 150_000), picture(12, 20_000)];
    let doc = photos_of(&s.election, &ret, &PHONE, &pages, None);
    let sent = s
        .client
        .post(format!("{}/photos", s.base))
        .body(doc.to_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    for (page, bytes) in doc.body().pages.iter().zip(&pages) {
        for (n, piece) in bytes.chunks(PIECE_BYTES).enumerate() {
            let put = s
                .client
                .put(format!("{}/photos/{}/pieces/{n}", s.base, page.sha256))
                .body(piece.to_vec())
                .send()
                .await
                .unwrap();
            assert_eq!(put.status(), 200);
        }
    }
    (doc, pages)
}

#[tokio::test(flavor = "multi_thread")]
async fn photos_are_listed_fetched_and_a_byte_changed_names_the_bureau() {
    let s = start().await;
    let (doc, pages) = with_photos(&s).await;
    let record = s.record().await;
    let report = verify(&record, None);
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.photo_documents, 1);
    assert_eq!(report.photos[0].bureau, "DEMO-001");
    assert_eq!(report.photos[0].id, doc.id());
    assert!(
        render(Lang::Fr, &report)
            .contains("Photos du PV papier : 1 document(s) lu(s), 1 accepté(s), 2 page(s)."),
        "{}",
        render(Lang::Fr, &report)
    );

    let origin = s.base.trim_end_matches("/api/v1").to_owned();
    let bin = env!("CARGO_BIN_EXE_pointage-verify");
    let run = move |args: Vec<String>| std::process::Command::new(bin).args(args).output().unwrap();
    let said = |out: &std::process::Output| String::from_utf8_lossy(&out.stdout).into_owned();
    let out = tokio::task::spawn_blocking({
        let origin = origin.clone();
        move || run(vec![origin, "--photos".into()])
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert!(
        said(&out).contains("Photos téléchargées et comparées à leur empreinte signée : 2."),
        "{}",
        said(&out)
    );

    // A folder of the pictures, as a mirror keeps them: one byte of page 2
    // changed.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("record.jsonl");
    std::fs::write(&file, &record).unwrap();
    for (page, bytes) in doc.body().pages.iter().zip(&pages) {
        std::fs::write(dir.path().join(&page.sha256), bytes).unwrap();
    }
    let args = |lang: &str| {
        vec![
            lang.to_owned(),
            file.display().to_string(),
            "--photos".into(),
        ]
    };
    let out = run(args("--fr"));
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let second = dir.path().join(&doc.body().pages[1].sha256);
    let mut bytes = pages[1].clone();
    bytes[1000] ^= 1;
    std::fs::write(&second, &bytes).unwrap();
    let out = run(args("--en"));
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(
        said(&out).contains("station DEMO-001, page 2 of the paper report")
            && said(&out).contains("not the photo the station signed"),
        "{}",
        said(&out)
    );

    // On the server: a piece changed in its database. The server does not
    // serve a picture that is not the one signed, and the verifier says
    // which bureau's page it cannot get.
    if s.postgres.is_none() {
        let c = rusqlite::Connection::open(s.data_dir.join("pointage.sqlite3")).unwrap();
        c.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
        let mut piece = pages[0][..PIECE_BYTES].to_vec();
        piece[7] ^= 1;
        let changed = c
            .execute(
                "UPDATE photo_piece SET bytes = ?1 WHERE sha256 = ?2 AND n = 0",
                rusqlite::params![piece, doc.body().pages[0].sha256],
            )
            .unwrap();
        assert_eq!(changed, 1);
        let out = tokio::task::spawn_blocking(move || run(vec![origin, "--photos".into()]))
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", said(&out));
        assert!(
            said(&out).contains("bureau DEMO-001, page 1 du PV"),
            "{}",
            said(&out)
        );
    }
}

/// A server that lets a client download one picture a second: the
/// verifier waits as told (429, `Retry-After`) and checks them all.
#[tokio::test(flavor = "multi_thread")]
async fn the_verifier_waits_when_the_server_limits_its_pictures() {
    let mut limits = pointage_server::Limits::new(60, Vec::new())
        .returns_per_minute(1_000_000)
        .records_per_minute(1_000_000)
        .without_tarpit();
    limits.pictures_by_client =
        pointage_server::rate_limit::RateLimiter::new(1, 1.0 / 1_000.0, 1_000);
    let s = crate::common::start_limited(limits).await;
    with_photos(&s).await;
    let origin = s.base.trim_end_matches("/api/v1").to_owned();
    let bin = env!("CARGO_BIN_EXE_pointage-verify");
    let started = std::time::Instant::now();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(bin)
            .args([origin, "--photos".into()])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Photos téléchargées et comparées à leur empreinte signée : 2."),
        "{said}"
    );
    // The second picture came after the server's wait.
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
}
