//! Input handling: idle input, unbound keys, mouse, resize, themes, quit, breadcrumbs, sync.

use super::*;

#[test]
fn idle_input_never_asks_for_a_redraw() {
    let mut app = demo_app();
    app.dirty = false;
    let mut redraws = 0;
    for _ in 0..1000 {
        let (_, redraw) = process(&mut app, Action::Noop);
        redraws += usize::from(redraw);
    }
    // Moving up at the top changes nothing either.
    let (_, redraw) = process(&mut app, Action::Command(Command::Up));
    redraws += usize::from(redraw);
    assert_eq!(redraws, 0);
    let (_, redraw) = process(&mut app, Action::Command(Command::Down));
    assert!(redraw);
}

#[test]
fn unbound_keys_and_mouse_moves_map_to_noop() {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
    let app = demo_app();
    let key = Event::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::NONE));
    assert!(matches!(
        crate::tui::action::from_event(&app, &key),
        Action::Noop
    ));
    let moved = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Moved,
        column: 3,
        row: 4,
        modifiers: KeyModifiers::NONE,
    });
    assert!(matches!(
        crate::tui::action::from_event(&app, &moved),
        Action::Noop
    ));
}

#[test]
fn click_selects_then_opens_and_wheel_scrolls() {
    let mut app = demo_app();
    cmd(&mut app, Command::Repos);
    // Body starts at row 2; the list has two header rows: first list row is screen row 4.
    update(&mut app, Action::Click { column: 10, row: 6 });
    assert_eq!(repos(&app).list.selected, 2);
    update(&mut app, Action::Click { column: 10, row: 6 });
    assert!(
        matches!(app.top(), View::Repo { repo, .. } if *repo == app.data.rank_order[2] as usize)
    );
    cmd(&mut app, Command::Back);
    update(&mut app, Action::ScrollDown);
    assert_eq!(repos(&app).list.selected, 5);
}

#[test]
fn resize_keeps_the_selection_visible() {
    let mut app = demo_app();
    cmd(&mut app, Command::Repos);
    cmd(&mut app, Command::Bottom);
    let last = app.data.len() - 1;
    assert_eq!(repos(&app).list.selected, last);
    update(&mut app, Action::Resize(120, 40));
    let list = repos(&app).list;
    let height = 40 - 3 - 2;
    assert!(list.selected >= list.offset && list.selected < list.offset + height);
    update(&mut app, Action::Resize(40, 10));
    assert_eq!(repos(&app).list.selected, last);
}

#[test]
fn theme_key_cycles_every_theme() {
    let mut app = demo_app();
    let n = app.themes.all.len();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..n {
        seen.insert(app.theme().name.clone());
        cmd(&mut app, Command::Theme);
        let notice = app.notice.clone().unwrap_or_default();
        assert!(notice.contains(&app.theme().name), "{notice}");
    }
    // The notice survives input that changes nothing, and goes with the next change.
    update(&mut app, Action::Noop);
    assert!(app.notice.is_some());
    cmd(&mut app, Command::Down);
    assert!(app.notice.is_none());
    assert_eq!(seen.len(), n);
    assert_eq!(app.theme, 0);
}

#[test]
fn quit_is_an_effect_and_a_flag() {
    let mut app = demo_app();
    let effects = cmd(&mut app, Command::Quit);
    assert!(matches!(effects.as_slice(), [Effect::Quit]));
    assert!(app.quit);
    let _ = Arc::clone(&app.data);
}

#[test]
fn clicking_a_breadcrumb_goes_back_to_it() {
    let mut app = demo_app();
    cmd(&mut app, Command::Repos);
    cmd(&mut app, Command::Drill);
    cmd(&mut app, Command::Drill);
    assert_eq!(app.stack.len(), 4);
    let ranges = crate::tui::widgets::breadcrumbs::ranges(&app);
    // " acme › Repositories › …": the second crumb starts after "acme" and " › ".
    assert_eq!(ranges[0], (1, 1 + app.data.org.chars().count() as u16));
    update(
        &mut app,
        Action::Click {
            column: ranges[1].0,
            row: 1,
        },
    );
    assert_eq!(app.stack.len(), 2);
    assert!(matches!(app.top(), View::Repos(_)));
    // The current crumb, or the gap between crumbs, does nothing.
    app.dirty = false;
    let (_, redraw) = process(
        &mut app,
        Action::Click {
            column: ranges[1].0,
            row: 1,
        },
    );
    assert!(!redraw);
    assert_eq!(app.stack.len(), 2);
}

#[test]
fn sync_starts_reports_progress_and_replaces_the_snapshot() {
    let mut app = demo_app();
    // The demo cannot be synced; read-only never offers it.
    assert!(cmd(&mut app, Command::Sync).is_empty());
    assert!(app.notice.as_deref().unwrap_or("").contains("demo"));
    let mut data = demo_data(DemoKind::Github);
    data.source.demo = false;
    app.data = Arc::new(data);
    app.read_only = true;
    assert!(cmd(&mut app, Command::Sync).is_empty());
    assert!(app.notice.as_deref().unwrap_or("").contains("read-only"));
    app.read_only = false;

    let effects = cmd(&mut app, Command::Sync);
    let [Effect::Sync(request)] = effects.as_slice() else {
        panic!("expected a sync effect, got {effects:?}");
    };
    assert_eq!(request.org, "acme");
    assert!(app.sync.is_some());
    // A second press while syncing starts nothing.
    assert!(cmd(&mut app, Command::Sync).is_empty());
    let progress = crate::tui::action::SyncProgress {
        phase: "reading repositories".into(),
        done: 3,
        total: 59,
        last: "acme/api".into(),
        warnings: vec![],
    };
    update(&mut app, Action::SyncProgress(progress.clone()));
    assert_eq!(app.sync.as_ref(), Some(&progress));
    cmd(&mut app, Command::Repos);
    let mut fresh = demo_data(DemoKind::Gitlab);
    fresh.source.path = Some(PathBuf::from("/cache/gitlab--acme-gl--new.json"));
    update(&mut app, Action::SyncDone(Ok(Box::new(fresh))));
    assert_eq!(
        app.snapshots.first().map(|s| s.path.clone()),
        Some(PathBuf::from("/cache/gitlab--acme-gl--new.json")),
        "the new snapshot is listed first"
    );
    assert!(app.sync.is_none());
    assert_eq!(app.data.org, "acme-gl");
    assert_eq!(app.stack.len(), 1);
    assert!(app.notice.as_deref().unwrap_or("").starts_with("synced"));
}

#[test]
fn esc_cancels_the_sync_before_anything_else() {
    let mut app = demo_app();
    let mut data = demo_data(DemoKind::Github);
    data.source.demo = false;
    app.data = Arc::new(data);
    cmd(&mut app, Command::Help);
    cmd(&mut app, Command::Sync); // closes the help (a dialog takes the keys)
    cmd(&mut app, Command::Sync);
    assert!(app.sync.is_some());
    let effects = cmd(&mut app, Command::Back);
    assert!(matches!(effects.as_slice(), [Effect::CancelSync]));
    assert!(app.sync.is_none());
    // The answer of the cancelled sync changes nothing.
    app.dirty = false;
    let (_, redraw) = process(&mut app, Action::SyncDone(Err("sync cancelled".into())));
    assert!(!redraw);
    assert!(app.overlay.is_none());
}
