//! What the central team keeps of each bureau beyond the definition, as
//! SQLite's `details.rs`: personal data, read by operators only.

use super::super::DbError;
use deadpool_postgres::GenericClient;
use pointage_core::roster::BureauDetails;

/// Stores `details` of election `election_id` (in the caller's
/// transaction), in one statement.
pub(super) async fn store(
    c: &impl GenericClient,
    election_id: &str,
    details: &[BureauDetails],
) -> Result<(), DbError> {
    if details.is_empty() {
        return Ok(());
    }
    let column = |f: fn(&BureauDetails) -> Option<&String>| -> Vec<Option<&str>> {
        details.iter().map(|d| f(d).map(String::as_str)).collect()
    };
    let bureaux: Vec<&str> = details.iter().map(|d| d.bureau.as_str()).collect();
    c.execute(
        "INSERT INTO bureau_details (election_id, bureau, address, departement, president, phone)
         SELECT $1, b, a, d, p, t
         FROM UNNEST($2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[]) AS x (b, a, d, p, t)",
        &[
            &election_id,
            &bureaux,
            &column(|d| d.address.as_ref()),
            &column(|d| d.departement.as_ref()),
            &column(|d| d.president.as_ref()),
            &column(|d| d.phone.as_ref()),
        ],
    )
    .await?;
    Ok(())
}

/// Every bureau's details of election `election_id`, by code.
pub(super) async fn of(
    c: &impl GenericClient,
    election_id: &str,
) -> Result<Vec<BureauDetails>, DbError> {
    let rows = c
        .query(
            "SELECT bureau, address, departement, president, phone FROM bureau_details
             WHERE election_id = $1 ORDER BY bureau",
            &[&election_id],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| BureauDetails {
            bureau: r.get(0),
            address: r.get(1),
            departement: r.get(2),
            president: r.get(3),
            phone: r.get(4),
        })
        .collect())
}
