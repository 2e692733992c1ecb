//! Unit tests of `yaml.rs`.
use super::Doc;

#[test]
fn lines_merges_and_duplicate_merge_keys() {
    let doc = Doc::parse("a: &a\n  x: 1\nb: &b\n  y: 2\nj:\n  <<: *a\n  z: 3\n  <<: *b\n");
    assert!(doc.error.is_none());
    assert!(doc.anchors_used);
    assert!(doc.duplicate_merge_keys);
    let j = doc.root().and_then(|r| r.get("j")).expect("j");
    assert_eq!(j.str_of("x"), Some("1"));
    assert_eq!(j.str_of("y"), Some("2"));
    assert_eq!(j.get("z").map(|n| n.line()), Some(7));
    let keys: Vec<&str> = j.entries().iter().map(|(k, _, _)| *k).collect();
    assert_eq!(keys, vec!["z", "x", "y"]);
}

#[test]
fn custom_tags_and_comments() {
    let doc = Doc::parse("s:\n  - !reference [.setup, script]\n  # - hidden\n  - make\n");
    assert!(doc.reference_tags);
    let items = doc
        .root()
        .and_then(|r| r.get("s"))
        .map(|s| s.items())
        .unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].tag(), Some("reference"));
    assert_eq!(items[1].as_str(), Some("make"));
}

#[test]
fn error_has_line_and_column_and_keeps_prefix() {
    let doc = Doc::parse("a: 1\nb:\n  - \"x\"\"\nc: 2\n");
    let err = doc.error.clone().unwrap_or_default();
    assert!(err.starts_with("3:"), "{err}");
    assert_eq!(doc.root().and_then(|r| r.str_of("a")), Some("1"));
    assert!(doc.root().and_then(|r| r.get("c")).is_none());
}

#[test]
fn alias_bombs_and_cycles_stay_bounded() {
    let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        y.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let doc = Doc::parse(&y);
    let root = doc.root().expect("root");
    assert!(root.scalars().len() <= 100_002);
    let cyc = Doc::parse("a: &a\n  <<: *a\n  k: v\n");
    let a = cyc.root().and_then(|r| r.get("a")).expect("a");
    assert_eq!(a.str_of("k"), Some("v"));
    assert!(a.get("missing").is_none());
}

#[test]
fn only_first_document() {
    let doc = Doc::parse("---\na: 1\n---\nb: 2\n");
    let root = doc.root().expect("root");
    assert_eq!(root.str_of("a"), Some("1"));
    assert!(root.get("b").is_none());
}
