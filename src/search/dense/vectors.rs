//! The units' vectors: made once per build (reusing the vector of every
//! unit whose text is unchanged), kept in `vectors.bin` beside the content,
//! and searched by brute force (a few thousand dot products take well
//! under a millisecond; an approximate index would save nothing here).
//!
//! The file: a line `SETPROC-VECTORS 1`, a line of JSON naming the model
//! and, per unit, its node, paragraph, kind and text fingerprint; then the
//! vectors, each an f32 scale (little-endian) and `dims` int8 values.
//! int8 keeps the file at a quarter of f32 (1.7 MB for the manual) and
//! moves a unit's score by under 0.01.

use serde::{Deserialize, Serialize};

use super::units::{Unit, UnitKind};
use super::{DenseError, MODEL_ID, Model};
use crate::manual::ids::{NodeId, SectionId};
use crate::text::hash::{FxHashMap, fx_hash};

const MAGIC: &str = "SETPROC-VECTORS 1\n";

/// What a vector is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitKey {
    pub node: NodeId,
    pub para: Option<SectionId>,
    pub kind: UnitKind,
    /// [`fx_hash`] of the unit's text, hex.
    #[serde(with = "hex")]
    pub text: u64,
}

mod hex {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{v:016x}"))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let s = String::deserialize(d)?;
        u64::from_str_radix(&s, 16).map_err(serde::de::Error::custom)
    }
}

impl UnitKey {
    pub fn of(u: &Unit) -> UnitKey {
        UnitKey {
            node: u.node,
            para: u.para,
            kind: u.kind,
            text: fx_hash(u.text.as_bytes()),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    model: String,
    content: String,
    situations: String,
    dims: usize,
    units: Vec<UnitKey>,
}

/// The vectors of a library's units.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitVectors {
    pub model: String,
    /// The content hash of the library they were made for
    /// ([`crate::store::library::Library::content_hash`]).
    pub content: String,
    /// [`super::situations_hash`] of the situations they include.
    pub situations: String,
    pub keys: Vec<UnitKey>,
    pub dims: usize,
    scales: Vec<f32>,
    values: Vec<i8>,
}

/// A section's best unit for a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    pub node: NodeId,
    /// Cosine similarity of the best unit.
    pub score: f32,
    /// That unit (an index into [`UnitVectors::keys`]).
    pub unit: usize,
}

impl UnitVectors {
    /// Embeds `units` with `model`, taking the vector of any unit with the
    /// same text from `reuse` (made by the same model). `progress` is told
    /// `(done, to do)` as units are embedded. Uses every core. Also gives
    /// how many texts were embedded.
    pub fn build(
        units: &[Unit],
        content: &str,
        model: &Model,
        reuse: Option<&UnitVectors>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> (UnitVectors, usize) {
        let keys: Vec<UnitKey> = units.iter().map(UnitKey::of).collect();
        let known: FxHashMap<u64, usize> = reuse
            .filter(|r| r.model == MODEL_ID)
            .map(|r| {
                r.keys
                    .iter()
                    .enumerate()
                    .map(|(i, k)| (k.text, i))
                    .collect()
            })
            .unwrap_or_default();
        // Each text new to `reuse` is embedded once, however many units
        // share it: a source with repeated text (a 50 MB file of the body
        // twenty times over: 113,157 units, 3,105 distinct new texts)
        // otherwise embedded every copy, for hours.
        let mut made_at: FxHashMap<u64, usize> = FxHashMap::default();
        let todo: Vec<usize> = (0..units.len())
            .filter(|&i| {
                let text = keys[i].text;
                if known.contains_key(&text) || made_at.contains_key(&text) {
                    return false;
                }
                made_at.insert(text, made_at.len());
                true
            })
            .collect();
        let made = embed_all(units, &todo, model, progress);
        let dims = model.encoder.width;
        let mut out = UnitVectors {
            model: MODEL_ID.to_string(),
            content: content.to_string(),
            situations: super::situations_hash(),
            keys: Vec::with_capacity(units.len()),
            dims,
            scales: Vec::with_capacity(units.len()),
            values: Vec::with_capacity(units.len() * dims),
        };
        for key in keys {
            match (known.get(&key.text), reuse) {
                (Some(&i), Some(r)) => {
                    out.scales.push(r.scales[i]);
                    out.values
                        .extend_from_slice(&r.values[i * dims..(i + 1) * dims]);
                }
                _ => match made_at.get(&key.text).and_then(|&j| made.get(j)) {
                    Some(v) => out.push_quantized(v),
                    None => out.push_quantized(&vec![0.0; dims]),
                },
            }
            out.keys.push(key);
        }
        (out, todo.len())
    }

    fn push_quantized(&mut self, v: &[f32]) {
        let max = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        self.scales.push(scale);
        self.values.extend(
            v.iter()
                .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8),
        );
    }

    /// Whether these were made, by the shipped model and situations, for
    /// the content whose hash is `content` (a cheap test; [`Self::fits`]
    /// compares every unit).
    pub fn made_for(&self, content: &str) -> bool {
        self.model == MODEL_ID
            && self.content == content
            && self.situations == super::situations_hash()
    }

    /// Whether these are the vectors of exactly `units` by the shipped model.
    pub fn fits(&self, units: &[Unit]) -> bool {
        self.model == MODEL_ID
            && self.keys.len() == units.len()
            && self
                .keys
                .iter()
                .zip(units)
                .all(|(k, u)| *k == UnitKey::of(u))
    }

    /// The same vectors less every unit of `kind` (to measure what a kind
    /// of unit is worth: `examples/tune.rs situations=0`).
    pub fn without(&self, kind: UnitKind) -> UnitVectors {
        let keep: Vec<usize> = (0..self.keys.len())
            .filter(|&i| self.keys[i].kind != kind)
            .collect();
        UnitVectors {
            keys: keep.iter().map(|&i| self.keys[i]).collect(),
            scales: keep.iter().map(|&i| self.scales[i]).collect(),
            values: keep
                .iter()
                .flat_map(|&i| {
                    self.values[i * self.dims..(i + 1) * self.dims]
                        .iter()
                        .copied()
                })
                .collect(),
            ..self.clone()
        }
    }

    /// The best unit of every section, best first.
    ///
    /// The query is rounded to i16 so that each dot product is integer
    /// arithmetic the compiler vectorises (i8 × i16 summed in i32: at most
    /// 384 × 127 × 32,767, inside i32); with f32 it could not reorder the
    /// sum. Measured (quick profile, same run, 101 rounds): the f32 dot
    /// products alone took a median 1.8 ms, this whole function 0.41–0.58
    /// ms; the saving is most of what meaning adds to a search (issue 16
    /// allows 2 ms). The rounding moves a cosine by under 1e-4.
    pub fn nearest(&self, query: &[f32]) -> Vec<Nearest> {
        let max = query.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let q_scale = if max > 0.0 { max / 32_767.0 } else { 1.0 };
        let q: Vec<i16> = query.iter().map(|x| (x / q_scale).round() as i16).collect();
        let mut best: FxHashMap<NodeId, Nearest> = FxHashMap::default();
        for (i, key) in self.keys.iter().enumerate() {
            let v = &self.values[i * self.dims..(i + 1) * self.dims];
            let dot: i32 = v
                .iter()
                .zip(&q)
                .map(|(&a, &b)| i32::from(a) * i32::from(b))
                .sum();
            let score = dot as f32 * q_scale * self.scales[i];
            let e = best.entry(key.node).or_insert(Nearest {
                node: key.node,
                score,
                unit: i,
            });
            if score > e.score {
                *e = Nearest {
                    node: key.node,
                    score,
                    unit: i,
                };
            }
        }
        let mut out: Vec<Nearest> = best.into_values().collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
        out
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let header = Header {
            model: self.model.clone(),
            content: self.content.clone(),
            situations: self.situations.clone(),
            dims: self.dims,
            units: self.keys.clone(),
        };
        let mut out = MAGIC.as_bytes().to_vec();
        // A Vec's JSON cannot fail to serialise.
        out.extend(serde_json::to_vec(&header).unwrap_or_default());
        out.push(b'\n');
        for s in &self.scales {
            out.extend(s.to_le_bytes());
        }
        out.extend(self.values.iter().map(|&v| v as u8));
        out
    }

    pub fn parse(bytes: &[u8]) -> Result<UnitVectors, DenseError> {
        let bad = |m: &str| DenseError::Vectors(m.to_string());
        let rest = bytes
            .strip_prefix(MAGIC.as_bytes())
            .ok_or_else(|| bad("not a setproc vectors file"))?;
        let nl = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| bad("no header"))?;
        let header: Header =
            serde_json::from_slice(&rest[..nl]).map_err(|e| bad(&format!("header: {e}")))?;
        let body = &rest[nl + 1..];
        let n = header.units.len();
        if header.dims == 0 || body.len() != n * 4 + n * header.dims {
            return Err(bad("its size does not match its header"));
        }
        let (scales, values) = body.split_at(n * 4);
        Ok(UnitVectors {
            model: header.model,
            content: header.content,
            situations: header.situations,
            keys: header.units,
            dims: header.dims,
            scales: scales
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            values: values.iter().map(|&b| b as i8).collect(),
        })
    }
}

/// The vectors of `units[todo]`, in order, made on every core.
fn embed_all(
    units: &[Unit],
    todo: &[usize],
    model: &Model,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Vec<f32>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(todo.len().max(1));
    let done = std::sync::atomic::AtomicUsize::new(0);
    let per = todo.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = todo
            .chunks(per)
            .map(|part| {
                let done = &done;
                s.spawn(move || {
                    part.iter()
                        .map(|&i| {
                            let v = model.embed(&units[i].text);
                            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                            progress(d, todo.len());
                            v
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}
