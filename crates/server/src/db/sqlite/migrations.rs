//! The SQLite schema's migrations, apart from the backend they set up.

/// The schema, one entry per version; `PRAGMA user_version` records how many
/// have been applied. Entries are only ever appended.
pub(super) const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE election (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        round      INTEGER NOT NULL CHECK (round >= 1)
    );
    CREATE TABLE candidate (
        election_id TEXT NOT NULL REFERENCES election(id),
        position    INTEGER NOT NULL,
        id          TEXT NOT NULL,
        name        TEXT NOT NULL,
        PRIMARY KEY (election_id, id),
        UNIQUE (election_id, position)
    );
    CREATE TABLE bureau (
        election_id TEXT NOT NULL REFERENCES election(id),
        position    INTEGER NOT NULL,
        code        TEXT NOT NULL,
        name        TEXT NOT NULL,
        inscrits    INTEGER CHECK (inscrits IS NULL OR inscrits >= 0),
        PRIMARY KEY (election_id, code),
        UNIQUE (election_id, position)
    );
"#,
    // Schema 1 could only ever hold the demo election (there was no import),
    // rebuilt from code on start. From schema 2 an election is stored as the
    // canonical bytes of its definition, the very bytes its hash is of, so
    // that what is served and hashed can never drift from what was loaded.
    r#"
    DROP TABLE bureau;
    DROP TABLE candidate;
    DROP TABLE election;
    CREATE TABLE election (
        id         TEXT PRIMARY KEY,
        hash       TEXT NOT NULL UNIQUE,
        definition BLOB NOT NULL
    );
"#,
    // Enrollment, the server's key, and the signed returns. Codes are stored
    // only as hashes; every version of every return is kept, in the order
    // received (its receipt's sequence). Receipts are not stored: Ed25519 is
    // deterministic, so the receipt of a stored return is signed again,
    // identical, from its sequence and time.
    r#"
    CREATE TABLE server_key (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        secret     BLOB NOT NULL CHECK (length(secret) = 32),
        public_key TEXT NOT NULL
    );
    CREATE TABLE enrollment_code (
        code_hash   TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('issued', 'used', 'revoked')),
        device_key  TEXT,
        issued_at   INTEGER NOT NULL,
        used_at     INTEGER
    );
    CREATE INDEX enrollment_code_bureau ON enrollment_code (election_id, bureau);
    CREATE TABLE return_version (
        sequence    INTEGER PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        bytes       BLOB NOT NULL,
        received_at INTEGER NOT NULL,
        UNIQUE (election_id, bureau, version)
    );
"#,
    // 4: a counter per election that every change the results depend on
    // moves (a return stored, a code issued, used or revoked, by this server
    // or by the command line in another process), kept by triggers: asking
    // whether the cached results still hold is one row read, not a scan of
    // 70,000 enrollment codes.
    r#"
    CREATE TABLE results_stamp (
        election_id TEXT PRIMARY KEY REFERENCES election(id),
        changes     INTEGER NOT NULL
    );
    INSERT INTO results_stamp (election_id, changes) SELECT id, 0 FROM election;
    CREATE TRIGGER results_stamp_election AFTER INSERT ON election BEGIN
        INSERT OR IGNORE INTO results_stamp (election_id, changes) VALUES (NEW.id, 0);
    END;
    CREATE TRIGGER results_stamp_return AFTER INSERT ON return_version BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
    CREATE TRIGGER results_stamp_code_issued AFTER INSERT ON enrollment_code BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
    CREATE TRIGGER results_stamp_code_changed AFTER UPDATE ON enrollment_code BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
"#,
    // 5: receipts count per election (1, 2, 3, … in each), so that one
    // election's record has no gaps and a return dropped from it shows; the
    // table's own `sequence` stays the order of arrival across elections.
    r#"
    ALTER TABLE return_version ADD COLUMN election_sequence INTEGER;
    UPDATE return_version SET election_sequence = (
        SELECT COUNT(*) FROM return_version AS earlier
        WHERE earlier.election_id = return_version.election_id
          AND earlier.sequence <= return_version.sequence
    );
    CREATE UNIQUE INDEX return_version_election_sequence
        ON return_version (election_id, election_sequence);
"#,
    // 6: when each device key held its bureau, in the election's receipt
    // sequence: enrolled after receipt `enrolled_after`, revoked after
    // receipt `revoked_after`, so that anyone can check from the record that
    // each return was received while its key was the bureau's. Keys enrolled
    // before this schema are taken as held from the start, and revoked ones
    // as revoked at the last receipt stored before it. The index lets an
    // enrollment find at once whether its key is another bureau's already.
    r#"
    CREATE INDEX enrollment_code_device_key ON enrollment_code (device_key);
    ALTER TABLE enrollment_code ADD COLUMN enrolled_after INTEGER;
    ALTER TABLE enrollment_code ADD COLUMN revoked_after INTEGER;
    UPDATE enrollment_code SET enrolled_after = 0 WHERE device_key IS NOT NULL;
    UPDATE enrollment_code SET revoked_after = (
        SELECT COALESCE(MAX(election_sequence), 0) FROM return_version
        WHERE return_version.election_id = enrollment_code.election_id
    ) WHERE state = 'revoked' AND device_key IS NOT NULL;
"#,
    // 7: an election closed by its organisers, with the last receipt of its
    // record, final from then on. Closing moves the results stamp (the
    // record's head changes, and so its tag).
    r#"
    CREATE TABLE election_closure (
        election_id   TEXT PRIMARY KEY REFERENCES election(id),
        closed_at     INTEGER NOT NULL,
        last_sequence INTEGER NOT NULL
    );
    CREATE TRIGGER results_stamp_closed AFTER INSERT ON election_closure BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
"#,
    // 8: the record as an append-only Merkle log per election (RFC 9162):
    // every return, key enrolled, code reissued and the closing is a leaf,
    // numbered 0, 1, 2… A return's leaf is its row (`election_sequence`
    // becomes its index, `leaf_hash` its hash); the others are rows here,
    // with their canonical entry. Elections stored before are given their
    // log when the database is opened (`log::rebuild`), from what they
    // hold, and their returns numbered again in it.
    r#"
    CREATE TABLE log_entry (
        election_id TEXT NOT NULL REFERENCES election(id),
        idx         INTEGER NOT NULL,
        bureau      TEXT,
        at          INTEGER NOT NULL,
        hash        BLOB NOT NULL CHECK (length(hash) = 32),
        entry       BLOB NOT NULL,
        PRIMARY KEY (election_id, idx)
    );
    CREATE INDEX log_entry_bureau ON log_entry (election_id, bureau) WHERE bureau IS NOT NULL;
    ALTER TABLE return_version ADD COLUMN leaf_hash BLOB;
"#,
    // 9: secrets out of the database (`secrets.rs`). The server key's
    // secret may live in a file, the row keeping its public half; the
    // codes are stored under a pepper kept in a file, the row here
    // recognising it (the codes stored before are brought under it once,
    // by `enrollment::pepper`, which needs the pepper).
    r#"
    CREATE TABLE server_key_9 (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        secret     BLOB CHECK (secret IS NULL OR length(secret) = 32),
        public_key TEXT NOT NULL
    );
    INSERT INTO server_key_9 SELECT id, secret, public_key FROM server_key;
    DROP TABLE server_key;
    ALTER TABLE server_key_9 RENAME TO server_key;
    CREATE TABLE code_pepper (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        digest TEXT NOT NULL
    );
"#,
    // 10: turnout reports (docs/return-format.md §9). Each is a leaf of
    // `log_entry` (`idx`); this row finds it by id, and a bureau's latest
    // version of a checkpoint. Storing one moves the results stamp.
    r#"
    CREATE TABLE turnout_report (
        id          TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        checkpoint  TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        idx         INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        bytes       BLOB NOT NULL,
        UNIQUE (election_id, bureau, checkpoint, version)
    );
    CREATE TRIGGER results_stamp_report AFTER INSERT ON turnout_report BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
"#,
    // 11: the paper PV's photos (docs/return-format.md §15). A photo
    // document is a leaf of `log_entry` (`idx`), found here by id and by a
    // bureau's latest version (`pages`: its pictures' SHA-256, one after
    // the other); each page it names is a row of
    // `photo_page` (by the picture's SHA-256, its pieces' hashes one after
    // the other), and each piece received, checked against them, a row of
    // `photo_piece`. A document stored moves the results stamp, and so
    // does a picture's last piece (the results page shows the pictures
    // held; `photos::put_piece`).
    r#"
    CREATE TABLE photo_set (
        id          TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        return_id   TEXT NOT NULL,
        pages       TEXT NOT NULL,
        idx         INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        bytes       BLOB NOT NULL,
        UNIQUE (election_id, bureau, version)
    );
    CREATE TABLE photo_page (
        sha256      TEXT PRIMARY KEY,
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        number      INTEGER NOT NULL,
        media_type  TEXT NOT NULL,
        size        INTEGER NOT NULL,
        pieces      TEXT NOT NULL
    );
    CREATE TABLE photo_piece (
        sha256 TEXT NOT NULL REFERENCES photo_page(sha256),
        n      INTEGER NOT NULL,
        bytes  BLOB NOT NULL,
        PRIMARY KEY (sha256, n)
    ) WITHOUT ROWID;
    CREATE TRIGGER results_stamp_photos AFTER INSERT ON photo_set BEGIN
        UPDATE results_stamp SET changes = changes + 1 WHERE election_id = NEW.election_id;
    END;
"#,
    // 12: what the central team keeps of each bureau beyond the
    // definition (core's `roster::BureauDetails`, from the organiser's
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
    // 13: the central team's accounts (core's `operator::Role`): each
    // account, its passkeys (webauthn-rs' `Passkey` as JSON), and the
    // one-time or expiring tokens: invitations, sign-in ceremonies under
    // way, sessions (each with its form proof). A token is kept as its
    // SHA-256 only. Personal data: never in the record or a public answer.
    r#"
    CREATE TABLE operator (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL,
        created_at INTEGER NOT NULL
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
        expires_at  INTEGER NOT NULL
    );
    CREATE INDEX operator_token_of ON operator_token (operator_id, kind);
"#,
    // 14: the central team's notes on a bureau (who called, what was
    // said): operational and personal, read on the operators' pages only.
    r#"
    CREATE TABLE bureau_note (
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        at          INTEGER NOT NULL,
        author      TEXT NOT NULL,
        text        TEXT NOT NULL
    );
    CREATE INDEX bureau_note_of ON bureau_note (election_id, bureau, at);
"#,
    // 15: the central team's phone number for an election, printed on its
    // letters, a reissue's included, and the deadline it set for the PVs
    // (the board's "late"): the team's, never in the record; and
    // each bureau's latest refused return (its code), for the board.
    r#"
    CREATE TABLE election_team (
        election_id TEXT PRIMARY KEY REFERENCES election(id),
        phone       TEXT,
        returns_due INTEGER
    );
    CREATE TABLE bureau_refusal (
        election_id TEXT NOT NULL REFERENCES election(id),
        bureau      TEXT NOT NULL,
        code        TEXT NOT NULL,
        at          INTEGER NOT NULL,
        PRIMARY KEY (election_id, bureau)
    );
"#,
];
