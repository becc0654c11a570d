//! The bureaux' phones, simulated with the real core: every report and
//! return signed as a phone signs it (the rules checked, each warning
//! explained as a bureau would), sent as a phone sends it (again after a
//! network failure or a busy server), and what the server acknowledged
//! counted here, to compare with what it publishes.

use crate::parts::fail;
use pointage_core::handover;
use pointage_core::rules::{self, Severity};
use pointage_core::signed_return::{ReturnDraft, public_key_hex};
use pointage_core::{CheckpointKind, Election, ProcesVerbal, SignedReturn};
use pointage_testkit as kit;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Phones sending at once.
pub const PHONES: usize = 128;

/// What happens to bureau `i` (the same at every run).
pub fn silent(i: usize) -> bool {
    i % 100 == 37
}
fn corrects(i: usize) -> bool {
    i % 50 == 3
}
fn stranger_signs(i: usize) -> bool {
    i % 200 == 11
}
/// Its phone's screen read by a helper's phone (QR codes), which sends it.
fn handed_over(i: usize) -> bool {
    i % 100 == 59
}
/// Its phone replaced in the afternoon: its code reissued, the old phone's
/// return refused, the new phone's counted.
pub fn reissued(i: usize) -> bool {
    i % 1000 == 501
}

/// When bureau `i` sends its return, as a share of the night: a third in
/// the first fifth, most by half-way, a long tail (a hash of `i`).
pub fn arrival(i: usize) -> f64 {
    let h = kit::device_secret("arrival", i);
    let u = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as f64 / u32::MAX as f64;
    if u < 0.34 {
        u / 0.34 * 0.2
    } else if u < 0.8 {
        0.2 + (u - 0.34) / 0.46 * 0.3
    } else {
        0.5 + (u - 0.8) / 0.2 * 0.5
    }
}

fn secret(i: usize) -> [u8; 32] {
    kit::device_secret("rehearse", i)
}

/// Latencies by endpoint: when each request was sent (seconds on the
/// rehearsal's clock) and how long it took (ms).
pub struct Timings {
    pub clock: Instant,
    pub by: Mutex<BTreeMap<&'static str, Vec<(f64, f64)>>>,
}

impl Timings {
    pub fn new(clock: Instant) -> Self {
        Timings {
            clock,
            by: Mutex::default(),
        }
    }

    pub fn add(&self, what: &'static str, started: Instant) {
        let at = started.duration_since(self.clock).as_secs_f64();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if let Ok(mut by) = self.by.lock() {
            by.entry(what).or_default().push((at, ms));
        }
    }
}

/// What the simulated bureaux sent and the server acknowledged.
#[derive(Default)]
pub struct Sent {
    /// Each bureau's latest return received: its votes per candidate.
    pub latest: HashMap<String, BTreeMap<String, u64>>,
    /// Every receipt, as the server signed it (JSON).
    pub receipts: Vec<String>,
    pub versions: u64,
    pub corrections: u64,
    pub handed_over: u64,
    pub reports: u64,
    /// Returns signed by a key that never was the bureau's, refused.
    pub strangers_refused: u64,
    /// Returns of a replaced phone (its code reissued), refused.
    pub replaced_refused: u64,
    pub replaced_counted: u64,
    pub unexpected: Vec<String>,
    /// When the count of bureaux received went up (seconds on the
    /// rehearsal's clock), in order: the `k`-th is when it reached `k + 1`.
    pub counted_at: Vec<f64>,
}

/// What every phone shares.
#[derive(Clone)]
pub struct Phones {
    pub client: reqwest::Client,
    /// A helper's phone, on its own connections.
    pub helper: reqwest::Client,
    pub timings: Arc<Timings>,
    pub sent: Arc<Mutex<Sent>>,
    pub proxy: String,
    pub election: Arc<Election>,
    pub gate: Arc<tokio::sync::Semaphore>,
}

impl Phones {
    fn unexpected(&self, what: String) {
        if let Ok(mut s) = self.sent.lock() {
            s.unexpected.push(what);
        }
    }

    /// Sends `body`, as a phone would: again after a network failure or a
    /// busy server (at most 8 times); the status and body of the answer.
    async fn send(
        &self,
        client: &reqwest::Client,
        what: &'static str,
        path: &str,
        body: Vec<u8>,
    ) -> Option<(u16, String)> {
        let url = format!("{}{path}", self.proxy);
        for attempt in 0..8u32 {
            let t = Instant::now();
            let r = client
                .post(&url)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await;
            self.timings.add(what, t);
            match r {
                Ok(r) if r.status().as_u16() < 500 || r.status().as_u16() == 501 => {
                    let status = r.status().as_u16();
                    return Some((status, r.text().await.unwrap_or_default()));
                }
                _ => tokio::time::sleep(Duration::from_millis(100 << attempt.min(4))).await,
            }
        }
        None
    }

    async fn enroll(&self, code: &str, enrollment: &str, key: &[u8; 32]) -> bool {
        let body = serde_json::to_vec(&serde_json::json!({
            "code": enrollment,
            "device_key": public_key_hex(key),
        }))
        .unwrap_or_default();
        let r = self
            .send(&self.client, "POST /api/v1/enroll", "/api/v1/enroll", body)
            .await;
        let ok = r.as_ref().map(|(s, _)| *s) == Some(200);
        if !ok {
            self.unexpected(format!("{code}: enroll {r:?}"));
        }
        ok
    }

    /// The morning: bureau `i`'s phone enrolls with its code, then reports
    /// the day's first count (when the election's day has one).
    pub async fn morning(&self, i: usize, enrollment: String) {
        let code = self.election.bureaux()[i].code.clone();
        if !self.enroll(&code, &enrollment, &secret(i)).await {
            return;
        }
        let Some(checkpoint) = self
            .election
            .checkpoints()
            .iter()
            .find(|c| c.kind == CheckpointKind::Count)
        else {
            return;
        };
        let inscrits = self.election.bureaux()[i].inscrits.unwrap_or(1_000);
        let count = inscrits * (20 + (i % 10) as u32) / 100;
        let report = kit::turnout_report(
            &self.election,
            &code,
            &secret(i),
            &checkpoint.id,
            count,
            None,
        );
        let r = self
            .send(
                &self.client,
                "POST /api/v1/reports",
                "/api/v1/reports",
                report.to_bytes(),
            )
            .await;
        match r {
            Some((200 | 201, _)) => {
                if let Ok(mut s) = self.sent.lock() {
                    s.reports += 1;
                }
            }
            other => self.unexpected(format!("{code}: report {other:?}")),
        }
    }

    /// The night: bureau `i`'s return, and what befalls it (a correction,
    /// a hand-over by QR, a stranger's return, a phone replaced: `new_code`
    /// is the code reissued for it).
    pub async fn night(&self, i: usize, new_code: Option<String>) {
        let code = self.election.bureaux()[i].code.clone();
        let signed_at = 1_800_000_000_000;
        let mut key = secret(i);
        if let Some(new_code) = new_code {
            // The replaced phone still sends: refused, its key revoked.
            let old = sign(&self.election, i, i, &key, signed_at, None);
            match self
                .send(
                    &self.client,
                    "POST /api/v1/returns",
                    "/api/v1/returns",
                    old.to_bytes(),
                )
                .await
            {
                Some((403, _)) => {
                    if let Ok(mut s) = self.sent.lock() {
                        s.replaced_refused += 1;
                    }
                }
                other => self.unexpected(format!("{code}: a replaced phone's return: {other:?}")),
            }
            key = kit::device_secret("rehearse-replacement", i);
            if !self.enroll(&code, &new_code, &key).await {
                return;
            }
        }
        let v1 = sign(&self.election, i, i, &key, signed_at, None);
        let via_qr = handed_over(i);
        let Some(v1) = self.accepted(&code, v1, via_qr).await else {
            return;
        };
        if key != secret(i)
            && let Ok(mut s) = self.sent.lock()
        {
            s.replaced_counted += 1;
        }
        if corrects(i) {
            let v2 = sign(
                &self.election,
                i,
                i + 1,
                &key,
                signed_at + 1,
                Some((&v1, "Erreur de report.".into())),
            );
            if self.accepted(&code, v2, false).await.is_some()
                && let Ok(mut s) = self.sent.lock()
            {
                s.corrections += 1;
            }
        }
        if stranger_signs(i) {
            let forged = sign(
                &self.election,
                i,
                i + 7,
                &kit::device_secret("stranger", i),
                signed_at,
                None,
            );
            let r = self
                .send(
                    &self.client,
                    "POST /api/v1/returns",
                    "/api/v1/returns",
                    forged.to_bytes(),
                )
                .await;
            match r {
                Some((403, _)) => {
                    if let Ok(mut s) = self.sent.lock() {
                        s.strangers_refused += 1;
                    }
                }
                other => self.unexpected(format!("{code}: a stranger's return answered {other:?}")),
            }
        }
    }

    /// Sends a return (its bytes carried by QR codes to a helper's phone
    /// first when `via_qr`); when the server takes it, keeps its receipt
    /// and its votes as the bureau's latest, and gives it back.
    async fn accepted(&self, code: &str, ret: SignedReturn, via_qr: bool) -> Option<SignedReturn> {
        let (client, bytes) = if via_qr {
            // The bureau's phone shows the parts; the helper's camera reads
            // them in its own order, one twice; core puts them together.
            let mut parts = handover::split(&ret.to_bytes());
            parts.reverse();
            parts.push(parts[0].clone());
            let bytes = handover::collect(parts.iter().map(String::as_str))
                .into_iter()
                .next()
                .and_then(|c| c.bytes)
                .and_then(Result::ok);
            let Some(bytes) = bytes else {
                self.unexpected(format!("{code}: the QR parts did not come together"));
                return None;
            };
            (&self.helper, bytes)
        } else {
            (&self.client, ret.to_bytes())
        };
        let r = self
            .send(client, "POST /api/v1/returns", "/api/v1/returns", bytes)
            .await;
        let Ok(mut s) = self.sent.lock() else {
            return None;
        };
        match r {
            Some((200 | 201, body)) => {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                s.receipts.push(v["receipt"].to_string());
                let votes = ret
                    .body()
                    .pv
                    .voix
                    .iter()
                    .map(|(c, n)| (c.clone(), u64::from(n.unwrap_or(0))))
                    .collect();
                let first = s.latest.insert(code.to_owned(), votes).is_none();
                s.versions += 1;
                s.handed_over += u64::from(via_qr);
                if first {
                    let at = self.timings.clock.elapsed().as_secs_f64();
                    s.counted_at.push(at);
                }
                Some(ret)
            }
            other => {
                s.unexpected
                    .push(format!("{code}: return answered {other:?}"));
                None
            }
        }
    }
}

/// A plausible PV for bureau `i` (`seed` varies the figures): its
/// inscrits as the definition says (1,000 when it does not), 55 to 75 %
/// of them voting, about 1 % blank and 1 % spoiled, the rest shared among
/// the candidates.
fn pv_for(election: &Election, i: usize, seed: usize) -> ProcesVerbal {
    let bureau = &election.bureaux()[i];
    let inscrits = bureau.inscrits.unwrap_or(1_000);
    let voters = inscrits * (55 + (seed % 21) as u32) / 100;
    let (blancs, nuls) = (voters / 100, voters / 120);
    let exprimes = voters - blancs - nuls;
    let candidates = election.candidates();
    let weights: Vec<u32> = (0..candidates.len())
        .map(|c| 5 + ((seed * 7 + c * 13) % 60) as u32)
        .collect();
    let total: u32 = weights.iter().sum();
    let mut voix = BTreeMap::new();
    let mut given = 0;
    for (c, w) in candidates.iter().zip(&weights) {
        let n = exprimes * w / total.max(1);
        given += n;
        voix.insert(c.id.clone(), Some(n));
    }
    if let Some(first) = candidates.first() {
        voix.insert(
            first.id.clone(),
            Some(voix[&first.id].unwrap_or(0) + exprimes - given),
        );
    }
    ProcesVerbal {
        inscrits: bureau.inscrits.or(Some(1_000)),
        emargements: Some(voters),
        enveloppes: Some(voters),
        blancs: Some(blancs),
        nuls: Some(nuls),
        exprimes: Some(exprimes),
        voix,
        contributions_cents: None,
        members: kit::members(),
        observations: String::new(),
    }
}

/// Bureau `i`'s return (figures from `seed`), entered twice alike and
/// signed with `key`: a warning the rules raise (a tiny bureau where a
/// candidate got nothing, say) is explained, as the bureau would.
fn sign(
    election: &Election,
    i: usize,
    seed: usize,
    key: &[u8; 32],
    at: u64,
    correction: Option<(&SignedReturn, String)>,
) -> SignedReturn {
    let bureau = election.bureaux()[i].code.clone();
    let pv = pv_for(election, i, seed);
    let explanations = rules::check(election, &bureau, &pv, None)
        .into_iter()
        .filter(|f| f.code.severity() == Severity::Warning)
        .map(|f| (f.code, "Vu avec le président du bureau.".to_owned()))
        .collect();
    let entry = kit::agreed(pv);
    let draft = ReturnDraft {
        turnout: None,
        tables: &[],
        bureau: &bureau,
        entry: &entry,
        explanations,
        tally: None,
        correction,
    };
    SignedReturn::sign(election, draft, key, at)
        .unwrap_or_else(|e| fail(&format!("bureau {bureau}'s return cannot be signed: {e}")))
}
