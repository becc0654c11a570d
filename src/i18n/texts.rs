//! The text tables: every sentence a person reads, as the fields of one
//! struct per screen, so that a language missing one is a compile error.
//! `fr/` and `en/` fill them, a file a part of the app (the evening, the
//! PV, the deposit page, the table phones).

use pointage_core::wire::ErrorCode;
use pointage_core::{Field, NulReason, RuleCode, TallyError};
use pointage_texts::CommonTexts;

/// Every sentence of the bureau app, in one language.
pub struct Texts {
    pub home_title: &'static str,
    pub bureau: &'static str,
    /// What to check before counting, naming the bureau's code.
    pub enrolled_note: fn(&str) -> String,
    pub not_enrolled_title: &'static str,
    pub not_enrolled_body: &'static str,
    pub update_ready: &'static str,
    pub update_apply: &'static str,

    pub enroll_title: &'static str,
    pub enroll_intro: &'static str,
    pub enroll_code_label: &'static str,
    pub enroll_code_hint: &'static str,
    pub enroll_submit: &'static str,
    pub enroll_working: &'static str,
    pub enroll_done_title: &'static str,
    pub enroll_done_body: &'static str,
    /// The enrolled screen's next step.
    pub enroll_next: &'static str,
    /// Shown when the phone is enrolled already: re-enrolling moves it.
    pub enroll_already: fn(&str) -> String,
    pub enroll_link: &'static str,
    /// A later round this phone was carried over to: its title, what it is
    /// (name, round, date), the button, what still waits (documents of the
    /// round the phone counts for), and a failed write.
    pub next_round_title: &'static str,
    pub next_round_body: fn(&str, u8, &str) -> String,
    pub next_round_take: &'static str,
    pub next_round_waiting: fn(usize) -> String,
    pub next_round_failed: &'static str,
    pub enroll_bad_format: &'static str,
    /// This browser cannot make the bureau key (no WebCrypto Ed25519).
    pub enroll_no_crypto: &'static str,
    pub enroll_storage_failed: &'static str,

    /// Between a label and its value: " : " in French (no-break space
    /// before), ": " in English.
    pub colon: &'static str,
    /// The counting screen.
    pub count: &'static CountTexts,
    /// What the public pages say too.
    pub common: &'static CommonTexts,
    /// The procès-verbal screens.
    pub pv: &'static PvTexts,
    /// What went wrong when the phone's storage was opened.
    pub startup: &'static StartupTexts,
    /// The home screen's checklist of the bureau's evening.
    pub evening: EveningTexts,
    /// The table phones' screens.
    pub tables: &'static super::TablesTexts,
    /// The day's turnout checkpoints.
    pub day: &'static DayTexts,
    /// The paper PV's photos.
    pub photos: &'static PhotoTexts,
}

/// The paper PV's photos: the evening's step and its screen.
pub struct PhotoTexts {
    pub title: &'static str,
    pub intro: &'static str,
    /// The evening's step, and what it says of where they stand.
    pub step: &'static str,
    pub step_detail: fn(&pointage_device::photos::PhotoStanding) -> Option<String>,
    pub go: &'static str,
    /// Before the PV is signed: the photos are of its paper.
    pub not_signed_yet: &'static str,
    pub open_camera: &'static str,
    pub camera_label: &'static str,
    pub take: &'static str,
    pub pick_file: &'static str,
    pub encoding: &'static str,
    /// Shown back full screen: is it legible?
    pub check: &'static str,
    pub keep: &'static str,
    pub again: &'static str,
    pub page: fn(usize) -> String,
    pub remove: &'static str,
    pub max_pages: &'static str,
    pub sign: fn(usize) -> String,
    pub signing: &'static str,
    pub later: &'static str,
    /// Once signed: back home.
    pub back: &'static str,
    pub camera_denied: &'static str,
    pub camera_unavailable: &'static str,
    pub encode_failed: &'static str,
    pub page_error: fn(pointage_device::photos::PageError) -> &'static str,
    pub sign_error: fn(&pointage_device::photos::PhotoSignError) -> String,
    /// The signed document: its pages, received, pictures held.
    pub status: fn(&pointage_device::photos::PhotoStanding) -> String,
    pub retake: &'static str,
    pub reason_label: &'static str,
    pub reason_hint: &'static str,
    /// The signed photo document in QR codes (no network here): title,
    /// what to do, and each code's label.
    pub qr_title: &'static str,
    pub qr_intro: &'static str,
    pub qr_label: fn(usize, usize) -> String,
}

/// Turnout during the day: the checkpoints, their reports, their forms.
pub struct DayTexts {
    pub title: &'static str,
    pub intro: &'static str,
    /// "Ouverture du bureau (08:00)".
    pub opening: fn(&str) -> String,
    /// "Relevé de 12:00".
    pub count_at: fn(&str) -> String,
    pub not_yet: &'static str,
    /// "En retard : prévu à 12:00".
    pub late: fn(&str) -> String,
    /// "312 émargements" (the count written as the language does).
    pub counted: fn(&str) -> String,
    /// "ouvert, 3 membres présents".
    pub opened: fn(usize) -> String,
    /// "version 2".
    pub version: fn(u32) -> String,
    pub waiting: &'static str,
    /// "reçu par le serveur central (n° 45)".
    pub received: fn(u64) -> String,
    /// "refusé par le serveur : …".
    pub refused: fn(&str) -> String,
    pub go: &'static str,
    /// "Relever maintenant : Relevé de 12:00".
    pub go_named: fn(&str) -> String,
    pub correct: &'static str,
    pub count_label: &'static str,
    pub count_hint: &'static str,
    pub again_label: &'static str,
    pub again_hint: &'static str,
    pub present_label: &'static str,
    pub present_hint: &'static str,
    /// "Membre 2".
    pub member: fn(usize) -> String,
    pub add_member: &'static str,
    /// Asked when the count is below an earlier one (T2): its time and
    /// count.
    pub explanation_label: fn(&str, &str) -> String,
    pub reason_label: &'static str,
    pub submit: &'static str,
    pub cancel: &'static str,
    pub working: &'static str,
    /// "Relevé de 12:00 signé et gardé sur ce téléphone…".
    pub kept: fn(&str) -> String,
    pub not_a_number: &'static str,
    pub not_the_same: &'static str,
    /// T1: the count and the inscrits.
    pub over_inscrits: fn(&str, &str) -> String,
    /// T2 with no explanation: the earlier checkpoint's time and count.
    pub below_earlier: fn(&str, &str) -> String,
    pub none_present: &'static str,
    pub no_reason: &'static str,
    pub too_long: &'static str,
    pub refused_here: &'static str,
    pub key_unreadable: &'static str,
    pub storage_failed: &'static str,
    pub changed_elsewhere: &'static str,
    pub home_link: &'static str,
    pub back_home: &'static str,
    /// A report's QR codes: their title, who scans them and where they
    /// go, and each one's name.
    pub qr_title: &'static str,
    pub qr_intro: &'static str,
    pub qr_label: fn(usize, usize) -> String,
}

/// The bureau's evening as the home screen lists it.
pub struct EveningTexts {
    pub title: &'static str,
    /// "Correction : version 2".
    pub correction: fn(u32) -> String,
    /// Said to screen readers before a step's name.
    pub done: &'static str,
    pub next: &'static str,
    pub later: &'static str,
    /// A step a bureau that counted on paper did not take here: the close
    /// of polls ("faite sur papier"), the counting ("fait sur papier").
    pub elsewhere_polls: &'static str,
    pub elsewhere_count: &'static str,
    pub polls: &'static str,
    pub count: &'static str,
    /// Packets closed, envelopes counted, of the envelopes found.
    pub count_progress: fn(u32, &str, Option<&str>) -> String,
    pub first: &'static str,
    pub second: &'static str,
    /// "par Awa Diallo".
    pub by: fn(&str) -> String,
    pub agreement: &'static str,
    /// "2 chiffres diffèrent : chacun les ressaisit".
    pub differing: fn(usize) -> String,
    pub signature: &'static str,
    /// "Code 2MN4P-K6ZPQ, à recopier sur le PV papier".
    pub code: fn(&str) -> String,
    pub sent: &'static str,
    pub sent_waiting: &'static str,
    pub sent_refused: &'static str,
    pub sent_done: &'static str,
    /// The next step's button, by step.
    pub go_polls: &'static str,
    pub go_count: &'static str,
    pub go_first: &'static str,
    pub go_second: &'static str,
    pub go_agreement: &'static str,
    pub go_sign: &'static str,
    pub go_send: &'static str,
    pub go_refused: &'static str,
    /// Once the server has the PV.
    pub finished: &'static str,
    pub see_pv: &'static str,
    /// For a bureau that counts on paper.
    pub on_paper: &'static str,
    pub on_paper_link: &'static str,
}

/// The deposit page's sentences, in one language: a table apart from
/// [`Texts`], read only by the deposit page through [`super::trp`] and
/// [`super::I18n::p`], so that the bureau app does not carry them.
pub struct PublicTexts {
    pub deposit_title: &'static str,
    pub deposit_intro: &'static str,
    pub deposit_label: &'static str,
    pub deposit_submit: &'static str,
    /// Once a return is delivered, what opens the file form again.
    pub deposit_another: &'static str,
    /// "Reçu : bureau B1, version 1, code …, n° 12 du serveur central."
    pub deposit_done: fn(&str, u32, &str, u64) -> String,
    pub deposit_no_file: &'static str,
    pub deposit_not_a_return: &'static str,
    /// The scanned codes so far: read, of how many, the numbers missing.
    pub deposit_scanned: fn(usize, usize, &str) -> String,
    /// Every code read: bureau, version, human code.
    pub deposit_read_whole: fn(&str, u32, &str) -> String,
    /// A turnout report read whole: its bureau, checkpoint and version.
    pub deposit_read_report: fn(&str, &str, u32) -> String,
    /// A turnout report delivered: its bureau, checkpoint, version and
    /// receipt number.
    pub deposit_done_report: fn(&str, &str, u32, u64) -> String,
    /// The paper PV's photo document read whole: its bureau, version and
    /// pages (the pictures are not in it).
    pub deposit_read_photos: fn(&str, u32, usize) -> String,
    /// A photo document delivered: bureau, version, pages, receipt number;
    /// and that the pictures follow from the bureau's phone.
    pub deposit_done_photos: fn(&str, u32, usize, u64) -> String,
    /// A return the server refused for good: why, said to a helper (not
    /// the bureau's phone), and what to do.
    pub deposit_parked: fn(ErrorCode) -> String,
    pub deposit_retry: &'static str,
    pub deposit_not_a_code: &'static str,
    pub deposit_damaged: &'static str,
    pub deposit_storage: &'static str,
    /// A return put together from codes could not leave: no network.
    pub deposit_kept: &'static str,
    /// Removes what was read of one return from the reading device.
    pub deposit_forget: &'static str,
    pub deposit_forget_confirm: &'static str,
    pub deposit_forget_yes: &'static str,
}

/// What went wrong when the phone's storage was opened.
pub struct StartupTexts {
    pub unavailable: &'static str,
    pub not_moved_full: &'static str,
    pub not_moved: &'static str,
    pub damaged: &'static str,
    pub key_not_moved: &'static str,
    /// The database was written back from the journal.
    pub restored: &'static str,
    /// … but the device key (a browser object) is gone.
    pub restored_key_lost: &'static str,
}

/// The counting screen's sentences.
pub struct CountTexts {
    pub title: &'static str,
    pub polls_title: &'static str,
    pub polls_intro: &'static str,
    pub emargements_label: &'static str,
    pub enveloppes_label: &'static str,
    /// "Écart de 2 entre émargements et enveloppes : …".
    pub gap_label: fn(u32) -> String,
    pub gap_hint: &'static str,
    pub polls_submit: &'static str,
    pub polls_edit: &'static str,
    /// "1 940 émargements · 1 938 enveloppes dans l’urne" (the counts
    /// written with the language's separators).
    pub polls_summary: fn(&str, &str) -> String,
    /// A text's length as it nears the limit: "950 caractères sur 1 000 au plus".
    pub text_chars: fn(&str, &str) -> String,
    /// The mark an undo took back: "Pointage annulé : Jules Bertrand."
    pub undone: fn(&str) -> String,
    pub number_invalid: &'static str,
    pub open_title: &'static str,
    pub table_label: &'static str,
    pub table_hint: &'static str,
    /// At a one-table bureau, in place of the field: "Table : Table 1."
    pub table_is: fn(&str) -> String,
    /// The link that opens the table's field: "Autre table".
    pub table_other: &'static str,
    pub envelopes_label: &'static str,
    pub envelopes_hint: &'static str,
    /// "Ouvrir le paquet n° 3".
    pub open_submit: fn(u32) -> String,
    /// "Paquet n° 3 · Table 1".
    pub packet_heading: fn(u32, &str) -> String,
    pub progress_label: &'static str,
    pub blanc: &'static str,
    pub nul: &'static str,
    pub nul_title: &'static str,
    pub nul_reason: fn(NulReason) -> &'static str,
    pub nul_note_label: &'static str,
    pub nul_confirm: &'static str,
    pub cancel: &'static str,
    pub undo: &'static str,
    pub last_marks: &'static str,
    pub no_marks: &'static str,
    pub close_packet: &'static str,
    /// Opens the corrections of the open packet.
    /// Above the rarely needed fixes, below the packet's close.
    pub fixes_title: &'static str,
    pub fix_packet: &'static str,
    pub fix_packet_intro: &'static str,
    pub resize_label: &'static str,
    pub fix_reason_label: &'static str,
    pub resize_submit: &'static str,
    pub set_aside_submit: &'static str,
    pub set_aside_hint: &'static str,
    /// "30 enveloppes restent à compter."
    pub envelopes_left: fn(u32) -> String,
    pub all_counted_title: &'static str,
    pub all_counted_text: &'static str,
    pub go_to_pv: &'static str,
    /// "Paquet n° 3 fermé".
    pub closed_title: fn(u32) -> String,
    pub fingerprint_label: &'static str,
    pub fingerprint_intro: &'static str,
    pub packet_counts: &'static str,
    /// A one-phone bureau's check of a closed packet: "Comparez à la feuille…".
    pub counts_against_paper: &'static str,
    /// Before the small fingerprint, at a one-phone bureau.
    pub fingerprint_if_phone: &'static str,
    pub sheets_agree: &'static str,
    pub sheets_differ: &'static str,
    pub recount_confirm: &'static str,
    pub recount_yes: &'static str,
    /// "Recomptage n° 1 de ce paquet".
    pub recount_badge: fn(u32) -> String,
    pub show_totals: &'static str,
    pub back_to_count: &'static str,
    pub totals_title: &'static str,
    pub packets_closed: &'static str,
    /// "250 sur 250 trouvées".
    pub envelopes_counted: &'static str,
    pub counted_of_found: fn(&str, &str) -> String,
    pub per_table: &'static str,
    pub all_counted: &'static str,
    /// The reason core refused an event, said for the person at the table.
    pub refused: fn(&TallyError) -> String,
    pub storage_full: &'static str,
    /// A tap not kept because the storage failed (not full).
    pub storage_failed: &'static str,
    pub changed_elsewhere: &'static str,
    pub damaged: &'static str,
    pub unavailable: &'static str,
    pub reload: &'static str,
    pub dismiss: &'static str,
}

/// The procès-verbal's sentences: entry, comparison, rules, signing.
pub struct PvTexts {
    pub title: &'static str,
    /// A figure's label; a candidate's votes are labelled by `voix_of`.
    pub field: fn(&Field) -> &'static str,
    /// "Voix de Awa Diallo".
    pub voix_of: fn(&str) -> String,
    pub optional: &'static str,
    pub euros: &'static str,
    pub first_title: &'static str,
    pub first_intro: &'static str,
    /// Between the two entries: "Passez le téléphone à la seconde personne".
    pub handover_title: &'static str,
    /// What the first person does, naming them.
    pub handover_text: fn(&str) -> String,
    pub handover_go: &'static str,
    /// The hand-over's box: the second person's name.
    pub second_name_label: &'static str,
    /// The name given at the hand-over is the first entrant's (named).
    pub handover_same: fn(&str) -> String,
    /// "Seconde saisie par Mehdi Haddad", at the top of the blind form.
    pub second_by: fn(&str) -> String,
    /// "Je ne suis pas Mehdi Haddad", and what it asks.
    pub not_me: fn(&str) -> String,
    pub not_me_confirm: &'static str,
    pub not_me_yes: &'static str,
    pub second_title: &'static str,
    /// "Awa a terminé la première saisie. …"
    pub second_intro: fn(&str) -> String,
    pub name_label: &'static str,
    pub figures_title: &'static str,
    pub members_title: &'static str,
    pub president: &'static str,
    pub secretaire: &'static str,
    pub assesseurs: &'static str,
    pub observations: &'static str,
    pub finish: &'static str,
    pub no_name: &'static str,
    /// "Ces champs sont vides : Nuls, Voix de B. …"
    pub empty_fields: fn(&str) -> String,
    /// "Ce n’est pas un nombre entier : Blancs."
    /// Figures too large for their field, by label.
    pub too_large: fn(&str) -> String,
    pub not_numbers: fn(&str) -> String,
    pub same_person: &'static str,
    pub not_an_entrant: &'static str,
    /// "Awa : effacer ma saisie".
    pub discard: fn(&str) -> String,
    pub discard_confirm: &'static str,
    pub discard_yes: &'static str,
    pub cancel_correction: &'static str,
    pub cancel_correction_confirm: &'static str,
    pub differ_title: &'static str,
    pub differ_intro: &'static str,
    /// "Je suis Awa : ressaisir ces champs".
    pub redo_as: fn(&str) -> String,
    /// "Awa a ressaisi ; au tour de Bruno."
    pub redone: fn(&str) -> String,
    /// "Ressaisie de Awa".
    pub redo_title: fn(&str) -> String,
    pub redo_intro: &'static str,
    pub redo_finish: &'static str,
    pub review_title: &'static str,
    /// "Les saisies de Awa et de Bruno concordent."
    pub agreed: fn(&str, &str) -> String,
    pub errors_title: &'static str,
    /// What a rule says when it is broken, and what to recount.
    pub rule: fn(RuleCode) -> String,
    /// "Voix de A : pointage 120, PV 118 (écart 2)".
    pub tally_gap: fn(&str, u64, u64) -> String,
    /// H4 when the PV's inscrits are not those the election gives the
    /// bureau (the number, formatted).
    pub inscrits_defined: fn(&str) -> String,
    /// "Paquet n° 3 : pas fermé au pointage".
    pub packet_open: fn(u32) -> String,
    pub restart_hint: &'static str,
    pub restart: &'static str,
    pub restart_confirm: &'static str,
    pub warnings_title: &'static str,
    /// "Explication (W1)".
    pub explanation_label: fn(RuleCode) -> String,
    pub whole_title: &'static str,
    pub whole_signed: &'static str,
    pub key_label: &'static str,
    pub key_hint: &'static str,
    pub sign: &'static str,
    pub sign_blocked: &'static str,
    pub explain_first: &'static str,
    pub sign_confirm: &'static str,
    pub sign_yes: &'static str,
    pub signed_title: &'static str,
    /// "Version 2".
    pub version: fn(u32) -> String,
    pub code_label: &'static str,
    pub code_instruction: &'static str,
    /// What the code's alphabet leaves out, for the hand that copies it.
    pub code_letters: &'static str,
    /// The signed screen's next step: back to the evening's checklist.
    pub back_to_evening: &'static str,
    pub print: &'static str,
    pub download: &'static str,
    pub versions_title: &'static str,
    /// "Remplace la version 1 (code …) : motif".
    pub replaces: fn(u32, &str, &str) -> String,
    pub correct: &'static str,
    pub correct_title: &'static str,
    pub correct_intro: &'static str,
    pub reason_label: &'static str,
    pub correct_fields: &'static str,
    pub correct_start: &'static str,
    pub no_reason: &'static str,
    pub no_fields: &'static str,
    /// "Correction : version 2. Motif : …".
    pub correction_banner: fn(u32, &str) -> String,
    pub entered_by: &'static str,
    pub assesseurs_shown: &'static str,
    pub signed_at: &'static str,
    pub explanations: &'static str,
    pub storage_failed: &'static str,
    pub damaged: &'static str,
    pub tally_damaged: &'static str,
    pub changed_elsewhere: &'static str,
    /// Why core refused to sign, when the screen let it through.
    /// The bureau key cannot be read or cannot sign.
    pub key_unreadable: &'static str,
    pub sign_refused: &'static str,
    /// A text over its limit: its field's label, its size in bytes.
    pub text_too_long: fn(&str, &str) -> String,
    /// The size of a text nearing its limit: "3 700 / 4 000 octets".
    pub text_size: fn(&str) -> String,
    /// "PV à envoyer (1)".
    /// "Envoyer maintenant" tapped with no network: said, with what waits.
    pub sync_tried_no_network: fn(usize) -> String,
    pub sync_pending: fn(usize) -> String,
    pub sync_sending: &'static str,
    /// "PV reçu par le serveur · n° 12 à 07:31".
    pub sync_sent: fn(u64, &str) -> String,
    /// "PV non envoyé (1) : <why>".
    pub sync_failed: fn(usize, &str) -> String,
    pub sync_retry: &'static str,
    /// A version refused for good: not retried on its own.
    pub sync_parked: &'static str,
    pub sync_no_network: &'static str,
    pub sync_bad_receipt: &'static str,
    pub sync_storage: &'static str,
    /// Under a version: "Reçu par le serveur : n° 12, 07:31".
    pub receipt_line: fn(u64, &str) -> String,
    /// The phone checked its bureau's part of the public register, at a
    /// time of day: everything it holds is there.
    pub witness_holds: fn(&str) -> String,
    /// Another phone enrolled for the bureau (at), beside this one.
    pub witness_other_phone: fn(&str) -> String,
    /// The bureau's code reissued (at), then another phone (at).
    pub witness_replaced: fn(&str, &str) -> String,
    /// The bureau's code reissued (at), no other phone yet.
    pub witness_reissued: fn(&str) -> String,
    /// What the register shown does not hold, by cause.
    pub witness_return_missing: &'static str,
    pub witness_not_signed: &'static str,
    pub witness_enrollment_missing: &'static str,
    pub witness_unproven: &'static str,
    /// What to do then.
    pub witness_what_to_do: &'static str,
    /// What to do when another phone was enrolled.
    pub witness_if_not_you: &'static str,
    /// Beside a version signed by another key than this phone's.
    pub other_key_version: &'static str,
    /// Above the signed PV when its latest version is another key's.
    pub other_key_banner: &'static str,
    pub not_yet_received: &'static str,
    /// The download link of one version's signed file.
    pub version_file: fn(u32) -> String,
    /// Sends the waiting versions without waiting for the next try.
    pub send_now: &'static str,
    /// Under the download link: the file can be sent from another device.
    pub deposit_hint: &'static str,
    pub qr_show: &'static str,
    pub qr_hide: &'static str,
    pub qr_title: &'static str,
    pub qr_intro: &'static str,
    /// "Code 1 sur 3".
    pub qr_position: fn(usize, usize) -> String,
    /// The picture's name for a screen reader.
    pub qr_label: fn(usize, usize) -> String,
    pub qr_previous: &'static str,
    pub qr_next: &'static str,
}
