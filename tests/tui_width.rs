//! The explorer measures text in terminal columns: a repository name in CJK characters (two
//! columns each) is cut with `…` inside its column, not clipped at the screen edge.

use chrono::{TimeZone, Utc};
use posture::cli::DemoKind;
use posture::config::Settings;
use posture::open::{Origin, open_snapshot};
use posture::tui::action::Action;
use posture::tui::app::App;
use posture::tui::data::ExplorerData;
use posture::tui::keymap::{Command, Keymap};
use posture::tui::theme::Themes;
use posture::tui::update::update;
use posture::tui::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

const CJK: &str = "支付服务网关结算引擎跨境清算对账中心风控平台";

/// The GitHub demo with its first repository renamed to a long CJK name.
fn app(size: (u16, u16)) -> App {
    let mut snapshot = posture::demo::embedded(DemoKind::Github);
    let org = snapshot.org.clone();
    snapshot.repos[0].name = format!("{org}/{CJK}");
    let opened = open_snapshot(
        snapshot,
        Origin::Demo(DemoKind::Github),
        Settings::default(),
        &posture::assess::Registry::builtin(),
    )
    .expect("built-in controls judge the demo");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .single()
        .unwrap();
    let mut app = App::new(
        ExplorerData::from_opened(opened, false),
        Themes::builtin(),
        Keymap::default(),
        now,
    );
    app.size = size;
    app
}

/// The screen as text; a wide character's trailing cell is skipped, as a terminal shows it.
fn screen(app: &App) -> String {
    let backend = TestBackend::new(app.size.0, app.size.1);
    let mut terminal = Terminal::new(backend).unwrap();
    terminal.draw(|f| views::render(f, app)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            line.push_str(symbol);
            skip = symbol.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn cjk_repository_name_is_cut_with_an_ellipsis() {
    let mut a = app((80, 24));
    update(&mut a, Action::Command(Command::Repos));
    let text = screen(&a);
    let row = text
        .lines()
        .find(|l| l.contains("支付"))
        .expect("the CJK repository is listed");
    assert!(row.contains('…'), "cut without an ellipsis: {row}");
    assert!(!row.contains(CJK), "the whole name cannot fit: {row}");
    for line in text.lines() {
        assert!(line.width() <= 80, "wider than the screen: {line}");
    }
    insta::assert_snapshot!("cjk_repos_80x24", text);
}
