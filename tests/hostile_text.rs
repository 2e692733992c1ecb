//! Text from servers, snapshots and policies never drives the terminal: the real binary's
//! stderr carries no escape sequences when a 401 answer, a snapshot error or a Rego `print()`
//! carries OSC/CSI sequences (issue 11, defect 10).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output};

/// Terminal title (OSC 0), clear screen (CSI 2J), bell, RLO.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}";

fn posture(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_posture"))
        .args(args)
        .env("POSTURE_CACHE_DIR", dir.join("cache"))
        .env("POSTURE_CONFIG_DIR", dir.join("config"))
        .env("GITHUB_TOKEN", "ghp_hostiletexttest0000000000000000000000")
        .env("PATH", dir) // no `gh` to ask
        .output()
        .unwrap()
}

fn assert_clean(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{9d}', '\u{202e}'] {
        assert!(!stderr.contains(bad), "{bad:?} reached stderr: {stderr:?}");
    }
}

/// A loopback server answering every request `401` with `message` in the JSON body.
fn unauthorized_server(message: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = serde_json::json!({"message": message, "documentation_url": "https://docs.github.com/rest"})
        .to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let answer = format!(
                "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}

#[test]
fn a_401_message_with_escape_sequences_is_printed_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let url = unauthorized_server(&format!("Bad credentials{HOSTILE}"));
    let out = posture(
        &["sync", "github", "--org", "acme", "--api-url", &url],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Bad credentials"), "{stderr}");
    assert_clean(&out);
}

#[test]
fn a_snapshot_error_quoting_file_text_is_printed_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shared.json");
    let text = serde_json::json!({"schema": HOSTILE, "schema_version": 1}).to_string();
    std::fs::write(&file, text).unwrap();
    let out = posture(
        &["report", "--snapshot", &file.display().to_string()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_clean(&out);
}

#[test]
fn rego_print_output_is_printed_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.rego");
    std::fs::write(
        &policy,
        "package hostile\n\ndeny contains \"x\" if {\n  print(\"title\\u001b]0;pwned\\u0007\\u001b[2J\")\n  false\n}\n",
    )
    .unwrap();
    let out = posture(
        &["check", "--demo", "--policy", &policy.display().to_string()],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("title"), "the print still shows: {stderr}");
    assert_clean(&out);
}
