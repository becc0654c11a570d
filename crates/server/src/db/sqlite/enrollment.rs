//! Enrollment codes and the device keys they bind to bureaux. A code is
//! stored only as its digest under the pepper (`secrets.rs`); it is shown
//! once, when it is issued.

use super::super::DbError;
use super::super::Secrets;
use super::super::model::{self, CodeRow, EnrollOutcome, Enrollment, IssuedCode, leaves};
use super::log;
use pointage_core::Election;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{HashMap, HashSet};

fn new_code(
    conn: &Connection,
    secrets: &Secrets,
    election_id: &str,
    bureau: &str,
    now: u64,
) -> Result<IssuedCode, DbError> {
    let (issued, hash) = model::new_code(secrets, election_id, bureau)?;
    conn.prepare_cached(
        "INSERT INTO enrollment_code (code_hash, election_id, bureau, state, issued_at)
         VALUES (?1, ?2, ?3, 'issued', ?4)",
    )?
    .execute(params![hash, election_id, bureau, now as i64])?;
    Ok(issued)
}

/// Issues one code for each bureau of the election that has none (issued or
/// used) yet; all or nothing.
pub(super) fn issue_codes(
    tx: &Connection,
    secrets: &Secrets,
    e: &Election,
    now: u64,
) -> Result<Vec<IssuedCode>, DbError> {
    // Statements prepared once: an import of 70,000 bureaux holds the
    // writer, which the phones wait for, as briefly as it can.
    let mut out = Vec::new();
    let mut live_codes = tx.prepare_cached(
        "SELECT COUNT(*) FROM enrollment_code
         WHERE election_id = ?1 AND bureau = ?2 AND state != 'revoked'",
    )?;
    for b in e.bureaux() {
        let live: i64 = live_codes.query_row(params![e.id(), b.code], |r| r.get(0))?;
        if live == 0 {
            out.push(new_code(tx, secrets, e.id(), &b.code, now)?);
        }
    }
    Ok(out)
}

/// Carries over to a new round the keys that hold its bureaux in round
/// `from`: each such bureau's new code is bound to that key at once, in a
/// key leaf naming `from`. Returns the other bureaux' codes.
pub(super) fn carry(
    tx: &Connection,
    secrets: &Secrets,
    from: &str,
    codes: Vec<IssuedCode>,
    now: u64,
) -> Result<Vec<IssuedCode>, DbError> {
    let keys = enrolled_keys(tx, from)?;
    let mut kept = Vec::with_capacity(codes.len());
    for code in codes {
        let Some(key) = keys.get(&code.bureau) else {
            kept.push(code);
            continue;
        };
        tx.prepare_cached(
            "UPDATE enrollment_code SET state = 'used', device_key = ?2, used_at = ?3
             WHERE code_hash = ?1",
        )?
        .execute(params![secrets.code_digest(&code.code), key, now as i64])?;
        log::push(tx, &code.election_id, now, |at| {
            leaves::carried_key(&code.bureau, key, from, at)
        })?;
    }
    Ok(kept)
}

/// Replaces a lost code: every code of the bureau, and the device key bound
/// to it, is revoked (a reissue leaf names it), and a new code is issued.
/// Returns signed by the revoked key are refused from now on; those already
/// accepted stay counted.
pub(super) fn reissue(
    conn: &mut Connection,
    secrets: &Secrets,
    election_id: &str,
    bureau: &str,
    now: u64,
    by: pointage_core::operator::Actor,
) -> Result<IssuedCode, DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if super::closure(&tx, election_id)?.is_some() {
        return Err(DbError::Closed(election_id.to_owned()));
    }
    let revoked = enrolled_key(&tx, election_id, bureau)?;
    tx.execute(
        "UPDATE enrollment_code SET state = 'revoked'
         WHERE election_id = ?1 AND bureau = ?2 AND state != 'revoked'",
        params![election_id, bureau],
    )?;
    log::push(&tx, election_id, now, |at| {
        leaves::reissue(bureau, revoked, at, Some(by))
    })?;
    let issued = new_code(&tx, secrets, election_id, bureau, now)?;
    tx.commit()?;
    Ok(issued)
}

/// A device presents a code (in its printed form) and its public key. A code
/// works once; presenting it again with the same key (a phone whose first
/// answer was lost) enrolls it again, with another key it is refused.
pub(super) fn enroll(
    tx: &Connection,
    secrets: &Secrets,
    code: &str,
    device_key: &str,
    now: u64,
) -> Result<EnrollOutcome, DbError> {
    let hash = secrets.code_digest(code);
    let row = tx
        .query_row(
            "SELECT election_id, bureau, state, device_key FROM enrollment_code WHERE code_hash = ?1",
            [&hash],
            |r| {
                Ok(CodeRow {
                    election_id: r.get(0)?,
                    bureau: r.get(1)?,
                    state: r.get(2)?,
                    device_key: r.get(3)?,
                })
            },
        )
        .optional()?;
    let key_elsewhere = tx
        .query_row(
            "SELECT 1 FROM enrollment_code WHERE device_key = ?1 AND code_hash != ?2",
            params![device_key, hash],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    let closed = match &row {
        Some(r) => super::closure(tx, &r.election_id)?.is_some(),
        None => false,
    };
    Ok(
        match model::enrollment(row, device_key, key_elsewhere, closed) {
            Enrollment::Answer(outcome) => outcome,
            Enrollment::Bind {
                election_id,
                bureau,
            } => {
                tx.execute(
                    "UPDATE enrollment_code SET state = 'used', device_key = ?2, used_at = ?3
                     WHERE code_hash = ?1",
                    params![hash, device_key, now as i64],
                )?;
                log::push(tx, &election_id, now, |at| {
                    leaves::key(&bureau, device_key, at)
                })?;
                EnrollOutcome::Enrolled {
                    election_id,
                    bureau,
                }
            }
        },
    )
}

/// The key of the device enrolled for a bureau, if one is (and not revoked).
pub(super) fn enrolled_key(
    conn: &Connection,
    election_id: &str,
    bureau: &str,
) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT device_key FROM enrollment_code
             WHERE election_id = ?1 AND bureau = ?2 AND state = 'used'
             ORDER BY used_at DESC LIMIT 1",
        )?
        .query_row(params![election_id, bureau], |r| r.get(0))
        .optional()?)
}

/// Each bureau of the election with an enrolled device, and its key.
fn enrolled_keys(conn: &Connection, election_id: &str) -> Result<HashMap<String, String>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT bureau, device_key FROM enrollment_code
         WHERE election_id = ?1 AND state = 'used' ORDER BY used_at",
    )?;
    let rows = stmt.query_map([election_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every bureau of the election with an enrolled device.
pub(super) fn enrolled_bureaux(
    conn: &Connection,
    election_id: &str,
) -> Result<HashSet<String>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT bureau FROM enrollment_code WHERE election_id = ?1 AND state = 'used'",
    )?;
    let rows = stmt.query_map([election_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether a code (in its printed form) was ever issued: read by a reader,
/// so that a guess is refused without the writer.
pub(super) fn code_known(
    conn: &Connection,
    secrets: &Secrets,
    code: &str,
) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM enrollment_code WHERE code_hash = ?1")?
        .query_row([secrets.code_digest(code)], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Brings the codes stored as plain SHA-256 (before schema 9) under the
/// pepper, once, and checks afterwards that the pepper is the one they
/// are under.
pub(super) fn pepper(conn: &mut Connection, secrets: &Secrets) -> Result<(), DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let check: Option<String> = tx
        .query_row("SELECT digest FROM code_pepper WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    match check {
        Some(c) if c == secrets.check() => return Ok(()),
        Some(_) => {
            return Err(DbError::Storage(
                "this database's enrollment codes are under another pepper file: give the server the one they were issued with (--code-pepper-file)".into(),
            ));
        }
        None => {}
    }
    let hashes: Vec<String> = tx
        .prepare("SELECT code_hash FROM enrollment_code")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for h in hashes {
        tx.execute(
            "UPDATE enrollment_code SET code_hash = ?2 WHERE code_hash = ?1",
            params![h, secrets.peppered(&h)],
        )?;
    }
    tx.execute(
        "INSERT INTO code_pepper (id, digest) VALUES (1, ?1)",
        [secrets.check()],
    )?;
    tx.commit()?;
    Ok(())
}
