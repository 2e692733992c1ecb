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

/// `l0` … `l{levels}`: each level merges the previous one `fan` times and adds one key.
fn merge_tower(levels: usize, fan: usize) -> String {
    let mut y = String::from("l0: &l0 {k0: v}\n");
    for i in 1..=levels {
        let refs = vec![format!("*l{}", i - 1); fan].join(", ");
        y.push_str(&format!("l{i}: &l{i} {{<<: [{refs}], k{i}: v}}\n"));
    }
    y
}

#[test]
fn nested_merges_resolve_once() {
    // Regression (issue 11, defect 3): 10 merges per level × 8 levels (584 bytes) took 25 s
    // because every lookup re-walked every merge path.
    let doc = Doc::parse(&merge_tower(8, 10));
    assert!(doc.error.is_none() && doc.over_budget.is_none());
    let top = doc.root().and_then(|r| r.get("l8")).expect("l8");
    assert_eq!(top.str_of("k0"), Some("v"));
    assert!(top.get("missing").is_none());
    let keys: Vec<&str> = top.entries().iter().map(|(k, _, _)| *k).collect();
    assert_eq!(keys, ["k8", "k7", "k6", "k5", "k4", "k3", "k2", "k1", "k0"]);
}

#[test]
fn merge_work_past_the_budget_is_reported() {
    // Each level merges the previous one and adds 100 keys: the merged lists alone hold
    // about two million entries, past the budget of one million.
    let mut y = String::from("l0: &l0 {}\n");
    for i in 1..=200 {
        let keys: Vec<String> = (0..100).map(|k| format!("k{i}_{k}: 1")).collect();
        y.push_str(&format!(
            "l{i}: &l{i} {{<<: *l{}, {}}}\n",
            i - 1,
            keys.join(", ")
        ));
    }
    let doc = Doc::parse(&y);
    let why = doc.over_budget.as_deref().expect("over budget");
    assert!(why.contains("merge keys"), "{why}");
}
