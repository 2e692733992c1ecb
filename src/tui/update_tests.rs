//! `update()` tests of the navigation flows, on the embedded demo with the real controls.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{TimeZone, Utc};

use super::action::Action;
use super::app::{App, ControlRef, Overlay, SortKey, View};
use super::data::{Data, SnapshotEntry};
use super::effects::Effect;
use super::keymap::{Command, Keymap};
use super::search::{self, SkimMatcher};
use super::theme::Themes;
use super::{process, update::update};
use crate::cli::DemoKind;
use crate::config::Settings;
use crate::controls::Status;
use crate::open::{Origin, open_snapshot};

fn demo_data(kind: DemoKind) -> Data {
    let opened = open_snapshot(
        crate::demo::embedded(kind),
        Origin::Demo(kind),
        Settings::default(),
    );
    Data::from_opened(opened, false)
}

fn demo_app() -> App {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .single()
        .unwrap();
    let mut app = App::new(
        demo_data(DemoKind::Github),
        Themes::builtin(),
        Keymap::default(),
        now,
    );
    app.size = (80, 24);
    app
}

fn cmd(app: &mut App, c: Command) -> Vec<Effect> {
    update(app, Action::Command(c))
}

fn type_filter(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(app, Action::FilterChar(c)));
    }
    effects
}

fn repos(app: &App) -> &super::app::ReposView {
    match app.top() {
        View::Repos(r) => r,
        other => panic!("expected the repository list, got {other:?}"),
    }
}

fn names(app: &App, rows: &[u32]) -> Vec<String> {
    rows.iter()
        .map(|&i| app.data.names[i as usize].clone())
        .collect()
}

#[test]
fn drill_org_repo_control_and_back_out() {
    let mut app = demo_app();
    cmd(&mut app, Command::Repos);
    assert!(matches!(app.top(), View::Repos(_)));
    let first = repos(&app).rows[0] as usize;
    assert_eq!(app.data.rank(first), Some(1), "the list starts at rank 1");
    cmd(&mut app, Command::Drill);
    assert!(matches!(app.top(), View::Repo { repo, .. } if *repo == first));
    cmd(&mut app, Command::Drill);
    match app.top() {
        View::Control {
            repo: Some(r),
            control: ControlRef::Repo(_),
            ..
        } => assert_eq!(*r, first),
        other => panic!("expected a control view, got {other:?}"),
    }
    assert_eq!(app.stack.len(), 4);
    for depth in [3, 2, 1] {
        cmd(&mut app, Command::Back);
        assert_eq!(app.stack.len(), depth);
    }
    assert!(matches!(app.top(), View::Overview { .. }));
    // Esc at the root does nothing (and asks for no redraw).
    app.dirty = false;
    let (_, redraw) = process(&mut app, Action::Command(Command::Back));
    assert!(!redraw);
    assert_eq!(app.stack.len(), 1);
}

#[test]
fn repository_view_skips_band_headings() {
    let mut app = demo_app();
    cmd(&mut app, Command::Repos);
    cmd(&mut app, Command::Drill);
    let rows = super::layout::repo_rows(&app.data);
    for _ in 0..rows.len() + 3 {
        cmd(&mut app, Command::Down);
        let View::Repo { list, .. } = app.top() else {
            panic!("left the repository view");
        };
        assert!(matches!(
            rows[list.selected],
            super::layout::RepoRow::Control(_)
        ));
    }
    cmd(&mut app, Command::Top);
    let View::Repo { list, .. } = app.top() else {
        panic!()
    };
    assert_eq!(list.selected, 1);
    assert_eq!(list.offset, 0, "the first band heading stays visible");
}

#[test]
fn filter_narrows_highlights_and_clears() {
    let mut app = demo_app();
    cmd(&mut app, Command::Repos);
    let all = repos(&app).rows.len();
    cmd(&mut app, Command::Filter);
    assert!(app.editing_filter());
    let effects = type_filter(&mut app, "pay");
    assert!(effects.is_empty(), "a small org is filtered inline");
    let r = repos(&app);
    assert!(!r.rows.is_empty() && r.rows.len() < all);
    let matcher = SkimMatcher::default();
    for name in names(&app, &r.rows) {
        assert!(
            search::Matcher::score(&matcher, &name, "pay").is_some(),
            "{name}"
        );
    }
    assert!(names(&app, &r.rows).iter().any(|n| n == "payments-api"));
    // Backspace widens again.
    update(&mut app, Action::FilterBackspace);
    update(&mut app, Action::FilterBackspace);
    assert!(repos(&app).rows.len() >= r_len_after(&app, "pay"));
    // Enter keeps the filter; Esc then clears it before leaving the view.
    type_filter(&mut app, "ay");
    update(&mut app, Action::FilterAccept);
    assert!(!app.editing_filter());
    let kept = repos(&app).rows.len();
    assert!(kept < all);
    cmd(&mut app, Command::Back);
    assert!(
        matches!(app.top(), View::Repos(_)),
        "Esc cleared the filter first"
    );
    assert_eq!(repos(&app).rows.len(), all);
    assert!(repos(&app).query.is_empty());
    cmd(&mut app, Command::Back);
    assert!(matches!(app.top(), View::Overview { .. }));
}

fn r_len_after(app: &App, query: &str) -> usize {
    let matcher = SkimMatcher::default();
    app.data
        .names
        .iter()
        .filter(|n| search::Matcher::score(&matcher, n, query).is_some())
        .count()
}

#[test]
fn esc_closes_overlay_then_filter_then_view() {
    let mut app = demo_app();
    cmd(&mut app, Command::Repos);
    cmd(&mut app, Command::Filter);
    type_filter(&mut app, "web");
    update(&mut app, Action::FilterAccept);
    cmd(&mut app, Command::Help);
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    cmd(&mut app, Command::Back);
    assert!(app.overlay.is_none());
    assert_eq!(repos(&app).query, "web");
    cmd(&mut app, Command::Back);
    assert!(repos(&app).query.is_empty());
    cmd(&mut app, Command::Back);
    assert_eq!(app.stack.len(), 1);
}

#[test]
fn filter_cancel_while_typing_clears() {
    let mut app = demo_app();
    cmd(&mut app, Command::Filter);
    assert!(
        matches!(app.top(), View::Repos(_)),
        "/ on the overview opens the list"
    );
    type_filter(&mut app, "zzzzqqq");
    assert!(repos(&app).rows.is_empty());
    update(&mut app, Action::FilterCancel);
    assert!(!app.editing_filter());
    assert_eq!(repos(&app).rows.len(), app.data.len());
}

#[test]
fn sort_cycles_rank_failures_name() {
    let mut app = demo_app();
    cmd(&mut app, Command::Repos);
    cmd(&mut app, Command::Sort);
    assert_eq!(repos(&app).sort, SortKey::Failures);
    let fails: Vec<u32> = repos(&app)
        .rows
        .iter()
        .map(|&i| app.data.failing[i as usize])
        .collect();
    assert!(fails.windows(2).all(|w| w[0] >= w[1]), "{fails:?}");
    cmd(&mut app, Command::Sort);
    assert_eq!(repos(&app).sort, SortKey::Name);
    let sorted = names(&app, &repos(&app).rows);
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
    cmd(&mut app, Command::Sort);
    assert_eq!(repos(&app).sort, SortKey::Rank);
    assert_eq!(*repos(&app).rows, *app.data.rank_order);
}

#[test]
fn band_and_verdict_filters() {
    let mut app = demo_app();
    cmd(&mut app, Command::Repos);
    cmd(&mut app, Command::VerdictFilter);
    assert_eq!(repos(&app).verdict, Some(Status::Fail));
    let failing: Vec<u32> = repos(&app).rows.to_vec();
    assert!(!failing.is_empty());
    assert!(failing.iter().all(|&i| app.data.failing[i as usize] > 0));
    cmd(&mut app, Command::BandFilter); // identity
    cmd(&mut app, Command::BandFilter); // branch
    let r = repos(&app);
    assert_eq!(r.band, Some(crate::controls::Band::Branch));
    assert!(
        r.rows
            .iter()
            .all(|&i| app.data.band_status[i as usize][1] == Status::Fail)
    );
    assert!(r.rows.len() <= failing.len());
    // Esc clears both filters, not the view.
    cmd(&mut app, Command::Back);
    assert_eq!(repos(&app).rows.len(), app.data.len());
    assert!(repos(&app).band.is_none() && repos(&app).verdict.is_none());
}

#[test]
fn large_lists_filter_on_the_worker_and_stale_answers_are_dropped() {
    let mut app = demo_app();
    app.inline_search_limit = 0;
    cmd(&mut app, Command::Repos);
    cmd(&mut app, Command::Filter);
    let first = type_filter(&mut app, "p");
    let second = type_filter(&mut app, "a");
    let (Some(Effect::Search(old)), Some(Effect::Search(new))) = (first.last(), second.last())
    else {
        panic!("expected search effects, got {first:?} / {second:?}");
    };
    assert!(new.generation > old.generation);
    assert_eq!(repos(&app).pending, Some(new.generation));
    let matcher = SkimMatcher::default();
    let run = |job: &search::SearchJob| {
        let latest = std::sync::atomic::AtomicU64::new(job.generation);
        search::run(job, &matcher, &latest).unwrap()
    };
    let shown_before = repos(&app).rows.clone();
    app.dirty = false;
    let (_, redraw) = process(&mut app, Action::SearchDone(run(old)));
    assert!(!redraw, "a stale answer changes nothing");
    assert_eq!(repos(&app).rows, shown_before);
    let (_, redraw) = process(&mut app, Action::SearchDone(run(new)));
    assert!(redraw);
    assert_eq!(repos(&app).pending, None);
    assert_eq!(repos(&app).rows.len(), r_len_after(&app, "pa"));
    // Narrowing: the next keystroke searches only the previous answer.
    let third = type_filter(&mut app, "y");
    let Some(Effect::Search(narrow)) = third.last() else {
        panic!("expected a search")
    };
    assert_eq!(narrow.candidates, repos(&app).rows);
}

#[test]
fn overview_step_opens_its_blocking_repositories() {
    let mut app = demo_app();
    cmd(&mut app, Command::Down); // step 2
    cmd(&mut app, Command::Drill);
    let step = &app.data.assessment.rollout[1];
    let expected: Vec<u32> = step.blocking.iter().map(|&i| i as u32).collect();
    let r = repos(&app);
    assert_eq!(*r.rows, expected);
    assert!(r.subset.as_ref().unwrap().label.contains("step 2"));
}

#[test]
fn overview_org_control_opens_its_detail() {
    let mut app = demo_app();
    let steps = app.data.assessment.rollout.len();
    for _ in 0..steps {
        cmd(&mut app, Command::Down);
    }
    cmd(&mut app, Command::Drill);
    assert!(matches!(
        app.top(),
        View::Control {
            repo: None,
            control: ControlRef::Org(0),
            ..
        }
    ));
}

#[test]
fn by_control_lists_failing_repos_in_rank_order() {
    let mut app = demo_app();
    cmd(&mut app, Command::ByControl);
    let c = app
        .data
        .assessment
        .catalog
        .repo_index("branch-protected")
        .unwrap();
    for _ in 0..c {
        cmd(&mut app, Command::Down);
    }
    cmd(&mut app, Command::Drill);
    let View::ControlRepos { control, rows, .. } = app.top() else {
        panic!("expected the failing repositories");
    };
    assert_eq!(*control, c);
    assert_eq!(rows.len(), app.data.control_fails[c]);
    let ranks: Vec<u32> = rows
        .iter()
        .filter_map(|&r| app.data.rank(r as usize))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
    for &r in rows.iter() {
        assert_eq!(
            app.data.verdict(r as usize, c).unwrap().status,
            Status::Fail
        );
    }
    cmd(&mut app, Command::Drill);
    assert!(matches!(app.top(), View::Control { control: ControlRef::Repo(x), .. } if *x == c));
}

#[test]
fn open_snapshot_asks_the_loop_and_replaces_the_data() {
    let mut app = demo_app();
    let path = PathBuf::from("/cache/gitlab-acme-gl.json");
    app.snapshots = vec![SnapshotEntry {
        path: path.clone(),
        provider: "gitlab".into(),
        org: "acme-gl".into(),
        taken_at: Utc::now(),
        repos: 3,
    }];
    cmd(&mut app, Command::Snapshots);
    let effects = cmd(&mut app, Command::Drill);
    assert!(matches!(effects.as_slice(), [Effect::OpenSnapshot(p)] if *p == path));
    assert_eq!(app.loading.as_deref(), Some(path.as_path()));
    let gitlab = demo_data(DemoKind::Gitlab);
    let org = gitlab.org.clone();
    update(&mut app, Action::Loaded(Ok(Box::new(gitlab))));
    assert!(app.loading.is_none());
    assert_eq!(app.data.org, org);
    assert_eq!(app.stack.len(), 1, "a new snapshot opens at its overview");
    // A failure is a dialog, not a crash.
    cmd(&mut app, Command::Snapshots);
    cmd(&mut app, Command::Drill);
    update(&mut app, Action::Loaded(Err("bad snapshot: line 1".into())));
    assert!(
        matches!(&app.overlay, Some(Overlay::Message { lines, .. }) if lines[0].contains("line 1"))
    );
    assert_eq!(app.data.org, org);
}

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
        super::action::from_event(&app, &key),
        Action::Noop
    ));
    let moved = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Moved,
        column: 3,
        row: 4,
        modifiers: KeyModifiers::NONE,
    });
    assert!(matches!(
        super::action::from_event(&app, &moved),
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
    let ranges = super::widgets::breadcrumbs::ranges(&app);
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
    let progress = super::action::SyncProgress {
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
