//! The central team's accounts: who may do what on the operators' pages.
//! One table, here, that the server enforces and its tests read: an
//! **admin** prepares elections and makes accounts; a **coordinator**
//! watches the board, reissues a bureau's code and writes notes; an
//! **observer** only reads the board. Every role sees the président's
//! phone number (that is what the board is for); none of it is public.
//!
//! Pure: no clock, no storage. How a person proves to be the holder of an
//! account (a passkey) is the server's.

use serde::{Deserialize, Serialize};

/// An operator's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Observer,
}

/// Who made an operator action that the public record shows (a code
/// reissued, the election closed): the role of the account on the
/// operators' pages, or the server's command line (its owner). Never the
/// person: the record is public.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Actor {
    Admin,
    Coordinator,
    CommandLine,
}

impl Actor {
    /// The actor an operator with `role` is, if that role acts at all.
    pub fn of(role: Role) -> Option<Actor> {
        match role {
            Role::Admin => Some(Actor::Admin),
            Role::Coordinator => Some(Actor::Coordinator),
            Role::Observer => None,
        }
    }
}

/// What an operator may ask the server to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read the board: every bureau's state, history and président.
    SeeBoard,
    /// Reissue a bureau's code (its key revoked).
    Reissue,
    /// Write a note on a bureau.
    Note,
    /// Invite a person to an account, with a role.
    Invite,
    /// Make, import or close an election.
    ManageElection,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::SeeBoard,
        Action::Reissue,
        Action::Note,
        Action::Invite,
        Action::ManageElection,
    ];
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Coordinator, Role::Observer];

    /// Whether an operator with this role may do `action`.
    pub fn may(self, action: Action) -> bool {
        match action {
            Action::SeeBoard => true,
            Action::Reissue | Action::Note => matches!(self, Role::Admin | Role::Coordinator),
            Action::Invite | Action::ManageElection => self == Role::Admin,
        }
    }

    /// The role's name in a command line, a form and the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Observer => "observer",
        }
    }

    /// The role named `code` (as [`Role::code`] writes it).
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        Role::from_code(s.trim())
            .ok_or_else(|| format!("\"{s}\" is not a role: admin, coordinator or observer"))
    }
}

/// An account's name as people type it: trimmed, 1 to 64 characters, no
/// control character. `None`: not a name.
pub fn account_name(typed: &str) -> Option<String> {
    let name = typed.trim();
    let chars = name.chars().count();
    ((1..=64).contains(&chars) && !name.chars().any(char::is_control)).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_do_exactly_what_its_table_says() {
        use Action::*;
        let table = [
            (
                Role::Admin,
                vec![SeeBoard, Reissue, Note, Invite, ManageElection],
            ),
            (Role::Coordinator, vec![SeeBoard, Reissue, Note]),
            (Role::Observer, vec![SeeBoard]),
        ];
        for (role, allowed) in table {
            for action in Action::ALL {
                assert_eq!(
                    role.may(action),
                    allowed.contains(&action),
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn a_role_reads_back_from_its_code_and_nothing_else_is_one() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
        assert!("Admin ".parse::<Role>().is_err());
        assert!(
            "root"
                .parse::<Role>()
                .unwrap_err()
                .contains("admin, coordinator")
        );
    }

    #[test]
    fn an_account_name_is_trimmed_and_bounded() {
        assert_eq!(
            account_name("  Claire Martin "),
            Some("Claire Martin".into())
        );
        assert_eq!(account_name("   "), None);
        assert_eq!(account_name(&"é".repeat(64)), Some("é".repeat(64)));
        assert_eq!(account_name(&"é".repeat(65)), None);
        assert_eq!(account_name("a\u{7}b"), None);
    }
}
