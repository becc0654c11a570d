//! What the verifier reads from a server: every read bounded in size and
//! time, so that a hostile server can make it fail, never hang or fill the
//! memory.

use pointage_core::wire::{BUREAU_PAGE_MAX, BureauPage, BureauStatus};
use std::time::Duration;

/// The largest record read (a national election's is some 150 MB).
pub const MAX_RECORD: u64 = 2 << 30;
/// The largest other answer read (results, a page of bureaux, a head, a
/// proof).
pub const MAX_ANSWER: u64 = 16 << 20;
/// The largest open-data file read (a national election's results are
/// some 10 MB).
pub const MAX_OPEN_DATA: u64 = 256 << 20;
/// The most pages of bureaux read: 100,000 bureaux.
pub const MAX_PAGES: usize = 100_000 / BUREAU_PAGE_MAX as usize;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into()
}

/// The answer to a GET, read up to `limit` bytes.
pub fn get_limited(url: &str, limit: u64) -> Result<String, String> {
    get_status(url, limit).map_err(|(_, e)| e)
}

/// [`get_limited`], with the status of an answer that was an error.
pub fn get_status(url: &str, limit: u64) -> Result<String, (Option<u16>, String)> {
    let status = |e: &ureq::Error| match e {
        ureq::Error::StatusCode(s) => Some(*s),
        _ => None,
    };
    agent()
        .get(url)
        .call()
        .map_err(|e| (status(&e), format!("{url}: {e}")))?
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_string()
        .map_err(|e| (None, format!("{url}: {e}")))
}

/// The bytes of an answer, read up to `limit` bytes.
pub fn get_bytes(url: &str, limit: u64) -> Result<Vec<u8>, String> {
    agent()
        .get(url)
        .call()
        .map_err(|e| format!("{url}: {e}"))?
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| format!("{url}: {e}"))
}

/// The longest wait a server's `Retry-After` gets, and how many waits in
/// a row before giving up: a server cannot stall the verifier for good.
const MAX_WAIT: Duration = Duration::from_secs(30);
const MAX_WAITS: u32 = 20;

/// [`get_bytes`], waiting as told when the server answers 429 (the
/// pictures of a national election are some 200,000 downloads, more than
/// a server's allowance for one client a minute).
pub fn get_bytes_patiently(url: &str, limit: u64) -> Result<Vec<u8>, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_global(Some(Duration::from_secs(600)))
        .http_status_as_error(false)
        .build()
        .into();
    for _ in 0..=MAX_WAITS {
        let mut answer = agent.get(url).call().map_err(|e| format!("{url}: {e}"))?;
        let status = answer.status().as_u16();
        if status == 429 {
            let wait = answer
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map_or(Duration::from_secs(1), Duration::from_secs)
                .min(MAX_WAIT);
            std::thread::sleep(wait);
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(format!("{url}: http status: {status}"));
        }
        return answer
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| format!("{url}: {e}"));
    }
    Err(format!(
        "{url}: still refused (429) after {MAX_WAITS} waits"
    ))
}

/// A JSON answer, read up to [`MAX_ANSWER`] bytes.
pub fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, String> {
    serde_json::from_str(&get_limited(url, MAX_ANSWER)?).map_err(|e| format!("{url}: {e}"))
}

/// `election=ID&`, or nothing.
pub fn election_query(election: Option<&str>) -> String {
    election.map_or(String::new(), |e| format!("election={e}&"))
}

/// Every bureau the server lists, a page at a time (at most
/// [`MAX_PAGES`]).
pub fn bureaux(base: &str, election: Option<&str>) -> Result<Vec<BureauStatus>, String> {
    let q = election_query(election);
    let mut all = Vec::new();
    for _ in 0..MAX_PAGES {
        let url = format!(
            "{base}/api/v1/bureaux?{q}offset={}&limit={BUREAU_PAGE_MAX}",
            all.len()
        );
        let page: BureauPage = get_json(&url)?;
        let n = page.bureaux.len();
        all.extend(page.bureaux);
        if n == 0 || all.len() >= page.matching as usize {
            return Ok(all);
        }
    }
    Err(format!("{base}: more than {MAX_PAGES} pages of bureaux"))
}
