//! Panics in the explorer's worker threads (search, snapshot loading, sync). The panic hook
//! restores the terminal for a panic on the loop's thread; a worker's panic is caught here
//! instead, silently (nothing is printed over the explorer), and its message is handed back so
//! the loop can report a failed task, or leave cleanly, rather than keep drawing over a
//! shell whose terminal was already restored.

use std::any::Any;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static CAUGHT: Cell<bool> = const { Cell::new(false) };
}

/// True on a thread running [`caught`]: the panic hook leaves the terminal and stderr alone,
/// the panic is reported through the task's answer.
pub fn panics_are_caught_here() -> bool {
    CAUGHT.with(Cell::get)
}

/// Run `task` (named `what`, e.g. `the sync`); a panic becomes `Err` with a one-line message.
pub fn caught<T>(what: &str, task: impl FnOnce() -> T) -> Result<T, String> {
    let before = CAUGHT.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(task));
    CAUGHT.with(|c| c.set(before));
    result.map_err(|payload| {
        format!(
            "{what} stopped on an internal error ({}); nothing was changed",
            message_of(payload.as_ref())
        )
    })
}

fn message_of(payload: &(dyn Any + Send)) -> String {
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    };
    crate::report::strip_controls(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_flag_is_restored() {
        assert!(!panics_are_caught_here());
        let result: Result<(), String> = caught("the search", || {
            assert!(panics_are_caught_here());
            panic!("boom \u{1b}]0;title\u{7}");
        });
        let message = result.unwrap_err();
        assert!(
            message.starts_with("the search stopped on an internal error (boom"),
            "{message}"
        );
        assert!(!message.contains('\u{1b}'), "{message:?}");
        assert!(!panics_are_caught_here());
        assert_eq!(caught("x", || 7), Ok(7));
    }
}
