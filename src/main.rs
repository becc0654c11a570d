//! Entry point of the bureau app: mounts [`pointage::app::App`] on the page.
//! Nothing else belongs here.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(pointage::app::App);
}
