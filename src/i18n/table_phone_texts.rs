//! The texts of the table phones' screens: the bureau phone's "Tables"
//! (join codes, each table's state, the sheets read), and a table phone's
//! join, count and sheet.

use pointage_core::sheet::SheetError;

pub struct TablesTexts {
    /// On the bureau's home screen.
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_link: &'static str,
    /// On a phone that is not the bureau's: a recorder's way in.
    pub not_enrolled_join: &'static str,
    pub go_table: &'static str,
    pub title: &'static str,
    pub nav: &'static str,
    /// "Table 3".
    pub table: fn(u32) -> String,
    /// "Pointeur A".
    pub slot: fn(&str) -> String,
    /// "Paquet n° 7" (a table phone's packet, by its band).
    pub packet: fn(u32) -> String,

    pub states_title: &'static str,
    pub none_yet: &'static str,
    pub state_waiting: &'static str,
    /// "une feuille (pointeur A)".
    pub state_one: fn(&str) -> String,
    pub state_agree: &'static str,
    /// "feuille A : MXPMX-83YJJ".
    pub sheet_of: fn(&str, &str) -> String,
    /// "les feuilles diffèrent (paquets n° 3, 4)", with how many.
    pub state_disagree: fn(&str, usize) -> String,
    pub recount_list: &'static str,
    /// "Paquet n° 3 : à recompter à la table 1".
    pub recount_at: fn(u32, u32) -> String,
    /// "Le paquet n° 3 est compté aux tables 1, 2 …".
    pub counted_twice: fn(u32, &str) -> String,
    /// "Enveloppes des paquets : 150 sur 150 trouvées".
    pub envelopes_of_found: fn(&str, &str) -> String,
    pub envelopes_no_polls: fn(&str) -> String,
    pub ready: &'static str,
    pub go_pv: &'static str,

    pub scan_title: &'static str,
    pub scan_intro: &'static str,
    pub scan_start: &'static str,
    pub scan_stop: &'static str,
    /// "Feuille en cours : 2 codes lus sur 3".
    pub parts_read: fn(usize, usize) -> String,
    /// A part opened by the camera app kept, the sheet not whole yet.
    pub part_kept: &'static str,
    pub sheet_taken: fn(u32, &str) -> String,
    pub sheet_replaced: fn(u32, &str) -> String,
    pub sheet_again: fn(u32, &str) -> String,
    pub sheet_unreadable: &'static str,
    pub sheet_not_invited: &'static str,
    pub sheet_superseded: fn(u32, &str) -> String,
    pub sheet_refused: fn(&SheetError) -> String,
    pub sheet_other_phone: fn(u32, &str) -> String,
    pub sheet_older: fn(u32, &str) -> String,

    pub invite_title: &'static str,
    pub invite_intro: &'static str,
    pub table_label: &'static str,
    pub table_invalid: &'static str,
    pub slot_legend: &'static str,
    pub invite_submit: &'static str,
    pub replace_ask: &'static str,
    pub replace_question: &'static str,
    pub replace_yes: &'static str,
    /// "Table 1 · pointeur A : code pour rejoindre".
    pub join_caption: fn(u32, &str) -> String,
    pub join_intro: &'static str,
    /// Under a join code: a phone that never opened the table app cannot
    /// open it with no network.
    pub join_never_loaded: &'static str,
    pub join_done: &'static str,
    /// The table phones prepared in the morning, with a network: the code
    /// that opens (and keeps) the table app.
    pub prepare_title: &'static str,
    pub prepare_intro: &'static str,
    pub prepare_show: &'static str,
    pub prepare_hide: &'static str,
    pub prepare_label: &'static str,

    pub camera_label: &'static str,
    pub camera_denied: &'static str,
    pub camera_unavailable: &'static str,

    pub join_page_title: &'static str,
    pub join_scan_title: &'static str,
    pub join_scan_intro: &'static str,
    /// The join page opened with no code (a phone prepared in the
    /// morning): the app is kept, what to do tonight.
    pub join_ready_title: &'static str,
    pub join_ready_intro: &'static str,
    /// While the phone keeps the app, and when it could not.
    pub join_preparing: &'static str,
    pub join_not_kept_title: &'static str,
    pub join_not_kept: &'static str,
    pub join_scan_now: &'static str,
    /// "Bureau 001 · table 1 · pointeur A".
    pub seat_line: fn(&str, u32, &str) -> String,
    /// "Invité par le téléphone du bureau, clé 7KQ3M-9XD2B".
    pub invited_by: fn(&str) -> String,
    pub join_check: &'static str,
    pub join_submit: &'static str,
    pub join_unreadable: &'static str,
    /// This browser cannot make the table phone's own key.
    pub join_no_crypto: &'static str,
    /// The table phone's key could not be read: the sheet is not signed.
    pub sheet_key_unreadable: &'static str,
    pub join_already: fn(u32, &str) -> String,

    pub table_page_title: &'static str,
    pub no_seat: &'static str,
    pub go_join: &'static str,
    pub handed_title: &'static str,
    pub handed_intro: &'static str,
    pub handed_label: &'static str,
    /// "150 enveloppes remises à cette table".
    pub handed_summary: fn(&str) -> String,
    pub handed_edit: &'static str,
    pub handed_submit: &'static str,
    /// "10 sur 10 remises".
    pub counted_of_handed: fn(&str, &str) -> String,
    /// "Clé de ce téléphone : 82JC0-JDE2H".
    pub bureau_key: fn(&str) -> String,
    /// "Code QR 2 sur 3".
    pub code_label: fn(usize, usize) -> String,
    /// Above the codes that change by themselves: "Code 2 sur 3".
    pub code_position: fn(usize, usize) -> String,
    pub band_label: &'static str,
    pub band_hint: &'static str,
    pub all_counted_text: &'static str,
    pub recount_title: &'static str,
    pub recount_hint: &'static str,
    pub recount_submit: &'static str,
    pub sheet_title: &'static str,
    pub sheet_intro: &'static str,
    pub sheet_resign: &'static str,
    pub recorder_label: &'static str,
    pub recorder_needed: &'static str,
    pub sheet_not_done: &'static str,
    pub sheet_submit: &'static str,
    pub codes_title: &'static str,
    pub codes_intro: &'static str,
    /// "Code de la feuille : 7KQ3M-9XD2B …".
    pub sheet_code: fn(&str) -> String,
}
