//! A second round made from the first in the admin's form: the same
//! bureaux, each enrolled phone carried over without a new code (its key
//! leaf names the first round), letters for the others only.

// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{Site, board, proof, session, start};
use crate::common::{public_key_hex_of, pv};
use pointage_core::log::{KeyHistory, RecordLine};
use pointage_core::operator::Role;
use pointage_core::wire::EnrollResponse;
use reqwest::StatusCode;

const SECOND: &str = "demo-2027-t2";

async fn second_round(site: &Site, cookie: &str, proof: &str, from: &str) -> (StatusCode, String) {
    let form = reqwest::multipart::Form::new()
        .text("csrf", proof.to_owned())
        .text("lang", "fr")
        .text("id", SECOND)
        .text("name", "Primaire de démonstration, second tour")
        .text("round", "1")
        .text("date", "2027-01-29")
        .text("test", "1")
        .text("from", from.to_owned())
        .text("candidates", "Aline\nBruno\nChloé\nDjamel\n")
        .text("time_zone", "Europe/Paris");
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
async fn a_second_round_carries_every_enrolled_phone_and_letters_only_the_others() {
    let site = start().await;
    let (base, client) = (site.base.as_str(), &site.client);
    let first = site.election.id().to_owned();
    let now = pointage_server::system::now_ms();
    for (bureau, secret) in [("DEMO-001", [1; 32]), ("DEMO-002", [2; 32])] {
        site.db
            .enroll(&site.code(bureau), &public_key_hex_of(&secret), now)
            .unwrap();
    }
    // DEMO-003's phone enrolled, then its code reissued: no key holds it.
    site.db
        .enroll(&site.code("DEMO-003"), &public_key_hex_of(&[3; 32]), now)
        .unwrap();
    site.db
        .reissue_code(
            &first,
            "DEMO-003",
            now,
            pointage_core::operator::Actor::Admin,
        )
        .unwrap();

    site.db.team_phone_set(&first, "01 23 45 67 89").unwrap();
    let admin = site.account("Claire", Role::Admin).await;
    let (_, page) = board(client, base, Some(&admin)).await;
    let admin_proof = proof(&page);
    let form = client
        .get(format!("{base}/operateur/election"))
        .header("cookie", session(&admin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains(&format!("<option value=\"{first}\">")),
        "the first round is offered for the bureaux"
    );

    // An election that does not exist: said, nothing stored.
    let (status, page) = second_round(&site, &admin, &admin_proof, "nulle-part").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("L’élection choisie pour les bureaux n’existe pas."));
    assert!(site.db.election(SECOND).unwrap().is_none());

    let (status, page) = second_round(&site, &admin, &admin_proof, &first).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("2 bureaux gardent le téléphone du tour précédent"),
        "{page}"
    );
    let second = site.db.election(SECOND).unwrap().expect("stored");
    assert_eq!(second.round(), 2, "the round after the first's");
    assert_eq!(second.bureaux(), site.election.bureaux());
    assert_eq!(
        site.db.team_phone(SECOND).unwrap().as_deref(),
        Some("01 23 45 67 89"),
        "the first round's team phone, none other given"
    );

    // The letters and codes: the 11 bureaux whose phone is not carried.
    let links: Vec<&str> = page
        .split("href=\"/operateur/telechargement/")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let csv = client
        .get(format!(
            "{base}/operateur/telechargement/{}",
            links.last().unwrap()
        ))
        .header("cookie", session(&admin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let coded: Vec<&str> = csv.lines().skip(1).map(|l| &l[..8]).collect();
    assert_eq!(coded.len(), site.election.bureaux().len() - 2);
    assert!(!coded.contains(&"DEMO-001") && !coded.contains(&"DEMO-002"));
    assert!(
        coded.contains(&"DEMO-003"),
        "a reissued bureau needs a code"
    );

    // The record says which keys were carried, and from where.
    let record = site.record(SECOND).await;
    let mut keys = KeyHistory::new();
    for line in record.lines() {
        if let Ok(RecordLine::Leaf { index, entry }) = serde_json::from_str::<RecordLine>(line) {
            keys.apply(index, &entry).unwrap();
        }
    }
    assert_eq!(
        keys.carried(),
        std::collections::BTreeMap::from([(first.as_str(), 2)])
    );
    assert_eq!(
        keys.current("DEMO-002").map(|s| s.key.clone()),
        Some(public_key_hex_of(&[2; 32]))
    );

    // The phone asks, and is given the second round for its bureau.
    let next = |key: String| {
        let url = format!("{base}/api/v1/next-round?election={first}&key={key}");
        async move { client.get(url).send().await.unwrap() }
    };
    let r = next(public_key_hex_of(&[1; 32])).await;
    assert_eq!(r.status(), StatusCode::OK);
    let given: EnrollResponse = r.json().await.unwrap();
    assert_eq!(
        (given.election.id.as_str(), given.election.round),
        (SECOND, 2)
    );
    assert_eq!(given.election.bureau.code, "DEMO-001");
    assert_eq!(given.election.hash, second.hash());
    // A key that holds nothing (never enrolled, or revoked) is given
    // nothing: that phone needs its letter's code.
    for key in [[9; 32], [3; 32]] {
        assert_eq!(
            next(public_key_hex_of(&key)).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    // Asked from the second round, there is no later one.
    let r = client
        .get(format!(
            "{base}/api/v1/next-round?election={SECOND}&key={}",
            public_key_hex_of(&[1; 32])
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The carried key signs the second round's return: received.
    // (The second round's candidates are c1… as the form names them.)
    let mut pv = pv([40, 30, 20, 10]);
    pv.voix = second
        .candidates()
        .iter()
        .zip([40, 30, 20, 10])
        .map(|(c, v)| (c.id.clone(), Some(v)))
        .collect();
    let ret = pointage_testkit::signed_version(
        &second,
        "DEMO-001",
        pv,
        &[1; 32],
        1_800_000_000_000,
        None,
    );
    let r = client
        .post(format!("{base}/api/v1/returns"))
        .header("content-type", "application/json")
        .body(ret.to_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
}
