//! `cargo xtask bench` runs this (optimised): the cost of appending one event
//! to a tally log of 10 events and of 10,000, which must not grow with the
//! log. Each round times 100 mark-and-undo pairs (200 appends) on each of 20
//! logs built by appending, not cloned: a clone has no spare capacity, and its
//! first push would copy the whole log, which a real device never does. The
//! figure is the amortised cost of one append at that size.

use pointage_core::{Mark, TallyEvent, TallyLog};
use std::hint::black_box;
use std::time::Instant;

const COPIES: usize = 20;
const APPENDS: usize = 100;
const ROUNDS: usize = 5;

fn log_of(events: usize) -> TallyLog {
    let candidates = vec!["a".to_owned(), "b".to_owned()];
    let mut log = TallyLog::new(candidates, [0; 32]);
    let add = |log: &mut TallyLog, e: TallyEvent| {
        if log.append(e).is_err() {
            eprintln!("bench_tally: the benchmark's own log was refused");
            std::process::exit(1);
        }
    };
    add(
        &mut log,
        TallyEvent::ClosePolls {
            emargements: 1_000_000,
            enveloppes: 1_000_000,
            explanation: String::new(),
        },
    );
    // Full packets (102 events each) while they fit, then an open packet
    // with room left for the measured mark.
    while log.events().len() + 102 + 2 <= events {
        add(
            &mut log,
            TallyEvent::OpenPacket {
                table: "Table 1".into(),
                envelopes: 100,
            },
        );
        for i in 0..100 {
            add(
                &mut log,
                TallyEvent::Mark(Mark::Candidate(if i % 3 == 0 { "a" } else { "b" }.into())),
            );
        }
        add(&mut log, TallyEvent::ClosePacket);
        add(&mut log, TallyEvent::ConfirmPacket);
    }
    add(
        &mut log,
        TallyEvent::OpenPacket {
            table: "Table 1".into(),
            envelopes: 100,
        },
    );
    while log.events().len() < events {
        add(&mut log, TallyEvent::Mark(Mark::Blanc));
    }
    log
}

/// Median over rounds of the mean time of one append, in nanoseconds.
fn append_ns(size: usize) -> f64 {
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let mut logs: Vec<TallyLog> = (0..COPIES).map(|_| log_of(size)).collect();
            let start = Instant::now();
            for log in &mut logs {
                for _ in 0..APPENDS {
                    let _ = black_box(
                        log.append(black_box(TallyEvent::Mark(Mark::Candidate("a".into())))),
                    );
                    let _ = black_box(log.append(black_box(TallyEvent::Undo)));
                }
            }
            start.elapsed().as_nanos() as f64 / (COPIES * APPENDS * 2) as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[ROUNDS / 2]
}

fn main() {
    let small = append_ns(10);
    let large = append_ns(10_000);
    println!("tally append, log of     10 events: {small:>8.0} ns");
    println!("tally append, log of 10,000 events: {large:>8.0} ns");
    println!(
        "ratio 10,000 / 10: {:.2} (must stay near 1: appending does not grow with the log)",
        large / small
    );
}
