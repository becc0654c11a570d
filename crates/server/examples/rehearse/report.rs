//! The report a person reads in a minute: a Markdown page, and a chart
//! (SVG, drawn with plotters) of arrivals, what viewers saw and latency
//! over the night, the faults marked.

use crate::check::Checked;
use crate::phones::Sent;
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Everything the report says.
pub struct Night {
    pub election: String,
    pub bureaux: usize,
    /// Bureaux that never report.
    pub silent: usize,
    pub candidates: usize,
    pub imported_s: f64,
    pub morning_s: f64,
    pub night_asked_s: f64,
    /// The night on the rehearsal's clock.
    pub night: (f64, f64),
    pub total_s: f64,
    /// When each fault came (seconds on the rehearsal's clock), and what.
    pub faults: Vec<(f64, String)>,
    /// The slow clients' wave: from, to, connections opened, cut by nginx.
    pub wave: (f64, f64, usize, usize),
    pub sent: Sent,
    pub checked: Checked,
    /// The oldest figures a viewer saw: how old (s), and when they were
    /// seen (seconds on the rehearsal's clock).
    pub stale: (f64, f64),
    pub stale_limit_s: f64,
    pub cpu_per_1000: f64,
    pub timings: BTreeMap<&'static str, Vec<(f64, f64)>>,
    pub seen: Vec<(f64, u32)>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// p50, p95 and p99 of the latencies measured between `from` and `to`.
fn quantiles(timed: &[(f64, f64)], from: f64, to: f64) -> (usize, [f64; 3]) {
    let mut ms: Vec<f64> = timed
        .iter()
        .filter(|(at, _)| *at >= from && *at < to)
        .map(|(_, ms)| *ms)
        .collect();
    ms.sort_by(f64::total_cmp);
    (ms.len(), [0.5, 0.95, 0.99].map(|p| percentile(&ms, p)))
}

/// A series' key in a chart's legend: a short line of its colour.
fn key(colour: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
}

/// A count over time drawn as steps, from 0 at the close to the end of
/// the night (`span`): it holds its value until the next change. Changes
/// closer than a thousandth of the night make one step (70,000 arrivals
/// would be a megabyte of SVG for the same picture).
fn steps(points: impl Iterator<Item = (f64, f64)>, span: f64) -> Vec<(f64, f64)> {
    let tick = span / 1000.0;
    let mut out = vec![(0.0, 0.0)];
    for (t, n) in points.filter(|(t, _)| *t >= 0.0) {
        let (at, last) = out.last().copied().unwrap_or_default();
        if n == last {
            continue;
        }
        if out.len() > 1 && t - at < tick {
            if let Some(p) = out.last_mut() {
                p.1 = n;
            }
        } else {
            out.push((t, last));
            out.push((t, n));
        }
    }
    let last = out.last().map_or(0.0, |p| p.1);
    out.push((span, last));
    out
}

impl Night {
    /// The Markdown page (`chart`: the chart's file name beside it).
    pub fn markdown(&self, chart: &str) -> String {
        let (s, c) = (&self.sent, &self.checked);
        let (n0, n1) = self.night;
        let viewer_requests: usize = ["GET /api/v1/results", "GET /resultats"]
            .iter()
            .filter_map(|k| self.timings.get(k))
            .map(|t| t.iter().filter(|(at, _)| *at >= n0 && *at < n1).count())
            .sum();
        let mut md = format!(
            "# Pointage — election night rehearsed\n\n\
             {} — {} bureaux, {} candidates; 3 nodes on one PostgreSQL database, nginx in front.\n\n\
             ![Arrivals, what viewers saw, latency]({chart})\n\n\
             | | |\n|---|---|\n\
             | import (command line) | {:.1} s |\n\
             | the morning: enrollments and reports | {:.1} s |\n\
             | the night (compressed: {:.0} s asked) | {:.1} s |\n\
             | turnout reports received | {} |\n\
             | returns received (versions) | {} |\n\
             | bureaux counted | {} of {} ({} never report: 1 in 100) |\n\
             | corrections | {} |\n\
             | handed over by QR codes to a helper's phone, which sent them | {} |\n\
             | phones replaced (code reissued): old phone's return refused / new phone's counted | {} / {} |\n\
             | returns signed by a stranger's key, refused | {} |\n\
             | receipts found in the record where they say | {} of {} |\n\
             | the record's leaves, without a gap | {} |\n\
             | pointage-verify, every receipt given | {} |\n\
             | viewers' requests on the night (through the cache) | {} ({:.0} a second) |\n\
             | oldest figures a viewer saw | {:.1} s, {} (limit {} s) |\n\
             | server CPU per 1,000 returns | {:.2} s |\n\
             | the whole rehearsal | {:.0} s |\n\n## Faults\n\n",
            self.election,
            self.bureaux,
            self.candidates,
            self.imported_s,
            self.morning_s,
            self.night_asked_s,
            n1 - n0,
            s.reports,
            s.versions,
            s.latest.len(),
            self.bureaux,
            self.silent,
            s.corrections,
            s.handed_over,
            s.replaced_refused,
            s.replaced_counted,
            s.strangers_refused,
            c.receipts_ok,
            s.receipts.len(),
            c.leaves,
            if c.verified { "holds" } else { "FAILED" },
            viewer_requests,
            viewer_requests as f64 / (n1 - n0).max(1e-9),
            self.stale.0,
            if self.stale.1 < n0 {
                "in the morning".to_owned()
            } else {
                format!("{:.0} s after the close", self.stale.1 - n0)
            },
            self.stale_limit_s,
            self.cpu_per_1000,
            self.total_s,
        );
        for (at, f) in &self.faults {
            md.push_str(&format!("- {:.1} s after the close: {f}\n", at - n0));
        }
        let (w0, w1, opened, cut) = self.wave;
        md.push_str(&format!(
            "- {:.1}–{:.1} s after the close: a wave of {opened} slow clients (headers a line a second, bodies ten bytes a second); nginx cut {cut} of them\n",
            w0 - n0,
            w1 - n0
        ));
        md.push_str(
            "\n## Latency through nginx (ms), the night\n\n\
             | endpoint | requests | p50 | p95 | p99 | p99 during the slow wave |\n\
             |---|---:|---:|---:|---:|---:|\n",
        );
        for (what, timed) in &self.timings {
            let (count, [p50, p95, p99]) = quantiles(timed, n0, n1);
            if count == 0 {
                continue;
            }
            let (_, [_, _, wave99]) = quantiles(timed, w0, w1);
            md.push_str(&format!(
                "| {what} | {count} | {p50:.1} | {p95:.1} | {p99:.1} | {wave99:.1} |\n"
            ));
        }
        md.push_str(
            "\n## Latency through nginx (ms), the morning\n\n\
             | endpoint | requests | p50 | p95 | p99 |\n|---|---:|---:|---:|---:|\n",
        );
        for (what, timed) in &self.timings {
            let (count, [p50, p95, p99]) = quantiles(timed, 0.0, n0);
            if count > 0 {
                md.push_str(&format!(
                    "| {what} | {count} | {p50:.1} | {p95:.1} | {p99:.1} |\n"
                ));
            }
        }
        md.push_str("\n## Checks\n\n");
        if c.problems.is_empty() {
            md.push_str("Every check holds.\n");
        } else {
            for p in &c.problems {
                md.push_str(&format!("- FAILED: {p}\n"));
            }
        }
        md
    }

    /// The chart: bureaux received and published over the night, above;
    /// the p95 latency of returns and results every two seconds, below;
    /// the faults as red lines.
    pub fn chart(&self, path: &Path) -> Result<(), String> {
        let (n0, n1) = self.night;
        let span = (n1 - n0).max(1.0);
        let root = SVGBackend::new(path, (960, 640)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (top, bottom) = root.split_vertically(320);
        let e = |e: DrawingAreaErrorKind<_>| e.to_string();

        let mut coverage = ChartBuilder::on(&top)
            .caption(
                "Bureaux counted over the night (s after the close)",
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..span, 0.0..self.bureaux as f64)
            .map_err(e)?;
        coverage
            .configure_mesh()
            .y_desc("bureaux")
            .draw()
            .map_err(e)?;
        let received = steps(
            self.sent
                .counted_at
                .iter()
                .enumerate()
                .map(|(k, at)| (at - n0, (k + 1) as f64)),
            span,
        );
        coverage
            .draw_series(LineSeries::new(received, BLUE.stroke_width(2)))
            .map_err(e)?
            .label("received (receipts given)")
            .legend(key(BLUE));
        let seen = steps(
            self.seen.iter().map(|(at, n)| (at - n0, f64::from(*n))),
            span,
        );
        coverage
            .draw_series(LineSeries::new(seen, GREEN.stroke_width(2)))
            .map_err(e)?
            .label("published (what a viewer saw)")
            .legend(key(GREEN));
        let top_y = self.bureaux as f64;
        for (k, (at, what)) in self
            .faults
            .iter()
            .chain(std::iter::once(&(self.wave.0, "slow clients".to_owned())))
            .enumerate()
        {
            let x = at - n0;
            coverage
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, top_y)],
                    RED.stroke_width(1),
                )))
                .map_err(e)?;
            let short: String = what.split(['(', ':']).next().unwrap_or(what).to_owned();
            coverage
                .draw_series(std::iter::once(Text::new(
                    short,
                    // Staggered, so that faults close in time stay
                    // readable.
                    (x + span * 0.005, top_y * (0.06 + 0.1 * (k % 4) as f64)),
                    ("sans-serif", 12).into_font().color(&RED),
                )))
                .map_err(e)?;
        }
        coverage
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(e)?;

        // p95 every two seconds.
        let buckets = |what: &str| -> Vec<(f64, f64)> {
            let mut by: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
            for (at, ms) in self.timings.get(what).map(Vec::as_slice).unwrap_or(&[]) {
                if *at >= n0 && *at < n1 {
                    by.entry(((at - n0) / 2.0) as i64).or_default().push(*ms);
                }
            }
            by.into_iter()
                .map(|(b, mut ms)| {
                    ms.sort_by(f64::total_cmp);
                    (b as f64 * 2.0 + 1.0, percentile(&ms, 0.95).max(0.1))
                })
                .collect()
        };
        let returns = buckets("POST /api/v1/returns");
        let results = buckets("GET /api/v1/results");
        let most = returns
            .iter()
            .chain(&results)
            .map(|(_, ms)| *ms)
            .fold(1.0, f64::max);
        let mut latency = ChartBuilder::on(&bottom)
            .caption(
                "Latency through nginx, p95 every 2 s (ms, log scale)",
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..span, (0.1..most * 2.0).log_scale())
            .map_err(e)?;
        latency
            .configure_mesh()
            .y_desc("ms")
            .x_desc("seconds after the close")
            .draw()
            .map_err(e)?;
        latency
            .draw_series(LineSeries::new(returns, MAGENTA.stroke_width(2)))
            .map_err(e)?
            .label("POST /api/v1/returns")
            .legend(key(MAGENTA));
        latency
            .draw_series(LineSeries::new(results, CYAN.stroke_width(2)))
            .map_err(e)?
            .label("GET /api/v1/results")
            .legend(key(CYAN));
        for (at, _) in self
            .faults
            .iter()
            .chain(std::iter::once(&(self.wave.0, String::new())))
        {
            let x = at - n0;
            latency
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.1), (x, most * 2.0)],
                    RED.stroke_width(1),
                )))
                .map_err(e)?;
        }
        latency
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(e)?;
        root.present().map_err(|e| e.to_string())
    }
}
