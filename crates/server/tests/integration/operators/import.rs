//! An admin's import of 2,000 bureaux (10,000 in the journey, whose
//! server works alone) from a spreadsheet, its problems
//! by line, its letters and codes.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{Site, board, proof, session, start};
use pointage_core::operator::Role;
use reqwest::StatusCode;
use serde_json::json;

/// A spreadsheet of `n` bureaux as the organisers write it, with French
/// titles; `bad` lines (from 2, after the titles) spoilt one way each.
fn spreadsheet(n: usize, bad: &[usize]) -> String {
    let mut out =
        String::from("N° du bureau;Nom du bureau;Commune;Département;Président;Téléphone\n");
    for i in 0..n {
        let line = i + 2;
        let row = match bad.iter().position(|&b| b == line) {
            Some(0) => format!("B{i:05};;Arles;13;Président {i};06 12 34 56 78\n"),
            Some(1) => format!(
                "B{:05};Bureau {i};Arles;13;Président {i};06 12 34 56 78\n",
                i - 1
            ),
            Some(_) => format!("B{i:05};Bureau {i};Arles;13;Président {i};appelez-moi\n"),
            None => format!(
                "B{i:05};Bureau {i};Commune {};{:02};Président {i};06 12 34 {:02} {:02}\n",
                i / 9,
                1 + i % 95,
                i % 100,
                i / 100 % 100
            ),
        };
        out.push_str(&row);
    }
    out
}

async fn send_import(
    site: &Site,
    cookie: &str,
    proof: &str,
    file: String,
    counts: &str,
) -> (StatusCode, String) {
    send_form(site, cookie, proof, Err(file), counts).await
}

/// The import form with a file chosen (`Err`), or without one but with
/// the previous attempt's kept (`Ok(token)`).
async fn send_form(
    site: &Site,
    cookie: &str,
    proof: &str,
    file: Result<&str, String>,
    counts: &str,
) -> (StatusCode, String) {
    let form = reqwest::multipart::Form::new()
        .text("csrf", proof.to_owned())
        .text("lang", "fr")
        .text("id", "primaire-2027")
        .text("name", "Primaire citoyenne 2027")
        .text("round", "1")
        .text("date", "2027-01-22")
        .text("test", "1")
        .text("candidates", "Aline Martin\nBruno Petit\nChloé Durand\n")
        .text("team_phone", "01 23 45 67 89")
        .text("time_zone", "Europe/Paris")
        .text("opening", "08:00")
        .text("counts", counts.to_owned());
    let form = match file {
        Ok(kept) => form.text("kept", kept.to_owned()),
        Err(file) => form.part(
            "file",
            reqwest::multipart::Part::bytes(file.into_bytes()).file_name("bureaux.csv"),
        ),
    };
    let r = site
        .client
        .post(format!("{}/operateur/election", site.base))
        .header("cookie", session(cookie))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_imports_two_thousand_bureaux_and_downloads_their_letters() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let admin = site.account("Claire", Role::Admin).await;
    let (_, page) = board(client, base, Some(&admin)).await;
    assert!(
        page.contains("/operateur/election"),
        "the admin is offered the import"
    );
    let admin_proof = proof(&page);

    // Three bad lines among 10,000: each said with its line, nothing stored.
    let (status, page) = send_import(
        &site,
        &admin,
        &admin_proof,
        spreadsheet(2_000, &[5, 1_001, 1_999]),
        "12:00 17:00",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let listed: Vec<&str> = page
        .split("<ul id=\"problems\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap()
        .split("<li>")
        .skip(1)
        .collect();
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(
        listed[0].starts_with("ligne 5 : le bureau n’a pas de nom"),
        "{}",
        listed[0]
    );
    assert!(
        listed[1].contains("ligne 1001 : le code « B00998 » est déjà ligne 1000"),
        "{}",
        listed[1]
    );
    assert!(
        listed[2].contains("ligne 1999 : « appelez-moi » n’est pas un numéro de téléphone"),
        "{}",
        listed[2]
    );
    assert!(
        page.contains("value=\"Primaire citoyenne 2027\""),
        "what was typed is kept"
    );
    assert!(site.db.election("primaire-2027").unwrap().is_none());

    // Fixed: stored, and its letters and codes wait for the admin.
    // A time of the day that cannot be read: said, nothing stored.
    let (status, page) =
        send_import(&site, &admin, &admin_proof, spreadsheet(2_000, &[]), "midi").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("Les heures de la journée ne se lisent pas"),
        "{page}"
    );
    // The spreadsheet need not be chosen again: it was kept.
    assert!(page.contains("Le tableur « bureaux.csv » envoyé est gardé une heure"));
    let kept = page.split("name=\"kept\" value=\"").nth(1).unwrap();
    let kept = &kept[..kept.find('"').unwrap()];
    // Another admin cannot use it.
    let other = site.account("Zoé", Role::Admin).await;
    let (_, other_page) = board(client, base, Some(&other)).await;
    let (status, other_page) =
        send_form(&site, &other, &proof(&other_page), Ok(kept), "12:00 17:00").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(other_page.contains("Choisissez le tableur des bureaux."));
    let (status, page) = send_form(&site, &admin, &admin_proof, Ok(kept), "12:00 17:00").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let e = site.db.election("primaire-2027").unwrap().expect("stored");
    assert_eq!(e.bureaux().len(), 2_000);
    let day: Vec<(&str, &str)> = e
        .checkpoints()
        .iter()
        .map(|c| (c.id.as_str(), c.due.as_str()))
        .collect();
    assert_eq!(
        day,
        [
            ("ouverture", "2027-01-22T08:00:00+01:00"),
            ("12h", "2027-01-22T12:00:00+01:00"),
            ("17h", "2027-01-22T17:00:00+01:00"),
        ]
    );
    assert_eq!(
        site.db.team_phone("primaire-2027").unwrap().as_deref(),
        Some("01 23 45 67 89"),
        "kept for the letters of later reissues"
    );
    let details = site.db.bureau_details("primaire-2027").unwrap();
    assert_eq!(details[42].phone.as_deref(), Some("06 12 34 42 00"));
    let links: Vec<&str> = page
        .split("href=\"/operateur/telechargement/")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    // All the letters, the codes, then the letters of each of the 95
    // départements, which add up to all.
    assert_eq!(links.len(), 2 + 95);
    let by_departement: u32 = page
        .split("<ul id=\"by-departement\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap()
        .split("</a> — ")
        .skip(1)
        .map(|s| s[..s.find('<').unwrap()].parse::<u32>().unwrap())
        .sum();
    assert_eq!(by_departement, 2_000);
    let fetch = |who: String, link: String| async move {
        let r = client
            .get(format!("{base}/operateur/telechargement/{link}"))
            .header("cookie", session(&who))
            .send()
            .await
            .unwrap();
        (
            r.status(),
            r.headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned()),
            r.bytes().await.unwrap(),
        )
    };
    let (status, kind, pdf) = fetch(admin.clone(), links[0].to_owned()).await;
    assert_eq!(
        (status, kind.as_deref()),
        (StatusCode::OK, Some("application/pdf"))
    );
    assert!(pdf.starts_with(b"%PDF"));
    let (_, _, csv) = fetch(admin.clone(), links[1].to_owned()).await;
    let csv = String::from_utf8(csv.to_vec()).unwrap();
    assert_eq!(csv.lines().count(), 2_001);
    // A code of the file enrolls its bureau's phone.
    let line = csv.lines().nth(7).unwrap();
    let code = line.split(',').nth(3).unwrap();
    assert!(line.starts_with("B00006,"), "{line}");
    let r = client
        .post(format!("{base}/api/v1/enroll"))
        .json(&json!({ "code": code, "device_key": crate::common::public_key_hex_of(&[9; 32]) }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Another operator cannot fetch them.
    let other = site.account("Other", Role::Admin).await;
    assert_eq!(
        fetch(other.clone(), links[0].to_owned()).await.0,
        StatusCode::NOT_FOUND
    );
    // A coordinator is refused the import.
    let coordinator = site.account("Coord", Role::Coordinator).await;
    let (_, page) = board(client, base, Some(&coordinator)).await;
    assert!(!page.contains("/operateur/election"));
    let (status, _) = send_import(
        &site,
        &coordinator,
        &proof(&page),
        spreadsheet(3, &[]),
        "12:00",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
