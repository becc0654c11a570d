//! What the server keeps secret, and where: never where a copy of the
//! database alone would give it away.
//!
//! - The **pepper**: 32 random bytes in a file of its own (`code-pepper`
//!   in the data directory by default, `--code-pepper-file`). Enrollment
//!   codes are stored as HMAC-SHA-256 under it of their SHA-256 (what
//!   schema 3 stored), so a database copy cannot confirm a guessed code,
//!   and a database from before is brought over without issuing codes
//!   again: each stored hash becomes its HMAC. The database keeps an HMAC
//!   of a fixed text under the pepper, so a node given another pepper
//!   file refuses to start instead of refusing every code.
//! - The **server key**, which signs receipts and heads: in the database
//!   (as before), or, with `--server-key-file`, in a file, the database
//!   keeping only its public half (a key the database held is moved out
//!   to the file the first time).
//!
//! Every file here is the owner's alone (0600, in a 0700 directory): the
//! server refuses one that its group or others may read.

use super::DbError;
use super::model::ServerKey;
use hmac::{KeyInit, Mac};
use sha2::Sha256;
use std::path::{Path, PathBuf};

/// The default name of the pepper file in the data directory.
pub const PEPPER_FILE: &str = "code-pepper";

/// The text whose HMAC under the pepper the database keeps.
const PEPPER_CHECK: &[u8] = b"pointage code pepper check";

/// The secrets a database is opened with.
#[derive(Clone)]
pub struct Secrets {
    pepper: [u8; 32],
    /// Where the server key lives, when not in the database.
    pub server_key_file: Option<PathBuf>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("server_key_file", &self.server_key_file)
            .finish_non_exhaustive()
    }
}

impl Secrets {
    /// The pepper of `file`, created (0600) if it does not exist.
    pub fn with_pepper_file(file: &Path) -> Result<Self, DbError> {
        let pepper = match read_secret(file)? {
            Some(p) => p,
            None => {
                let p = ServerKey::new_secret()?;
                write_secret(file, &p)?;
                p
            }
        };
        Ok(Self {
            pepper,
            server_key_file: None,
        })
    }

    /// The pepper file of a data directory (created with the directory).
    pub fn in_dir(data_dir: &Path) -> Result<Self, DbError> {
        private_dir(data_dir)?;
        Self::with_pepper_file(&data_dir.join(PEPPER_FILE))
    }

    /// A pepper made up now, kept nowhere: for a database in memory.
    pub fn ephemeral() -> Result<Self, DbError> {
        Ok(Self {
            pepper: ServerKey::new_secret()?,
            server_key_file: None,
        })
    }

    /// With the server key kept in `file`.
    pub fn server_key_in(mut self, file: Option<PathBuf>) -> Self {
        self.server_key_file = file;
        self
    }

    fn mac(&self, data: &[u8]) -> String {
        // HMAC takes a key of any length: this cannot fail.
        let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(&self.pepper)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(data);
        hex::encode(mac.finalize().into_bytes())
    }

    /// What is stored for a code (in its printed form): the HMAC of its
    /// SHA-256.
    pub fn code_digest(&self, code: &str) -> String {
        self.peppered(&pointage_core::enrollment::code_hash(code))
    }

    /// What a stored SHA-256 of a code becomes under the pepper.
    pub fn peppered(&self, sha256_hex: &str) -> String {
        self.mac(sha256_hex.as_bytes())
    }

    /// What the database keeps to recognise this pepper.
    pub fn check(&self) -> String {
        self.mac(PEPPER_CHECK)
    }

    /// The server key as `stored` in the database (its secret, if the
    /// database holds it, and its public half), moved to or read from the
    /// key file when there is one. What the database must keep from now
    /// on: `Some(secret)` to hold it, `None` for its public half only.
    pub fn server_key(
        &self,
        stored: Option<(Option<Vec<u8>>, String)>,
    ) -> Result<(ServerKey, KeepSecret), DbError> {
        let Some(file) = &self.server_key_file else {
            return match stored {
                Some((Some(secret), _)) => Ok((ServerKey::from_stored(&secret)?, KeepSecret::As)),
                Some((None, _)) => Err(DbError::Storage(
                    "this database's server key is kept in a file: start with --server-key-file"
                        .into(),
                )),
                None => {
                    let secret = ServerKey::new_secret()?;
                    Ok((
                        ServerKey::from_stored(&secret)?,
                        KeepSecret::Insert(Some(secret.to_vec())),
                    ))
                }
            };
        };
        match (read_secret(file)?, stored) {
            (Some(secret), Some((held, public))) => {
                let key = ServerKey::from_stored(&secret)?;
                if key.public != public {
                    return Err(DbError::Storage(format!(
                        "{} is not this database's server key (the database's is {public}): its log names that key",
                        file.display()
                    )));
                }
                Ok((
                    key,
                    if held.is_some() {
                        KeepSecret::Forget
                    } else {
                        KeepSecret::As
                    },
                ))
            }
            (Some(secret), None) => {
                Ok((ServerKey::from_stored(&secret)?, KeepSecret::Insert(None)))
            }
            (None, Some((Some(secret), _))) => {
                write_secret(file, &secret)?;
                Ok((ServerKey::from_stored(&secret)?, KeepSecret::Forget))
            }
            (None, Some((None, _))) => Err(DbError::Storage(format!(
                "{} does not exist, and this database's server key is kept in a file: give the file it was moved to",
                file.display()
            ))),
            (None, None) => {
                let secret = ServerKey::new_secret()?;
                write_secret(file, &secret)?;
                Ok((ServerKey::from_stored(&secret)?, KeepSecret::Insert(None)))
            }
        }
    }
}

/// What the database does with its server key's row.
#[derive(Debug, PartialEq, Eq)]
pub enum KeepSecret {
    /// Nothing: as it is.
    As,
    /// A new row: the secret (`None`: kept in the file) and its public key.
    Insert(Option<Vec<u8>>),
    /// The secret now in the file: the database forgets it.
    Forget,
}

/// Refuses a secret's file that its group or others may read.
#[cfg(unix)]
fn owner_only(file: &Path) -> Result<(), DbError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file)
        .map_err(|e| DbError::Storage(format!("cannot read {}: {e}", file.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(DbError::Storage(format!(
            "{} may be read by others (mode {:o}): `chmod 600` it, and check who read it",
            file.display(),
            mode & 0o777
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn owner_only(_: &Path) -> Result<(), DbError> {
    Ok(())
}

/// A secret's file: 64 hex digits. `None`: it does not exist.
fn read_secret(file: &Path) -> Result<Option<[u8; 32]>, DbError> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(DbError::Storage(format!(
                "cannot read {}: {e}",
                file.display()
            )));
        }
    };
    owner_only(file)?;
    let bytes = hex::decode(text.trim()).ok();
    bytes
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .map(Some)
        .ok_or_else(|| {
            DbError::Storage(format!(
                "{} does not hold a secret (64 hexadecimal digits)",
                file.display()
            ))
        })
}

/// Writes a secret's file, the owner's alone, never over another.
fn write_secret(file: &Path, secret: &[u8]) -> Result<(), DbError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let failed =
        |e: std::io::Error| DbError::Storage(format!("cannot write {}: {e}", file.display()));
    let mut f = options.open(file).map_err(failed)?;
    f.write_all(format!("{}\n", hex::encode(secret)).as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(failed)
}

/// Creates a directory for secrets (0700), or makes an existing one the
/// owner's alone, saying so.
pub fn private_dir(dir: &Path) -> Result<(), DbError> {
    std::fs::create_dir_all(dir).map_err(|source| DbError::DataDir {
        path: dir.display().to_string(),
        source,
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)
            .map_err(|source| DbError::DataDir {
                path: dir.display().to_string(),
                source,
            })?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(
                |source| DbError::DataDir {
                    path: dir.display().to_string(),
                    source,
                },
            )?;
            eprintln!(
                "pointage-server: {} could be read by others (mode {:o}); it is now the owner's alone (700)",
                dir.display(),
                mode & 0o777
            );
        }
    }
    Ok(())
}

/// Makes an existing file (a database made by an earlier version) the
/// owner's alone.
pub fn private_file(file: &Path) -> Result<(), DbError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(file) {
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).map_err(
                    |e| DbError::Storage(format!("cannot protect {}: {e}", file.display())),
                )?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pepper_file_is_made_once_the_owner_s_alone_and_a_readable_one_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let a = Secrets::in_dir(&data).expect("made");
        let b = Secrets::in_dir(&data).expect("read back");
        assert_eq!(
            a.code_digest("7KQ3-M9XD-2B4F"),
            b.code_digest("7KQ3-M9XD-2B4F")
        );
        assert_eq!(
            a.code_digest("7KQ3-M9XD-2B4F"),
            a.peppered(&pointage_core::enrollment::code_hash("7KQ3-M9XD-2B4F"))
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&data), 0o700);
            assert_eq!(mode(&data.join(PEPPER_FILE)), 0o600);
            std::fs::set_permissions(
                data.join(PEPPER_FILE),
                std::fs::Permissions::from_mode(0o644),
            )
            .expect("chmod");
            let refused = Secrets::in_dir(&data).expect_err("readable by others");
            assert!(refused.to_string().contains("chmod 600"), "{refused}");
        }
        // Another pepper, another digest.
        let other = Secrets::ephemeral().expect("other");
        assert_ne!(
            a.code_digest("7KQ3-M9XD-2B4F"),
            other.code_digest("7KQ3-M9XD-2B4F")
        );
    }

    #[test]
    fn the_server_key_moves_to_its_file_once_and_a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("server-key");
        let in_db = Secrets::ephemeral().expect("secrets");
        // A first start without a file: made in the database.
        let (key, keep) = in_db.server_key(None).expect("made");
        let KeepSecret::Insert(Some(secret)) = keep else {
            panic!("{keep:?}")
        };
        let row = Some((Some(secret.clone()), key.public.clone()));
        assert_eq!(
            in_db.server_key(row.clone()).expect("read").1,
            KeepSecret::As
        );
        // Given a file: the key goes there, and the database forgets it.
        let with_file = in_db.clone().server_key_in(Some(file.clone()));
        let (moved, keep) = with_file.server_key(row).expect("moved");
        assert_eq!(
            (moved.public.as_str(), keep),
            (key.public.as_str(), KeepSecret::Forget)
        );
        let row = Some((None, key.public.clone()));
        assert_eq!(
            with_file.server_key(row.clone()).expect("read").1,
            KeepSecret::As
        );
        // Without the file now: refused, never another key made.
        let refused = in_db.server_key(row.clone()).expect_err("no file");
        assert!(
            refused.to_string().contains("--server-key-file"),
            "{refused}"
        );
        // Another key's file: refused.
        let foreign = dir.path().join("foreign");
        let other = Secrets::ephemeral()
            .expect("secrets")
            .server_key_in(Some(foreign.clone()));
        other.server_key(None).expect("made in its file");
        let refused = other.server_key(row).expect_err("not this database's");
        assert!(
            refused
                .to_string()
                .contains("is not this database's server key"),
            "{refused}"
        );
    }
}
