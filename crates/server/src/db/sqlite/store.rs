//! The port's operations on SQLite: each one transaction of the writing
//! connection, or one read of a reader.

use super::super::model::{
    Closure, EnrollOutcome, IngestError, IssuedCode, Leaf, LeafHash, RecordEntry, Stored,
    StoredReturn,
};
use super::super::port::BureauPictures;
use super::super::port::Store;
use super::super::{DbError, PhotosToStore, ReportToStore, ServerKey, StoredPage, ToStore};
use super::{Sqlite, details, enrollment, log, photos, reports, returns, server_key};
use pointage_core::Election;
use pointage_core::board::BureauFacts;
use pointage_core::operator::Actor;
use pointage_core::roster::BureauDetails;
use std::collections::HashSet;

impl Store for Sqlite {
    fn ping(&self) -> Result<(), DbError> {
        self.read(super::ping)
    }

    fn server_key(&self) -> Result<ServerKey, DbError> {
        self.with(|c| server_key::load_or_create(c, &self.secrets))
    }

    fn elections(&self) -> Result<Vec<Election>, DbError> {
        self.read(super::elections)
    }

    fn election(&self, id: &str) -> Result<Option<Election>, DbError> {
        self.read(|c| super::election(c, id))
    }

    fn latest_election_id(&self) -> Result<Option<String>, DbError> {
        self.read(super::latest_election_id)
    }

    fn election_count(&self) -> Result<u64, DbError> {
        self.read(super::election_count)
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
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if only_first && super::election_count(&tx)? > 0 {
                return Ok(None);
            }
            super::open_election(&tx, e, server_key, now)?;
            let mut codes = enrollment::issue_codes(&tx, &self.secrets, e, now)?;
            if let Some(from) = carry_from {
                codes = enrollment::carry(&tx, &self.secrets, from, codes, now)?;
            }
            details::store(&tx, e.id(), bureau_details)?;
            tx.commit()?;
            Ok(Some(codes))
        })
    }

    fn bureau_details(&self, election_id: &str) -> Result<Vec<BureauDetails>, DbError> {
        self.with(|c| details::of(c, election_id))
    }

    fn board_facts(&self, election_id: &str) -> Result<Vec<BureauFacts>, DbError> {
        use super::super::board::{ENROLLED, REFUSED, REPORTS, RETURNS, assemble};
        self.read(|c| {
            let enrolled = c
                .prepare_cached(ENROLLED)?
                .query_map([election_id], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
                })?
                .collect::<Result<_, _>>()?;
            let reports = c
                .prepare_cached(REPORTS)?
                .query_map([election_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
                })?
                .collect::<Result<_, _>>()?;
            let returns = c
                .prepare_cached(RETURNS)?
                .query_map([election_id], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
                })?
                .collect::<Result<_, _>>()?;
            let refused = c
                .prepare_cached(REFUSED)?
                .query_map([election_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
                })?
                .collect::<Result<_, _>>()?;
            Ok(assemble(enrolled, reports, returns, refused))
        })
    }

    fn reissue_code(
        &self,
        election_id: &str,
        bureau: &str,
        now: u64,
        by: Actor,
    ) -> Result<IssuedCode, DbError> {
        self.with(|c| enrollment::reissue(c, &self.secrets, election_id, bureau, now, by))
    }

    fn enroll_all(
        &self,
        devices: &[(&str, &str)],
        now: u64,
    ) -> Result<Vec<EnrollOutcome>, DbError> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let out = devices
                .iter()
                .map(|(code, key)| enrollment::enroll(&tx, &self.secrets, code, key, now))
                .collect::<Result<Vec<_>, _>>()?;
            tx.commit()?;
            Ok(out)
        })
    }

    fn enrolled_key(&self, election_id: &str, bureau: &str) -> Result<Option<String>, DbError> {
        self.read(|c| enrollment::enrolled_key(c, election_id, bureau))
    }

    fn refusal_put(
        &self,
        election_id: &str,
        bureau: &str,
        code: &str,
        at: u64,
    ) -> Result<(), DbError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO bureau_refusal (election_id, bureau, code, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (election_id, bureau) DO UPDATE SET code = excluded.code, at = excluded.at",
                rusqlite::params![election_id, bureau, code, at as i64],
            )?;
            Ok(())
        })
    }

    fn bound_to_key(&self, device_key: &str) -> Result<Vec<(String, String, bool)>, DbError> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT election_id, bureau, state = 'used' FROM enrollment_code
                 WHERE device_key = ?1 AND state != 'issued'",
            )?;
            let rows = stmt.query_map([device_key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// One commit, each return in its own savepoint.
    fn store_returns(
        &self,
        work: Vec<ToStore>,
        now: u64,
    ) -> Result<Vec<Result<Stored, IngestError>>, DbError> {
        self.with(|conn| {
            let mut tx =
                conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut results = Vec::with_capacity(work.len());
            let mut tails = returns::Tails::new();
            for w in &work {
                let sp = tx.savepoint()?;
                let r = returns::ingest(&sp, w, now, &mut tails);
                if r.is_ok() {
                    sp.commit()?;
                }
                results.push(r);
            }
            tx.commit()?;
            Ok(results)
        })
    }

    fn store_report(&self, work: ReportToStore, now: u64) -> Result<Stored, IngestError> {
        let out = self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let r = reports::ingest(&tx, &work, now);
            if r.is_ok() {
                tx.commit()?;
            }
            Ok(r)
        });
        out?
    }

    fn store_photos(&self, work: PhotosToStore, now: u64) -> Result<Stored, IngestError> {
        let out = self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let r = photos::ingest(&tx, &work, now);
            if r.is_ok() {
                tx.commit()?;
            }
            Ok(r)
        });
        out?
    }

    fn photo_page(&self, sha256: &str) -> Result<Option<StoredPage>, DbError> {
        self.read(|c| photos::page(c, sha256))
    }

    fn put_piece(&self, page: &StoredPage, n: u32, bytes: &[u8]) -> Result<Vec<u32>, DbError> {
        self.with(|c| photos::put_piece(c, page, n, bytes))
    }

    fn picture(&self, sha256: &str) -> Result<Option<(String, Vec<u8>)>, DbError> {
        self.read(|c| photos::picture(c, sha256))
    }

    fn pictures_held(&self, election_id: &str) -> Result<BureauPictures, DbError> {
        self.read(|c| photos::held(c, election_id))
    }

    fn record_range(
        &self,
        election_id: &str,
        from: u64,
        upto: u64,
    ) -> Result<super::super::port::RecordPrefix, DbError> {
        self.read(|c| {
            Ok((
                returns::bodies_between(c, election_id, from, upto)?,
                reports::between(c, election_id, from, upto)?,
            ))
        })
    }

    fn results_stamp(&self, election_id: &str) -> Result<crate::ResultsStamp, DbError> {
        self.read(|c| returns::stamp(c, election_id))
    }

    fn enrolled_bureaux(&self, election_id: &str) -> Result<HashSet<String>, DbError> {
        self.read(|c| enrollment::enrolled_bureaux(c, election_id))
    }

    fn close_election(
        &self,
        election_id: &str,
        now: u64,
        by: Actor,
    ) -> Result<Option<Closure>, DbError> {
        self.with(|c| super::close(c, election_id, now, by))
    }

    fn closure(&self, election_id: &str) -> Result<Option<Closure>, DbError> {
        self.read(|c| super::closure(c, election_id))
    }

    fn log_size(&self, election_id: &str) -> Result<u64, DbError> {
        self.read(|c| log::size(c, election_id))
    }

    fn leaf_hashes(&self, election_id: &str, from: u64) -> Result<Vec<LeafHash>, DbError> {
        self.read(|c| log::hashes(c, election_id, from))
    }

    fn leaves(
        &self,
        election_id: &str,
        from: u64,
        upto: u64,
        limit: u32,
    ) -> Result<Vec<Leaf>, DbError> {
        self.read(|c| log::leaves(c, election_id, from, upto, limit))
    }

    fn bureau_leaves(
        &self,
        election_id: &str,
        bureau: &str,
        upto: u64,
    ) -> Result<Vec<Leaf>, DbError> {
        self.read(|c| log::of_bureau(c, election_id, bureau, upto))
    }

    fn versions_of(&self, election_id: &str, bureau: &str) -> Result<Vec<RecordEntry>, DbError> {
        self.read(|c| returns::of_bureau(c, election_id, bureau))
    }

    fn code_known(&self, code: &str) -> Result<bool, DbError> {
        self.read(|c| enrollment::code_known(c, &self.secrets, code))
    }

    fn code_state(&self, code: &str) -> Result<Option<String>, DbError> {
        use rusqlite::OptionalExtension;
        let digest = self.secrets.code_digest(code);
        self.read(|c| {
            Ok(c.query_row(
                "SELECT state FROM enrollment_code WHERE code_hash = ?1",
                [&digest],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    fn election_ids(&self) -> Result<Vec<String>, DbError> {
        self.read(|c| {
            Ok(c.prepare("SELECT id FROM election ORDER BY rowid")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?)
        })
    }

    fn stored_return(&self, id: &str) -> Result<Option<StoredReturn>, DbError> {
        self.read(|c| returns::stored(c, id))
    }

    fn return_count(&self, election_id: &str) -> Result<u64, DbError> {
        self.read(|c| returns::count(c, election_id))
    }
}
