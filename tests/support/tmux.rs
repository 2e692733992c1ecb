//! Driving the real binary in tmux: a detached session, keys typed at human pace, the screen
//! read back. Tests skip with a message when tmux is missing (`tmux_available`), and fail
//! when it is missing in CI.

#![allow(dead_code)]

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A detached tmux session, killed when dropped.
pub struct Session {
    /// The session name.
    pub name: String,
}

impl Session {
    /// A detached session of `width`×`height` running `sh`, named `label-PID` (so parallel
    /// test binaries never share one).
    pub fn start(label: &str, width: u16, height: u16) -> Session {
        let session = Session {
            name: format!("{label}-{}", std::process::id()),
        };
        let (w, h) = (width.to_string(), height.to_string());
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &session.name,
                "-x",
                &w,
                "-y",
                &h,
                "sh",
            ])
            .env("TERM", "xterm-256color")
            .status()
            .expect("run tmux");
        assert!(status.success(), "tmux new-session failed");
        session
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(args).output().expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run `ENV posture ARGS` at the session's shell, then print `posture-exit=CODE`.
    pub fn launch(&self, env: &str, args: &str) {
        let bin = env!("CARGO_BIN_EXE_posture");
        self.type_text(&format!("{env} {bin} {args}; echo posture-exit=$?"));
        self.send(&["Enter"]);
    }

    /// The explorer left the alternate screen and made the cursor visible again.
    pub fn assert_terminal_restored(&self) {
        assert_eq!(self.format("#{alternate_on}"), "0", "alternate screen left");
        assert_eq!(self.format("#{cursor_flag}"), "1", "cursor visible again");
    }

    pub fn send(&self, keys: &[&str]) {
        for key in keys {
            self.tmux(&["send-keys", "-t", &self.name, key]);
            // A lone Esc followed at once by a key reads as Alt+key: pace the keys.
            sleep(Duration::from_millis(150));
        }
    }

    /// Blank the pane and its history so the next `wait_for` sees only what follows. (C-l is
    /// not portable: a plain `sh` takes it as a literal character of the next command line.)
    pub fn clear(&self) {
        self.tmux(&["send-keys", "-R", "-t", &self.name]);
        self.tmux(&["clear-history", "-t", &self.name]);
        sleep(Duration::from_millis(150));
    }

    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", &self.name, "-l", text]);
        sleep(Duration::from_millis(150));
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &self.name])
    }

    pub fn format(&self, what: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", &self.name, what])
            .trim()
            .to_owned()
    }

    /// Wait until the screen contains every needle.
    pub fn wait_for(&self, needles: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {needles:?}; screen:\n{screen}");
            }
            sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .output();
    }
}

/// Whether a working tmux is on the PATH; when it is not, the test skips with a message, or
/// fails in CI (`prerequisite::tmux_present`).
pub fn tmux_available() -> bool {
    crate::support::prerequisite::tmux_present()
}
