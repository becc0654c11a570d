//! The rules of `../shared/DOMAIN.md` (H1–H5, W1–W5, and W6 of the table
//! phones, which docs/return-format.md adds), each once, as a coded
//! finding that names the fields it concerns. The app shows them and the
//! server enforces them; neither re-implements one.
//!
//! Integer arithmetic only: sums in `u64`, percentages compared by
//! cross-multiplication, so the phone and the server agree to the unit.

use crate::election_view::ElectionRef;
use crate::pv::{Field, ProcesVerbal};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every rule, by the code DOMAIN.md gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RuleCode {
    /// exprimés = Σ voix.
    H1,
    /// blancs + nuls + exprimés = enveloppes.
    H2,
    /// Every count entered; every candidate exactly once; no unknown candidate.
    H3,
    /// Where the definition gives a bureau's inscrits, the PV's are those;
    /// where inscrits is known: émargements ≤ inscrits and enveloppes ≤
    /// inscrits.
    H4,
    /// Where the ballots were tap-counted: the tally equals the PV and every
    /// packet balances.
    H5,
    /// enveloppes ≠ émargements.
    W1,
    /// blancs or nuls above 3 % of enveloppes.
    W2,
    /// A candidate with 0 votes, or all votes to one candidate.
    W3,
    /// Where inscrits is known: turnout above 95 % or below 5 %.
    W4,
    /// The PV does not name a président, a secrétaire and at least two
    /// assesseurs, each a different person (the bureau's legal composition).
    W5,
    /// Where the ballots were counted on table phones: a table's tally was
    /// kept on one recorder's phone only (the other on paper).
    W6,
    /// The PV's émargements are below the bureau's last turnout
    /// checkpoint's count (signatures only grow: one of the two was
    /// mistyped).
    W7,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    /// The return cannot be signed while it stands.
    Error,
    /// Signing is allowed once a written explanation is given.
    Warning,
}

impl RuleCode {
    pub fn severity(self) -> Severity {
        match self {
            RuleCode::H1 | RuleCode::H2 | RuleCode::H3 | RuleCode::H4 | RuleCode::H5 => {
                Severity::Error
            }
            RuleCode::W1
            | RuleCode::W2
            | RuleCode::W3
            | RuleCode::W4
            | RuleCode::W5
            | RuleCode::W6
            | RuleCode::W7 => Severity::Warning,
        }
    }
}

/// W2: blancs, or nuls, above this share of the enveloppes (in %).
pub const W2_PERCENT: u64 = 3;
/// W4: turnout above this share of the inscrits (in %)…
pub const W4_HIGH_PERCENT: u64 = 95;
/// …or below this one.
pub const W4_LOW_PERCENT: u64 = 5;

/// One rule that a PV breaks, and the fields it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: RuleCode,
    pub fields: Vec<Field>,
}

impl Finding {
    fn new(code: RuleCode, fields: Vec<Field>) -> Self {
        Self { code, fields }
    }
}

/// What the bureau's tap-count (its tally log) found, for H5. The tally log
/// derives it; the rules only compare it with the PV.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TallySummary {
    pub blancs: u64,
    pub nuls: u64,
    /// Marks per candidate id.
    pub voix: BTreeMap<String, u64>,
    /// Packets whose marks do not add up to their envelope count (still open,
    /// or closed short), by packet number.
    pub unbalanced_packets: Vec<u32>,
}

/// Checks a PV against the rules, for an election and one of its bureaux
/// and, where the ballots were tap-counted, the tally. Findings come in rule
/// order (H1 … W5).
pub fn check<E: ElectionRef + ?Sized>(
    election: &E,
    bureau: &str,
    pv: &ProcesVerbal,
    tally: Option<&TallySummary>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let (voix, bad_voix) = candidate_votes(election, pv);
    let sum_voix = voix
        .as_ref()
        .map(|v| v.values().map(|&n| u64::from(n)).sum::<u64>());

    // H1
    if let (Some(exprimes), Some(sum)) = (pv.exprimes, sum_voix)
        && u64::from(exprimes) != sum
    {
        let mut fields = vec![Field::Exprimes];
        fields.extend(
            election
                .candidates()
                .iter()
                .map(|c| Field::Voix(c.id.clone())),
        );
        out.push(Finding::new(RuleCode::H1, fields));
    }
    // H2
    if let (Some(b), Some(n), Some(e), Some(env)) = (pv.blancs, pv.nuls, pv.exprimes, pv.enveloppes)
        && u64::from(b) + u64::from(n) + u64::from(e) != u64::from(env)
    {
        let fields = vec![
            Field::Blancs,
            Field::Nuls,
            Field::Exprimes,
            Field::Enveloppes,
        ];
        out.push(Finding::new(RuleCode::H2, fields));
    }
    // H3: the counts not entered (the PV's own, then the candidates'), then
    // ids that are no candidate.
    let mut h3 = pv.empty_required(election.candidates());
    h3.extend(bad_voix);
    if !h3.is_empty() {
        out.push(Finding::new(RuleCode::H3, h3));
    }
    // H4: where the definition gives the bureau's inscrits, the PV's must
    // be those (a bureau cannot switch H4 or W4 off by typing its own, or
    // none); where inscrits is known, no more émargements or enveloppes.
    let defined = election.bureau(bureau).and_then(|b| b.inscrits);
    let mut h4 = Vec::new();
    if let Some(ins) = pv.inscrits {
        if pv.emargements.is_some_and(|e| e > ins) {
            h4.push(Field::Emargements);
        }
        if pv.enveloppes.is_some_and(|e| e > ins) {
            h4.push(Field::Enveloppes);
        }
    }
    if !h4.is_empty() || (defined.is_some() && pv.inscrits != defined) {
        h4.insert(0, Field::Inscrits);
        out.push(Finding::new(RuleCode::H4, h4));
    }
    // H5
    if let Some(t) = tally {
        let mut fields = Vec::new();
        // A field not entered yet is H3's concern, not a disagreement.
        let differs =
            |typed: Option<u32>, counted: u64| typed.is_some_and(|n| u64::from(n) != counted);
        if differs(pv.blancs, t.blancs) {
            fields.push(Field::Blancs);
        }
        if differs(pv.nuls, t.nuls) {
            fields.push(Field::Nuls);
        }
        for c in election.candidates() {
            let typed = pv.voix.get(&c.id).copied().flatten();
            if differs(typed, t.voix.get(&c.id).copied().unwrap_or(0)) {
                fields.push(Field::Voix(c.id.clone()));
            }
        }
        // Marks for an id that is no candidate of the election: the tally
        // is not this election's.
        fields.extend(
            t.voix
                .keys()
                .filter(|id| !election.candidates().iter().any(|c| &c.id == *id))
                .map(|id| Field::Voix(id.clone())),
        );
        if !fields.is_empty() || !t.unbalanced_packets.is_empty() {
            out.push(Finding::new(RuleCode::H5, fields));
        }
    }
    // W1
    if let (Some(env), Some(em)) = (pv.enveloppes, pv.emargements)
        && env != em
    {
        out.push(Finding::new(
            RuleCode::W1,
            vec![Field::Enveloppes, Field::Emargements],
        ));
    }
    // W2: n / enveloppes > 3 %  ⇔  100·n > 3·enveloppes.
    if let Some(env) = pv.enveloppes {
        let above =
            |n: Option<u32>| n.is_some_and(|n| 100 * u64::from(n) > W2_PERCENT * u64::from(env));
        let mut fields = Vec::new();
        if above(pv.blancs) {
            fields.push(Field::Blancs);
        }
        if above(pv.nuls) {
            fields.push(Field::Nuls);
        }
        if !fields.is_empty() {
            fields.push(Field::Enveloppes);
            out.push(Finding::new(RuleCode::W2, fields));
        }
    }
    // W3
    if let (Some(voix), Some(sum)) = (&voix, sum_voix) {
        let mut fields: Vec<Field> = election
            .candidates()
            .iter()
            .filter(|c| voix.get(c.id.as_str()) == Some(&0))
            .map(|c| Field::Voix(c.id.clone()))
            .collect();
        if sum > 0
            && let Some((id, _)) = voix.iter().find(|&(_, &n)| u64::from(n) == sum)
        {
            let all = Field::Voix((*id).to_owned());
            if !fields.contains(&all) {
                fields.push(all);
            }
        }
        if !fields.is_empty() {
            out.push(Finding::new(RuleCode::W3, fields));
        }
    }
    // W4: turnout > 95 % or < 5 %, by cross-multiplication.
    if let (Some(ins), Some(em)) = (pv.inscrits, pv.emargements) {
        let (ins, em) = (u64::from(ins), u64::from(em));
        if ins > 0 && (100 * em > W4_HIGH_PERCENT * ins || 100 * em < W4_LOW_PERCENT * ins) {
            out.push(Finding::new(
                RuleCode::W4,
                vec![Field::Emargements, Field::Inscrits],
            ));
        }
    }
    // W5: a président, a secrétaire and two assesseurs, four different
    // people ("the same person" as `names` defines it; a name blank after
    // that names no one).
    if !full_bureau(&pv.members) {
        out.push(Finding::new(RuleCode::W5, Vec::new()));
    }
    crate::order::sort_by_key(&mut out, |f| f.code);
    out
}

/// Whether the members make the bureau's legal composition: a président, a
/// secrétaire and at least two assesseurs, no one named twice. On the phone
/// (core without NFKC, see `names`) a name with compatibility characters
/// may count as another person where the server's NFKC says it is the same:
/// the server decides, as for the entrants.
fn full_bureau(m: &crate::pv::Members) -> bool {
    use crate::names::{is_blank, person_key};
    let mut seen = std::collections::BTreeSet::new();
    let mut named = |name: &str| !is_blank(name) && seen.insert(person_key(name));
    let president = named(&m.president);
    let secretaire = named(&m.secretaire);
    let assesseurs = m.assesseurs.iter().filter(|a| named(a)).count();
    president && secretaire && assesseurs >= 2
}

/// The votes of every candidate when all are entered and no unknown id is
/// present (`None` otherwise), and the ids that are no candidate.
fn candidate_votes<'a, E: ElectionRef + ?Sized>(
    election: &'a E,
    pv: &ProcesVerbal,
) -> (Option<BTreeMap<&'a str, u32>>, Vec<Field>) {
    let unknown: Vec<Field> = pv
        .voix
        .keys()
        .filter(|id| !election.candidates().iter().any(|c| &c.id == *id))
        .map(|id| Field::Voix(id.clone()))
        .collect();
    let voix: Option<Vec<(&str, u32)>> = election
        .candidates()
        .iter()
        .map(|c| Some((c.id.as_str(), pv.voix.get(&c.id).copied().flatten()?)))
        .collect();
    let voix = voix.map(crate::order::map_of);
    (voix.filter(|_| unknown.is_empty()), unknown)
}

/// W6, when some tables (by number) handed in one sheet only: the table
/// phones' part of the rules, which [`check`] cannot see from the PV.
pub fn one_sheet_tables(tables: &[u32]) -> Option<Finding> {
    (!tables.is_empty()).then(|| Finding::new(RuleCode::W6, Vec::new()))
}

/// W7, when the PV's émargements are below `turnout`, the bureau's last
/// checkpoint's count: the phone's part of the rules (what the finding is
/// about is the émargements).
pub fn below_turnout(pv: &ProcesVerbal, turnout: Option<&(String, u32)>) -> Option<Finding> {
    let (_, count) = turnout?;
    let emargements = pv.emargements?;
    (emargements < *count).then(|| Finding::new(RuleCode::W7, vec![Field::Emargements]))
}

/// True when no finding blocks signing (warnings still need explanations).
pub fn no_error(findings: &[Finding]) -> bool {
    findings
        .iter()
        .all(|f| f.code.severity() == Severity::Warning)
}
