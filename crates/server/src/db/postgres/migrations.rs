//! The PostgreSQL schema's migrations, apart from the backend they set up.

/// The schema, one entry per version; the `pointage_schema` table records
/// how many have been applied. Entries are only ever appended. It holds
/// what SQLite's six migrations came to, and two counters per election
/// that SQLite computes or keeps by trigger: `changes` (the results
/// stamp) and `last_sequence` (the last receipt's number).
pub(super) const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE election (
        position      BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        id            TEXT PRIMARY KEY,
        hash          TEXT NOT NULL UNIQUE,
        definition    BYTEA NOT NULL,
        changes       BIGINT NOT NULL DEFAULT 0,
        last_sequence BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE server_key (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        secret     BYTEA NOT NULL CHECK (length(secret) = 32),
        public_key TEXT NOT NULL
    );
    CREATE TABLE enrollment_code (
        code_hash      TEXT PRIMARY KEY,
        election_id    TEXT NOT NULL REFERENCES election(id),
        bureau         TEXT NOT NULL,
        state          TEXT NOT NULL CHECK (state IN ('issued', 'used', 'revoked')),
        device_key     TEXT UNIQUE,
        issued_at      BIGINT NOT NULL,
        used_at        BIGINT,
        enrolled_after BIGINT,
        revoked_after  BIGINT
    );
    CREATE INDEX enrollment_code_bureau ON enrollment_code (election_id, bureau);
    CREATE TABLE return_version (
        sequence          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id                TEXT NOT NULL UNIQUE,
        election_id       TEXT NOT NULL REFERENCES election(id),
        bureau            TEXT NOT NULL,
        version           INTEGER NOT NULL CHECK (version >= 1),
        bytes             BYTEA NOT NULL,
        received_at       BIGINT NOT NULL,
        election_sequence BIGINT NOT NULL,
        UNIQUE (election_id, bureau, version),
        UNIQUE (election_id, election_sequence)
    );
"#,
    // 2: an election closed by its organisers, and the last receipt of its
    // record, final from then on.
    r#"
    ALTER TABLE election ADD COLUMN closed_at BIGINT, ADD COLUMN closed_sequence BIGINT;
"#,
    // 3: the record as an append-only Merkle log per election, as SQLite's
    // schema 8: a return's leaf is its row (`election_sequence` its index,
    // `leaf_hash` its hash), every other leaf a row here;
    // `election.last_sequence` is the last leaf's index from now on, and
    // `last_at` its time (a leaf is never older than the one before).
    // Elections stored before get their log in the same transaction
    // (`rows::rebuild_logs`).
    r#"
    CREATE TABLE log_entry (
        election_id TEXT NOT NULL REFERENCES election(id),
        idx         BIGINT NOT NULL,
        bureau      TEXT,
        at          BIGINT NOT NULL,
        hash        BYTEA NOT NULL CHECK (length(hash) = 32),
        entry       BYTEA NOT NULL,
        PRIMARY KEY (election_id, idx)
    );
    CREATE INDEX log_entry_bureau ON log_entry (election_id, bureau) WHERE bureau IS NOT NULL;
    ALTER TABLE return_version ADD COLUMN leaf_hash BYTEA;
    ALTER TABLE election ADD COLUMN last_at BIGINT NOT NULL DEFAULT 0;
"#,
    // 4: secrets out of the database, as SQLite's schema 9: the server
    // key's secret may live in a file; the codes are under a pepper kept
    // in a file, recognised by the row here (codes stored before are
    // brought under it in the same transaction, `pepper`).
    r#"
    ALTER TABLE server_key ALTER COLUMN secret DROP NOT NULL;
    CREATE TABLE code_pepper (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        digest TEXT NOT NULL
    );
"#,
    // 5: turnout reports, as SQLite's schema 10: each a leaf of
    // `log_entry` (`idx`), found here by id and by a bureau's latest
    // version of a checkpoint. Storing one moves `changes`.
    r#"
    CREATE TABLE turnout_report (
        id          TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        checkpoint  TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        idx         BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        bytes       BYTEA NOT NULL,
        UNIQUE (election_id, bureau, checkpoint, version)
    );
"#,
    // 6: the paper PV's photos, as SQLite's schema 11, the pictures'
    // pieces in the database (a node keeps nothing of its own). Storing a
    // document or a piece moves `changes`.
    r#"
    CREATE TABLE photo_set (
        id          TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        return_id   TEXT NOT NULL,
        pages       TEXT NOT NULL,
        idx         BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        bytes       BYTEA NOT NULL,
        UNIQUE (election_id, bureau, version)
    );
    CREATE TABLE photo_page (
        sha256      TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        number      INTEGER NOT NULL,
        media_type  TEXT NOT NULL,
        size        BIGINT NOT NULL,
        pieces      TEXT NOT NULL
    );
    CREATE TABLE photo_piece (
        sha256 TEXT NOT NULL REFERENCES photo_page(sha256),
        n      INTEGER NOT NULL,
        bytes  BYTEA NOT NULL,
        PRIMARY KEY (sha256, n)
    );
"#,
    // 7: what the central team keeps of each bureau beyond the
    // definition, as SQLite's schema 12 (core's `roster::BureauDetails`, from the organiser's
    // spreadsheet): the address, the département, the président's name
    // and phone number. Personal data: read by operators only, never in
    // the record or a public answer.
    r#"
    CREATE TABLE bureau_details (
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        address     TEXT,
        departement TEXT,
        president   TEXT,
        phone       TEXT,
        PRIMARY KEY (election_id, bureau)
    );
"#,
    // 8: as SQLite's schema 13: the central team's accounts, their
    // passkeys, and their tokens (kept as SHA-256s only).
    r#"
    CREATE TABLE operator (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE operator_passkey (
        cred_id     TEXT PRIMARY KEY,
        operator_id TEXT NOT NULL REFERENCES operator(id),
        passkey     TEXT NOT NULL
    );
    CREATE TABLE operator_token (
        hash        TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        operator_id TEXT REFERENCES operator(id),
        data        TEXT NOT NULL,
        expires_at  BIGINT NOT NULL
    );
    CREATE INDEX operator_token_of ON operator_token (operator_id, kind);
"#,
    // 9: as SQLite's schema 14: the central team's notes on a bureau.
    r#"
    CREATE TABLE bureau_note (
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        at          BIGINT NOT NULL,
        author      TEXT NOT NULL,
        text        TEXT NOT NULL
    );
    CREATE INDEX bureau_note_of ON bureau_note (election_id, bureau, at);
"#,
    // 10: a key may hold its bureau in two rounds (a second round made from
    // the first carries the phones over): no longer unique, still found at
    // once (SQLite never made it unique).
    r#"
    ALTER TABLE enrollment_code DROP CONSTRAINT enrollment_code_device_key_key;
    CREATE INDEX enrollment_code_device_key ON enrollment_code (device_key);
"#,
    // 11: as SQLite's schema 15: the team's phone number, for the letters,
    // and each bureau's latest refused return, for the board.
    r#"
    CREATE TABLE election_team (
        election_id TEXT PRIMARY KEY REFERENCES election(id),
        phone       TEXT,
        returns_due BIGINT
    );
    CREATE TABLE bureau_refusal (
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        code        TEXT NOT NULL,
        at          BIGINT NOT NULL,
        PRIMARY KEY (election_id, bureau)
    );
"#,
];
