//! The one numeric kernel the encoder needs: `y = x·Wᵀ·s + b`, with `W`
//! kept in int8 (one scale a row) exactly as shipped.
//!
//! Why hand-written: a query is 5–20 tokens, and for so few rows a general
//! matrix library spends its time packing the 10.6 M weights into its own
//! layout on every call (matrixmultiply on f32 weights: 27 ms for a
//! 6-token query, plus 120 ms to expand the weights at load, on this
//! machine under load). Here each int8 weight row is read once per eight
//! tokens, converted and multiplied in registers: nothing to expand at
//! load, a quarter of the memory traffic. With AVX2 and FMA (checked at
//! run time) it uses them explicitly, eight tokens' partial sums held in
//! registers; elsewhere, a plain loop.

/// Tokens processed together: each weight row is loaded once for them.
const ROWS: usize = 8;
/// Lanes of a partial sum (one AVX register of f32).
const LANES: usize = 8;

/// `y[t][o] = Σᵢ x[t][i]·w[o][i] · scales[o] + bias[o]` for `rows` tokens.
/// `x` is `rows × inp`, `w` is `out × inp` (int8, as bytes), `y` is
/// `rows × out`. `inp` must be a multiple of 8 (the model's widths, 384
/// and 1536, are).
pub fn linear(x: &[f32], rows: usize, w: &[u8], scales: &[f32], bias: &[f32], y: &mut [f32]) {
    let out = scales.len();
    let inp = w.len() / out.max(1);
    assert!(
        inp.is_multiple_of(LANES)
            && w.len() == out * inp
            && x.len() == rows * inp
            && y.len() == rows * out
            && bias.len() == out,
        "linear: shapes"
    );
    let job = Job {
        x,
        rows,
        w,
        scales,
        bias,
        inp,
    };
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has AVX2 and FMA, and the shapes were checked.
        unsafe { avx2::linear(&job, y) };
        return;
    }
    plain(&job, y);
}

/// The inputs of one [`linear`], shapes checked.
struct Job<'a> {
    x: &'a [f32],
    rows: usize,
    w: &'a [u8],
    scales: &'a [f32],
    bias: &'a [f32],
    inp: usize,
}

/// The kernel as a plain loop, for CPUs without AVX2.
fn plain(job: &Job, y: &mut [f32]) {
    let Job {
        x,
        rows,
        w,
        scales,
        bias,
        inp,
    } = *job;
    let out = scales.len();
    for t in 0..rows {
        let xr = &x[t * inp..(t + 1) * inp];
        for o in 0..out {
            let wr = &w[o * inp..(o + 1) * inp];
            let dot: f32 = xr
                .iter()
                .zip(wr)
                .map(|(a, &b)| a * f32::from(b as i8))
                .sum();
            y[t * out + o] = dot * scales[o] + bias[o];
        }
    }
}

/// The same with AVX2 and FMA: eight weights converted at a time and
/// multiplied into the partial sums of up to [`ROWS`] tokens, which stay
/// in registers (the number of rows is a constant of each copy).
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{Job, LANES, ROWS};
    use std::arch::x86_64::*;

    /// # Safety
    /// The CPU must have AVX2 and FMA; the shapes are those `linear` checks.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn linear(job: &Job, y: &mut [f32]) {
        let (inp, out) = (job.inp, job.scales.len());
        let mut t0 = 0;
        while t0 < job.rows {
            let n = (job.rows - t0).min(ROWS);
            let xs = &job.x[t0 * inp..(t0 + n) * inp];
            let ys = &mut y[t0 * out..(t0 + n) * out];
            // SAFETY: as this function's.
            unsafe {
                match n {
                    8 => block::<8>(job, xs, ys),
                    7 => block::<7>(job, xs, ys),
                    6 => block::<6>(job, xs, ys),
                    5 => block::<5>(job, xs, ys),
                    4 => block::<4>(job, xs, ys),
                    3 => block::<3>(job, xs, ys),
                    2 => block::<2>(job, xs, ys),
                    _ => block::<1>(job, xs, ys),
                }
            }
            t0 += n;
        }
    }

    /// `N` token rows (`xs`, of `job.x`) against every weight row.
    #[target_feature(enable = "avx2,fma")]
    unsafe fn block<const N: usize>(job: &Job, xs: &[f32], ys: &mut [f32]) {
        let (w, scales, bias, inp) = (job.w, job.scales, job.bias, job.inp);
        let out = scales.len();
        debug_assert!(xs.len() == N * inp && ys.len() == N * out && w.len() == out * inp);
        let xp = xs.as_ptr();
        for o in 0..out {
            let wp = w[o * inp..].as_ptr();
            let mut acc = [_mm256_setzero_ps(); N];
            let mut c = 0;
            while c < inp {
                // SAFETY: c + 8 <= inp, so the 8 weight bytes and each
                // row's 8 floats lie inside `w` and `xs`.
                unsafe {
                    let w8 = _mm_loadl_epi64(wp.add(c) as *const __m128i);
                    let wf = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(w8));
                    for (r, a) in acc.iter_mut().enumerate() {
                        let xv = _mm256_loadu_ps(xp.add(r * inp + c));
                        *a = _mm256_fmadd_ps(xv, wf, *a);
                    }
                }
                c += LANES;
            }
            for (r, a) in acc.iter().enumerate() {
                ys[r * out + o] = hsum(*a) * scales[o] + bias[o];
            }
        }
    }

    #[target_feature(enable = "avx2,fma")]
    fn hsum(v: __m256) -> f32 {
        let lo = _mm256_castps256_ps128(v);
        let hi = _mm256_extractf128_ps::<1>(v);
        let s = _mm_add_ps(lo, hi);
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_shuffle_ps::<1>(s, s));
        _mm_cvtss_f32(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_plain_definition() {
        // 11 rows: a full block of 8 and a remainder of 3.
        let (rows, inp, out) = (11, 16, 5);
        let x: Vec<f32> = (0..rows * inp)
            .map(|i| ((i * 7) % 13) as f32 - 6.0)
            .collect();
        let w: Vec<u8> = (0..out * inp)
            .map(|i| (((i * 5) % 17) as i8 - 8) as u8)
            .collect();
        let scales = [0.5, 1.0, 0.25, 2.0, 0.1];
        let bias = [1.0, -1.0, 0.0, 0.5, 3.0];
        let mut y = vec![0.0; rows * out];
        linear(&x, rows, &w, &scales, &bias, &mut y);
        let mut y_plain = vec![0.0; rows * out];
        let job = Job {
            x: &x,
            rows,
            w: &w,
            scales: &scales,
            bias: &bias,
            inp,
        };
        plain(&job, &mut y_plain);
        for t in 0..rows {
            for o in 0..out {
                let want: f32 = (0..inp)
                    .map(|i| x[t * inp + i] * f32::from(w[o * inp + i] as i8))
                    .sum::<f32>()
                    * scales[o]
                    + bias[o];
                assert!((y[t * out + o] - want).abs() < 1e-3, "{t},{o}");
                assert!((y_plain[t * out + o] - want).abs() < 1e-3, "plain {t},{o}");
            }
        }
    }
}
