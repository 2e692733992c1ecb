//! The explorer's command-line edges: no terminal (cron, CI) and an unknown `--theme`
//! both exit 2 with one line, never hang.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn posture(args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_posture"))
        .args(args)
        .env("POSTURE_CACHE_DIR", dir.path().join("cache"))
        .env("POSTURE_CONFIG_DIR", dir.path().join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let _ = status;
            return (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("posture {args:?} hung without a terminal");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn without_a_terminal_the_explorer_exits_2_with_one_line() {
    for args in [&[][..], &["--demo"], &["explore"], &["--demo", "gitlab"]] {
        let (code, stderr) = posture(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("terminal"), "{stderr}");
    }
}

#[test]
fn unknown_theme_exits_2_listing_the_themes() {
    let (code, stderr) = posture(&["--demo", "--theme", "neon"]);
    assert_eq!(code, Some(2), "{stderr}");
    for name in [
        "neon",
        "default",
        "light",
        "high-contrast",
        "colour-blind-safe",
    ] {
        assert!(stderr.contains(name), "{stderr}");
    }
    let (code, stderr) = posture(&["explore", "--theme", "neon"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("high-contrast"), "{stderr}");
}

#[test]
fn a_user_theme_is_a_valid_theme_name() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    std::fs::create_dir_all(&themes).unwrap();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default.toml"),
    )
    .unwrap()
    .replace("name = \"default\"", "name = \"mine\"");
    std::fs::write(themes.join("mine.toml"), text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_posture"))
        .args(["--demo", "--theme", "mine"])
        .env("POSTURE_CONFIG_DIR", dir.path())
        .env("POSTURE_CACHE_DIR", dir.path().join("cache"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The theme is accepted; what stops it now is the missing terminal.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("terminal") && !stderr.contains("no theme"),
        "{stderr}"
    );
}
