//! Browser tests of the bureau home page: the app is mounted in headless
//! Chromium and the tests read what a person would see.
#![cfg(target_arch = "wasm32")]
// A panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use pointage::{app::App, storage};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

/// Mounts the whole app in a fresh container and returns the container.
/// The mount handle is leaked on purpose: the app stays alive for the test.
fn mount_app() -> HtmlElement {
    let doc = document();
    let host: HtmlElement = doc
        .create_element("div")
        .expect("create div")
        .unchecked_into();
    doc.body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let handle = leptos::mount::mount_to(host.clone(), App);
    std::mem::forget(handle);
    host
}

fn text_of(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

fn button_named(root: &HtmlElement, name: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").expect("valid selector");
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|n| n.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().as_deref().map(str::trim) == Some(name))
        .unwrap_or_else(|| panic!("no button named {name}"))
}

/// What an enrolled phone stores: the demo election, bureau DEMO-003.
fn demo_device() -> storage::Device {
    storage::Device {
        election: crate::common::demo_view(),
        server_key: "00".repeat(32),
        device_key: "01".repeat(32),
        device_secret: None,
    }
}

#[wasm_bindgen_test]
async fn an_unenrolled_phone_says_so_in_french() {
    storage::init().await;
    storage::clear().await.expect("storage works");
    let root = mount_app();
    assert_eq!(text_of(&root, "h1"), "Bureau de vote");
    assert_eq!(
        text_of(&root, "h2"),
        "Ce téléphone n’est rattaché à aucun bureau"
    );
    assert!(text_of(&root, "main").contains("équipe centrale"));
    // <html lang> follows the language shown (set by an effect, next tick).
    leptos::task::tick().await;
    let lang = document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"));
    assert_eq!(lang.as_deref(), Some("fr"));
    root.remove();
}

#[wasm_bindgen_test]
async fn an_enrolled_phone_names_its_election_and_bureau() {
    storage::init().await;
    storage::clear().await.expect("storage works");
    storage::save_device(&demo_device())
        .await
        .expect("storage works");
    let root = mount_app();
    let assignment = text_of(&root, "section[aria-labelledby=enrolled-title]");
    assert!(
        assignment.contains("Primaire citoyenne de démonstration"),
        "{assignment}"
    );
    assert!(assignment.contains("1er\u{a0}tour"), "{assignment}");
    assert!(assignment.contains("DEMO-003"), "{assignment}");
    assert!(assignment.contains("Gymnase des Tilleuls"), "{assignment}");
    assert!(
        root.query_selector("#not-enrolled-title")
            .expect("selector")
            .is_none()
    );
    // The evening, from its first step: one button, to close the polls.
    let next = root.query_selector_all(".next-step").expect("selector");
    assert_eq!(next.length(), 1);
    assert_eq!(text_of(&root, ".next-step"), "Clôturer le scrutin");
    assert_eq!(
        text_of(&root, "li[aria-current=step] .step-name"),
        "Clôture du scrutin"
    );
    // Eight steps: the paper PV’s photos between the signature and
    // the receipt.
    assert_eq!(root.query_selector_all(".steps li").unwrap().length(), 8);
    assert_eq!(
        text_of(&root, ".steps li:nth-child(7) .step-name"),
        "Photos du PV papier"
    );
    root.remove();
    storage::init().await;
    storage::clear().await.expect("storage works");
}

#[wasm_bindgen_test]
async fn switching_to_english_translates_the_screen_and_is_remembered() {
    storage::init().await;
    storage::clear().await.expect("storage works");
    storage::save_device(&demo_device())
        .await
        .expect("storage works");
    let root = mount_app();
    let english = button_named(&root, "English");
    assert_eq!(
        english.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    english.click();
    leptos::task::tick().await;
    assert_eq!(text_of(&root, "h1"), "Polling station");
    assert!(text_of(&root, ".election-line").contains("Round 1"));
    assert_eq!(
        text_of(&root, "#evening-title"),
        "The polling station’s evening"
    );
    assert_eq!(text_of(&root, ".next-step"), "Close the polls");
    assert_eq!(
        english.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(
        button_named(&root, "Français")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("false")
    );
    assert_eq!(storage::lang(), Some(pointage::i18n::Lang::En));
    root.remove();

    // A second start of the app (a reload) comes back in English.
    let again = mount_app();
    assert_eq!(text_of(&again, "h1"), "Polling station");
    again.remove();
    storage::init().await;
    storage::clear().await.expect("storage works");
}
