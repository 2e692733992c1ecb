//! Drive the real binary in tmux on the demo: open, drill org → repo → control, filter with
//! `/`, back out, quit; then check the terminal is restored (no alternate screen, cursor
//! visible). Skipped, with a message, when tmux is not installed (a failure in CI).

use std::process::Command;

mod support;

use support::tmux;

use tmux::{Session, tmux_available};

/// The list's "N of M repositories" figures.
fn shown_of_total(screen: &str) -> Option<(usize, usize)> {
    let line = screen.lines().find(|l| l.contains(" repositories"))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let of = words.iter().position(|w| *w == "of")?;
    Some((
        words.get(of - 1)?.parse().ok()?,
        words.get(of + 1)?.parse().ok()?,
    ))
}

#[test]
fn explore_the_demo_in_tmux_and_restore_the_terminal() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let session = Session::start("posture-tui-test", 100, 30);
    let dirs = dir.path().display();
    session.launch(
        &format!("POSTURE_CACHE_DIR={dirs}/cache POSTURE_CONFIG_DIR={dirs}/config"),
        "--demo",
    );

    // Org overview.
    let screen = session.wait_for(&["Verdicts by band", "Rollout", "Org controls", "acme"]);
    assert!(screen.contains("[offline]"), "{screen}");
    assert_eq!(
        session.format("#{alternate_on}"),
        "1",
        "runs on the alternate screen"
    );

    // Repositories → repository → control.
    session.send(&["2"]);
    let screen = session.wait_for(&["acme › Repositories", "sort: rank"]);
    let (shown, total) = shown_of_total(&screen).expect("repository count");
    assert_eq!(shown, total, "unfiltered list shows every repository");
    let all = format!("{total} of {total} repositories");
    session.send(&["Enter"]);
    session.wait_for(&["› web-storefront", "Branch protection", "oidc-federation"]);
    session.send(&["Enter"]);
    session.wait_for(&["Why it matters", "What a fix would do", "› oidc-federation"]);

    // Back to the list, filter with /.
    session.send(&["Escape", "Escape"]);
    session.wait_for(&[&all]);
    session.send(&["/"]);
    session.type_text("pay");
    let screen = session.wait_for(&["/pay", "payments-api"]);
    let (shown, _) = shown_of_total(&screen).expect("repository count");
    assert!(shown < total, "{screen}");
    // Esc clears the filter, the next one closes the list.
    session.send(&["Escape"]);
    session.wait_for(&[&all]);
    session.send(&["Escape"]);
    session.wait_for(&["Verdicts by band"]);

    // Help, then quit.
    session.send(&["?"]);
    session.wait_for(&["Keys", "show every key"]);
    session.send(&["Escape", "q"]);
    let screen = session.wait_for(&["posture-exit=0"]);
    assert!(!screen.contains("Verdicts by band"), "{screen}");
    session.assert_terminal_restored();
}

#[test]
fn a_panic_restores_the_terminal_before_its_message() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let session = Session::start("posture-tui-panic", 100, 30);
    let dirs = dir.path().display();
    session.launch(&format!("POSTURE_TUI_TEST_PANIC=1 POSTURE_CACHE_DIR={dirs}/cache POSTURE_CONFIG_DIR={dirs}/config"), "--demo");
    let screen = session.wait_for(&["test panic requested", "posture-exit="]);
    assert!(!screen.contains("Verdicts by band"), "{screen}");
    session.assert_terminal_restored();
}

#[test]
fn sigterm_quits_and_restores_the_terminal() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let session = Session::start("posture-tui-term", 100, 30);
    let dirs = dir.path().display();
    session.launch(
        &format!("POSTURE_CACHE_DIR={dirs}/cache POSTURE_CONFIG_DIR={dirs}/config"),
        "--demo",
    );
    session.wait_for(&["Verdicts by band"]);
    // The explorer is the shell's only child: signal exactly that process.
    let shell = session.format("#{pane_pid}");
    let out = Command::new("ps")
        .args(["-o", "pid=", "--ppid", &shell])
        .output()
        .unwrap();
    let pids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert_eq!(pids.len(), 1, "expected one child of the shell: {pids:?}");
    let killed = Command::new("kill")
        .args(["-TERM", &pids[0]])
        .status()
        .unwrap();
    assert!(killed.success());
    session.wait_for(&["posture-exit=0"]);
    session.assert_terminal_restored();
}

#[test]
fn config_dir_policies_show_as_controls_in_the_explorer() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("config/policies");
    std::fs::create_dir_all(&policies).unwrap();
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/policies/top10_two_approvals.rego"
    );
    std::fs::copy(example, policies.join("top10.rego")).unwrap();
    let session = Session::start("posture-tui-policy", 120, 40);
    let dirs = dir.path().display();
    session.launch(
        &format!("POSTURE_CACHE_DIR={dirs}/cache POSTURE_CONFIG_DIR={dirs}/config"),
        "--demo",
    );
    session.wait_for(&["Rollout", "acme"]);

    // The by-control view lists the policy as a control of band policy, with its failures:
    // the demo's top 10 require one approval, not two (one of them is unreadable: unknown).
    session.send(&["3"]);
    let screen = session.wait_for(&["acme › By control", "policy/posture.top10"]);
    let row = screen
        .lines()
        .find(|l| l.contains("policy/posture.top10"))
        .unwrap();
    assert!(row.contains("policy") && row.contains("high"), "{row}");
    // Columns: control, band, severity, failing count, title.
    let failing = row.split_whitespace().find_map(|w| w.parse::<u32>().ok());
    assert_eq!(failing, Some(9), "{row}");

    session.send(&["q"]);
    session.wait_for(&["posture-exit=0"]);
}
