//! Everyone else on the night: viewers reading the results through the
//! cache, a few in the morning, as fast as they can from the close; and a
//! wave of slow clients holding connections open at the peak.

use crate::phones::{Sent, Timings};
use pointage_core::wire::ResultsResponse;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

/// Readers of the results at once on the night; a few of them in the
/// morning.
pub const VIEWERS: usize = 32;
const MORNING_VIEWERS: usize = 4;

/// What the viewers saw.
#[derive(Default)]
pub struct Crowd {
    /// From the close on, every viewer reads without a pause.
    pub night: AtomicBool,
    pub stop: AtomicBool,
    /// The oldest figures a viewer was shown: how long before its request
    /// the count it was shown had been passed (s), and when (seconds on
    /// the rehearsal's clock).
    pub oldest: Mutex<(f64, f64)>,
    /// The count of bureaux published, as the first viewer saw it (seconds
    /// on the rehearsal's clock, count).
    pub seen: Mutex<Vec<(f64, u32)>>,
}

/// Viewer `v`, until told to stop.
pub async fn viewer(
    v: usize,
    client: reqwest::Client,
    proxy: String,
    crowd: Arc<Crowd>,
    timings: Arc<Timings>,
    sent: Arc<Mutex<Sent>>,
) {
    let mut k = 0u64;
    while !crowd.stop.load(Ordering::Relaxed) {
        let night = crowd.night.load(Ordering::Relaxed);
        if !night {
            // The morning: a few viewers, now and then.
            let pause = if v < MORNING_VIEWERS { 50 } else { 200 };
            tokio::time::sleep(Duration::from_millis(pause)).await;
            if v >= MORNING_VIEWERS {
                continue;
            }
        }
        k += 1;
        let t = Instant::now();
        let at = t.duration_since(timings.clock).as_secs_f64();
        if (k + v as u64).is_multiple_of(4) {
            if let Ok(r) = client.get(format!("{proxy}/resultats")).send().await {
                let _ = r.bytes().await;
            }
            timings.add("GET /resultats", t);
            continue;
        }
        let Ok(r) = client.get(format!("{proxy}/api/v1/results")).send().await else {
            continue;
        };
        let Ok(res) = r.json::<ResultsResponse>().await else {
            continue;
        };
        timings.add("GET /api/v1/results", t);
        let shown = res.results.coverage.reporting;
        if let Ok(s) = sent.lock()
            && let Some(passed) = s.counted_at.get(shown as usize)
        {
            let late = (at - passed).max(0.0);
            if let Ok(mut oldest) = crowd.oldest.lock()
                && late > oldest.0
            {
                *oldest = (late, at);
            }
        }
        if v == 0
            && let Ok(mut seen) = crowd.seen.lock()
            && seen.last().is_none_or(|(t, _)| at - t >= 0.5)
        {
            seen.push((at, shown));
        }
    }
}

/// A wave of slow clients for `hold`: `headers` connections sending their
/// request's header a line a second, `bodies` sending a return's body ten
/// bytes a second (nginx holds both; the nodes never see them). Says how
/// many connections were opened, and how many nginx cut before the end.
pub async fn slow_wave(port: u16, headers: usize, bodies: usize, hold: Duration) -> (usize, usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..headers + bodies {
        tasks.spawn(async move {
            let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
                return None;
            };
            let (head, drip): (String, &[u8]) = if n < headers {
                (
                    "GET /api/v1/results HTTP/1.1\r\nHost: rehearsal\r\n".into(),
                    b"X-Slow: 1\r\n",
                )
            } else {
                (
                    "POST /api/v1/returns HTTP/1.1\r\nHost: rehearsal\r\n\
                     Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n"
                        .into(),
                    b"          ",
                )
            };
            if s.write_all(head.as_bytes()).await.is_err() {
                return Some(true);
            }
            let end = Instant::now() + hold;
            while Instant::now() < end {
                tokio::time::sleep(Duration::from_secs(1)).await;
                if s.write_all(drip).await.is_err() {
                    return Some(true);
                }
            }
            Some(false)
        });
    }
    let (mut opened, mut cut) = (0, 0);
    while let Some(r) = tasks.join_next().await {
        if let Ok(Some(was_cut)) = r {
            opened += 1;
            cut += usize::from(was_cut);
        }
    }
    (opened, cut)
}
