//! A small allocation-free glob matcher for repository names (`*`, `?`, `[abc]`, `[a-z]`,
//! `[!x]`). `*` also matches `/`, like the compiled globs of the judging context.

/// True when `text` matches `pattern`. An unterminated `[` matches itself literally.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        return match_from(pattern.as_bytes(), text.as_bytes());
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    match_from(&p, &t)
}

fn match_from<T: Copy + Ord + From<u8>>(p: &[T], t: &[T]) -> bool {
    let (star_c, any_c, open_c) = (T::from(b'*'), T::from(b'?'), T::from(b'['));
    let (mut pi, mut ti) = (0usize, 0usize);
    // Position to resume from after the last `*`: (pattern index after star, text index).
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() {
            let c = p[pi];
            if c == star_c {
                star = Some((pi + 1, ti));
                pi += 1;
                continue;
            } else if c == any_c {
                pi += 1;
                ti += 1;
                continue;
            } else if c == open_c {
                if let Some((matched, next)) = class(p, pi, t[ti]) {
                    if matched {
                        pi = next;
                        ti += 1;
                        continue;
                    }
                } else if t[ti] == open_c {
                    pi += 1;
                    ti += 1;
                    continue;
                }
            } else if c == t[ti] {
                pi += 1;
                ti += 1;
                continue;
            }
        }
        match star {
            Some((sp, st)) => {
                pi = sp;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == star_c)
}

/// Match `c` against the class starting at `p[start] == '['`: `(matched, index after ']')`,
/// or `None` when the class is not terminated.
fn class<T: Copy + Ord + From<u8>>(p: &[T], start: usize, c: T) -> Option<(bool, usize)> {
    let (close, dash) = (T::from(b']'), T::from(b'-'));
    let mut i = start + 1;
    let negate = p
        .get(i)
        .is_some_and(|&x| x == T::from(b'!') || x == T::from(b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == close && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == dash && p[i + 2] != close {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn stars_questions_and_classes() {
        assert!(glob_match("acme/legacy-*", "acme/legacy-billing"));
        assert!(!glob_match("acme/legacy-*", "acme/api"));
        assert!(glob_match("sandbox-*", "sandbox-1"));
        assert!(glob_match("*", "acme/x/y"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match("[ab]x", "bx"));
        assert!(!glob_match("[!ab]x", "bx"));
        assert!(glob_match("v[0-9]", "v7"));
        assert!(glob_match("*-*-end", "a-b-c-end"));
        assert!(!glob_match("exact", "exactly"));
        assert!(glob_match("odd[", "odd["));
    }
}
