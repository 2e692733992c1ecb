//! User configuration of the explorer: keymap overrides show in the generated help, broken
//! theme or keymap files give a visible warning and the built-in defaults, never a crash.

use chrono::{TimeZone, Utc};
use posture::assess::Registry;
use posture::cli::DemoKind;
use posture::config::Settings;
use posture::open::{Origin, open_snapshot};
use posture::tui::action::Action;
use posture::tui::app::{App, Overlay};
use posture::tui::data::ExplorerData;
use posture::tui::keymap::Command;
use posture::tui::update::update;
use posture::tui::{Options, prepare, views};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn data() -> ExplorerData {
    let opened = open_snapshot(
        posture::demo::embedded(DemoKind::Github),
        Origin::Demo(DemoKind::Github),
        Settings::default(),
        &Registry::builtin(),
    )
    .expect("judged");
    ExplorerData::from_opened(opened, true)
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|f| views::render(f, app)).unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn options(dir: &std::path::Path) -> Options {
    Options {
        theme: None,
        read_only: false,
        config_dir: Some(dir.to_path_buf()),
        no_color: false,
    }
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .single()
        .unwrap()
}

#[test]
fn keymap_overrides_appear_in_the_help() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[keys]\nquit = [\"x\", \"ctrl-q\"]\n",
    )
    .unwrap();
    let mut app = prepare(data(), Vec::new(), &options(dir.path()), now()).unwrap();
    app.size = (120, 40);
    assert!(app.overlay.is_none(), "a valid keymap gives no warning");
    update(&mut app, Action::Command(Command::Help));
    let text = screen(&app);
    let quit = text
        .lines()
        .find(|l| l.contains(" quit "))
        .unwrap_or_default();
    assert!(quit.contains("x/ctrl-q"), "{text}");
    assert!(!text.contains("q/ctrl-c"), "{text}");
}

#[test]
fn broken_files_warn_visibly_and_fall_back_to_defaults() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keymap.toml"),
        "[keys]\nquit = [\"hyper-q\"]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::fs::write(
        dir.path().join("themes/ugly.toml"),
        "name = \"ugly\"\n[colors]\n",
    )
    .unwrap();
    let mut app = prepare(data(), Vec::new(), &options(dir.path()), now()).unwrap();
    app.size = (100, 30);
    let Some(Overlay::Message { lines, .. }) = &app.overlay else {
        panic!("expected a warning dialog");
    };
    assert!(lines.iter().any(|l| l.contains("keymap.toml")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("ugly.toml")), "{lines:?}");
    let text = screen(&app);
    assert!(text.contains("Configuration problems"), "{text}");
    // Defaults are in force: `q` quits, the default theme is used.
    assert_eq!(app.keymap.label(Command::Quit), "q/ctrl-c");
    assert_eq!(app.theme().name, "default");
    // Esc closes the dialog first.
    update(&mut app, Action::Command(Command::Back));
    assert!(app.overlay.is_none());
    assert!(
        screen(&app).contains("no cached snapshot"),
        "the header says it is the demo"
    );
}

#[test]
fn theme_option_selects_a_theme_and_rejects_unknown_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(dir.path());
    opts.theme = Some("high-contrast".into());
    let app = prepare(data(), Vec::new(), &opts, now()).unwrap();
    assert_eq!(app.theme().name, "high-contrast");
    opts.theme = Some("nope".into());
    let Err(err) = prepare(data(), Vec::new(), &opts, now()) else {
        panic!("an unknown theme must be refused");
    };
    let err = posture::exit::ExitError::from(err);
    assert_eq!(err.code, 2);
    assert!(err.message.contains("colour-blind-safe"), "{}", err.message);
}

#[test]
fn read_only_is_shown_in_the_title_bar() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(dir.path());
    opts.read_only = true;
    let mut app = prepare(data(), Vec::new(), &opts, now()).unwrap();
    app.size = (100, 30);
    let text = screen(&app);
    let title = text.lines().next().unwrap_or_default();
    assert!(
        title.contains("[read-only]") && title.contains("[offline]"),
        "{title}"
    );
}
