//! The keymap: named commands bound to keys. Defaults plus user overrides from
//! `keymap.toml` in the config dir. The help screen is generated from it.
//!
//! ```toml
//! # keymap.toml — each entry replaces the default keys of that command
//! [keys]
//! down = ["j", "down", "ctrl-n"]
//! quit = ["q", "ctrl-c"]
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

/// A command a key can trigger (outside filter typing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    /// Quit the explorer.
    Quit,
    /// Show every key.
    Help,
    /// Close the topmost layer: dialog, then filter, then view.
    Back,
    /// Open the selected item.
    Drill,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Up one page.
    PageUp,
    /// Down one page.
    PageDown,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Start typing a fuzzy filter.
    Filter,
    /// Cycle the sort order (rank, failures, name).
    Sort,
    /// Cycle the band filter.
    BandFilter,
    /// Cycle the verdict filter.
    VerdictFilter,
    /// Cycle themes.
    Theme,
    /// Go to the org overview.
    Overview,
    /// Go to the repository list.
    Repos,
    /// Go to the by-control view.
    ByControl,
    /// Go to the cached snapshots.
    Snapshots,
    /// Sync the org from the platform (online); Esc cancels.
    Sync,
}

impl Command {
    /// Every command, in help order.
    pub const ALL: [Command; 20] = [
        Command::Up,
        Command::Down,
        Command::PageUp,
        Command::PageDown,
        Command::Top,
        Command::Bottom,
        Command::Drill,
        Command::Back,
        Command::Filter,
        Command::Sort,
        Command::BandFilter,
        Command::VerdictFilter,
        Command::Overview,
        Command::Repos,
        Command::ByControl,
        Command::Snapshots,
        Command::Sync,
        Command::Theme,
        Command::Help,
        Command::Quit,
    ];

    /// Name used in `keymap.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::Help => "help",
            Command::Back => "back",
            Command::Drill => "open",
            Command::Up => "up",
            Command::Down => "down",
            Command::PageUp => "page_up",
            Command::PageDown => "page_down",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::Filter => "filter",
            Command::Sort => "sort",
            Command::BandFilter => "band_filter",
            Command::VerdictFilter => "verdict_filter",
            Command::Theme => "theme",
            Command::Overview => "overview",
            Command::Repos => "repositories",
            Command::ByControl => "by_control",
            Command::Snapshots => "snapshots",
            Command::Sync => "sync",
        }
    }

    /// One-line description for the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::Help => "show every key",
            Command::Back => "close dialog / clear filter / go back",
            Command::Drill => "open the selected item",
            Command::Up => "move up",
            Command::Down => "move down",
            Command::PageUp => "page up",
            Command::PageDown => "page down",
            Command::Top => "first row",
            Command::Bottom => "last row",
            Command::Filter => "fuzzy filter (Enter keeps it, Esc clears)",
            Command::Sort => "sort: rank / failures / name",
            Command::BandFilter => "filter by band",
            Command::VerdictFilter => "filter by verdict",
            Command::Theme => "next theme",
            Command::Overview => "org overview",
            Command::Repos => "repositories by traffic",
            Command::ByControl => "by control",
            Command::Snapshots => "cached snapshots",
            Command::Sync => "sync this org now (online; esc cancels)",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    fn default_keys(self) -> &'static [&'static str] {
        match self {
            Command::Quit => &["q", "ctrl-c"],
            Command::Help => &["?", "f1"],
            Command::Back => &["esc", "h", "left", "backspace"],
            Command::Drill => &["enter", "l", "right"],
            Command::Up => &["k", "up"],
            Command::Down => &["j", "down"],
            Command::PageUp => &["pageup", "ctrl-b", "ctrl-u"],
            Command::PageDown => &["pagedown", "ctrl-f", "ctrl-d"],
            Command::Top => &["g", "home"],
            Command::Bottom => &["G", "end"],
            Command::Filter => &["/"],
            Command::Sort => &["o"],
            Command::BandFilter => &["b"],
            Command::VerdictFilter => &["v"],
            Command::Theme => &["t"],
            Command::Overview => &["1"],
            Command::Repos => &["2"],
            Command::ByControl => &["3"],
            Command::Snapshots => &["4"],
            Command::Sync => &["s"],
        }
    }
}

/// A key with modifiers, normalised (shift is folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeKey,
    ctrl: bool,
    alt: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeKey {
    Char(char),
    Named(&'static str),
    F(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("backspace", KeyCode::Backspace),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("delete", KeyCode::Delete),
    ("space", KeyCode::Char(' ')),
];

impl Key {
    /// Parse `q`, `G`, `ctrl-c`, `alt-x`, `enter`, `f1`, `space`…
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCodeKey::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                if let Some((name, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
                    match code {
                        KeyCode::Char(c) => KeyCodeKey::Char(*c),
                        _ => KeyCodeKey::Named(name),
                    }
                } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    KeyCodeKey::F(n)
                } else {
                    return Err(format!("unknown key `{text}`"));
                }
            }
        };
        Ok(Self { code, ctrl, alt })
    }

    /// The key of a terminal key event, if it is one a binding can name.
    pub fn from_event(event: &KeyEvent) -> Option<Self> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) => KeyCodeKey::Char(c),
            KeyCode::F(n) => KeyCodeKey::F(n),
            other => {
                let (name, _) = NAMED.iter().find(|(_, code)| *code == other)?;
                KeyCodeKey::Named(name)
            }
        };
        Some(Self { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCodeKey::Char(' ') => f.write_str("space"),
            KeyCodeKey::Char(c) => write!(f, "{c}"),
            KeyCodeKey::Named(name) => f.write_str(name),
            KeyCodeKey::F(n) => write!(f, "f{n}"),
        }
    }
}

/// Key bindings: command → keys, and the reverse lookup.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Command, Vec<Key>>,
    lookup: BTreeMap<Key, Command>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    #[serde(default)]
    keys: BTreeMap<String, Vec<String>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for cmd in Command::ALL {
            let keys = cmd
                .default_keys()
                .iter()
                .filter_map(|k| Key::parse(k).ok())
                .collect();
            bindings.insert(cmd, keys);
        }
        Self::from_bindings(bindings)
    }
}

impl Keymap {
    fn from_bindings(bindings: BTreeMap<Command, Vec<Key>>) -> Self {
        let mut lookup = BTreeMap::new();
        for (cmd, keys) in &bindings {
            for key in keys {
                lookup.insert(*key, *cmd);
            }
        }
        Self { bindings, lookup }
    }

    /// Defaults with the overrides of a `keymap.toml` text applied.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: KeymapFile = toml::from_str(text).map_err(|e| {
            e.to_string()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })?;
        let mut map = Self::default();
        for (name, keys) in file.keys {
            let cmd =
                Command::from_name(&name).ok_or_else(|| format!("unknown command `{name}`"))?;
            let keys = keys
                .iter()
                .map(|k| Key::parse(k))
                .collect::<Result<Vec<_>, _>>()?;
            // A key moved to this command leaves its old one.
            for other in map.bindings.values_mut() {
                other.retain(|k| !keys.contains(k));
            }
            map.bindings.insert(cmd, keys);
        }
        Ok(Self::from_bindings(map.bindings))
    }

    /// Defaults plus `dir/keymap.toml` when present; a broken file is a warning and the defaults.
    pub fn load(config_dir: Option<&Path>) -> (Self, Option<String>) {
        let Some(path) = config_dir.map(|d| d.join("keymap.toml")) else {
            return (Self::default(), None);
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Self::default(), None),
            Err(e) => {
                return (
                    Self::default(),
                    Some(format!("keymap {} ignored: {e}", path.display())),
                );
            }
        };
        match Self::parse(&text) {
            Ok(map) => (map, None),
            Err(e) => (
                Self::default(),
                Some(format!("keymap {} ignored: {e}", path.display())),
            ),
        }
    }

    /// The command bound to a key event.
    pub fn command(&self, event: &KeyEvent) -> Option<Command> {
        let key = Key::from_event(event)?;
        // Shift is not part of a key: terminals report `G` as shift+`G`, already upper case.
        self.lookup.get(&key).copied()
    }

    /// The keys bound to a command.
    pub fn keys(&self, cmd: Command) -> &[Key] {
        self.bindings.get(&cmd).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The keys of a command as shown to the user, e.g. `j/down`.
    pub fn label(&self, cmd: Command) -> String {
        let keys = self.keys(cmd);
        if keys.is_empty() {
            return "(unbound)".to_owned();
        }
        keys.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Help lines generated from the bindings: `(keys, description)` per command.
    pub fn help(&self) -> Vec<(String, &'static str)> {
        Command::ALL
            .into_iter()
            .map(|cmd| (self.label(cmd), cmd.describe()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_cover_vim_keys_and_arrows() {
        let map = Keymap::default();
        let none = KeyModifiers::NONE;
        assert_eq!(
            map.command(&ev(KeyCode::Char('j'), none)),
            Some(Command::Down)
        );
        assert_eq!(map.command(&ev(KeyCode::Down, none)), Some(Command::Down));
        assert_eq!(
            map.command(&ev(KeyCode::Char('k'), none)),
            Some(Command::Up)
        );
        assert_eq!(
            map.command(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Command::Bottom)
        );
        assert_eq!(
            map.command(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
        assert_eq!(map.command(&ev(KeyCode::Esc, none)), Some(Command::Back));
    }

    #[test]
    fn every_command_has_a_key_and_no_key_is_bound_twice() {
        let map = Keymap::default();
        let mut seen = std::collections::BTreeSet::new();
        for cmd in Command::ALL {
            assert!(!map.keys(cmd).is_empty(), "{cmd:?}");
            for key in map.keys(cmd) {
                assert!(seen.insert(*key), "{key} bound twice");
            }
        }
    }

    #[test]
    fn user_override_replaces_and_steals_keys() {
        let map = Keymap::parse("[keys]\nquit = [\"x\"]\ndown = [\"q\", \"down\"]\n").unwrap();
        let none = KeyModifiers::NONE;
        assert_eq!(
            map.command(&ev(KeyCode::Char('x'), none)),
            Some(Command::Quit)
        );
        assert_eq!(
            map.command(&ev(KeyCode::Char('q'), none)),
            Some(Command::Down)
        );
        assert_eq!(map.command(&ev(KeyCode::Char('j'), none)), None);
        assert_eq!(map.label(Command::Quit), "x");
    }

    #[test]
    fn broken_keymap_is_an_error_naming_the_problem() {
        assert!(
            Keymap::parse("[keys]\nfly = [\"f\"]")
                .unwrap_err()
                .contains("fly")
        );
        assert!(
            Keymap::parse("[keys]\nquit = [\"hyper-q\"]")
                .unwrap_err()
                .contains("hyper-q")
        );
        assert!(Keymap::parse("keys = ").is_err());
    }

    #[test]
    fn broken_keymap_file_loads_defaults_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keymap.toml"), "[keys\n").unwrap();
        let (map, warning) = Keymap::load(Some(dir.path()));
        assert!(warning.unwrap().contains("keymap.toml"));
        assert_eq!(map.label(Command::Quit), "q/ctrl-c");
    }

    #[test]
    fn help_lists_every_command_with_its_keys() {
        let help = Keymap::default().help();
        assert_eq!(help.len(), Command::ALL.len());
        assert!(help.iter().any(|(k, d)| k == "/" && d.contains("filter")));
    }
}
