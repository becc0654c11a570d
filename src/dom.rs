//! A few lines to build elements without a framework, for the deposit
//! page (`pages/deposit.rs`), which a helper's phone opens cold: Leptos
//! weighed about a quarter of that page's download. Text is always set as
//! text (`textContent`), never as HTML, so a bureau's name read from a QR
//! code cannot become markup.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{Document, Element, Event};

pub fn document() -> Document {
    // The page runs in a window: a document is always there.
    web_sys::window()
        .and_then(|w| w.document())
        .unwrap_or_else(|| unreachable!("a page without a document"))
}

/// An element being built.
pub struct El(pub Element);

/// A new `<tag>`.
pub fn el(tag: &str) -> El {
    El(document()
        .create_element(tag)
        .unwrap_or_else(|_| unreachable!("a valid tag name")))
}

impl El {
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets `name` when `on` (a boolean attribute: `disabled`, `hidden`).
    pub fn flag(self, name: &str, on: bool) -> Self {
        if on {
            let _ = self.0.set_attribute(name, "");
        }
        self
    }

    pub fn text(self, text: &str) -> Self {
        self.0.set_text_content(Some(text));
        self
    }

    pub fn child(self, child: El) -> Self {
        let _ = self.0.append_child(&child.0);
        self
    }
}

/// Sets or removes a boolean attribute of an element already in the page.
pub fn set_flag(e: &Element, name: &str, on: bool) {
    let _ = if on {
        e.set_attribute(name, "")
    } else {
        e.remove_attribute(name)
    };
}

/// Calls `f` on each `event` at `target`, for as long as the page lives.
pub fn listen(target: &web_sys::EventTarget, event: &str, f: impl FnMut(Event) + 'static) {
    let f = Closure::<dyn FnMut(Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, f.as_ref().unchecked_ref());
    f.forget();
}
