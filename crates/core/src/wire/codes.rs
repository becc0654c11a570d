//! The error codes the API sends and the app translates: one per way a
//! request is refused, each named once ([`ErrorCode::as_str`]), read back
//! by that name, and told from core's refusals (returns, sheets, reports,
//! photos).

use crate::sheet::SheetError;
use crate::signed_return::{ChainError, VerifyError};
use serde::{Deserialize, Serialize};

/// Every error code the API sends. The app shows its own sentence for each;
/// a code it does not know yet reads as [`ErrorCode::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    BadRequest,
    PayloadTooLarge,
    RateLimited,
    /// The server has more work waiting than it takes at once: the same
    /// request a moment later passes (503, with `Retry-After`).
    Busy,
    StorageUnavailable,
    /// The server failed otherwise (not its storage): trying again later
    /// may pass.
    Internal,
    EnrollmentCodeUnknown,
    EnrollmentCodeUsed,
    EnrollmentCodeRevoked,
    /// The device key is enrolled for another bureau already: a key is one
    /// bureau's.
    EnrollmentKeyInUse,
    ReturnNotCanonical,
    ReturnUnknownFormat,
    ReturnMalformedKey,
    ReturnBadSignature,
    ReturnWrongElection,
    ReturnWrongMode,
    ReturnUnknownBureau,
    ReturnKeyNotEnrolled,
    ReturnRulesBroken,
    ReturnExplanations,
    ReturnEntrants,
    ReturnVersionTaken,
    ReturnNotLatest,
    ReturnBrokenChain,
    /// A table sheet's signature does not verify with its table key.
    ReturnSheetBadSignature,
    /// A table sheet's invitation is not signed by the bureau's key.
    ReturnSheetNotInvited,
    /// A table sheet was made for another election or bureau.
    ReturnSheetOtherBureau,
    /// Two sheets for one table and slot.
    ReturnSheetSlotTwice,
    /// A table's two sheets come from one phone or one person.
    ReturnSheetSameRecorder,
    /// A table's two sheets differ on a packet.
    ReturnSheetsDisagree,
    /// A packet is counted at two tables, or twice at one.
    ReturnPacketCountedTwice,
    /// The table sheets do not add up to the return's tally.
    ReturnSheetsNotTally,
    /// The turnout report is not in its canonical encoding, or over a limit.
    ReportNotCanonical,
    ReportUnknownFormat,
    ReportMalformedKey,
    ReportBadSignature,
    /// A turnout report for another election, or another definition of it.
    ReportWrongElection,
    ReportUnknownBureau,
    /// The election's day has no such checkpoint.
    ReportUnknownCheckpoint,
    /// A count at the opening, none at a count checkpoint, or members named outside the opening.
    ReportNotWhatItAsks,
    /// T1: a count over the bureau's inscrits.
    ReportOverInscrits,
    ReportKeyNotEnrolled,
    /// The server has this version of the checkpoint's report already, with other content.
    ReportVersionTaken,
    /// A correction that does not follow the server's latest version of the checkpoint, or without a reason.
    ReportBrokenChain,
    /// The photo document is not in its canonical encoding.
    PhotosNotCanonical,
    PhotosUnknownFormat,
    PhotosMalformedKey,
    PhotosBadSignature,
    /// Not 1 to 4 pages, a page over 400 KB or not JPEG or WebP, pages out of order.
    PhotosBadPages,
    PhotosWrongElection,
    PhotosUnknownBureau,
    /// The return the photos name is not one the server has from the bureau.
    PhotosUnknownReturn,
    PhotosKeyNotEnrolled,
    /// The server has this version of the bureau's photos already, with other content.
    PhotosVersionTaken,
    PhotosBrokenChain,
    /// No photo document the server holds names this picture, or the picture has no such piece.
    PhotoPieceUnknown,
    /// The bytes sent are not the piece the bureau signed.
    PhotoPieceNotSigned,
    RecoverBadSignature,
    RecoverKeyNotEnrolled,
    RecoverStale,
    /// The election is closed: its record is final, the server takes no
    /// more returns or enrollments for it.
    ElectionClosed,
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Whether sending the same thing again can only be refused again: the
    /// return itself, or its key, is what the server refuses. Network,
    /// storage and rate failures pass; a version taken is for recovery.
    pub fn is_permanent(self) -> bool {
        use ErrorCode::*;
        matches!(
            self,
            BadRequest
                | PayloadTooLarge
                | ReturnNotCanonical
                | ReturnUnknownFormat
                | ReturnMalformedKey
                | ReturnBadSignature
                | ReturnWrongElection
                | ReturnWrongMode
                | ReturnUnknownBureau
                | ReturnKeyNotEnrolled
                | ReturnRulesBroken
                | ReturnExplanations
                | ReturnEntrants
                | ReturnBrokenChain
                | ReturnSheetBadSignature
                | ReturnSheetNotInvited
                | ReturnSheetOtherBureau
                | ReturnSheetSlotTwice
                | ReturnSheetSameRecorder
                | ReturnSheetsDisagree
                | ReturnPacketCountedTwice
                | ReturnSheetsNotTally
                | ReportNotCanonical
                | ReportUnknownFormat
                | ReportMalformedKey
                | ReportBadSignature
                | ReportWrongElection
                | ReportUnknownBureau
                | ReportUnknownCheckpoint
                | ReportNotWhatItAsks
                | ReportOverInscrits
                | ReportKeyNotEnrolled
                | ReportVersionTaken
                | ReportBrokenChain
                | PhotosNotCanonical
                | PhotosUnknownFormat
                | PhotosMalformedKey
                | PhotosBadSignature
                | PhotosBadPages
                | PhotosWrongElection
                | PhotosUnknownBureau
                | PhotosUnknownReturn
                | PhotosKeyNotEnrolled
                | PhotosVersionTaken
                | PhotosBrokenChain
                | PhotoPieceUnknown
                | PhotoPieceNotSigned
                | ElectionClosed
        )
    }

    /// Whether nothing the bureau could change would make the server take
    /// it: the election is closed. Sending again is not offered; the paper
    /// PV is what counts.
    pub fn is_final(self) -> bool {
        matches!(self, ErrorCode::ElectionClosed)
    }

    /// Every code, for the app's tests that each has a sentence.
    pub const ALL: [ErrorCode; 63] = [
        ErrorCode::NotFound,
        ErrorCode::BadRequest,
        ErrorCode::PayloadTooLarge,
        ErrorCode::RateLimited,
        ErrorCode::Busy,
        ErrorCode::StorageUnavailable,
        ErrorCode::Internal,
        ErrorCode::EnrollmentCodeUnknown,
        ErrorCode::EnrollmentCodeUsed,
        ErrorCode::EnrollmentCodeRevoked,
        ErrorCode::EnrollmentKeyInUse,
        ErrorCode::ReturnNotCanonical,
        ErrorCode::ReturnUnknownFormat,
        ErrorCode::ReturnMalformedKey,
        ErrorCode::ReturnBadSignature,
        ErrorCode::ReturnWrongElection,
        ErrorCode::ReturnWrongMode,
        ErrorCode::ReturnUnknownBureau,
        ErrorCode::ReturnKeyNotEnrolled,
        ErrorCode::ReturnRulesBroken,
        ErrorCode::ReturnExplanations,
        ErrorCode::ReturnEntrants,
        ErrorCode::ReturnVersionTaken,
        ErrorCode::ReturnNotLatest,
        ErrorCode::ReturnBrokenChain,
        ErrorCode::ReturnSheetBadSignature,
        ErrorCode::ReturnSheetNotInvited,
        ErrorCode::ReturnSheetOtherBureau,
        ErrorCode::ReturnSheetSlotTwice,
        ErrorCode::ReturnSheetSameRecorder,
        ErrorCode::ReturnSheetsDisagree,
        ErrorCode::ReturnPacketCountedTwice,
        ErrorCode::ReturnSheetsNotTally,
        ErrorCode::ReportNotCanonical,
        ErrorCode::ReportUnknownFormat,
        ErrorCode::ReportMalformedKey,
        ErrorCode::ReportBadSignature,
        ErrorCode::ReportWrongElection,
        ErrorCode::ReportUnknownBureau,
        ErrorCode::ReportUnknownCheckpoint,
        ErrorCode::ReportNotWhatItAsks,
        ErrorCode::ReportOverInscrits,
        ErrorCode::ReportKeyNotEnrolled,
        ErrorCode::ReportVersionTaken,
        ErrorCode::ReportBrokenChain,
        ErrorCode::PhotosNotCanonical,
        ErrorCode::PhotosUnknownFormat,
        ErrorCode::PhotosMalformedKey,
        ErrorCode::PhotosBadSignature,
        ErrorCode::PhotosBadPages,
        ErrorCode::PhotosWrongElection,
        ErrorCode::PhotosUnknownBureau,
        ErrorCode::PhotosUnknownReturn,
        ErrorCode::PhotosKeyNotEnrolled,
        ErrorCode::PhotosVersionTaken,
        ErrorCode::PhotosBrokenChain,
        ErrorCode::PhotoPieceUnknown,
        ErrorCode::PhotoPieceNotSigned,
        ErrorCode::RecoverBadSignature,
        ErrorCode::RecoverKeyNotEnrolled,
        ErrorCode::RecoverStale,
        ErrorCode::ElectionClosed,
        ErrorCode::Unknown,
    ];

    /// The code as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Busy => "busy",
            ErrorCode::StorageUnavailable => "storage_unavailable",
            ErrorCode::Internal => "internal",
            ErrorCode::EnrollmentCodeUnknown => "enrollment_code_unknown",
            ErrorCode::EnrollmentCodeUsed => "enrollment_code_used",
            ErrorCode::EnrollmentCodeRevoked => "enrollment_code_revoked",
            ErrorCode::EnrollmentKeyInUse => "enrollment_key_in_use",
            ErrorCode::ReturnNotCanonical => "return_not_canonical",
            ErrorCode::ReturnUnknownFormat => "return_unknown_format",
            ErrorCode::ReturnMalformedKey => "return_malformed_key",
            ErrorCode::ReturnBadSignature => "return_bad_signature",
            ErrorCode::ReturnWrongElection => "return_wrong_election",
            ErrorCode::ReturnWrongMode => "return_wrong_mode",
            ErrorCode::ReturnUnknownBureau => "return_unknown_bureau",
            ErrorCode::ReturnKeyNotEnrolled => "return_key_not_enrolled",
            ErrorCode::ReturnRulesBroken => "return_rules_broken",
            ErrorCode::ReturnExplanations => "return_explanations",
            ErrorCode::ReturnEntrants => "return_entrants",
            ErrorCode::ReturnVersionTaken => "return_version_taken",
            ErrorCode::ReturnNotLatest => "return_not_latest",
            ErrorCode::ReturnBrokenChain => "return_broken_chain",
            ErrorCode::ReturnSheetBadSignature => "return_sheet_bad_signature",
            ErrorCode::ReturnSheetNotInvited => "return_sheet_not_invited",
            ErrorCode::ReturnSheetOtherBureau => "return_sheet_other_bureau",
            ErrorCode::ReturnSheetSlotTwice => "return_sheet_slot_twice",
            ErrorCode::ReturnSheetSameRecorder => "return_sheet_same_recorder",
            ErrorCode::ReturnSheetsDisagree => "return_sheets_disagree",
            ErrorCode::ReturnPacketCountedTwice => "return_packet_counted_twice",
            ErrorCode::ReturnSheetsNotTally => "return_sheets_not_tally",
            ErrorCode::ReportNotCanonical => "report_not_canonical",
            ErrorCode::ReportUnknownFormat => "report_unknown_format",
            ErrorCode::ReportMalformedKey => "report_malformed_key",
            ErrorCode::ReportBadSignature => "report_bad_signature",
            ErrorCode::ReportWrongElection => "report_wrong_election",
            ErrorCode::ReportUnknownBureau => "report_unknown_bureau",
            ErrorCode::ReportUnknownCheckpoint => "report_unknown_checkpoint",
            ErrorCode::ReportNotWhatItAsks => "report_not_what_it_asks",
            ErrorCode::ReportOverInscrits => "report_over_inscrits",
            ErrorCode::ReportKeyNotEnrolled => "report_key_not_enrolled",
            ErrorCode::ReportVersionTaken => "report_version_taken",
            ErrorCode::ReportBrokenChain => "report_broken_chain",
            ErrorCode::PhotosNotCanonical => "photos_not_canonical",
            ErrorCode::PhotosUnknownFormat => "photos_unknown_format",
            ErrorCode::PhotosMalformedKey => "photos_malformed_key",
            ErrorCode::PhotosBadSignature => "photos_bad_signature",
            ErrorCode::PhotosBadPages => "photos_bad_pages",
            ErrorCode::PhotosWrongElection => "photos_wrong_election",
            ErrorCode::PhotosUnknownBureau => "photos_unknown_bureau",
            ErrorCode::PhotosUnknownReturn => "photos_unknown_return",
            ErrorCode::PhotosKeyNotEnrolled => "photos_key_not_enrolled",
            ErrorCode::PhotosVersionTaken => "photos_version_taken",
            ErrorCode::PhotosBrokenChain => "photos_broken_chain",
            ErrorCode::PhotoPieceUnknown => "photo_piece_unknown",
            ErrorCode::PhotoPieceNotSigned => "photo_piece_not_signed",
            ErrorCode::RecoverBadSignature => "recover_bad_signature",
            ErrorCode::RecoverKeyNotEnrolled => "recover_key_not_enrolled",
            ErrorCode::RecoverStale => "recover_stale",
            ErrorCode::ElectionClosed => "election_closed",
            ErrorCode::Unknown => "unknown",
        }
    }
}

impl From<&crate::turnout::ReportError> for ErrorCode {
    fn from(e: &crate::turnout::ReportError) -> Self {
        use crate::turnout::ReportError as R;
        match e {
            R::Encoding(_) | R::TooLong => ErrorCode::ReportNotCanonical,
            R::UnknownFormat => ErrorCode::ReportUnknownFormat,
            R::MalformedKey => ErrorCode::ReportMalformedKey,
            R::BadSignature => ErrorCode::ReportBadSignature,
            R::OtherElection => ErrorCode::ReportWrongElection,
            R::UnknownBureau(_) => ErrorCode::ReportUnknownBureau,
            R::UnknownCheckpoint(_) => ErrorCode::ReportUnknownCheckpoint,
            R::NotWhatItAsks => ErrorCode::ReportNotWhatItAsks,
            R::OverInscrits { .. } => ErrorCode::ReportOverInscrits,
            R::Chain | R::TooManyVersions => ErrorCode::ReportBrokenChain,
        }
    }
}

// Read back by its name in `ErrorCode::ALL`: serde's derive compared each
// name in code of its own (11 KB of the phone's app, growing with every
// code).
impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(ErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str() == name)
            .unwrap_or(ErrorCode::Unknown))
    }
}

impl From<&crate::photo::PhotosError> for ErrorCode {
    fn from(e: &crate::photo::PhotosError) -> Self {
        use crate::photo::PhotosError as P;
        match e {
            P::Encoding(_) => ErrorCode::PhotosNotCanonical,
            P::UnknownFormat => ErrorCode::PhotosUnknownFormat,
            P::MalformedKey => ErrorCode::PhotosMalformedKey,
            P::BadSignature => ErrorCode::PhotosBadSignature,
            P::Pages => ErrorCode::PhotosBadPages,
            P::OtherElection => ErrorCode::PhotosWrongElection,
            P::UnknownBureau(_) => ErrorCode::PhotosUnknownBureau,
            P::UnknownReturn => ErrorCode::PhotosUnknownReturn,
            P::Chain | P::TooManyVersions => ErrorCode::PhotosBrokenChain,
        }
    }
}

impl From<&VerifyError> for ErrorCode {
    fn from(e: &VerifyError) -> Self {
        match e {
            VerifyError::Encoding(_) => ErrorCode::ReturnNotCanonical,
            VerifyError::UnknownFormat => ErrorCode::ReturnUnknownFormat,
            VerifyError::MalformedKey => ErrorCode::ReturnMalformedKey,
            VerifyError::BadSignature => ErrorCode::ReturnBadSignature,
            VerifyError::WrongElection => ErrorCode::ReturnWrongElection,
            VerifyError::WrongMode => ErrorCode::ReturnWrongMode,
            VerifyError::UnknownBureau(_) => ErrorCode::ReturnUnknownBureau,
            VerifyError::KeyNotEnrolled => ErrorCode::ReturnKeyNotEnrolled,
            VerifyError::RulesBroken(_) => ErrorCode::ReturnRulesBroken,
            VerifyError::Explanations => ErrorCode::ReturnExplanations,
            VerifyError::Entrants => ErrorCode::ReturnEntrants,
            VerifyError::Sheets(e) => ErrorCode::from(e),
            VerifyError::Chain(ChainError::VersionTaken) => ErrorCode::ReturnVersionTaken,
            // The version it replaces has not arrived (yet): like naming a
            // return that is not the latest, it may pass once that one is
            // in, so it is not a refusal for good.
            VerifyError::Chain(ChainError::NotTheLatest | ChainError::MissingPrevious) => {
                ErrorCode::ReturnNotLatest
            }
            VerifyError::Chain(_) => ErrorCode::ReturnBrokenChain,
        }
    }
}

impl From<&SheetError> for ErrorCode {
    fn from(e: &SheetError) -> Self {
        match e {
            SheetError::Encoding(_) => ErrorCode::ReturnNotCanonical,
            SheetError::UnknownFormat => ErrorCode::ReturnUnknownFormat,
            SheetError::BadSignature { .. } => ErrorCode::ReturnSheetBadSignature,
            SheetError::NotInvited { .. } => ErrorCode::ReturnSheetNotInvited,
            SheetError::OtherBureau { .. } => ErrorCode::ReturnSheetOtherBureau,
            SheetError::SlotTwice { .. } => ErrorCode::ReturnSheetSlotTwice,
            SheetError::SameRecorder { .. } => ErrorCode::ReturnSheetSameRecorder,
            SheetError::Disagree { .. } => ErrorCode::ReturnSheetsDisagree,
            SheetError::CountedTwice(_) => ErrorCode::ReturnPacketCountedTwice,
            SheetError::NotTheTally => ErrorCode::ReturnSheetsNotTally,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ApiErrorBody;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn codes_read_as_they_are_written_and_unknown_ones_do_not_fail() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).expect("serialises");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).ok(), Some(code));
        }
        let later: ApiErrorBody =
            serde_json::from_str(r#"{"error":{"code":"added_next_year","message":"m"}}"#)
                .expect("parses");
        assert_eq!(later.error.code, ErrorCode::Unknown);
    }

    #[test]
    fn only_a_closed_election_leaves_nothing_to_try_and_it_is_never_retried() {
        let finals: Vec<ErrorCode> = ErrorCode::ALL
            .into_iter()
            .filter(|c| c.is_final())
            .collect();
        assert_eq!(finals, vec![ErrorCode::ElectionClosed]);
        assert!(finals.iter().all(|c| c.is_permanent()));
    }
}
