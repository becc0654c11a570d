//! The central team's accounts in PostgreSQL (`../operators.rs`), as
//! SQLite's `operators.rs`: every node reads the same sessions.

use super::super::DbError;
use super::super::operators::{NewToken, Note, Operator, OperatorStore, TokenKind, operator_from};
use super::{Postgres, client};
use tokio_postgres::Row;

const OPERATOR: &str = "SELECT id, name, role, created_at FROM operator";

fn operator(r: &Row) -> Result<Operator, DbError> {
    operator_from(r.get(0), r.get(1), r.get::<_, &str>(2), r.get(3))
}

impl OperatorStore for Postgres {
    fn operator_create(
        &self,
        op: &Operator,
        cred_id: &str,
        passkey: &str,
    ) -> Result<bool, DbError> {
        let (pool, op) = (self.pool.clone(), op.clone());
        let (cred_id, passkey) = (cred_id.to_owned(), passkey.to_owned());
        self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            let made = tx
                .execute(
                    "INSERT INTO operator (id, name, role, created_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (name) DO NOTHING",
                    &[&op.id, &op.name, &op.role.code(), &(op.created_at as i64)],
                )
                .await?;
            if made == 0 {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO operator_passkey (cred_id, operator_id, passkey) VALUES ($1, $2, $3)",
                &[&cred_id, &op.id, &passkey],
            )
            .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    fn operator_named(&self, name: &str) -> Result<Option<(Operator, Vec<String>)>, DbError> {
        let (pool, name) = (self.pool.clone(), name.to_owned());
        self.block(async move {
            let c = client(&pool).await?;
            let Some(found) = c
                .query_opt(&format!("{OPERATOR} WHERE name = $1"), &[&name])
                .await?
            else {
                return Ok(None);
            };
            let op = operator(&found)?;
            let passkeys = c
                .query(
                    "SELECT passkey FROM operator_passkey WHERE operator_id = $1",
                    &[&op.id],
                )
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect();
            Ok(Some((op, passkeys)))
        })
    }

    fn operator_passkey_update(&self, cred_id: &str, passkey: &str) -> Result<(), DbError> {
        let pool = self.pool.clone();
        let (cred_id, passkey) = (cred_id.to_owned(), passkey.to_owned());
        self.block(async move {
            client(&pool)
                .await?
                .execute(
                    "UPDATE operator_passkey SET passkey = $2 WHERE cred_id = $1",
                    &[&cred_id, &passkey],
                )
                .await?;
            Ok(())
        })
    }

    fn operators(&self) -> Result<Vec<Operator>, DbError> {
        let pool = self.pool.clone();
        self.block(async move {
            let rows = client(&pool)
                .await?
                .query(&format!("{OPERATOR} ORDER BY name"), &[])
                .await?;
            rows.iter().map(operator).collect()
        })
    }

    fn token_put(&self, t: &NewToken<'_>, now: u64) -> Result<(), DbError> {
        let pool = self.pool.clone();
        let (hash, kind, data) = (t.hash.to_owned(), t.kind.code(), t.data.to_owned());
        let (operator, expires_at) = (t.operator.map(str::to_owned), t.expires_at as i64);
        self.block(async move {
            let mut c = client(&pool).await?;
            let tx = c.transaction().await?;
            tx.execute(
                "DELETE FROM operator_token WHERE expires_at <= $1",
                &[&(now as i64)],
            )
            .await?;
            tx.execute(
                "INSERT INTO operator_token (hash, kind, operator_id, data, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&hash, &kind, &operator, &data, &expires_at],
            )
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    fn token_take(
        &self,
        kind: TokenKind,
        hash: &str,
        now: u64,
    ) -> Result<Option<(Option<String>, String)>, DbError> {
        let (pool, hash, kind) = (self.pool.clone(), hash.to_owned(), kind.code());
        self.block(async move {
            let row = client(&pool)
                .await?
                .query_opt(
                    "DELETE FROM operator_token WHERE hash = $1 AND kind = $2 AND expires_at > $3
                     RETURNING operator_id, data",
                    &[&hash, &kind, &(now as i64)],
                )
                .await?;
            Ok(row.map(|r| (r.get(0), r.get(1))))
        })
    }

    fn token_peek(
        &self,
        kind: TokenKind,
        hash: &str,
        now: u64,
    ) -> Result<Option<(Option<String>, String)>, DbError> {
        let (pool, hash, kind) = (self.pool.clone(), hash.to_owned(), kind.code());
        self.block(async move {
            let row = client(&pool)
                .await?
                .query_opt(
                    "SELECT operator_id, data FROM operator_token
                     WHERE hash = $1 AND kind = $2 AND expires_at > $3",
                    &[&hash, &kind, &(now as i64)],
                )
                .await?;
            Ok(row.map(|r| (r.get(0), r.get(1))))
        })
    }

    fn session(&self, hash: &str, now: u64) -> Result<Option<(Operator, String)>, DbError> {
        let (pool, hash) = (self.pool.clone(), hash.to_owned());
        self.block(async move {
            let row = client(&pool)
                .await?
                .query_opt(
                    "SELECT o.id, o.name, o.role, o.created_at, t.data
                     FROM operator_token t JOIN operator o ON o.id = t.operator_id
                     WHERE t.hash = $1 AND t.kind = 'session' AND t.expires_at > $2",
                    &[&hash, &(now as i64)],
                )
                .await?;
            row.map(|r| Ok((operator(&r)?, r.get(4)))).transpose()
        })
    }

    fn sessions_drop(&self, operator_id: &str) -> Result<u64, DbError> {
        let (pool, id) = (self.pool.clone(), operator_id.to_owned());
        self.block(async move {
            Ok(client(&pool)
                .await?
                .execute(
                    "DELETE FROM operator_token WHERE operator_id = $1 AND kind = 'session'",
                    &[&id],
                )
                .await?)
        })
    }

    fn note_add(&self, election_id: &str, bureau: &str, note: &Note) -> Result<(), DbError> {
        let pool = self.pool.clone();
        let (id, bureau, note) = (election_id.to_owned(), bureau.to_owned(), note.clone());
        self.block(async move {
            client(&pool)
                .await?
                .execute(
                    "INSERT INTO bureau_note (election_id, bureau, at, author, text)
                     VALUES ($1, $2, $3, $4, $5)",
                    &[&id, &bureau, &(note.at as i64), &note.author, &note.text],
                )
                .await?;
            Ok(())
        })
    }

    fn notes_of(&self, election_id: &str, bureau: &str) -> Result<Vec<Note>, DbError> {
        let (pool, id, bureau) = (
            self.reads.clone(),
            election_id.to_owned(),
            bureau.to_owned(),
        );
        self.block(async move {
            let rows = client(&pool)
                .await?
                .query(
                    "SELECT at, author, text FROM bureau_note
                     WHERE election_id = $1 AND bureau = $2 ORDER BY at, ctid",
                    &[&id, &bureau],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|r| Note {
                    at: r.get::<_, i64>(0) as u64,
                    author: r.get(1),
                    text: r.get(2),
                })
                .collect())
        })
    }

    fn team_phone_set(&self, election_id: &str, phone: &str) -> Result<(), DbError> {
        let pool = self.pool.clone();
        let (id, phone) = (election_id.to_owned(), phone.to_owned());
        self.block(async move {
            client(&pool)
                .await?
                .execute(
                    "INSERT INTO election_team (election_id, phone) VALUES ($1, $2)
                     ON CONFLICT (election_id) DO UPDATE SET phone = excluded.phone",
                    &[&id, &phone],
                )
                .await?;
            Ok(())
        })
    }

    fn team_phone(&self, election_id: &str) -> Result<Option<String>, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move {
            Ok(client(&pool)
                .await?
                .query_opt(
                    "SELECT phone FROM election_team WHERE election_id = $1",
                    &[&id],
                )
                .await?
                .and_then(|r| r.get(0)))
        })
    }

    fn returns_due_set(&self, election_id: &str, due: Option<u64>) -> Result<(), DbError> {
        let pool = self.pool.clone();
        let (id, due) = (election_id.to_owned(), due.map(|d| d as i64));
        self.block(async move {
            client(&pool)
                .await?
                .execute(
                    "INSERT INTO election_team (election_id, returns_due) VALUES ($1, $2)
                     ON CONFLICT (election_id) DO UPDATE SET returns_due = excluded.returns_due",
                    &[&id, &due],
                )
                .await?;
            Ok(())
        })
    }

    fn returns_due(&self, election_id: &str) -> Result<Option<u64>, DbError> {
        let (pool, id) = (self.reads.clone(), election_id.to_owned());
        self.block(async move {
            Ok(client(&pool)
                .await?
                .query_opt(
                    "SELECT returns_due FROM election_team WHERE election_id = $1",
                    &[&id],
                )
                .await?
                .and_then(|r| r.get::<_, Option<i64>>(0))
                .map(|d| d as u64))
        })
    }
}
