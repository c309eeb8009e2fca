//! The hash the manual's own maps use: the "Fx" hash of rustc, not SipHash.
//!
//! Every map keyed this way holds the manual's ids and words, never
//! attacker-chosen keys at scale, so SipHash's flood resistance buys
//! nothing; it was ~3 % of a build.

/// A map with the Fx hash.
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
/// A set with the Fx hash.
pub type FxHashSet<T> = std::collections::HashSet<T, FxBuild>;

/// A fast, non-cryptographic hash (the "Fx" hash of rustc) for maps keyed
/// by the manual's own words and ids.
#[derive(Clone, Copy, Default)]
pub struct FxBuild;

impl std::hash::BuildHasher for FxBuild {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Whole words by value; the tail assembled by hand (a `memcpy`
        // call per word made hashing the indexer's hottest step).
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes([
                w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
            ]));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let v = tail
                .iter()
                .rev()
                .fold(0u64, |v, &b| (v << 8) | u64::from(b));
            self.add(v);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The Fx hash of `bytes`, as a change detector (a text edited, a file
/// replaced), never as a guard against crafted input.
pub fn fx_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = FxHasher(0);
    h.write(bytes);
    h.finish()
}
