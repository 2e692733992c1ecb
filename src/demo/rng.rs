//! A tiny deterministic PRNG (SplitMix64): the synthetic org must be identical per seed on
//! every platform and every build, so it does not depend on an external crate's algorithm.

/// SplitMix64 (Steele, Lea, Flood 2014): fast, 64-bit state, good enough for test data.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform float in `(0, 1]` (never 0, so it can be raised to a negative power).
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    /// A uniform integer in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Lemire's multiply-shift: unbiased enough for test data, no division.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice (the first when empty would be impossible).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// A Pareto-distributed value with scale `min` and shape `alpha`, capped at `cap`:
    /// heavy-tailed like real repository traffic (a few repos get most views).
    pub fn pareto(&mut self, min: f64, alpha: f64, cap: u64) -> u64 {
        let value = min / self.unit().powf(1.0 / alpha);
        if value >= cap as f64 {
            cap
        } else {
            value as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_seeds_differ() {
        let a: Vec<u64> = (0..8)
            .map({
                let mut r = SplitMix64::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..8)
            .map({
                let mut r = SplitMix64::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..8)
            .map({
                let mut r = SplitMix64::new(8);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn below_stays_in_range_and_unit_is_never_zero() {
        let mut r = SplitMix64::new(1);
        for _ in 0..10_000 {
            assert!(r.below(10) < 10);
            let u = r.unit();
            assert!(u > 0.0 && u <= 1.0);
        }
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn pareto_is_heavy_tailed() {
        let mut r = SplitMix64::new(3);
        let mut values: Vec<u64> = (0..10_000)
            .map(|_| r.pareto(5.0, 1.16, 1_000_000))
            .collect();
        values.sort_unstable();
        let total: u64 = values.iter().sum();
        let top: u64 = values[values.len() * 4 / 5..].iter().sum();
        // The top 20% carry well over half the traffic.
        assert!(
            top * 100 / total > 60,
            "top 20% share {}",
            top * 100 / total
        );
        assert!(values[0] >= 5);
    }
}
