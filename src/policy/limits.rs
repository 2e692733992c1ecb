//! The bounds on one Rego rule evaluation: a wall-clock limit (regorus's cooperative timer)
//! and a memory ceiling (regorus's allocator-backed limit), both turning a runaway policy into
//! an `unknown` for that policy only.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use regorus::Engine;
use regorus::utils::limits::ExecutionTimerConfig;

/// Wall-clock limit of one rule evaluation. A `numbers.range` loop ran 69 s and a 9M-element
/// comprehension took 1.7 GB before this limit; regorus checks it cooperatively as it
/// evaluates (`ExecutionTimerConfig`), so allocation is bounded by what fits in this time.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(5);

/// Memory one rule evaluation may allocate on top of what the process already holds. regorus
/// counts every allocation of the process (it runs posture on its mimalloc allocator,
/// `allocator-memory-limits`) and checks the ceiling as it evaluates, so a runaway
/// comprehension stops here instead of at the machine's limit.
pub const DEFAULT_MEMORY_LIMIT: u64 = 512 * 1024 * 1024;

/// Set the engine's cooperative execution timer.
pub(super) fn set_time_limit(engine: &mut Engine, limit: Duration) {
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit,
        check_interval: std::num::NonZeroU32::MIN.saturating_add(63),
    });
}

/// One rule evaluation at a time in the whole process: the memory ceiling is process-wide
/// (regorus counts every thread's allocations against one limit), so two evaluations at once
/// would move each other's ceiling.
static EVALUATING: Mutex<()> = Mutex::new(());

/// The memory ceiling in force between evaluations (waits for a running one to end).
#[cfg(test)]
pub(crate) fn ceiling_between_evaluations() -> Option<u64> {
    let _one_at_a_time = one_at_a_time();
    regorus::global_memory_limit()
}

/// The process-wide memory ceiling for one rule evaluation: what the process holds now plus
/// `budget`, lifted when dropped however the evaluation ends.
pub(super) struct MemoryCeiling;

impl MemoryCeiling {
    pub(super) fn set(budget: u64) -> Self {
        let held = regorus_mimalloc::global_allocation_stats_snapshot().allocated;
        regorus::set_global_memory_limit(Some(held.saturating_add(budget)));
        MemoryCeiling
    }
}

impl Drop for MemoryCeiling {
    fn drop(&mut self) {
        regorus::set_global_memory_limit(None);
    }
}

/// Hold while evaluating a rule (see [`EVALUATING`]).
pub(super) fn one_at_a_time() -> MutexGuard<'static, ()> {
    EVALUATING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
