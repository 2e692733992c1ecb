//! Drill, back, filter, sort, band and verdict filters, the overview's links, by-control,
//! opening another snapshot.

use super::*;

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
    let rows = crate::tui::layout::repo_rows(&app.data);
    for _ in 0..rows.len() + 3 {
        cmd(&mut app, Command::Down);
        let View::Repo { list, .. } = app.top() else {
            panic!("left the repository view");
        };
        assert!(matches!(
            rows[list.selected],
            crate::tui::layout::RepoRow::Control(_)
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
fn opening_a_stale_snapshot_counts_its_re_analysis_in_the_status_bar() {
    let mut app = demo_app();
    let path = PathBuf::from("/cache/github-acme-old.json");
    // Progress with nothing being opened is stale news: no redraw, no state.
    app.dirty = false;
    assert!(!process(&mut app, Action::LoadProgress { done: 1, total: 2 }).1);
    assert_eq!(app.loading_progress, None);
    app.snapshots = vec![SnapshotEntry {
        path: path.clone(),
        provider: "github".into(),
        org: "acme".into(),
        taken_at: Utc::now(),
        repos: 3,
    }];
    cmd(&mut app, Command::Snapshots);
    cmd(&mut app, Command::Drill);
    let (_, redraw) = process(
        &mut app,
        Action::LoadProgress {
            done: 512,
            total: 2052,
        },
    );
    assert!(redraw);
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 24)).expect("terminal");
    terminal
        .draw(|frame| crate::tui::views::render(frame, &app))
        .expect("drawn");
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|cell| cell.symbol())
        .collect();
    assert!(
        screen
            .contains("opening /cache/github-acme-old.json … re-analysing pipeline files 512/2052"),
        "{screen}"
    );
    update(
        &mut app,
        Action::Loaded(Ok(Box::new(demo_data(DemoKind::Github)))),
    );
    assert_eq!(
        app.loading_progress, None,
        "cleared once the snapshot is open"
    );
}
