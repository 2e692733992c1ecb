//! TUI theme and keymap files (`themes/*.toml`, `keymap.toml`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = posture::tui::theme::Theme::parse(text, "fuzz");
        let _ = posture::tui::keymap::Keymap::parse(text);
        for word in text.split_whitespace().take(64) {
            let _ = posture::tui::keymap::Key::parse(word);
        }
    }
});
