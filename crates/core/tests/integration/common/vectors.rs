//! The test vectors, compiled into the tests so that they also run on
//! wasm32, which has no file system. A host test checks that these lists
//! name exactly the files in `tests/vectors/`: a vector added there and not
//! here fails the build's tests rather than being skipped.

/// `(name, bytes)` of each file `tests/vectors/<dir>/<name><ext>`.
macro_rules! embed {
    ($dir:literal, $ext:literal; $($name:literal,)*) => {
        &[$((
            $name,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/", $dir, "/", $name, $ext)),
        )),*]
    };
}

/// The rule vectors: a PV, maybe a tally, and the findings it must raise.
pub const RULES: &[(&str, &[u8])] = embed!("rules", ".json";
    "fail_h1_exprimes_not_sum_of_voix",
    "fail_h2_envelopes_not_sum",
    "fail_h3_candidate_missing",
    "fail_h3_count_not_entered",
    "fail_h3_several_problems",
    "fail_h3_unknown_candidate",
    "fail_h4_inscrits_not_given",
    "fail_h4_inscrits_not_the_definitions",
    "fail_h4_more_envelopes_than_inscrits",
    "fail_h5_tally_differs",
    "fail_h5_unbalanced_packet",
    "pass_consistent",
    "pass_h4_inscrits_as_defined",
    "pass_h4_inscrits_known",
    "pass_h5_tally_matches",
    "pass_w1_envelopes_differ_from_emargements",
    "pass_w2_blancs_above_3_percent",
    "pass_w2_exactly_3_percent",
    "pass_w3_all_votes_to_one",
    "pass_w3_candidate_with_no_vote",
    "pass_w4_turnout_above_95_percent",
    "pass_w4_turnout_below_5_percent",
    "pass_w4_turnout_exactly_5_percent",
    "pass_w5_no_members",
    "pass_w5_one_assesseur",
    "pass_w5_same_person_twice",
);

/// The signed-return vectors' bytes.
pub const RETURNS: &[(&str, &[u8])] = embed!("returns", ".return";
    "fail_bad_signature",
    "fail_broken_chain",
    "fail_correction_without_previous",
    "fail_correction_without_reason",
    "fail_edited_field",
    "fail_filler_members",
    "fail_homoglyph_entrants",
    "fail_invisible_explanation",
    "fail_key_not_enrolled",
    "fail_not_canonical",
    "fail_packet_counted_twice",
    "fail_rules_broken",
    "fail_same_entrants",
    "fail_sheet_forged",
    "fail_sheet_not_invited",
    "fail_sheet_other_bureau",
    "fail_sheet_same_recorder",
    "fail_sheets_disagree",
    "fail_sheets_not_tally",
    "fail_tables_in_format_1",
    "fail_tally_head_not_hex",
    "fail_tally_unknown_candidate",
    "fail_text_too_long",
    "fail_unexplained_warning",
    "fail_unknown_bureau",
    "fail_version_one_replacing",
    "fail_version_over_the_cap",
    "fail_version_skipped",
    "fail_version_zero",
    "fail_wrong_election_hash",
    "fail_wrong_mode",
    "pass_v1_clean",
    "pass_v1_tables",
    "pass_v1_tally_and_explained_warning",
    "pass_v2_correction",
);

/// What each signed-return vector must give.
pub const RETURN_METAS: &[(&str, &[u8])] = embed!("returns", ".json";
    "fail_bad_signature",
    "fail_broken_chain",
    "fail_correction_without_previous",
    "fail_correction_without_reason",
    "fail_edited_field",
    "fail_filler_members",
    "fail_homoglyph_entrants",
    "fail_invisible_explanation",
    "fail_key_not_enrolled",
    "fail_not_canonical",
    "fail_packet_counted_twice",
    "fail_rules_broken",
    "fail_same_entrants",
    "fail_sheet_forged",
    "fail_sheet_not_invited",
    "fail_sheet_other_bureau",
    "fail_sheet_same_recorder",
    "fail_sheets_disagree",
    "fail_sheets_not_tally",
    "fail_tables_in_format_1",
    "fail_tally_head_not_hex",
    "fail_tally_unknown_candidate",
    "fail_text_too_long",
    "fail_unexplained_warning",
    "fail_unknown_bureau",
    "fail_version_one_replacing",
    "fail_version_over_the_cap",
    "fail_version_skipped",
    "fail_version_zero",
    "fail_wrong_election_hash",
    "fail_wrong_mode",
    "pass_v1_clean",
    "pass_v1_tables",
    "pass_v1_tally_and_explained_warning",
    "pass_v2_correction",
);

/// The turnout-report vectors' bytes, and what each must give.
pub const REPORTS: &[(&str, &[u8])] = embed!("reports", ".report";
    "fail_bad_signature",
    "fail_broken_chain",
    "fail_count_at_opening",
    "fail_other_election",
    "fail_over_inscrits",
    "fail_unknown_checkpoint",
    "pass_12h_v1",
    "pass_12h_v2_correction",
    "pass_opening",
);
pub const REPORT_METAS: &[(&str, &[u8])] = embed!("reports", ".json";
    "fail_bad_signature",
    "fail_broken_chain",
    "fail_count_at_opening",
    "fail_other_election",
    "fail_over_inscrits",
    "fail_unknown_checkpoint",
    "pass_12h_v1",
    "pass_12h_v2_correction",
    "pass_opening",
);
/// The photo-document vectors' bytes, and what each must give.
pub const PHOTOS: &[(&str, &[u8])] = embed!("photos", ".photos";
    "fail_bad_signature",
    "fail_broken_chain",
    "fail_five_pages",
    "fail_media_type",
    "fail_other_election",
    "fail_page_too_large",
    "fail_pages_out_of_order",
    "fail_pieces_miscounted",
    "fail_return_version",
    "fail_signature_changed",
    "fail_unknown_return",
    "pass_v1_two_pages",
    "pass_v2_retake",
);
pub const PHOTO_METAS: &[(&str, &[u8])] = embed!("photos", ".json";
    "fail_bad_signature",
    "fail_broken_chain",
    "fail_five_pages",
    "fail_media_type",
    "fail_other_election",
    "fail_page_too_large",
    "fail_pages_out_of_order",
    "fail_pieces_miscounted",
    "fail_return_version",
    "fail_signature_changed",
    "fail_unknown_return",
    "pass_v1_two_pages",
    "pass_v2_retake",
);
/// The pictures of the `pass_` photo vectors, each named by its SHA-256.
pub const PICTURES: &[(&str, &[u8])] = embed!("photos/pictures", "";
    "42baa7d9cca3fc0bf3fae2de28f58c20f18bab0b60347a55d2b53400ab5b3c58",
    "abd59c1a6aa0e7adac461a95ebe09d32cdc293b20d3863aeee54ad11b3ec6d5d",
    "e53222a1c77e3cb25c65a9c40051d3199df14000570ce828e961cbdb76368126",
);

pub const REPORTS_ELECTION: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/reports/election.json"
));

pub const RETURNS_ELECTION: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/returns/election.json"
));
pub const RETURNS_KEYS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/returns/keys.json"
));

/// The names of the files with this extension in `tests/vectors/<dir>/`.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_disk(dir: &str, ext: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .expect("vector directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(ext).map(str::to_owned))
        .filter(|n| !matches!(n.as_str(), "election" | "keys"))
        .collect();
    names.sort();
    names
}

/// The names in an embedded list.
pub fn names(list: &[(&str, &[u8])]) -> Vec<String> {
    list.iter().map(|(n, _)| (*n).to_owned()).collect()
}

/// Return ids and their human codes.
pub const HUMAN_CODES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/human_codes.json"
));

/// Receipts of `pass_v1_clean`, genuine or not, and what each must give.
pub const RECEIPTS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/receipts.json"
));

/// `pass_v2_correction` cut into the texts of its QR codes.
pub const HANDOVER: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/handover.json"
));

/// A join code (bureau 001 inviting table 1, pointeur A) cut into the
/// texts of its QR codes, and the invitation they carry.
pub const JOIN: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/join.json"
));

/// The bytes of the return vector `name`.
pub fn return_bytes(name: &str) -> &'static [u8] {
    RETURNS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
        .expect("a return vector of that name")
}

/// The reference Merkle tree of RFC 6962's implementation, with its roots
/// and proofs (RFC 9162 hashes the same way).
pub const RFC6962: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vectors/log/rfc6962.json"
));
