//! At the end, checked: the record against every receipt, the published
//! totals against what the bureaux sent, and `pointage-verify` on it all.

use crate::parts::fail;
use crate::phones::Sent;
use pointage_core::SignedReturn;
use pointage_core::wire::ResultsResponse;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

/// What the checks found.
pub struct Checked {
    pub problems: Vec<String>,
    pub receipts_ok: usize,
    pub leaves: usize,
    pub verified: bool,
}

pub async fn all(
    client: &reqwest::Client,
    direct: &str,
    election: &str,
    s: &Sent,
    verify_bin: &str,
    dir: &Path,
) -> Checked {
    let mut problems: Vec<String> = s.unexpected.iter().take(20).cloned().collect();
    if s.unexpected.len() > 20 {
        problems.push(format!(
            "… and {} more unexpected answers",
            s.unexpected.len() - 20
        ));
    }
    let record = client
        .get(format!("{direct}/api/v1/record?election={election}"))
        .send()
        .await
        .and_then(|r| r.error_for_status());
    let record = match record {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => fail(&format!("the record: {e}")),
    };
    // Every receipt is a leaf of the record, once, at the number it gives;
    // the leaves run from 0 without a gap.
    let mut leaf_of: HashMap<String, Vec<u64>> = HashMap::new();
    let mut indexes = Vec::new();
    for line in record.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        if v["type"] != "leaf" {
            continue;
        }
        let index = v["index"].as_u64().unwrap_or(u64::MAX);
        indexes.push(index);
        if v["entry"]["type"] == "return" {
            let bytes = pointage_core::canonical::encode(&v["entry"]["return"]).unwrap_or_default();
            if let Some(id) = SignedReturn::id_of(&bytes) {
                leaf_of.entry(id).or_default().push(index);
            }
        }
    }
    if let Some(gap) = indexes.iter().zip(0u64..).find(|(index, n)| **index != *n) {
        problems.push(format!(
            "the record's leaves skip or repeat: leaf {} where {} was due",
            gap.0, gap.1
        ));
    }
    let mut receipts_ok = 0;
    for r in &s.receipts {
        let v: serde_json::Value = serde_json::from_str(r).unwrap_or_default();
        let (id, seq) = (
            v["body"]["return_id"].as_str().unwrap_or_default(),
            v["body"]["sequence"].as_u64().unwrap_or(0),
        );
        match leaf_of.get(id).map(Vec::as_slice) {
            Some([at]) if *at == seq => receipts_ok += 1,
            Some(at) => problems.push(format!(
                "return {id}: receipt n° {seq}, in the record at {at:?}"
            )),
            None => problems.push(format!("return {id}: receipt n° {seq}, not in the record")),
        }
    }
    if leaf_of.len() as u64 != s.versions {
        problems.push(format!(
            "{} returns in the record, {} received by the phones",
            leaf_of.len(),
            s.versions
        ));
    }
    // The published totals are the sum of what the bureaux sent.
    let results: ResultsResponse = match client
        .get(format!("{direct}/api/v1/results?election={election}"))
        .send()
        .await
    {
        Ok(r) => r
            .json()
            .await
            .unwrap_or_else(|e| fail(&format!("the results: {e}"))),
        Err(e) => fail(&format!("the results: {e}")),
    };
    let mut ours: BTreeMap<String, u64> = BTreeMap::new();
    for votes in s.latest.values() {
        for (c, n) in votes {
            *ours.entry(c.clone()).or_default() += n;
        }
    }
    for c in &results.results.candidates {
        let mine = ours.get(&c.id).copied().unwrap_or(0);
        if mine != c.votes {
            problems.push(format!("{}: published {}, sent {mine}", c.id, c.votes));
        }
    }
    if u64::from(results.results.coverage.reporting) != s.latest.len() as u64 {
        problems.push(format!(
            "coverage: published {} bureaux, {} sent",
            results.results.coverage.reporting,
            s.latest.len()
        ));
    }
    // And anyone's verifier, given every receipt.
    let receipts_file = dir.join("receipts.jsonl");
    let _ = std::fs::write(&receipts_file, s.receipts.join("\n") + "\n");
    let verify = Command::new(verify_bin)
        .arg(direct)
        .args(["--election", election, "--en", "--receipt"])
        .arg(&receipts_file)
        .output()
        .unwrap_or_else(|e| fail(&format!("{verify_bin}: {e}")));
    let verified = verify.status.success();
    if !verified {
        problems.push(format!(
            "pointage-verify failed: {}",
            String::from_utf8_lossy(&verify.stdout)
                .lines()
                .filter(|l| l.contains('!') || l.contains("FAIL") || l.contains("not"))
                .map(|l| match l.char_indices().nth(200) {
                    Some((cut, _)) => format!("{}…", &l[..cut]),
                    None => l.to_owned(),
                })
                .take(5)
                .collect::<Vec<_>>()
                .join(" / ")
        ));
    }
    Checked {
        problems,
        receipts_ok,
        leaves: indexes.len(),
        verified,
    }
}
