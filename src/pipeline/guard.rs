//! Containment for analyser bugs: a panic while analysing one file becomes that file's
//! `unknown` (with the reason), never an aborted `pipeline`, `report`, `check` or sync.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// True while this thread runs inside [`contain`]: a panic here is caught and reported as an
/// `unknown`, so panic hooks should neither print it nor restore the terminal.
pub fn panic_is_contained() -> bool {
    CONTAINED.with(Cell::get)
}

/// Run `f`; a panic inside it becomes `Err(reason)`, the reason being the panic message on
/// one line (it may quote file text, so control characters are removed and it is shortened).
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(outer));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        let clean = crate::sanitize::strip_controls(&message);
        let short: String = clean.chars().take(200).collect();
        format!("the analyser failed on this file (internal error: {short}); please report it")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_clean_one_line_reason() {
        let result: Result<(), String> = contain(|| {
            assert!(panic_is_contained());
            panic!("byte index 3 is not a char boundary in `\u{1b}]0;x\u{7}é`\nsecond line")
        });
        let reason = result.unwrap_err();
        assert!(reason.contains("byte index 3"), "{reason}");
        assert!(
            !reason.contains('\u{1b}') && !reason.contains('\n'),
            "{reason}"
        );
        assert!(!panic_is_contained());
        assert_eq!(contain(|| 7), Ok(7));
    }
}
