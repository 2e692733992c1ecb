//! Themes: colours named by meaning (pass, fail, unknown, muted, accent, selection…).
//!
//! Built-in themes are `themes/*.toml`, embedded at build time. User themes (`*.toml` in
//! `<config dir>/themes/` or directly in the config dir with a `[colors]` table) override a
//! built-in theme of the same name. A broken theme file is a warning, never a crash.
//! `NO_COLOR` gives a monochrome theme in which selection is reverse video.

use std::path::Path;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::controls::Status;

/// The built-in theme files, in cycling order (the first is the default).
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    (
        "colour-blind-safe",
        include_str!("../../themes/colour-blind-safe.toml"),
    ),
];

/// A theme: every colour the UI uses, by meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Theme name (what `--theme` takes).
    pub name: String,
    /// Ordinary text.
    pub text: Color,
    /// Background of the whole screen.
    pub background: Color,
    /// `pass` verdicts and progress.
    pub pass: Color,
    /// `fail` verdicts.
    pub fail: Color,
    /// `unknown` verdicts.
    pub unknown: Color,
    /// `not_applicable` verdicts.
    pub not_applicable: Color,
    /// Secondary text (hints, evidence).
    pub muted: Color,
    /// Headings and highlights.
    pub accent: Color,
    /// Selected row foreground.
    pub selection_fg: Color,
    /// Selected row background.
    pub selection_bg: Color,
    /// Title bar foreground.
    pub header_fg: Color,
    /// Title bar background.
    pub header_bg: Color,
    /// Warnings (stale snapshot, broken files).
    pub warning: Color,
    /// Fuzzy-matched characters.
    pub matched: Color,
    /// Monochrome (`NO_COLOR`): styles use modifiers instead of colours.
    pub mono: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    colors: ColorsFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColorsFile {
    text: String,
    background: String,
    pass: String,
    fail: String,
    unknown: String,
    not_applicable: String,
    muted: String,
    accent: String,
    selection_fg: String,
    selection_bg: String,
    header_fg: String,
    header_bg: String,
    warning: String,
    #[serde(rename = "match")]
    matched: String,
}

fn color(field: &str, value: &str) -> Result<Color, String> {
    Color::from_str(value).map_err(|_| format!("{field}: `{value}` is not a colour"))
}

impl Theme {
    /// Parse a theme file. `fallback_name` is used when the file has no `name`.
    pub fn parse(text: &str, fallback_name: &str) -> Result<Self, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| one_line(&e.to_string()))?;
        let c = &file.colors;
        Ok(Self {
            name: file.name.unwrap_or_else(|| fallback_name.to_owned()),
            text: color("text", &c.text)?,
            background: color("background", &c.background)?,
            pass: color("pass", &c.pass)?,
            fail: color("fail", &c.fail)?,
            unknown: color("unknown", &c.unknown)?,
            not_applicable: color("not_applicable", &c.not_applicable)?,
            muted: color("muted", &c.muted)?,
            accent: color("accent", &c.accent)?,
            selection_fg: color("selection_fg", &c.selection_fg)?,
            selection_bg: color("selection_bg", &c.selection_bg)?,
            header_fg: color("header_fg", &c.header_fg)?,
            header_bg: color("header_bg", &c.header_bg)?,
            warning: color("warning", &c.warning)?,
            matched: color("match", &c.matched)?,
            mono: false,
        })
    }

    /// The monochrome theme used under `NO_COLOR`.
    pub fn monochrome(name: &str) -> Self {
        let r = Color::Reset;
        Self {
            name: name.to_owned(),
            text: r,
            background: r,
            pass: r,
            fail: r,
            unknown: r,
            not_applicable: r,
            muted: r,
            accent: r,
            selection_fg: r,
            selection_bg: r,
            header_fg: r,
            header_bg: r,
            warning: r,
            matched: r,
            mono: true,
        }
    }

    /// The default built-in theme (never fails: the embedded file is tested).
    pub fn builtin_default() -> Self {
        Self::parse(BUILTIN[0].1, BUILTIN[0].0).unwrap_or_else(|_| Self::monochrome("default"))
    }

    /// Base style: text on background.
    pub fn base(&self) -> Style {
        Style::default().fg(self.text).bg(self.background)
    }

    /// Style of a verdict; `fail` is bold so it stands out without colour too.
    pub fn status(&self, status: Status) -> Style {
        let style = Style::default().fg(match status {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Unknown => self.unknown,
            Status::NotApplicable => self.not_applicable,
        });
        if status == Status::Fail {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    /// Secondary text.
    pub fn muted(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::DIM)
        } else {
            Style::default().fg(self.muted)
        }
    }

    /// Headings.
    pub fn accent(&self) -> Style {
        Style::default()
            .fg(self.accent)
            .add_modifier(Modifier::BOLD)
    }

    /// The selected row.
    pub fn selection(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
                .fg(self.selection_fg)
                .bg(self.selection_bg)
                .add_modifier(Modifier::BOLD)
        }
    }

    /// The title bar.
    pub fn header(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().fg(self.header_fg).bg(self.header_bg)
        }
    }

    /// Warnings.
    pub fn warning(&self) -> Style {
        Style::default()
            .fg(self.warning)
            .add_modifier(Modifier::BOLD)
    }

    /// Fuzzy-matched characters: coloured and underlined (visible without colour).
    pub fn matched(&self) -> Style {
        Style::default()
            .fg(self.matched)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The themes available: built-ins, overridden or extended by user theme files.
#[derive(Debug, Clone)]
pub struct Themes {
    /// Every theme, built-ins first, in cycling order.
    pub all: Vec<Theme>,
    /// Warnings about broken user theme files (shown in the UI).
    pub warnings: Vec<String>,
}

impl Themes {
    /// The built-in themes only.
    pub fn builtin() -> Self {
        let mut all = Vec::new();
        let mut warnings = Vec::new();
        for (name, text) in BUILTIN {
            match Theme::parse(text, name) {
                Ok(theme) => all.push(theme),
                Err(e) => warnings.push(format!("built-in theme {name}: {e}")),
            }
        }
        if all.is_empty() {
            all.push(Theme::monochrome("default"));
        }
        Self { all, warnings }
    }

    /// Built-ins plus user themes from `dir/themes/*.toml` (a user theme replaces a
    /// built-in one of the same name). Unreadable or invalid files become warnings.
    pub fn load(config_dir: Option<&Path>) -> Self {
        let mut themes = Self::builtin();
        let Some(dir) = config_dir else {
            return themes;
        };
        let dir = dir.join("themes");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return themes;
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let parsed = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| Theme::parse(&text, &stem));
            match parsed {
                Ok(theme) => themes.insert(theme),
                Err(e) => themes
                    .warnings
                    .push(format!("theme file {} ignored: {e}", path.display())),
            }
        }
        themes
    }

    fn insert(&mut self, theme: Theme) {
        match self.all.iter_mut().find(|t| t.name == theme.name) {
            Some(slot) => *slot = theme,
            None => self.all.push(theme),
        }
    }

    /// Index of a theme by name.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.all.iter().position(|t| t.name == name)
    }

    /// Every theme name, comma separated (for the `--theme` error).
    pub fn names(&self) -> String {
        self.all
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// True when `NO_COLOR` is set to a non-empty value (no-color.org).
pub fn no_color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_parses_and_has_its_name() {
        let themes = Themes::builtin();
        assert!(themes.warnings.is_empty(), "{:?}", themes.warnings);
        let names: Vec<_> = themes.all.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["default", "light", "high-contrast", "colour-blind-safe"]
        );
    }

    #[test]
    fn pass_and_fail_differ_in_every_builtin_theme() {
        for theme in Themes::builtin().all {
            assert_ne!(theme.pass, theme.fail, "{}", theme.name);
        }
    }

    #[test]
    fn broken_user_theme_is_a_warning_and_good_one_overrides_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        std::fs::write(dir.path().join("themes/broken.toml"), "colors = 3").unwrap();
        let light = BUILTIN[1].1.replace("#cf222e", "#ff0000");
        std::fs::write(dir.path().join("themes/light.toml"), light).unwrap();
        let themes = Themes::load(Some(dir.path()));
        assert_eq!(themes.warnings.len(), 1);
        assert!(themes.warnings[0].contains("broken.toml"));
        let idx = themes.find("light").unwrap();
        assert_eq!(themes.all[idx].fail, Color::Rgb(0xff, 0, 0));
        assert_eq!(themes.all.len(), BUILTIN.len());
    }

    #[test]
    fn bad_colour_names_the_field() {
        let text = BUILTIN[0].1.replace("pass = \"green\"", "pass = \"grene\"");
        let err = Theme::parse(&text, "x").unwrap_err();
        assert!(err.contains("pass"), "{err}");
    }
}
