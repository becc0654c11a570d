//! English texts.

use super::Texts;

pub static TEXTS: Texts = Texts {
    app_name: "Pointage",
    language: "Language",
    home_title: "Polling station",
    election: "Election",
    bureau: "Polling station",
    enrolled_note: "This phone counts for this polling station. Check the code with the presiding officer before you start.",
    not_enrolled_title: "This phone is not linked to any polling station",
    not_enrolled_body: "Before counting, it must be enrolled for your polling station. Ask the central team for your station’s enrollment link and open it on this phone.",
    storage_failed: "This phone refuses to save your choice (storage full or private browsing). Nothing was changed.",
    round,
};

fn round(n: u8) -> String {
    format!("Round {n}")
}
