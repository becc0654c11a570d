//! Whether a genuine return is valid for an election: its definition, its
//! bureau and that bureau's key, the rules and their explanations, and the
//! version chain; with why not ([`VerifyError`], [`ChainError`]). The
//! server, the verifier and the phone check with this same code.

use super::{RETURN_FORMAT, SignedReturn};
use crate::canonical::CanonicalError;
use crate::election::Election;
use crate::names::{is_blank, same_person};
use crate::rules::{self, Finding, RuleCode, Severity};
use crate::sheet::{SheetError, check_sheets};
use crate::signature::Ed25519;
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// Why a return was not accepted as genuine and valid. Each maps to a stable
/// [`crate::wire::ErrorCode`] that the server sends and the app translates.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum VerifyError {
    #[error("the return is not in its canonical encoding: {0}")]
    Encoding(#[from] CanonicalError),
    #[error("the return's format is not {RETURN_FORMAT}")]
    UnknownFormat,
    #[error("the device key or signature is malformed")]
    MalformedKey,
    #[error("the signature does not match the return")]
    BadSignature,
    #[error("the return was made under another election definition")]
    WrongElection,
    #[error("the return's live/test flag differs from the election's")]
    WrongMode,
    #[error("the election has no bureau {0:?}")]
    UnknownBureau(String),
    #[error("the return is signed by a key not enrolled for this bureau")]
    KeyNotEnrolled,
    #[error("the PV breaks a rule that blocks signing")]
    RulesBroken(Vec<Finding>),
    #[error("a warning lacks its explanation, or an explanation has no warning")]
    Explanations,
    #[error("the two entrants are missing or are the same person")]
    Entrants,
    #[error("the table sheets do not hold: {0}")]
    Sheets(SheetError),
    #[error("the version chain is broken: {0}")]
    Chain(ChainError),
}

/// How a version fails to follow the one before.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ChainError {
    #[error("version 1 cannot replace anything and no version can be 0")]
    FirstVersion,
    #[error("a correction must name the version it replaces, with a reason")]
    MissingReplaces,
    #[error("a correction arrived without the version it replaces")]
    MissingPrevious,
    #[error("another return already holds this version")]
    VersionTaken,
    #[error("the return does not replace the latest version")]
    NotTheLatest,
}

/// The findings that block signing.
pub(super) fn errors_of(findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| f.code.severity() == Severity::Error)
        .collect()
}

/// The warnings a PV raises must be exactly the explained ones, each with
/// words in it; but a warning in `unseen`, which the checker cannot raise
/// itself (W7 on the server: the phone's turnout reports), may be
/// explained or not.
pub(super) fn explanations_match(
    findings: &[Finding],
    explanations: &BTreeMap<RuleCode, String>,
    unseen: &[RuleCode],
) -> Result<(), RuleCode> {
    let warnings: BTreeSet<RuleCode> = findings
        .iter()
        .filter(|f| f.code.severity() == Severity::Warning)
        .map(|f| f.code)
        .collect();
    for w in &warnings {
        if explanations.get(w).is_none_or(|t| is_blank(t)) {
            return Err(*w);
        }
    }
    let unexplainable = |k: &&RuleCode| !warnings.contains(k) && !unseen.contains(k);
    if let Some(blank) = explanations
        .iter()
        .find(|(k, t)| unseen.contains(k) && is_blank(t))
    {
        return Err(*blank.0);
    }
    match explanations.keys().find(unexplainable) {
        Some(extra) => Err(*extra),
        None => Ok(()),
    }
}

impl SignedReturn {
    /// Checks that a genuine return is valid for this election: its
    /// definition and live/test flag, its bureau and that bureau's enrolled
    /// key, the rules and explanations, and the version chain. `latest` is
    /// the latest version already accepted for this bureau, if any.
    pub fn check(
        &self,
        election: &Election,
        enrolled_key: &str,
        latest: Option<&SignedReturn>,
    ) -> Result<(), VerifyError> {
        self.check_content(election, enrolled_key)?;
        self.check_chain(latest).map_err(VerifyError::Chain)
    }

    /// Everything [`Self::check`] checks but the version chain: what holds
    /// of a return whatever else was received (a verifier checks it for
    /// every return at once, then the chains in order).
    pub fn check_content(
        &self,
        election: &Election,
        enrolled_key: &str,
    ) -> Result<(), VerifyError> {
        let b = &self.body;
        if b.mode != election.mode() {
            return Err(VerifyError::WrongMode);
        }
        if b.election_id != election.id() || b.election_hash != election.hash() {
            return Err(VerifyError::WrongElection);
        }
        if election.bureau(&b.bureau).is_none() {
            return Err(VerifyError::UnknownBureau(b.bureau.clone()));
        }
        if b.device_key != enrolled_key {
            return Err(VerifyError::KeyNotEnrolled);
        }
        let mut one_sheet = Vec::new();
        if let Some(t) = b.tally.as_ref().filter(|t| t.tables.is_some()) {
            let tables = check_sheets(election, &b.bureau, &b.device_key, b.sheets(), &Ed25519)
                .map_err(VerifyError::Sheets)?;
            if !tables.is_tally(&t.summary, t.packets) {
                return Err(VerifyError::Sheets(SheetError::NotTheTally));
            }
            one_sheet = tables.one_sheet();
        }
        let mut findings = rules::check(
            election,
            &b.bureau,
            &b.pv,
            b.tally.as_ref().map(|t| &t.summary),
        );
        findings.extend(rules::one_sheet_tables(&one_sheet));
        if !rules::no_error(&findings) {
            return Err(VerifyError::RulesBroken(errors_of(findings)));
        }
        // W7 compares the PV with the phone's own turnout reports, which
        // this check does not see: its explanation may be there or not.
        if explanations_match(&findings, &b.explanations, &[RuleCode::W7]).is_err() {
            return Err(VerifyError::Explanations);
        }
        let (first, second) = (&b.entered_by.first, &b.entered_by.second);
        if is_blank(first) || is_blank(second) || same_person(first, second) {
            return Err(VerifyError::Entrants);
        }
        Ok(())
    }

    /// Whether this version follows `latest`, the latest version already
    /// accepted for its bureau.
    pub fn check_chain(&self, latest: Option<&SignedReturn>) -> Result<(), ChainError> {
        let b = &self.body;
        match (b.version, &b.replaces, latest) {
            (0, _, _) | (1, Some(_), _) => Err(ChainError::FirstVersion),
            (1, None, None) => Ok(()),
            (1, None, Some(_)) => Err(ChainError::VersionTaken),
            (_, None, _) => Err(ChainError::MissingReplaces),
            (_, Some(r), _) if is_blank(&r.reason) => Err(ChainError::MissingReplaces),
            (_, Some(_), None) => Err(ChainError::MissingPrevious),
            (v, replaces, Some(l)) => {
                let l_body = l.body();
                if l_body.bureau != b.bureau || l_body.election_id != b.election_id {
                    return Err(ChainError::NotTheLatest);
                }
                if v <= l_body.version {
                    return Err(ChainError::VersionTaken);
                }
                match replaces {
                    Some(r) if v == l_body.version + 1 && r.id == l.id() => Ok(()),
                    _ => Err(ChainError::NotTheLatest),
                }
            }
        }
    }
}
