//! Open data (`docs/return-format.md` §14): the results per bureau in the
//! layout the French ministry publishes (bureau code, inscrits, votants,
//! blancs, nuls, exprimés, then one column per candidate), and the turnout
//! per checkpoint per bureau, as CSV, from signed returns and reports only.
//!
//! Each file names, on its first line, the record head it was computed
//! from: the election, how many leaves, and their root. Written by this
//! one code from the record's first leaves, a file is the same bytes on
//! the server and in the verifier, so anyone can check it whole.
//!
//! The files are UTF-8 with a byte-order mark (so that a spreadsheet in
//! French reads "Exprimés" right), `;` between cells as the ministry's
//! files have it, and CRLF at each line's end (RFC 4180).

use crate::election::{CheckpointKind, Election};
use crate::results;
use crate::signed_return::{ReturnBody, human_code};
use crate::turnout::{self, Received};
use std::borrow::Cow;
use std::fmt::Write;

/// What the first line names as the files' format.
pub const OPEN_DATA_FORMAT: &str = "pointage-open-data/1";

/// Between two cells.
pub const SEPARATOR: char = ';';

/// Which file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum File {
    /// The results per bureau ([`results_csv`]).
    Results,
    /// The turnout per checkpoint per bureau ([`turnout_csv`]).
    Turnout,
}

impl File {
    /// Its name under `/api/v1/open-data/`.
    pub fn path(self) -> &'static str {
        match self {
            File::Results => "results.csv",
            File::Turnout => "turnout.csv",
        }
    }

    /// Which file `text` is, by its columns (a results file has "Votants").
    pub fn of(text: &str) -> File {
        let columns = text.lines().nth(1).unwrap_or_default();
        if columns.split(SEPARATOR).any(|c| c == "Votants") {
            File::Results
        } else {
            File::Turnout
        }
    }
}

/// The record head a file was computed from: the election's first `size`
/// leaves, whose root is `root` (64 hex).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordHead {
    pub election_id: String,
    pub size: u64,
    pub root: String,
}

impl RecordHead {
    /// The first line of a file: `# pointage-open-data/1;election=…;
    /// record_size=…;record_root=…` (a comment to most CSV readers).
    fn line(&self) -> String {
        format!(
            "# {OPEN_DATA_FORMAT}{SEPARATOR}election={}{SEPARATOR}record_size={}{SEPARATOR}record_root={}\r\n",
            self.election_id, self.size, self.root
        )
    }

    /// The head a file names on its first line, or `None` when it has no
    /// such line.
    pub fn read(file: &str) -> Option<RecordHead> {
        let first = file
            .strip_prefix('\u{feff}')
            .unwrap_or(file)
            .lines()
            .next()?;
        let rest = first.strip_prefix("# ")?.strip_prefix(OPEN_DATA_FORMAT)?;
        let mut fields = rest.split(SEPARATOR).skip(1);
        let mut field = |name: &str| {
            fields
                .next()?
                .strip_prefix(name)?
                .strip_prefix('=')
                .map(str::to_owned)
        };
        let election_id = field("election")?;
        let size = field("record_size")?.parse().ok()?;
        let root = field("record_root")?;
        (root.len() == 64 && root.bytes().all(|b| b.is_ascii_hexdigit())).then_some(RecordHead {
            election_id,
            size,
            root,
        })
    }
}

/// A cell: quoted when it holds the separator, a quote or a line break;
/// made text by a leading apostrophe when a spreadsheet would take it for a
/// formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return:
/// names come from the election's definition), as OWASP advises.
pub fn cell(s: &str, separator: char) -> Cow<'_, str> {
    let s: Cow<str> = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    };
    if s.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s
    }
}

/// One line of cells, CRLF-ended.
fn line<'a>(out: &mut String, cells: impl IntoIterator<Item = Cow<'a, str>>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(SEPARATOR);
        }
        out.push_str(&c);
    }
    out.push_str("\r\n");
}

fn figure(n: Option<u32>) -> Cow<'static, str> {
    n.map_or(Cow::Borrowed(""), |n| n.to_string().into())
}

fn text(s: &str) -> Cow<'_, str> {
    cell(s, SEPARATOR)
}

/// The results per bureau: every bureau of the definition in its order,
/// with its latest accepted return's figures (empty cells while it has
/// none), then the version counted and the code written on its paper PV.
/// `returns` are `(return id, body)` of the accepted versions in the
/// record's first `head.size` leaves.
pub fn results_csv<'a>(
    election: &Election,
    returns: impl IntoIterator<Item = (&'a str, &'a ReturnBody)>,
    head: &RecordHead,
) -> String {
    let latest = results::latest(election, returns);
    let mut out = String::from("\u{feff}");
    out.push_str(&head.line());
    let fixed = [
        "Code du b.vote",
        "Libellé du b.vote",
        "Commune",
        "Inscrits",
        "Votants",
        "Blancs",
        "Nuls",
        "Exprimés",
    ];
    line(
        &mut out,
        fixed
            .into_iter()
            .map(Cow::Borrowed)
            .chain(election.candidates().iter().map(|c| text(&c.name)))
            .chain(["Version du PV", "Code du PV"].map(Cow::Borrowed)),
    );
    for b in election.bureaux() {
        let counted = latest.get(b.code.as_str());
        let pv = counted.map(|(_, body)| &body.pv);
        let f = |get: fn(&crate::ProcesVerbal) -> Option<u32>| figure(pv.and_then(get));
        let mut cells = vec![
            text(&b.code),
            text(&b.name),
            text(&b.commune),
            f(|p| p.inscrits),
            f(|p| p.emargements),
            f(|p| p.blancs),
            f(|p| p.nuls),
            f(|p| p.exprimes),
        ];
        cells.extend(
            election
                .candidates()
                .iter()
                .map(|c| figure(pv.and_then(|p| p.voix.get(&c.id).copied().flatten()))),
        );
        cells.push(figure(counted.map(|(_, body)| body.version)));
        cells.push(counted.map_or(Cow::Borrowed(""), |(id, _)| human_code(id).into()));
        line(&mut out, cells);
    }
    out
}

/// The turnout per checkpoint per bureau: every bureau of the definition
/// in its order, its inscrits where known, then for each checkpoint of the
/// day its latest report (the members present at the opening, the
/// signatures counted at a count), empty while it has none. `received`
/// are the accepted reports in the record's first `head.size` leaves.
pub fn turnout_csv<'a>(
    election: &Election,
    received: impl IntoIterator<Item = Received<'a>>,
    head: &RecordHead,
) -> String {
    let latest = turnout::latest(election, received);
    let mut out = String::from("\u{feff}");
    out.push_str(&head.line());
    let checkpoints = election.checkpoints();
    line(
        &mut out,
        ["Code du b.vote", "Libellé du b.vote", "Commune", "Inscrits"]
            .map(Cow::Borrowed)
            .into_iter()
            .chain(checkpoints.iter().map(|c| {
                let mut h = String::new();
                let _ = match c.kind {
                    CheckpointKind::Opening => {
                        write!(h, "Ouverture {} (membres présents)", c.local_time())
                    }
                    CheckpointKind::Count => write!(h, "Émargements {}", c.local_time()),
                };
                Cow::Owned(h)
            })),
    );
    for b in election.bureaux() {
        let mut cells = vec![
            text(&b.code),
            text(&b.name),
            text(&b.commune),
            figure(b.inscrits),
        ];
        cells.extend(checkpoints.iter().map(|c| {
            let body = latest
                .get(&(c.id.as_str(), b.code.as_str()))
                .map(|(r, _)| r.body());
            figure(body.and_then(|body| match c.kind {
                CheckpointKind::Opening => u32::try_from(body.present.len()).ok(),
                CheckpointKind::Count => body.count,
            }))
        }));
        line(&mut out, cells);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_quoted_or_defused_only_when_it_must_be() {
        assert_eq!(cell("École Jules-Ferry", ';'), "École Jules-Ferry");
        assert_eq!(cell("Dupont; Marie", ';'), "\"Dupont; Marie\"");
        assert_eq!(cell("Dupont, Marie", ','), "\"Dupont, Marie\"");
        assert_eq!(
            cell("le \"Grand\" bureau", ';'),
            "\"le \"\"Grand\"\" bureau\""
        );
        assert_eq!(cell("=HYPERLINK(1)", ';'), "'=HYPERLINK(1)");
        assert_eq!(cell("-12", ';'), "'-12");
    }

    #[test]
    fn the_head_line_reads_back_and_nothing_else_passes_for_one() {
        let head = RecordHead {
            election_id: "demo-2027-t1".into(),
            size: 1234,
            root: "ab".repeat(32),
        };
        let file = format!("\u{feff}{}Code du b.vote\r\n", head.line());
        assert_eq!(RecordHead::read(&file), Some(head.clone()));
        assert_eq!(RecordHead::read("Code du b.vote;Inscrits\r\n"), None);
        let short = file.replace(&"ab".repeat(32), "abab");
        assert_eq!(RecordHead::read(&short), None);
        let swapped = file.replace("record_size", "size");
        assert_eq!(RecordHead::read(&swapped), None);
    }
}
