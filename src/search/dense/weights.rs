//! The sentence model's weights as shipped: one safetensors file
//! (`data/model/minilm-l6-v2.int8.safetensors`, written by
//! `scripts/model/export.py`) whose matrices are int8 with one f32 scale a
//! row, and whose vectors are f32.
//!
//! safetensors is an 8-byte little-endian header length, a JSON header
//! naming each tensor's type, shape and byte range, then the bytes: read
//! here in a few lines rather than through a crate.

use std::collections::HashMap;

use serde::Deserialize;

use super::DenseError;

#[derive(Debug, Deserialize)]
struct Entry {
    dtype: String,
    shape: Vec<usize>,
    data_offsets: [usize; 2],
}

/// The tensors of one safetensors file, borrowed from its bytes.
pub struct Tensors<'a> {
    entries: HashMap<String, Entry>,
    data: &'a [u8],
}

/// A matrix stored as int8 rows with a scale each.
pub struct QuantRows<'a> {
    pub rows: usize,
    pub cols: usize,
    /// int8 values, as bytes, row-major.
    pub values: &'a [u8],
    pub scales: Vec<f32>,
}

impl<'a> QuantRows<'a> {
    /// Row `r`, as f32, added to `out`.
    pub fn add_row_to(&self, r: usize, out: &mut [f32]) {
        let s = self.scales[r];
        let row = &self.values[r * self.cols..(r + 1) * self.cols];
        for (o, &q) in out.iter_mut().zip(row) {
            *o += (q as i8) as f32 * s;
        }
    }

    /// The whole matrix as f32, row-major.
    pub fn to_f32(&self) -> Vec<f32> {
        let mut out = vec![0.0; self.rows * self.cols];
        for (r, chunk) in out.chunks_mut(self.cols).enumerate() {
            self.add_row_to(r, chunk);
        }
        out
    }
}

impl<'a> Tensors<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<Tensors<'a>, DenseError> {
        let bad = |m: &str| DenseError::Model(format!("weights file: {m}"));
        let len_bytes: [u8; 8] = bytes
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("too short"))?;
        let len = usize::try_from(u64::from_le_bytes(len_bytes)).map_err(|_| bad("header"))?;
        let header = bytes
            .get(8..8usize.saturating_add(len))
            .ok_or_else(|| bad("header past the end"))?;
        let mut entries: HashMap<String, serde_json::Value> =
            serde_json::from_slice(header).map_err(|e| bad(&e.to_string()))?;
        entries.remove("__metadata__");
        let entries = entries
            .into_iter()
            .map(|(k, v)| {
                Ok((
                    k,
                    serde_json::from_value(v).map_err(|e| bad(&e.to_string()))?,
                ))
            })
            .collect::<Result<HashMap<String, Entry>, DenseError>>()?;
        Ok(Tensors {
            entries,
            data: &bytes[8 + len..],
        })
    }

    fn raw(&self, name: &str, dtype: &str) -> Result<(&Entry, &'a [u8]), DenseError> {
        let e = self
            .entries
            .get(name)
            .ok_or_else(|| DenseError::Model(format!("weights file has no {name}")))?;
        if e.dtype != dtype {
            return Err(DenseError::Model(format!(
                "{name} is {}, not {dtype}",
                e.dtype
            )));
        }
        let [from, to] = e.data_offsets;
        let width = if dtype == "F32" { 4 } else { 1 };
        let bytes = self
            .data
            .get(from..to)
            .filter(|b| b.len() == e.shape.iter().product::<usize>() * width)
            .ok_or_else(|| DenseError::Model(format!("{name}: bad byte range")))?;
        Ok((e, bytes))
    }

    /// A vector of f32.
    pub fn vector(&self, name: &str) -> Result<Vec<f32>, DenseError> {
        let (_, bytes) = self.raw(name, "F32")?;
        Ok(bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    /// An int8 matrix and its row scales (`name.scale`).
    pub fn quant_rows(&self, name: &str) -> Result<QuantRows<'a>, DenseError> {
        let (e, values) = self.raw(name, "I8")?;
        let [rows, cols] = e.shape[..] else {
            return Err(DenseError::Model(format!("{name} is not a matrix")));
        };
        let scales = self.vector(&format!("{name}.scale"))?;
        if scales.len() != rows {
            return Err(DenseError::Model(format!(
                "{name}: {rows} rows, {} scales",
                scales.len()
            )));
        }
        Ok(QuantRows {
            rows,
            cols,
            values,
            scales,
        })
    }
}
