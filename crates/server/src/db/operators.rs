//! The central team's accounts as the database keeps them: each account
//! and its passkeys, and the tokens an account's life goes through — an
//! invitation (used once), a passkey ceremony under way (used once), a
//! session (until it expires or its holder signs out everywhere). A token
//! is stored as its SHA-256 only: the database never holds what a browser
//! presents. Kept in the database, not in a node's memory, so that any
//! node serves any operator.

use super::{Db, DbError};
use pointage_core::operator::Role;

/// An operator's account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub created_at: u64,
}

/// What a token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// An invitation to make an account (its data: name and role).
    Invite,
    /// A passkey registration or sign-in under way (its data: the
    /// ceremony's state).
    Ceremony,
    /// A signed-in browser (its data: the session's form proof).
    Session,
    /// A file made for one operator, fetched within the hour (its data:
    /// its name, type and bytes): an import's letters and codes.
    Download,
}

impl TokenKind {
    pub(super) fn code(self) -> &'static str {
        match self {
            TokenKind::Invite => "invite",
            TokenKind::Ceremony => "ceremony",
            TokenKind::Session => "session",
            TokenKind::Download => "download",
        }
    }
}

/// A token to store: its hash, what it is for, whose it is, what it
/// carries, and until when it holds (milliseconds since 1970).
pub struct NewToken<'a> {
    pub hash: &'a str,
    pub kind: TokenKind,
    pub operator: Option<&'a str>,
    pub data: &'a str,
    pub expires_at: u64,
}

/// A note on a bureau, by an operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub at: u64,
    /// The account's name.
    pub author: String,
    pub text: String,
}

/// What each backend implements for the accounts; see [`Db`]'s methods of
/// the same names.
pub(super) trait OperatorStore: Send + Sync {
    fn operator_create(&self, op: &Operator, cred_id: &str, passkey: &str)
    -> Result<bool, DbError>;
    fn operator_named(&self, name: &str) -> Result<Option<(Operator, Vec<String>)>, DbError>;
    fn operator_passkey_update(&self, cred_id: &str, passkey: &str) -> Result<(), DbError>;
    fn operators(&self) -> Result<Vec<Operator>, DbError>;
    fn token_put(&self, token: &NewToken<'_>, now: u64) -> Result<(), DbError>;
    fn token_take(
        &self,
        kind: TokenKind,
        hash: &str,
        now: u64,
    ) -> Result<Option<(Option<String>, String)>, DbError>;
    fn token_peek(
        &self,
        kind: TokenKind,
        hash: &str,
        now: u64,
    ) -> Result<Option<(Option<String>, String)>, DbError>;
    fn session(&self, hash: &str, now: u64) -> Result<Option<(Operator, String)>, DbError>;
    fn sessions_drop(&self, operator_id: &str) -> Result<u64, DbError>;
    fn note_add(&self, election_id: &str, bureau: &str, note: &Note) -> Result<(), DbError>;
    fn notes_of(&self, election_id: &str, bureau: &str) -> Result<Vec<Note>, DbError>;
    fn team_phone_set(&self, election_id: &str, phone: &str) -> Result<(), DbError>;
    fn team_phone(&self, election_id: &str) -> Result<Option<String>, DbError>;
    fn returns_due_set(&self, election_id: &str, due: Option<u64>) -> Result<(), DbError>;
    fn returns_due(&self, election_id: &str) -> Result<Option<u64>, DbError>;
}

/// An account's row as both backends read it (`id, name, role,
/// created_at`); a role the code does not know is a damaged database.
pub(super) fn operator_from(
    id: String,
    name: String,
    role: &str,
    created_at: i64,
) -> Result<Operator, DbError> {
    let role = Role::from_code(role)
        .ok_or_else(|| DbError::Invariant(format!("operator {id} has an unknown role {role}")))?;
    Ok(Operator {
        id,
        name,
        role,
        created_at: created_at as u64,
    })
}

impl Db {
    /// Makes the account `op` with its first passkey (`cred_id`, and the
    /// passkey as JSON). `false`: an account of that name exists (nothing
    /// stored).
    pub fn operator_create(
        &self,
        op: &Operator,
        cred_id: &str,
        passkey: &str,
    ) -> Result<bool, DbError> {
        self.store().operator_create(op, cred_id, passkey)
    }

    /// The account named `name`, with its passkeys (as JSON).
    pub fn operator_named(&self, name: &str) -> Result<Option<(Operator, Vec<String>)>, DbError> {
        self.store().operator_named(name)
    }

    /// Keeps a passkey's new state (its signature counter) after a sign-in.
    pub fn operator_passkey_update(&self, cred_id: &str, passkey: &str) -> Result<(), DbError> {
        self.store().operator_passkey_update(cred_id, passkey)
    }

    /// Every account, by name.
    pub fn operators(&self) -> Result<Vec<Operator>, DbError> {
        self.store().operators()
    }

    /// Stores `token` (and forgets every token expired at `now`).
    pub fn token_put(&self, token: &NewToken<'_>, now: u64) -> Result<(), DbError> {
        self.store().token_put(token, now)
    }

    /// Takes the token of `kind` whose hash is `hash`, unexpired at `now`:
    /// it is gone once read (an invitation or a ceremony is used once).
    /// Its account and data.
    pub fn token_take(
        &self,
        kind: TokenKind,
        hash: &str,
        now: u64,
    ) -> Result<Option<(Option<String>, String)>, DbError> {
        self.store().token_take(kind, hash, now)
    }

    /// The token of `kind` whose hash is `hash`, unexpired at `now`, left
    /// in place (an invitation read before its passkey is made).
    pub fn token_peek(
        &self,
        kind: TokenKind,
        hash: &str,
        now: u64,
    ) -> Result<Option<(Option<String>, String)>, DbError> {
        self.store().token_peek(kind, hash, now)
    }

    /// The session whose token hashes to `hash`, unexpired at `now`: its
    /// account and its form proof.
    pub fn session(&self, hash: &str, now: u64) -> Result<Option<(Operator, String)>, DbError> {
        self.store().session(hash, now)
    }

    /// Adds `note` on `bureau` of `election_id`.
    pub fn note_add(&self, election_id: &str, bureau: &str, note: &Note) -> Result<(), DbError> {
        self.store().note_add(election_id, bureau, note)
    }

    /// The notes on `bureau` of `election_id`, oldest first.
    pub fn notes_of(&self, election_id: &str, bureau: &str) -> Result<Vec<Note>, DbError> {
        self.store().notes_of(election_id, bureau)
    }

    /// Keeps the central team's phone number of `election_id`, printed on
    /// its letters (a reissue's too).
    pub fn team_phone_set(&self, election_id: &str, phone: &str) -> Result<(), DbError> {
        self.store().team_phone_set(election_id, phone)
    }

    /// The central team's phone number of `election_id`, if one was given.
    pub fn team_phone(&self, election_id: &str) -> Result<Option<String>, DbError> {
        self.store().team_phone(election_id)
    }

    /// Sets (or, `None`, lifts) the deadline the central team set for the
    /// PVs of `election_id`: past it, a bureau without its PV is late.
    pub fn returns_due_set(&self, election_id: &str, due: Option<u64>) -> Result<(), DbError> {
        self.store().returns_due_set(election_id, due)
    }

    /// The deadline of the PVs of `election_id`, if one was set.
    pub fn returns_due(&self, election_id: &str) -> Result<Option<u64>, DbError> {
        self.store().returns_due(election_id)
    }

    /// Ends every session of `operator_id` (signing out everywhere); how
    /// many there were.
    pub fn sessions_drop(&self, operator_id: &str) -> Result<u64, DbError> {
        self.store().sessions_drop(operator_id)
    }
}
