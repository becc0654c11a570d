//! The join code: what the bureau's phone signs with the bureau key to
//! invite one phone to one table and slot ([`Invitation`]), and what the
//! table phone, which has no election definition, counts for.

use super::{INVITATION_CONTEXT, INVITATION_FORMAT, MAX_TABLES, SheetError, over};
use crate::canonical;
use crate::election::Candidate;
use crate::election_view::ElectionRef;
use crate::gathering::Slot;
use crate::signature::{SignatureCheck, Verdict, Verifier, parse_key, parse_signature, sign_bytes};
use serde::{Deserialize, Serialize};

/// What the bureau's phone signs to invite a phone to one table and slot:
/// the join code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InvitationBody {
    /// Always [`INVITATION_FORMAT`].
    pub format: String,
    pub election_id: String,
    pub election_hash: String,
    pub bureau: String,
    /// The election's candidates, as its definition gives them: what the
    /// table phone, which has no definition, counts for.
    pub candidates: Vec<Candidate>,
    /// From 1 to [`MAX_TABLES`].
    pub table: u32,
    pub slot: Slot,
    /// The bureau key (lowercase hex), which signs the invitation.
    pub bureau_key: String,
    /// When the bureau's phone made it, in milliseconds since the Unix
    /// epoch, by its clock: a table and slot invited again (a phone
    /// replaced) is another invitation.
    pub issued_at: u64,
}

/// A signed invitation: `{"body":…,"signature":…}`, the signature by
/// `body.bureau_key` over `pointage-invitation/1\n` + canonical(body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Invitation {
    pub body: InvitationBody,
    pub signature: String,
}

impl Invitation {
    /// The invitation's canonical body bytes, for the bureau key to sign
    /// (with [`Self::message`]).
    pub fn prepare<E: ElectionRef + ?Sized>(
        election: &E,
        bureau: &str,
        table: u32,
        slot: Slot,
        bureau_key: &str,
        now: u64,
    ) -> Result<InvitationBody, SheetError> {
        let body = InvitationBody {
            format: INVITATION_FORMAT.to_owned(),
            election_id: election.id().to_owned(),
            election_hash: election.hash().to_owned(),
            bureau: bureau.to_owned(),
            candidates: election.candidates().to_vec(),
            table,
            slot,
            bureau_key: bureau_key.to_owned(),
            issued_at: now,
        };
        body.within_limits()?;
        if election.bureau(bureau).is_none() {
            return Err(SheetError::OtherBureau { table, slot });
        }
        Ok(body)
    }

    /// The exact bytes the bureau key signs for `body`.
    pub fn message(body: &InvitationBody) -> Result<Vec<u8>, SheetError> {
        Ok(crate::signature::signing_message(
            INVITATION_CONTEXT,
            &canonical::encode(body)?,
        ))
    }

    /// The invitation, once `signature` (64 bytes) is the bureau key's
    /// over [`Self::message`], as `verifier` finds.
    pub fn assemble(
        body: InvitationBody,
        signature: &[u8],
        verifier: &impl Verifier,
    ) -> Result<Self, SheetError> {
        let inv = Self::unchecked(body, signature);
        let (table, slot) = (inv.body.table, inv.body.slot);
        match inv.signature_check().map(|c| verifier.verdict(&c)) {
            Some(Verdict::Holds) => Ok(inv),
            _ => Err(SheetError::NotInvited { table, slot }),
        }
    }

    /// The invitation with this signature, not checked: to ask for its
    /// [`Self::signature_check`] (the phone asks WebCrypto), then
    /// [`Self::assemble`] it.
    pub fn unchecked(body: InvitationBody, signature: &[u8]) -> Self {
        Invitation {
            body,
            signature: hex::encode(signature),
        }
    }

    /// Makes and signs an invitation with a secret key: for tests and
    /// vectors (the phone signs with WebCrypto).
    pub fn sign<E: ElectionRef + ?Sized>(
        election: &E,
        bureau: &str,
        table: u32,
        slot: Slot,
        secret: &[u8; 32],
        now: u64,
    ) -> Result<Self, SheetError> {
        let key = crate::signature::public_key_hex(secret);
        let body = Self::prepare(election, bureau, table, slot, &key, now)?;
        let signature = sign_bytes(INVITATION_CONTEXT, &canonical::encode(&body)?, secret);
        Self::assemble(body, &signature, &crate::signature::Ed25519)
    }

    /// The join code's bytes (what the QR code carries).
    pub fn to_bytes(&self) -> Vec<u8> {
        canonical::encode(self).unwrap_or_default()
    }

    /// Reads a join code: canonical, of this format, within its limits.
    /// Its signature is [`Self::signature_check`]'s.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SheetError> {
        let inv: Invitation = canonical::decode(bytes)?;
        inv.body.within_limits()?;
        if inv.body.format != INVITATION_FORMAT {
            return Err(SheetError::UnknownFormat);
        }
        Ok(inv)
    }

    /// What must hold for the invitation to be signed by the bureau key it
    /// names (`None`: the key or signature is not even spelled as one).
    pub fn signature_check(&self) -> Option<SignatureCheck> {
        let key = parse_key(&self.body.bureau_key)?;
        let signature = parse_signature(&self.signature)?;
        let body = canonical::encode(&self.body).ok()?;
        Some(SignatureCheck::new(
            INVITATION_CONTEXT,
            &body,
            key,
            signature,
        ))
    }
}

impl InvitationBody {
    pub(super) fn within_limits(&self) -> Result<(), SheetError> {
        if !(1..=MAX_TABLES).contains(&self.table) {
            return Err(over(format!("a table is numbered 1 to {MAX_TABLES}")));
        }
        Ok(())
    }
}
