//! The port's operations on PostgreSQL. Each builds an owned future (the
//! runtime it runs on outlives the caller's borrows) and waits for it.

use super::super::model::{
    self, Closure, EnrollOutcome, IngestError, IssuedCode, Leaf, LeafHash, RecordEntry, Stored,
    StoredReturn, decode_election, leaves,
};
use super::super::port::BureauPictures;
use super::super::port::Store;
use super::super::{DbError, PhotosToStore, ReportToStore, ServerKey, StoredPage, ToStore};
use super::rows::{
    changed, closure, enrolled_key, lock_election, record_entry, snapshot, store_report,
};
use super::{Postgres, batch, client, details, elections, log, photos, server_key};
use deadpool_postgres::GenericClient;
use pointage_core::Election;
use pointage_core::board::BureauFacts;
use pointage_core::operator::Actor;
use pointage_core::roster::BureauDetails;
use std::collections::HashSet;

impl Store for Postgres {
    fn ping(&self) -> Result<(), DbError> {
        let pool = self.reads.clone();
        self.block(async move {
            client(&pool).await?.query_one("SELECT 1", &[]).await?;
            Ok(())
        })
    }

    fn server_key(&self) -> Result<ServerKey, DbError> {
        let (pool, secrets) = (self.pool.clone(), self.secrets.clone());
        self.block(async move { server_key::load_or_create(&pool, &secrets).await })
    }

    fn elections(&self) -> Result<Vec<Election>, DbError> {
        let pool = self.reads.clone();
        self.block(async move {
            let rows = client(&pool)
                .await?
                .query(
                    "SELECT id, hash, definition FROM election ORDER BY position",
                    &[],
                )
                .await?;
            rows.iter()
                .map(|r| decode_election(r.get(0), r.get(1), r.get(2)))
                .collect()
        })
    }

    fn election(&self, id: &str) -> Result<Option<Election>, DbError> {
        let (pool, id) = (self.reads.clone(), id.to_owned());
        self.block(async move {
            let row = client(&pool)
                .await?
                .query_opt(
                    "SELECT hash, definition FROM election WHERE id = $1",
                    &[&id],
                )
                .await?;
            row.map(|r| decode_election(&id, r.get(0), r.get(1)))
                .transpose()
        })
    }

    fn latest_election_id(&self) -> Result<Option<String>, DbError> {
        let pool = self.reads.clone();
        self.block(async move {
            let row = client(&pool)
                .await?
                .query_opt(
                    "SELECT id FROM election ORDER BY position DESC LIMIT 1",
                    &[],
                )
                .await?;
            Ok(row.map(|r| r.get(0)))
        })
    }

    fn election_count(&self) -> Result<u64, DbError> {
        let pool = self.reads.clone();
        self.block(async move {
            let row = client(&pool)
                .await?
                .query_one("SELECT COUNT(*) FROM election", &[])
                .await?;
            Ok(row.get::<_, i64>(0) as u64)
        })
    }

    fn store_election(
        &self,
        e: &Election,
        bureau_details: &[BureauDetails],
        server_key: &str,
        now: u64,
        only_first: bool,
        carry_from: Option<&str>,
    ) -> Result<Option<Vec<IssuedCode>>, DbError> {
        let (pool, e, secrets) = (self.pool.clone(), e.clone(), self.secrets.clone());
        let carry_from = carry_from.map(str::to_owned);
        let bureau_details = bureau_details.to_vec();
        let opened = leaves::election(&e, server_key, now)?;
        self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            let codes = elections::store(
                &tx,
                &e,
                &opened,
                &secrets,
                only_first,
                carry_from.as_deref(),
                &bureau_details,
                now,
            )
            .await?;
            if codes.is_some() {
                tx.commit().await?;
            }
            Ok(codes)
        })
    }

    fn bureau_details(&self, election_id: &str) -> Result<Vec<BureauDetails>, DbError> {
        let (pool, id) = (self.pool.clone(), election_id.to_owned());
        self.block(async move { details::of(&client(&pool).await?, &id).await })
    }

    fn board_facts(&self, election_id: &str) -> Result<Vec<BureauFacts>, DbError> {
        use super::super::board::{ENROLLED, REFUSED, REPORTS, RETURNS, assemble};
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move {
            let c = client(&pool).await?;
            let at = |v: i64| v as u64;
            let enrolled = c.query(ENROLLED, &[&id]).await?;
            let reports = c.query(REPORTS, &[&id]).await?;
            let returns = c.query(RETURNS, &[&id]).await?;
            let refused = c.query(REFUSED, &[&id]).await?;
            Ok(assemble(
                enrolled.iter().map(|r| (r.get(0), at(r.get(1)))).collect(),
                reports
                    .iter()
                    .map(|r| (r.get(0), r.get(1), at(r.get(2))))
                    .collect(),
                returns.iter().map(|r| (r.get(0), at(r.get(1)))).collect(),
                refused
                    .iter()
                    .map(|r| (r.get(0), r.get(1), at(r.get(2))))
                    .collect(),
            ))
        })
    }

    fn reissue_code(
        &self,
        election_id: &str,
        bureau: &str,
        now: u64,
        by: Actor,
    ) -> Result<IssuedCode, DbError> {
        let (pool, election_id, bureau) =
            (self.pool.clone(), election_id.to_owned(), bureau.to_owned());
        let secrets = self.secrets.clone();
        self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            let (last, last_at) = lock_election(&tx, &election_id).await?;
            let revoked = enrolled_key(&tx, &election_id, &bureau).await?;
            tx.execute(
                "UPDATE enrollment_code SET state = 'revoked'
                 WHERE election_id = $1 AND bureau = $2 AND state != 'revoked'",
                &[&election_id, &bureau],
            )
            .await?;
            let leaf = leaves::reissue(&bureau, revoked, now.max(last_at as u64), Some(by))?;
            log::append(&tx, &election_id, last + 1, &leaf).await?;
            let (issued, hash) = model::new_code(&secrets, &election_id, &bureau)?;
            tx.execute(
                "INSERT INTO enrollment_code (code_hash, election_id, bureau, state, issued_at)
                 VALUES ($1, $2, $3, 'issued', $4)",
                &[&hash, &election_id, &bureau, &(now as i64)],
            )
            .await?;
            changed(&tx, &election_id).await?;
            tx.commit().await?;
            Ok(issued)
        })
    }

    fn enroll_all(
        &self,
        devices: &[(&str, &str)],
        now: u64,
    ) -> Result<Vec<EnrollOutcome>, DbError> {
        let pool = self.pool.clone();
        let devices: Vec<(String, String)> = devices
            .iter()
            .map(|(c, k)| (self.secrets.code_digest(c), (*k).to_owned()))
            .collect();
        self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            let out = batch::enroll(&tx, &devices, now).await?;
            tx.commit().await?;
            Ok(out)
        })
    }

    fn enrolled_key(&self, election_id: &str, bureau: &str) -> Result<Option<String>, DbError> {
        let (pool, election_id, bureau) = (
            self.reads.clone(),
            election_id.to_owned(),
            bureau.to_owned(),
        );
        self.block(async move {
            let c = client(&pool).await?;
            enrolled_key(&c, &election_id, &bureau).await
        })
    }

    fn refusal_put(
        &self,
        election_id: &str,
        bureau: &str,
        code: &str,
        at: u64,
    ) -> Result<(), DbError> {
        let pool = self.pool.clone();
        let (id, bureau, code) = (election_id.to_owned(), bureau.to_owned(), code.to_owned());
        self.block(async move {
            client(&pool)
                .await?
                .execute(
                    "INSERT INTO bureau_refusal (election_id, bureau, code, at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (election_id, bureau) DO UPDATE SET code = excluded.code, at = excluded.at",
                    &[&id, &bureau, &code, &(at as i64)],
                )
                .await?;
            Ok(())
        })
    }

    fn bound_to_key(&self, device_key: &str) -> Result<Vec<(String, String, bool)>, DbError> {
        let (pool, key) = (self.reads.clone(), device_key.to_owned());
        self.block(async move {
            let c = client(&pool).await?;
            let rows = c
                .query(
                    "SELECT election_id, bureau, state = 'used' FROM enrollment_code
                     WHERE device_key = $1 AND state != 'issued'",
                    &[&key],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect())
        })
    }

    /// One commit, in a few statements (`batch.rs`). A failure of the
    /// database fails the batch, and every phone in it tries again.
    fn store_returns(
        &self,
        work: Vec<ToStore>,
        now: u64,
    ) -> Result<Vec<Result<Stored, IngestError>>, DbError> {
        let pool = self.pool.clone();
        self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            let results = batch::store_returns(&tx, &work, now).await?;
            tx.commit().await?;
            Ok(results)
        })
    }

    fn store_report(&self, work: ReportToStore, now: u64) -> Result<Stored, IngestError> {
        let pool = self.pool.clone();
        let out = self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            let r = store_report(&tx, &work, now).await;
            if r.is_ok() {
                tx.commit().await?;
            }
            Ok::<_, DbError>(r)
        });
        out?
    }

    fn store_photos(&self, work: PhotosToStore, now: u64) -> Result<Stored, IngestError> {
        let pool = self.pool.clone();
        let out = self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            let r = photos::ingest(&tx, &work, now).await;
            if r.is_ok() {
                tx.commit().await?;
            }
            Ok::<_, DbError>(r)
        });
        out?
    }

    fn photo_page(&self, sha256: &str) -> Result<Option<StoredPage>, DbError> {
        let (pool, sha256) = (self.reads.clone(), sha256.to_owned());
        self.block(async move { photos::page(&client(&pool).await?, &sha256).await })
    }

    fn put_piece(&self, page: &StoredPage, n: u32, bytes: &[u8]) -> Result<Vec<u32>, DbError> {
        let (pool, page, bytes) = (self.pool.clone(), page.clone(), bytes.to_vec());
        self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            let held = photos::put_piece(&tx, &page, n, &bytes).await?;
            tx.commit().await?;
            Ok(held)
        })
    }

    fn picture(&self, sha256: &str) -> Result<Option<(String, Vec<u8>)>, DbError> {
        let (pool, sha256) = (self.reads.clone(), sha256.to_owned());
        self.block(async move { photos::picture(&client(&pool).await?, &sha256).await })
    }

    fn pictures_held(&self, election_id: &str) -> Result<BureauPictures, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move { photos::held(&client(&pool).await?, &id).await })
    }

    fn record_range(
        &self,
        election_id: &str,
        from: u64,
        upto: u64,
    ) -> Result<crate::db::port::RecordPrefix, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        let (from, upto) = (from as i64, upto as i64);
        self.block(async move {
            let mut c = client(&pool).await?;
            let tx = snapshot(&mut c).await?;
            let bodies = tx
                .query(
                    "SELECT id, bytes FROM return_version
                     WHERE election_id = $1 AND election_sequence >= $2
                       AND election_sequence < $3
                     ORDER BY election_sequence",
                    &[&id, &from, &upto],
                )
                .await?
                .iter()
                .map(|r| Ok((r.get(0), model::stored_body(r.get(1))?)))
                .collect::<Result<_, DbError>>()?;
            let reports = tx
                .query(
                    "SELECT bytes, received_at FROM turnout_report
                     WHERE election_id = $1 AND idx >= $2 AND idx < $3 ORDER BY idx",
                    &[&id, &from, &upto],
                )
                .await?
                .iter()
                .map(|r| (r.get(0), r.get::<_, i64>(1) as u64))
                .collect();
            tx.commit().await?;
            Ok((bodies, reports))
        })
    }

    fn results_stamp(&self, election_id: &str) -> Result<crate::ResultsStamp, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move {
            let c = client(&pool).await?;
            let stmt = c
                .prepare_cached("SELECT changes FROM election WHERE id = $1")
                .await?;
            Ok(c.query_opt(&stmt, &[&id]).await?.map_or(-1, |r| r.get(0)))
        })
    }

    fn enrolled_bureaux(&self, election_id: &str) -> Result<HashSet<String>, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move {
            let c = client(&pool).await?;
            let stmt = c
                .prepare_cached(
                    "SELECT bureau FROM enrollment_code WHERE election_id = $1 AND state = 'used'",
                )
                .await?;
            Ok(c.query(&stmt, &[&id])
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect())
        })
    }

    fn close_election(
        &self,
        election_id: &str,
        now: u64,
        by: Actor,
    ) -> Result<Option<Closure>, DbError> {
        let (pool, id) = (self.pool.clone(), election_id.to_owned());
        self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            let closed = elections::close(&tx, &id, now, by).await?;
            tx.commit().await?;
            Ok(closed)
        })
    }

    fn closure(&self, election_id: &str) -> Result<Option<Closure>, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move {
            let row = client(&pool)
                .await?
                .query_opt(
                    "SELECT last_sequence, closed_at, closed_sequence FROM election WHERE id = $1",
                    &[&id],
                )
                .await?;
            Ok(row.as_ref().and_then(closure))
        })
    }

    fn log_size(&self, election_id: &str) -> Result<u64, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move { log::size(&client(&pool).await?, &id).await })
    }

    fn leaf_hashes(&self, election_id: &str, from: u64) -> Result<Vec<LeafHash>, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move { log::hashes(&client(&pool).await?, &id, from).await })
    }

    fn leaves(
        &self,
        election_id: &str,
        from: u64,
        upto: u64,
        limit: u32,
    ) -> Result<Vec<Leaf>, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move { log::leaves(&client(&pool).await?, &id, from, upto, limit).await })
    }

    fn bureau_leaves(
        &self,
        election_id: &str,
        bureau: &str,
        upto: u64,
    ) -> Result<Vec<Leaf>, DbError> {
        let (pool, id, bureau) = (
            self.reads.clone(),
            election_id.to_owned(),
            bureau.to_owned(),
        );
        self.block(async move { log::of_bureau(&client(&pool).await?, &id, &bureau, upto).await })
    }

    fn versions_of(&self, election_id: &str, bureau: &str) -> Result<Vec<RecordEntry>, DbError> {
        let (pool, id, bureau) = (
            self.reads.clone(),
            election_id.to_owned(),
            bureau.to_owned(),
        );
        self.block(async move {
            let rows = client(&pool)
                .await?
                .query(
                    "SELECT election_sequence, id, bureau, version, received_at, bytes
                     FROM return_version WHERE election_id = $1 AND bureau = $2
                     ORDER BY version",
                    &[&id, &bureau],
                )
                .await?;
            Ok(rows.iter().map(record_entry).collect())
        })
    }

    fn code_state(&self, code: &str) -> Result<Option<String>, DbError> {
        let (pool, digest) = (self.reads.clone(), self.secrets.code_digest(code));
        self.block(async move {
            Ok(client(&pool)
                .await?
                .query_opt(
                    "SELECT state FROM enrollment_code WHERE code_hash = $1",
                    &[&digest],
                )
                .await?
                .map(|r| r.get(0)))
        })
    }

    fn code_known(&self, code: &str) -> Result<bool, DbError> {
        let (pool, digest) = (self.reads.clone(), self.secrets.code_digest(code));
        self.block(async move {
            Ok(client(&pool)
                .await?
                .query_opt(
                    "SELECT 1 FROM enrollment_code WHERE code_hash = $1",
                    &[&digest],
                )
                .await?
                .is_some())
        })
    }

    fn election_ids(&self) -> Result<Vec<String>, DbError> {
        let pool = self.reads.clone();
        self.block(async move {
            Ok(client(&pool)
                .await?
                .query("SELECT id FROM election ORDER BY position", &[])
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect())
        })
    }

    fn stored_return(&self, id: &str) -> Result<Option<StoredReturn>, DbError> {
        let (pool, id) = (self.reads.clone(), id.to_owned());
        self.block(async move {
            let row = client(&pool)
                .await?
                .query_opt(
                    "SELECT election_id, election_sequence, received_at, leaf_hash, bytes
                     FROM return_version WHERE id = $1",
                    &[&id],
                )
                .await?;
            row.map(|r| {
                let leaf: Vec<u8> = r.get(3);
                Ok(StoredReturn {
                    election_id: r.get(0),
                    stored: Stored {
                        sequence: r.get::<_, i64>(1) as u64,
                        received_at: r.get::<_, i64>(2) as u64,
                        new: false,
                        leaf: leaf
                            .try_into()
                            .map_err(|_| model::corrupt(&id, "its leaf hash is not 32 bytes"))?,
                        root: None,
                    },
                    bytes: r.get(4),
                })
            })
            .transpose()
        })
    }

    fn return_count(&self, election_id: &str) -> Result<u64, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move {
            let row = client(&pool)
                .await?
                .query_one(
                    "SELECT COUNT(*) FROM return_version WHERE election_id = $1",
                    &[&id],
                )
                .await?;
            Ok(row.get::<_, i64>(0) as u64)
        })
    }
}
