//! What the board and the wall screen read of each bureau (core's
//! `board::BureauFacts`), put together alike by both backends from three
//! reads: the keys in use and when they were enrolled, the checkpoints
//! reported and when first, the returns' versions and when each came.

use pointage_core::board::BureauFacts;
use std::collections::BTreeMap;

/// The facts of every bureau that has any, by code, from the rows the
/// backends read: `(bureau, enrolled_at)`, `(bureau, checkpoint,
/// first_at)`, and `(bureau, received_at)` in version order.
pub(super) fn assemble(
    enrolled: Vec<(String, u64)>,
    reports: Vec<(String, String, u64)>,
    returns: Vec<(String, u64)>,
    refused: Vec<(String, String, u64)>,
) -> Vec<BureauFacts> {
    let mut by: BTreeMap<String, BureauFacts> = BTreeMap::new();
    fn of(by: &mut BTreeMap<String, BureauFacts>, code: String) -> &mut BureauFacts {
        by.entry(code.clone()).or_insert_with(|| BureauFacts {
            code,
            ..BureauFacts::default()
        })
    }
    for (code, at) in enrolled {
        of(&mut by, code).enrolled_at = Some(at);
    }
    for (code, checkpoint, at) in reports {
        of(&mut by, code).reports.push((checkpoint, at));
    }
    for (code, at) in returns {
        of(&mut by, code).returns.push(at);
    }
    for (code, error, at) in refused {
        of(&mut by, code).refused = Some((error, at));
    }
    by.into_values().collect()
}

/// The three reads, in SQL both backends run (`?` placeholders numbered
/// `$1` on PostgreSQL).
pub(super) const ENROLLED: &str = "SELECT bureau, MAX(used_at) FROM enrollment_code
     WHERE election_id = $1 AND state = 'used' AND used_at IS NOT NULL GROUP BY bureau";
pub(super) const REPORTS: &str = "SELECT bureau, checkpoint, MIN(received_at) FROM turnout_report
     WHERE election_id = $1 GROUP BY bureau, checkpoint";
pub(super) const REFUSED: &str = "SELECT bureau, code, at FROM bureau_refusal
     WHERE election_id = $1";
pub(super) const RETURNS: &str = "SELECT bureau, received_at FROM return_version
     WHERE election_id = $1 ORDER BY bureau, version";
