//! The central team's accounts in SQLite (`../operators.rs`).

use super::super::DbError;
use super::super::operators::{NewToken, Note, Operator, OperatorStore, TokenKind, operator_from};
use super::Sqlite;
use rusqlite::{OptionalExtension, params};

const OPERATOR: &str = "SELECT id, name, role, created_at FROM operator";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn operator((id, name, role, at): (String, String, String, i64)) -> Result<Operator, DbError> {
    operator_from(id, name, &role, at)
}

impl OperatorStore for Sqlite {
    fn operator_create(
        &self,
        op: &Operator,
        cred_id: &str,
        passkey: &str,
    ) -> Result<bool, DbError> {
        self.with(|c| {
            let tx = c.transaction()?;
            let made = tx.execute(
                "INSERT INTO operator (id, name, role, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO NOTHING",
                params![op.id, op.name, op.role.code(), op.created_at as i64],
            )?;
            if made == 0 {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO operator_passkey (cred_id, operator_id, passkey) VALUES (?1, ?2, ?3)",
                params![cred_id, op.id, passkey],
            )?;
            tx.commit()?;
            Ok(true)
        })
    }

    fn operator_named(&self, name: &str) -> Result<Option<(Operator, Vec<String>)>, DbError> {
        self.with(|c| {
            let Some(found) = c
                .query_row(&format!("{OPERATOR} WHERE name = ?1"), [name], row)
                .optional()?
            else {
                return Ok(None);
            };
            let op = operator(found)?;
            let passkeys = c
                .prepare("SELECT passkey FROM operator_passkey WHERE operator_id = ?1")?
                .query_map([&op.id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            Ok(Some((op, passkeys)))
        })
    }

    fn operator_passkey_update(&self, cred_id: &str, passkey: &str) -> Result<(), DbError> {
        self.with(|c| {
            c.execute(
                "UPDATE operator_passkey SET passkey = ?2 WHERE cred_id = ?1",
                params![cred_id, passkey],
            )?;
            Ok(())
        })
    }

    fn operators(&self) -> Result<Vec<Operator>, DbError> {
        self.with(|c| {
            let rows: Vec<_> = c
                .prepare(&format!("{OPERATOR} ORDER BY name"))?
                .query_map([], row)?
                .collect::<Result<_, _>>()?;
            rows.into_iter().map(operator).collect()
        })
    }

    fn token_put(&self, t: &NewToken<'_>, now: u64) -> Result<(), DbError> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "DELETE FROM operator_token WHERE expires_at <= ?1",
                [now as i64],
            )?;
            tx.execute(
                "INSERT INTO operator_token (hash, kind, operator_id, data, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    t.hash,
                    t.kind.code(),
                    t.operator,
                    t.data,
                    t.expires_at as i64
                ],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn token_take(
        &self,
        kind: TokenKind,
        hash: &str,
        now: u64,
    ) -> Result<Option<(Option<String>, String)>, DbError> {
        self.with(|c| {
            Ok(c.query_row(
                "DELETE FROM operator_token WHERE hash = ?1 AND kind = ?2 AND expires_at > ?3
                 RETURNING operator_id, data",
                params![hash, kind.code(), now as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })
    }

    fn token_peek(
        &self,
        kind: TokenKind,
        hash: &str,
        now: u64,
    ) -> Result<Option<(Option<String>, String)>, DbError> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT operator_id, data FROM operator_token
                 WHERE hash = ?1 AND kind = ?2 AND expires_at > ?3",
                params![hash, kind.code(), now as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })
    }

    fn session(&self, hash: &str, now: u64) -> Result<Option<(Operator, String)>, DbError> {
        self.with(|c| {
            let found = c
                .query_row(
                    "SELECT o.id, o.name, o.role, o.created_at, t.data
                     FROM operator_token t JOIN operator o ON o.id = t.operator_id
                     WHERE t.hash = ?1 AND t.kind = 'session' AND t.expires_at > ?2",
                    params![hash, now as i64],
                    |r| Ok((row(r)?, r.get::<_, String>(4)?)),
                )
                .optional()?;
            found.map(|(o, csrf)| Ok((operator(o)?, csrf))).transpose()
        })
    }

    fn sessions_drop(&self, operator_id: &str) -> Result<u64, DbError> {
        self.with(|c| {
            Ok(c.execute(
                "DELETE FROM operator_token WHERE operator_id = ?1 AND kind = 'session'",
                [operator_id],
            )? as u64)
        })
    }

    fn note_add(&self, election_id: &str, bureau: &str, note: &Note) -> Result<(), DbError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO bureau_note (election_id, bureau, at, author, text)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![election_id, bureau, note.at as i64, note.author, note.text],
            )?;
            Ok(())
        })
    }

    fn notes_of(&self, election_id: &str, bureau: &str) -> Result<Vec<Note>, DbError> {
        self.read(|c| {
            Ok(c.prepare(
                "SELECT at, author, text FROM bureau_note
                 WHERE election_id = ?1 AND bureau = ?2 ORDER BY at, rowid",
            )?
            .query_map(params![election_id, bureau], |r| {
                Ok(Note {
                    at: r.get::<_, i64>(0)? as u64,
                    author: r.get(1)?,
                    text: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?)
        })
    }

    fn team_phone_set(&self, election_id: &str, phone: &str) -> Result<(), DbError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO election_team (election_id, phone) VALUES (?1, ?2)
                 ON CONFLICT (election_id) DO UPDATE SET phone = excluded.phone",
                params![election_id, phone],
            )?;
            Ok(())
        })
    }

    fn team_phone(&self, election_id: &str) -> Result<Option<String>, DbError> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT phone FROM election_team WHERE election_id = ?1",
                [election_id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
        })
    }

    fn returns_due_set(&self, election_id: &str, due: Option<u64>) -> Result<(), DbError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO election_team (election_id, returns_due) VALUES (?1, ?2)
                 ON CONFLICT (election_id) DO UPDATE SET returns_due = excluded.returns_due",
                params![election_id, due.map(|d| d as i64)],
            )?;
            Ok(())
        })
    }

    fn returns_due(&self, election_id: &str) -> Result<Option<u64>, DbError> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT returns_due FROM election_team WHERE election_id = ?1",
                [election_id],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten()
            .map(|d| d as u64))
        })
    }
}
