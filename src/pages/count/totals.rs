//! The counted totals of the bureau and of each table.

use super::{Counter, count_rows};
use crate::i18n::{trk, use_i18n};
use leptos::prelude::*;
use pointage_core::{Candidate, CountTotals};
#[component]
pub(super) fn Totals(
    counter: Counter,
    rev: Trigger,
    candidates: StoredValue<Vec<Candidate>>,
    show_totals: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = move || {
        rev.track();
        counter.with_value(|c| (c.log().totals(), c.log().tables(), c.log().polls().cloned()))
    };
    let table_of = move |title: String, t: CountTotals, found: Option<u32>| {
        let tx = i18n.s();
        let rows = candidates.with_value(|cands| {
            count_rows(
                tx,
                cands,
                &|id| t.voix.get(id).copied().unwrap_or(0),
                t.blancs,
                t.nuls,
            )
        });
        let counted = tx.common.count(t.envelopes_closed);
        // Against the envelopes found, below the table: a long cell would
        // squeeze the candidates' names.
        // The envelopes are said once: against those found where the bureau
        // counted them (below the table), else as a row.
        let (of_found, counted_row) = match found {
            Some(f) => {
                let line = (tx.count.counted_of_found)(&counted, &tx.common.count(u64::from(f)));
                (
                    Some(
                        view! { <p>{tx.count.envelopes_counted} {tx.colon} <strong>{line}</strong></p> },
                    ),
                    None,
                )
            }
            None => (
                None,
                Some(
                    view! { <tr><th scope="row">{tx.count.envelopes_counted}</th><td class="num">{counted}</td></tr> },
                ),
            ),
        };
        let heading = if found.is_some() {
            view! { <h2>{title}</h2> }.into_any()
        } else {
            view! { <h3>{title}</h3> }.into_any()
        };
        view! {
            <section class="card">
                {heading}
                <table class="results">
                    <tbody>
                        {rows}
                        <tr><th scope="row">{tx.count.packets_closed}</th><td class="num">{format!("{} / {}", t.packets_closed, t.packets)}</td></tr>
                        {counted_row}
                    </tbody>
                </table>
                {of_found}
            </section>
        }
    };
    view! {
        <button type="button" class="secondary" on:click=move |_| show_totals.set(false)>
            {trk(|t| t.back_to_count)}
        </button>
        {move || {
            let (all, tables, polls) = data();
            let tx = i18n.s();
            let done = polls.as_ref().is_some_and(|p| all.envelopes_closed == u64::from(p.enveloppes));
            view! {
                {table_of(tx.count.totals_title.to_owned(), all, polls.map(|p| p.enveloppes))}
                {done.then(|| view! { <p class="card success">{tx.count.all_counted}</p> })}
                // Per table only where there are several: at a one-table
                // bureau it would repeat the totals above.
                {(tables.len() > 1).then(|| view! {
                    <h2 class="section">{tx.count.per_table}</h2>
                    {tables.into_iter().map(|(name, t)| table_of(name, t, None)).collect_view()}
                })}
            }
        }}
    }
}
