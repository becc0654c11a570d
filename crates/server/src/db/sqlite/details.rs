//! What the central team keeps of each bureau beyond the definition (the
//! address, the département, the président's name and phone number, from
//! the organiser's spreadsheet): personal data, read by operators only.

use super::super::DbError;
use pointage_core::roster::BureauDetails;
use rusqlite::{Connection, params};

/// Stores `details` of election `election_id` (in the caller's
/// transaction).
pub(super) fn store(
    c: &Connection,
    election_id: &str,
    details: &[BureauDetails],
) -> Result<(), DbError> {
    let mut insert = c.prepare(
        "INSERT INTO bureau_details (election_id, bureau, address, departement, president, phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for d in details {
        insert.execute(params![
            election_id,
            d.bureau,
            d.address,
            d.departement,
            d.president,
            d.phone
        ])?;
    }
    Ok(())
}

/// Every bureau's details of election `election_id`, by code.
pub(super) fn of(c: &Connection, election_id: &str) -> Result<Vec<BureauDetails>, DbError> {
    let mut q = c.prepare(
        "SELECT bureau, address, departement, president, phone FROM bureau_details
         WHERE election_id = ?1 ORDER BY bureau",
    )?;
    let rows = q.query_map([election_id], |r| {
        Ok(BureauDetails {
            bureau: r.get(0)?,
            address: r.get(1)?,
            departement: r.get(2)?,
            president: r.get(3)?,
            phone: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
