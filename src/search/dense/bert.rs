//! The sentence encoder: all-MiniLM-L6-v2's BERT (6 layers, 384 wide, 12
//! heads), mean-pooled and normalised, as sentence-transformers runs it.
//!
//! Written out (about 250 lines) rather than taken from a framework: the
//! model is one fixed architecture, and candle-transformers would bring a
//! hundred models' code and a long compile for it. The matrix products are
//! [`kernel::linear`] on the int8 weights as shipped; the rest is plain
//! loops over a few hundred numbers. `tests/data/minilm-reference.json`
//! holds the reference implementation's vectors, which a test matches.

use super::weights::{QuantRows, Tensors};
use super::{DenseError, kernel};

/// A dense layer, `y = x·Wᵀ + b`, its weights int8 as shipped.
struct Linear<'a> {
    w: QuantRows<'a>,
    b: Vec<f32>,
}

impl<'a> Linear<'a> {
    fn load(t: &Tensors<'a>, name: &str) -> Result<Linear<'a>, DenseError> {
        let w = t.quant_rows(&format!("{name}.weight"))?;
        let b = t.vector(&format!("{name}.bias"))?;
        if b.len() != w.rows || w.cols % 8 != 0 {
            return Err(DenseError::Model(format!("{name}: shapes")));
        }
        Ok(Linear { w, b })
    }

    /// `x` is `rows × inp`; returns `rows × out`.
    fn forward(&self, x: &[f32], rows: usize) -> Vec<f32> {
        let mut y = vec![0.0; rows * self.w.rows];
        kernel::linear(x, rows, self.w.values, &self.w.scales, &self.b, &mut y);
        y
    }
}

struct LayerNorm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
    eps: f32,
}

impl LayerNorm {
    fn load(t: &Tensors, name: &str, eps: f32) -> Result<LayerNorm, DenseError> {
        Ok(LayerNorm {
            gamma: t.vector(&format!("{name}.weight"))?,
            beta: t.vector(&format!("{name}.bias"))?,
            eps,
        })
    }

    fn apply(&self, x: &mut [f32]) {
        for row in x.chunks_mut(self.gamma.len()) {
            let n = row.len() as f32;
            let mean = row.iter().sum::<f32>() / n;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
            let inv = 1.0 / (var + self.eps).sqrt();
            for ((v, g), b) in row.iter_mut().zip(&self.gamma).zip(&self.beta) {
                *v = (*v - mean) * inv * g + b;
            }
        }
    }
}

struct Layer<'a> {
    query: Linear<'a>,
    key: Linear<'a>,
    value: Linear<'a>,
    attn_out: Linear<'a>,
    attn_norm: LayerNorm,
    up: Linear<'a>,
    down: Linear<'a>,
    out_norm: LayerNorm,
}

/// The encoder. Its weights stay int8, borrowed from the binary: nothing
/// to expand at load.
pub struct Encoder<'a> {
    words: QuantRows<'a>,
    positions: Vec<f32>,
    token_type: Vec<f32>,
    embed_norm: LayerNorm,
    layers: Vec<Layer<'a>>,
    heads: usize,
    pub width: usize,
    pub max_len: usize,
}

impl<'a> Encoder<'a> {
    pub fn load(t: &Tensors<'a>, layers: usize, heads: usize) -> Result<Encoder<'a>, DenseError> {
        let eps = 1e-12;
        let words = t.quant_rows("embeddings.word_embeddings.weight")?;
        let width = words.cols;
        let positions = t.quant_rows("embeddings.position_embeddings.weight")?;
        let max_len = positions.rows.min(256);
        let token_type = t.quant_rows("embeddings.token_type_embeddings.weight")?;
        let mut tt = vec![0.0; width];
        token_type.add_row_to(0, &mut tt);
        if width % heads != 0 || positions.cols != width {
            return Err(DenseError::Model("inconsistent widths".into()));
        }
        let layers = (0..layers)
            .map(|i| {
                let p = format!("encoder.layer.{i}");
                Ok(Layer {
                    query: Linear::load(t, &format!("{p}.attention.self.query"))?,
                    key: Linear::load(t, &format!("{p}.attention.self.key"))?,
                    value: Linear::load(t, &format!("{p}.attention.self.value"))?,
                    attn_out: Linear::load(t, &format!("{p}.attention.output.dense"))?,
                    attn_norm: LayerNorm::load(t, &format!("{p}.attention.output.LayerNorm"), eps)?,
                    up: Linear::load(t, &format!("{p}.intermediate.dense"))?,
                    down: Linear::load(t, &format!("{p}.output.dense"))?,
                    out_norm: LayerNorm::load(t, &format!("{p}.output.LayerNorm"), eps)?,
                })
            })
            .collect::<Result<Vec<Layer<'a>>, DenseError>>()?;
        Ok(Encoder {
            words,
            positions: positions.to_f32(),
            token_type: tt,
            embed_norm: LayerNorm::load(t, "embeddings.LayerNorm", eps)?,
            layers,
            heads,
            width,
            max_len,
        })
    }

    /// The unit-length sentence vector of a token sequence (from
    /// [`super::wordpiece::WordPiece::encode`]).
    pub fn embed(&self, ids: &[u32]) -> Vec<f32> {
        let w = self.width;
        let n = ids.len().min(self.max_len);
        let mut x = vec![0.0f32; n * w];
        for (t, row) in x.chunks_mut(w).enumerate() {
            let id = (ids[t] as usize).min(self.words.rows - 1);
            self.words.add_row_to(id, row);
            for ((v, p), tt) in row
                .iter_mut()
                .zip(&self.positions[t * w..(t + 1) * w])
                .zip(&self.token_type)
            {
                *v += p + tt;
            }
        }
        self.embed_norm.apply(&mut x);
        for layer in &self.layers {
            self.layer(layer, &mut x, n);
        }
        // Mean of the token vectors, then unit length.
        let mut pooled = vec![0.0f32; w];
        for row in x.chunks(w) {
            for (p, v) in pooled.iter_mut().zip(row) {
                *p += v;
            }
        }
        normalize(&mut pooled);
        pooled
    }

    fn layer(&self, l: &Layer<'a>, x: &mut [f32], n: usize) {
        let w = self.width;
        let q = l.query.forward(x, n);
        let k = l.key.forward(x, n);
        let v = l.value.forward(x, n);
        let ctx = self.attention(&q, &k, &v, n);
        let attn = l.attn_out.forward(&ctx, n);
        for (xi, a) in x.iter_mut().zip(&attn) {
            *xi += a;
        }
        l.attn_norm.apply(x);
        let mut h = l.up.forward(x, n);
        for v in &mut h {
            *v = gelu(*v);
        }
        let down = l.down.forward(&h, n);
        for (xi, d) in x.iter_mut().zip(&down) {
            *xi += d;
        }
        l.out_norm.apply(x);
        debug_assert_eq!(x.len(), n * w);
    }

    /// Scaled dot-product attention, head by head, over all `n` tokens.
    fn attention(&self, q: &[f32], k: &[f32], v: &[f32], n: usize) -> Vec<f32> {
        let w = self.width;
        let d = w / self.heads;
        let scale = 1.0 / (d as f32).sqrt();
        let mut ctx = vec![0.0f32; n * w];
        let mut weights = vec![0.0f32; n];
        for h in 0..self.heads {
            let at = |t: usize| t * w + h * d..t * w + (h + 1) * d;
            for i in 0..n {
                let qi = &q[at(i)];
                for (j, s) in weights.iter_mut().enumerate() {
                    *s = dot(qi, &k[at(j)]) * scale;
                }
                softmax(&mut weights);
                let out = at(i);
                for (j, &p) in weights.iter().enumerate() {
                    for (c, vv) in ctx[out.clone()].iter_mut().zip(&v[at(j)]) {
                        *c += p * vv;
                    }
                }
            }
        }
        ctx
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn softmax(x: &mut [f32]) {
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in x.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in x.iter_mut() {
        *v /= sum;
    }
}

/// Scales `v` to unit length (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = dot(v, v).sqrt();
    if norm > 0.0 {
        for x in v.iter_mut() {
            *x /= norm;
        }
    }
}

/// BERT's GELU, with the exact error function (not the tanh shortcut).
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x / std::f32::consts::SQRT_2))
}

/// The error function (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7;
/// std has none).
fn erf(x: f32) -> f32 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let y = 1.0
        - (((((1.061_405_4 * t - 1.453_152_1) * t) + 1.421_413_7) * t - 0.284_496_74) * t
            + 0.254_829_6)
            * t
            * (-x * x).exp();
    y.copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_known_values() {
        for (x, want) in [
            (0.0, 0.0),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (-2.0, -0.995_322_3),
        ] {
            assert!((erf(x) - want).abs() < 1e-6, "erf({x})");
        }
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-6);
    }

    #[test]
    fn softmax_sums_to_one_and_keeps_order() {
        let mut x = [1.0, 3.0, 2.0];
        softmax(&mut x);
        assert!((x.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(x[1] > x[2] && x[2] > x[0]);
    }
}
