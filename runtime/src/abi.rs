//! The C-ABI entry points through which compiled model code reaches the runtime and `stdlib`.
//!
//! Compiled functions receive a `*mut Ctx` as their first argument. Through it they find the
//! data slots, allocate temporaries in a per-evaluation arena, push and pop the reverse sweep's
//! tape, and report errors. Every entry point here is `extern "C"` and never unwinds.
//!
//! Invariant: the layout of [`Ctx`] and [`Slot`] is part of the model ABI; codegen reads the
//! offsets from the constants below, never from guesses.

use stdlib::scalar::Fun;
use stdlib::{linalg, special};

/// One data or transformed-data variable: a pointer to its first element and its sizes.
/// Scalars point at a single element. Ints are `i64`, reals `f64`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    pub ptr: *mut u8,
    pub dims: [i64; MAX_RANK],
}

pub const MAX_RANK: usize = 7;
pub const SLOT_SIZE: i32 = 8 + 8 * MAX_RANK as i32;
pub const SLOT_PTR_OFFSET: i32 = 0;
pub const SLOT_DIMS_OFFSET: i32 = 8;
pub const CTX_SLOTS_OFFSET: i32 = 0;
pub const CTX_ERROR_SITE_OFFSET: i32 = 8;
pub const CTX_ERROR_VALUES_OFFSET: i32 = 16;

/// The context of one evaluation. Not shared between threads: each thread has its own.
#[repr(C)]
pub struct Ctx {
    /// Array of slots (field read by compiled code at offset 0).
    pub slots: *mut Slot,
    /// The first error raised, if any: index of the error site, or −1.
    pub error_site: i64,
    pub error_values: [f64; 4],
    /// The random stream of `*_rng` calls: set for the duration of `write_array`, else null.
    pub rng: *mut rand_chacha::ChaCha8Rng,
    arena: Arena,
    tape_f64: Vec<f64>,
    tape_i64: Vec<i64>,
    /// The pieces of `print` output of this evaluation (site, value), written out by the
    /// caller after the call returns, when it knows the sites' texts.
    pub prints: Vec<(i64, f64)>,
}

// Safety: a Ctx is only ever used by one thread at a time; the raw pointers it holds point
// into data owned by the model, which outlives every evaluation.
unsafe impl Send for Ctx {}

impl Ctx {
    pub fn new(slots: *mut Slot) -> Ctx {
        Ctx {
            slots,
            error_site: -1,
            error_values: [0.0; 4],
            rng: std::ptr::null_mut(),
            arena: Arena::default(),
            tape_f64: Vec::new(),
            tape_i64: Vec::new(),
            prints: Vec::new(),
        }
    }

    /// Forgets everything the last evaluation allocated or pushed.
    pub fn reset(&mut self) {
        self.error_site = -1;
        self.arena.reset();
        self.tape_f64.clear();
        self.tape_i64.clear();
        self.prints.clear();
    }

    /// Moves the arena's memory out, so that transformed data computed by `load` outlives
    /// this context.
    pub fn take_arena(&mut self) -> Vec<Vec<u64>> {
        std::mem::take(&mut self.arena.chunks)
    }
}

/// A bump allocator whose memory is reused from one evaluation to the next. Chunks never move,
/// so pointers handed out stay valid until `reset`.
#[derive(Default)]
struct Arena {
    chunks: Vec<Vec<u64>>,
    current: usize,
    used: usize,
}

impl Arena {
    fn alloc_words(&mut self, words: usize) -> *mut u64 {
        loop {
            if self.current < self.chunks.len() {
                let chunk = &mut self.chunks[self.current];
                if self.used + words <= chunk.len() {
                    // Safety: in bounds of the chunk, checked just above.
                    let p = unsafe { chunk.as_mut_ptr().add(self.used) };
                    self.used += words;
                    return p;
                }
                self.current += 1;
                self.used = 0;
                continue;
            }
            let size = words.max(1 << 16);
            self.chunks.push(vec![0u64; size]);
        }
    }

    fn reset(&mut self) {
        self.current = 0;
        self.used = 0;
    }
}

// ---- memory and tape ---------------------------------------------------------------------------

/// A buffer of `n` elements of 8 bytes, every element set to `fill` (bit pattern).
///
/// # Safety
/// `ctx` must be a valid context pointer.
pub unsafe extern "C" fn vppl_alloc(ctx: *mut Ctx, n: i64, fill: u64) -> *mut u8 {
    // Safety: the caller passes its own valid context.
    let ctx = unsafe { &mut *ctx };
    let n = n.max(0) as usize;
    let p = ctx.arena.alloc_words(n);
    // Safety: alloc_words returned n writable words.
    unsafe { std::slice::from_raw_parts_mut(p, n) }.fill(fill);
    p as *mut u8
}

/// # Safety
/// `ctx` must be a valid context pointer.
pub unsafe extern "C" fn vppl_push_f64(ctx: *mut Ctx, x: f64) {
    unsafe { &mut *ctx }.tape_f64.push(x);
}

/// # Safety
/// `ctx` must be a valid context pointer.
pub unsafe extern "C" fn vppl_pop_f64(ctx: *mut Ctx) -> f64 {
    unsafe { &mut *ctx }.tape_f64.pop().unwrap_or(f64::NAN)
}

/// # Safety
/// `ctx` must be a valid context pointer.
pub unsafe extern "C" fn vppl_push_i64(ctx: *mut Ctx, x: i64) {
    unsafe { &mut *ctx }.tape_i64.push(x);
}

/// # Safety
/// `ctx` must be a valid context pointer.
pub unsafe extern "C" fn vppl_pop_i64(ctx: *mut Ctx) -> i64 {
    unsafe { &mut *ctx }.tape_i64.pop().unwrap_or(0)
}

/// Saves `n` words starting at `p` on the tape.
///
/// # Safety
/// `ctx` valid; `p` points at `n` readable words.
pub unsafe extern "C" fn vppl_push_all(ctx: *mut Ctx, p: *const u64, n: i64) {
    let ctx = unsafe { &mut *ctx };
    let s = unsafe { std::slice::from_raw_parts(p, n.max(0) as usize) };
    ctx.tape_i64.extend(s.iter().map(|w| *w as i64));
}

/// Restores `n` words saved by `vppl_push_all`.
///
/// # Safety
/// `ctx` valid; `p` points at `n` writable words.
pub unsafe extern "C" fn vppl_pop_all(ctx: *mut Ctx, p: *mut u64, n: i64) {
    let ctx = unsafe { &mut *ctx };
    let n = n.max(0) as usize;
    let start = ctx.tape_i64.len().saturating_sub(n);
    let s = unsafe { std::slice::from_raw_parts_mut(p, n) };
    for (dst, src) in s.iter_mut().zip(&ctx.tape_i64[start..]) {
        *dst = *src as u64;
    }
    ctx.tape_i64.truncate(start);
}

/// Records the first error of an evaluation; compiled code returns right after.
///
/// # Safety
/// `ctx` must be a valid context pointer.
pub unsafe extern "C" fn vppl_error(ctx: *mut Ctx, site: i64, a: f64, b: f64, c: f64, d: f64) {
    let ctx = unsafe { &mut *ctx };
    if ctx.error_site < 0 {
        ctx.error_site = site;
        ctx.error_values = [a, b, c, d];
    }
}

/// Keeps a piece of `print` output (the text of `site`, then `x` when the site has a value).
///
/// # Safety
/// `ctx` must be a valid context pointer.
pub unsafe extern "C" fn vppl_print(ctx: *mut Ctx, site: i64, x: f64) {
    unsafe { &mut *ctx }.prints.push((site, x));
}

// ---- random number generators (`*_rng`) --------------------------------------------------------

type Stream = rand_chacha::ChaCha8Rng;

/// Runs `sampler` on the context's stream; NaN without a stream (never in a fit: only
/// write_array sets it). A sampler returns NaN for arguments outside the distribution's domain.
fn draw(ctx: *mut Ctx, sampler: impl FnOnce(&mut Stream) -> f64) -> f64 {
    // Safety: compiled code passes its own valid context.
    let ctx = unsafe { &mut *ctx };
    match unsafe { ctx.rng.as_mut() } {
        Some(rng) => sampler(rng),
        None => f64::NAN,
    }
}

/// One draw of `d`, or NaN when its parameters were refused.
fn one<D: rand_distr::Distribution<f64>, E>(d: Result<D, E>, rng: &mut Stream) -> f64 {
    d.map_or(f64::NAN, |d| d.sample(rng))
}

/// One draw of an integer-valued `d`, as a double (compiled code converts it to an int).
fn count<D: rand_distr::Distribution<u64>, E>(d: Result<D, E>, rng: &mut Stream) -> f64 {
    d.map_or(f64::NAN, |d| d.sample(rng) as f64)
}

/// A uniform draw in (0, 1), never 0 (for inverse-CDF samplers that take its logarithm).
fn open01(rng: &mut Stream) -> f64 {
    rng.sample(rand_distr::Open01)
}

/// A Poisson draw of a rate that is itself a draw (the gamma–Poisson mixtures).
fn poisson_of(rate: f64, rng: &mut Stream) -> f64 {
    if rate == 0.0 { 0.0 } else { one(rd::Poisson::new(rate), rng) }
}

/// A von Mises draw by Best and Fisher's (1979) rejection sampler on the wrapped Cauchy
/// envelope, centred at μ reduced to [0, 2π) as Stan does (a uniform angle for κ < 1.4e-8).
fn von_mises_draw(mu: f64, kappa: f64, rng: &mut Stream) -> f64 {
    use std::f64::consts::PI;
    if !(mu.is_finite() && kappa >= 0.0 && kappa.is_finite()) {
        return f64::NAN;
    }
    let centre = (mu % (2.0 * PI) + 2.0 * PI) % (2.0 * PI);
    if kappa < 1.4e-8 {
        return centre + (rng.random::<f64>() - 0.5) * 2.0 * PI;
    }
    let tau = 1.0 + (1.0 + 4.0 * kappa * kappa).sqrt();
    let rho = (tau - (2.0 * tau).sqrt()) / (2.0 * kappa);
    let s = (1.0 + rho * rho) / (2.0 * rho);
    let w = loop {
        let z = (PI * rng.random::<f64>()).cos();
        let w = (1.0 + s * z) / (s + z);
        let y = kappa * (s - w);
        let u = open01(rng);
        if y * (2.0 - y) - u > 0.0 || (y / u).ln() + 1.0 - y >= 0.0 {
            break w;
        }
    };
    let sign = if rng.random::<f64>() >= 0.5 { 1.0 } else { -1.0 };
    centre + sign * w.clamp(-1.0, 1.0).acos()
}

macro_rules! rng_functions {
    ($( $variant:ident $name:literal ($($p:ident),*) $kind:ident = |$rng:ident| $body:expr; )*) => {
        /// The distributions `*_rng` functions draw from: one entry each (the only
        /// declaration of it), giving the Stan name, the parameters, whether the draw is an int,
        /// and the sampler, exported as `vppl_rng_<name>(ctx, a, b, c) -> f64`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RngDist {
            $($variant,)*
        }

        impl RngDist {
            pub const ALL: &'static [RngDist] = &[$(RngDist::$variant,)*];

            /// The distribution's Stan name (`normal` for `normal_rng`).
            pub fn name(self) -> &'static str {
                match self {
                    $(RngDist::$variant => $name,)*
                }
            }

            /// The runtime symbol that draws it; every one takes (ctx, a, b, c) and returns a
            /// double.
            pub fn symbol(self) -> &'static str {
                match self {
                    $(RngDist::$variant => concat!("vppl_rng_", $name),)*
                }
            }

            pub fn arity(self) -> usize {
                match self {
                    $(RngDist::$variant => {
                        let params: &[&str] = &[$(stringify!($p)),*];
                        params.len()
                    })*
                }
            }

            /// Whether the draw is an int.
            pub fn discrete(self) -> bool {
                match self {
                    $(RngDist::$variant => stringify!($kind) == "int",)*
                }
            }

            pub fn by_name(name: &str) -> Option<RngDist> {
                RngDist::ALL.iter().copied().find(|d| d.name() == name)
            }

            /// The sampler's address.
            pub fn address(self) -> *const u8 {
                match self {
                    $(RngDist::$variant => {
                        extern "C" fn call(ctx: *mut Ctx, a: f64, b: f64, c: f64) -> f64 {
                            let [$($p,)* ..] = [a, b, c];
                            draw(ctx, |$rng: &mut Stream| $body)
                        }
                        call as *const u8
                    })*
                }
            }
        }
    };
}

use rand::Rng;
use rand_distr as rd;
rng_functions! {
    Normal "normal"(mu, sigma) real = |r| one(rd::Normal::new(mu, sigma), r);
    StdNormal "std_normal"() real = |r| one(rd::Normal::new(0.0, 1.0), r);
    Uniform "uniform"(lo, hi) real = |r| one(rd::Uniform::new(lo, hi), r);
    Exponential "exponential"(rate) real = |r| one(rd::Exp::new(rate), r);
    Gamma "gamma"(shape, rate) real = |r| one(rd::Gamma::new(shape, 1.0 / rate), r);
    InvGamma "inv_gamma"(shape, scale) real = |r| 1.0 / one(rd::Gamma::new(shape, 1.0 / scale), r);
    Beta "beta"(a, b) real = |r| one(rd::Beta::new(a, b), r);
    BetaProportion "beta_proportion"(mu, kappa) real = |r| one(rd::Beta::new(mu * kappa, (1.0 - mu) * kappa), r);
    Lognormal "lognormal"(mu, sigma) real = |r| one(rd::LogNormal::new(mu, sigma), r);
    Cauchy "cauchy"(mu, sigma) real = |r| one(rd::Cauchy::new(mu, sigma), r);
    StudentT "student_t"(nu, mu, sigma) real = |r| mu + sigma * one(rd::StudentT::new(nu), r);
    ChiSquare "chi_square"(nu) real = |r| one(rd::ChiSquared::new(nu), r);
    InvChiSquare "inv_chi_square"(nu) real = |r| 1.0 / one(rd::ChiSquared::new(nu), r);
    ScaledInvChiSquare "scaled_inv_chi_square"(nu, s) real = |r| nu * s * s / one(rd::ChiSquared::new(nu), r);
    Weibull "weibull"(alpha, sigma) real = |r| one(rd::Weibull::new(sigma, alpha), r);
    Frechet "frechet"(alpha, sigma) real = |r| one(rd::Frechet::new(0.0, sigma, alpha), r);
    Gumbel "gumbel"(mu, beta) real = |r| one(rd::Gumbel::new(mu, beta), r);
    Pareto "pareto"(y_min, alpha) real = |r| one(rd::Pareto::new(y_min, alpha), r);
    // Inverse CDFs of a uniform draw.
    Logistic "logistic"(mu, sigma) real = |r| {
        let u = open01(r);
        if sigma > 0.0 { mu + sigma * (u / (1.0 - u)).ln() } else { f64::NAN }
    };
    DoubleExponential "double_exponential"(mu, sigma) real = |r| {
        let u = open01(r) - 0.5;
        if sigma > 0.0 { mu - sigma * u.signum() * (1.0 - 2.0 * u.abs()).ln() } else { f64::NAN }
    };
    SkewDoubleExponential "skew_double_exponential"(mu, sigma, tau) real = |r| {
        let u = open01(r);
        if !(sigma > 0.0 && tau > 0.0 && tau < 1.0) {
            f64::NAN
        } else if u < tau {
            mu + sigma / (2.0 * (1.0 - tau)) * (u / tau).ln()
        } else {
            mu - sigma / (2.0 * tau) * ((1.0 - u) / (1.0 - tau)).ln()
        }
    };
    Rayleigh "rayleigh"(sigma) real = |r| if sigma > 0.0 { sigma * (-2.0 * open01(r).ln()).sqrt() } else { f64::NAN };
    ParetoType2 "pareto_type_2"(mu, lambda, alpha) real = |r| {
        let u = open01(r);
        if lambda > 0.0 && alpha > 0.0 { mu + lambda * ((1.0 - u).powf(-1.0 / alpha) - 1.0) } else { f64::NAN }
    };
    Loglogistic "loglogistic"(alpha, beta) real = |r| {
        let u = open01(r);
        if alpha > 0.0 && beta > 0.0 { alpha * (u / (1.0 - u)).powf(1.0 / beta) } else { f64::NAN }
    };
    VonMises "von_mises"(mu, kappa) real = |r| von_mises_draw(mu, kappa, r);
    // Sums and mixtures of draws.
    ExpModNormal "exp_mod_normal"(mu, sigma, lambda) real = |r| one(rd::Normal::new(mu, sigma), r) + one(rd::Exp::new(lambda), r);
    SkewNormal "skew_normal"(xi, omega, alpha) real = |r| {
        // With δ = α/√(1 + α²), u₀, v standard normal: u₁ = δ u₀ + √(1 − δ²) v, kept or flipped
        // by the sign of u₀, is standard skew-normal.
        let delta = alpha / (1.0 + alpha * alpha).sqrt();
        let (u0, v) = (one(rd::Normal::new(0.0, 1.0), r), one(rd::Normal::new(0.0, 1.0), r));
        let u1 = delta * u0 + (1.0 - delta * delta).sqrt() * v;
        if omega > 0.0 { xi + omega * if u0 >= 0.0 { u1 } else { -u1 } } else { f64::NAN }
    };
    Poisson "poisson"(lambda) int = |r| one(rd::Poisson::new(lambda), r);
    PoissonLog "poisson_log"(alpha) int = |r| one(rd::Poisson::new(alpha.exp()), r);
    Bernoulli "bernoulli"(p) int = |r| rd::Bernoulli::new(p).map_or(f64::NAN, |d| f64::from(u8::from(r.sample(d))));
    BernoulliLogit "bernoulli_logit"(alpha) int = |r| {
        rd::Bernoulli::new(special::inv_logit(alpha)).map_or(f64::NAN, |d| f64::from(u8::from(r.sample(d))))
    };
    Binomial "binomial"(n, p) int = |r| count(rd::Binomial::new(n.max(0.0) as u64, p), r);
    BetaBinomial "beta_binomial"(n, a, b) int = |r| {
        let p = one(rd::Beta::new(a, b), r);
        count(rd::Binomial::new(n.max(0.0) as u64, p), r)
    };
    Hypergeometric "hypergeometric"(n, a, b) int = |r| {
        count(rd::Hypergeometric::new((a + b).max(0.0) as u64, a.max(0.0) as u64, n.max(0.0) as u64), r)
    };
    DiscreteRange "discrete_range"(lo, hi) int = |r| {
        if lo <= hi { r.random_range(lo as i64..=hi as i64) as f64 } else { f64::NAN }
    };
    NegBinomial "neg_binomial"(alpha, beta) int = |r| poisson_of(one(rd::Gamma::new(alpha, 1.0 / beta), r), r);
    NegBinomial2 "neg_binomial_2"(mu, phi) int = |r| poisson_of(one(rd::Gamma::new(phi, mu / phi), r), r);
    NegBinomial2Log "neg_binomial_2_log"(eta, phi) int = |r| poisson_of(one(rd::Gamma::new(phi, eta.exp() / phi), r), r);
    BetaNegBinomial "beta_neg_binomial"(n, a, b) int = |r| {
        // The success probability p from Beta(α, β), then the failures before n successes.
        let p = one(rd::Beta::new(a, b), r);
        poisson_of(one(rd::Gamma::new(n, (1.0 - p) / p), r), r)
    };
}

// ---- element-wise helpers on whole buffers -----------------------------------------------------

/// # Safety
/// Both pointers valid for `n` elements.
pub unsafe extern "C" fn vppl_copy(dst: *mut f64, src: *const f64, n: i64) {
    unsafe { std::ptr::copy(src, dst, n.max(0) as usize) };
}

/// dst += src
///
/// # Safety
/// Both pointers valid for `n` elements.
pub unsafe extern "C" fn vppl_acc_add(dst: *mut f64, src: *const f64, n: i64) {
    let n = n.max(0) as usize;
    let (d, s) = unsafe { (std::slice::from_raw_parts_mut(dst, n), std::slice::from_raw_parts(src, n)) };
    for (a, b) in d.iter_mut().zip(s) {
        *a += *b;
    }
}

/// # Safety
/// `dst` valid for `n` elements.
pub unsafe extern "C" fn vppl_zero(dst: *mut f64, n: i64) {
    unsafe { std::slice::from_raw_parts_mut(dst, n.max(0) as usize) }.fill(0.0);
}

// ---- linear algebra kernels (column-major) -----------------------------------------------------

macro_rules! slice {
    ($p:expr, $n:expr) => {
        unsafe { std::slice::from_raw_parts($p, ($n).max(0) as usize) }
    };
    (mut $p:expr, $n:expr) => {
        unsafe { std::slice::from_raw_parts_mut($p, ($n).max(0) as usize) }
    };
}

/// y = A x, A r×c.
///
/// # Safety
/// Pointers valid for the given sizes.
pub unsafe extern "C" fn vppl_matvec(y: *mut f64, a: *const f64, r: i64, c: i64, x: *const f64) {
    linalg::matvec(slice!(a, r * c), r as usize, c as usize, slice!(x, c), slice!(mut y, r));
}

/// y = xᵀ A (a row vector), A r×c, x of length r.
///
/// # Safety
/// Pointers valid for the given sizes.
pub unsafe extern "C" fn vppl_vecmat(y: *mut f64, x: *const f64, a: *const f64, r: i64, c: i64) {
    linalg::matvec_t(slice!(a, r * c), r as usize, c as usize, slice!(x, r), slice!(mut y, c));
}

/// C = A B, A m×k, B k×n.
///
/// # Safety
/// Pointers valid for the given sizes.
pub unsafe extern "C" fn vppl_matmul(c: *mut f64, a: *const f64, b: *const f64, m: i64, k: i64, n: i64) {
    linalg::matmul(slice!(a, m * k), slice!(b, k * n), m as usize, k as usize, n as usize, slice!(mut c, m * n));
}

/// acc += Aᵀ g, A r×c.
///
/// # Safety
/// Pointers valid for the given sizes.
pub unsafe extern "C" fn vppl_acc_mat_t_vec(acc: *mut f64, a: *const f64, r: i64, c: i64, g: *const f64) {
    linalg::matvec_t_acc(slice!(a, r * c), r as usize, c as usize, slice!(g, r), slice!(mut acc, c));
}

/// acc += A g, A r×c.
///
/// # Safety
/// Pointers valid for the given sizes.
pub unsafe extern "C" fn vppl_acc_mat_vec(acc: *mut f64, a: *const f64, r: i64, c: i64, g: *const f64) {
    linalg::matvec_acc(slice!(a, r * c), r as usize, c as usize, slice!(g, c), slice!(mut acc, r));
}

/// acc (r×c) += x yᵀ.
///
/// # Safety
/// Pointers valid for the given sizes.
pub unsafe extern "C" fn vppl_acc_outer(acc: *mut f64, r: i64, c: i64, x: *const f64, y: *const f64) {
    linalg::rank1_update(1.0, slice!(x, r), slice!(y, c), slice!(mut acc, r * c), r as usize, c as usize);
}

/// acc (m×k) += G Bᵀ, G m×n, B k×n.
///
/// # Safety
/// Pointers valid for the given sizes.
pub unsafe extern "C" fn vppl_acc_matmul_bt(acc: *mut f64, g: *const f64, b: *const f64, m: i64, n: i64, k: i64) {
    linalg::matmul_nt_acc(
        slice!(g, m * n),
        slice!(b, k * n),
        m as usize,
        n as usize,
        k as usize,
        slice!(mut acc, m * k),
    );
}

/// acc (k×n) += Aᵀ G, A m×k, G m×n.
///
/// # Safety
/// Pointers valid for the given sizes.
pub unsafe extern "C" fn vppl_acc_mat_t_mul(acc: *mut f64, a: *const f64, g: *const f64, m: i64, k: i64, n: i64) {
    // In linalg's naming the transposed factor is k×m: here A is m×k, so the roles swap.
    linalg::matmul_tn_acc(
        slice!(a, m * k),
        slice!(g, m * n),
        k as usize,
        m as usize,
        n as usize,
        slice!(mut acc, k * n),
    );
}

/// L = chol(A); returns 0 if A is not symmetric positive definite.
///
/// # Safety
/// Pointers valid for n×n elements.
pub unsafe extern "C" fn vppl_cholesky(l: *mut f64, a: *const f64, n: i64) -> i64 {
    i64::from(linalg::cholesky(slice!(a, n * n), n as usize, slice!(mut l, n * n)).is_ok())
}

/// acc(A) += adjoint of the Cholesky factorisation given L and adj(L).
///
/// # Safety
/// Pointers valid for n×n elements.
pub unsafe extern "C" fn vppl_acc_cholesky(acc: *mut f64, l: *const f64, l_adj: *const f64, n: i64) {
    linalg::cholesky_adjoint_symmetric(slice!(l, n * n), slice!(l_adj, n * n), n as usize, slice!(mut acc, n * n));
}

/// x = L⁻¹ v.
///
/// # Safety
/// Pointers valid for the given sizes.
pub unsafe extern "C" fn vppl_tri_solve(x: *mut f64, l: *const f64, v: *const f64, n: i64) {
    let x = slice!(mut x, n);
    x.copy_from_slice(slice!(v, n));
    linalg::solve_lower(slice!(l, n * n), n as usize, x);
}

/// Adjoint of x = L⁻¹ v: w = L⁻ᵀ g; acc_v += w; acc_l −= lower(w xᵀ). Null accumulators are
/// skipped.
///
/// # Safety
/// Pointers valid for the given sizes (accumulators may be null).
pub unsafe extern "C" fn vppl_acc_tri_solve(
    acc_v: *mut f64,
    acc_l: *mut f64,
    l: *const f64,
    x: *const f64,
    g: *const f64,
    n: i64,
) {
    let nn = n.max(0) as usize;
    let mut w = slice!(g, n).to_vec();
    linalg::solve_lower_t(slice!(l, n * n), nn, &mut w);
    if !acc_v.is_null() {
        for (a, b) in slice!(mut acc_v, n).iter_mut().zip(&w) {
            *a += *b;
        }
    }
    if !acc_l.is_null() {
        let x = slice!(x, n);
        let acc = slice!(mut acc_l, n * n);
        for j in 0..nn {
            for i in j..nn {
                acc[j * nn + i] -= w[i] * x[j];
            }
        }
    }
}

/// out = A⁻¹, A n×n.
///
/// # Safety
/// Pointers valid for n×n elements.
pub unsafe extern "C" fn vppl_inverse(out: *mut f64, a: *const f64, n: i64) {
    linalg::inverse(slice!(a, n * n), n as usize, slice!(mut out, n * n));
}

/// acc += −Cᵀ G Cᵀ (the adjoint of C = A⁻¹).
///
/// # Safety
/// Pointers valid for n×n elements.
pub unsafe extern "C" fn vppl_acc_inverse(acc: *mut f64, c: *const f64, g: *const f64, n: i64) {
    linalg::inverse_adjoint(slice!(c, n * n), slice!(g, n * n), n as usize, slice!(mut acc, n * n));
}

/// det A, A n×n.
///
/// # Safety
/// `a` valid for n×n elements.
pub unsafe extern "C" fn vppl_determinant(a: *const f64, n: i64) -> f64 {
    linalg::determinant(slice!(a, n * n), n as usize)
}

/// ln |det A|, A n×n.
///
/// # Safety
/// `a` valid for n×n elements.
pub unsafe extern "C" fn vppl_log_determinant(a: *const f64, n: i64) -> f64 {
    linalg::log_determinant(slice!(a, n * n), n as usize)
}

/// acc += s A⁻ᵀ (the adjoint of a determinant or log-determinant).
///
/// # Safety
/// Pointers valid for n×n elements.
pub unsafe extern "C" fn vppl_acc_inverse_t(acc: *mut f64, a: *const f64, s: f64, n: i64) {
    linalg::inverse_transpose_acc(slice!(a, n * n), n as usize, s, slice!(mut acc, n * n));
}

/// The ascending eigenvalues of the symmetric A (n×n).
///
/// # Safety
/// `out` valid for n elements, `a` for n×n.
pub unsafe extern "C" fn vppl_eigenvalues_sym(out: *mut f64, a: *const f64, n: i64) {
    let (values, _) = linalg::eigen_sym(slice!(a, n * n), n as usize);
    slice!(mut out, n).copy_from_slice(&values);
}

/// The eigenvectors (columns, in the eigenvalues' ascending order) of the symmetric A (n×n).
///
/// # Safety
/// Pointers valid for n×n elements.
pub unsafe extern "C" fn vppl_eigenvectors_sym(out: *mut f64, a: *const f64, n: i64) {
    let (_, vectors) = linalg::eigen_sym(slice!(a, n * n), n as usize);
    slice!(mut out, n * n).copy_from_slice(vectors.as_slice());
}

/// acc += the adjoint of the eigenvalues (`values`) or eigenvectors of A, given theirs, `g`.
///
/// # Safety
/// `acc` and `a` valid for n×n elements, `g` for n (values) or n×n (vectors).
pub unsafe extern "C" fn vppl_acc_eigen_sym(acc: *mut f64, a: *const f64, g: *const f64, n: i64, values: i64) {
    let (a, acc) = (slice!(a, n * n), slice!(mut acc, n * n));
    if values != 0 {
        linalg::eigenvalues_sym_adjoint(a, n as usize, slice!(g, n), acc);
    } else {
        linalg::eigenvectors_sym_adjoint(a, n as usize, slice!(g, n * n), acc);
    }
}

/// The singular values of A (r×c) in descending order: min(r, c) of them.
///
/// # Safety
/// `out` valid for min(r, c) elements, `a` for r×c.
pub unsafe extern "C" fn vppl_singular_values(out: *mut f64, a: *const f64, r: i64, c: i64) {
    let (_, values, _) = linalg::svd(slice!(a, r * c), r as usize, c as usize);
    slice!(mut out, r.min(c)).copy_from_slice(&values);
}

/// acc += U diag(g) Vᵀ (the adjoint of the singular values of A, r×c).
///
/// # Safety
/// `acc` and `a` valid for r×c elements, `g` for min(r, c).
pub unsafe extern "C" fn vppl_acc_singular_values(acc: *mut f64, a: *const f64, g: *const f64, r: i64, c: i64) {
    let g = slice!(g, r.min(c));
    linalg::singular_values_adjoint(slice!(a, r * c), r as usize, c as usize, g, slice!(mut acc, r * c));
}

/// out = exp(A), A n×n.
///
/// # Safety
/// Pointers valid for n×n elements.
pub unsafe extern "C" fn vppl_matrix_exp(out: *mut f64, a: *const f64, n: i64) {
    linalg::matrix_exp(slice!(a, n * n), n as usize, slice!(mut out, n * n));
}

/// acc += the adjoint of exp(A) given adj(exp(A)) = g.
///
/// # Safety
/// Pointers valid for n×n elements.
pub unsafe extern "C" fn vppl_acc_matrix_exp(acc: *mut f64, a: *const f64, g: *const f64, n: i64) {
    linalg::matrix_exp_adjoint(slice!(a, n * n), n as usize, slice!(g, n * n), slice!(mut acc, n * n));
}

// ---- scalar functions (the table's are `stdlib::scalar`'s) ------------------------------------------

/// 1/x. Compiled code calls this for a reciprocal hoisted out of a loop: Cranelift would move a
/// division by a loop-invariant value back into the loop (it places an operation that uses a
/// rematerialised constant where the constant is used), and a call stays where it is.
pub extern "C" fn vppl_recip(x: f64) -> f64 {
    1.0 / x
}

/// Every symbol compiled code may call, with its address, for the JIT's symbol table and for
/// linking standalone executables.
pub fn symbols() -> Vec<(&'static str, *const u8)> {
    let table = Fun::ALL.iter().map(|f| (f.symbol(), f.native().address()));
    let rngs = RngDist::ALL.iter().map(|d| (d.symbol(), d.address()));
    vec![
        ("vppl_alloc", vppl_alloc as *const u8),
        ("vppl_push_f64", vppl_push_f64 as *const u8),
        ("vppl_pop_f64", vppl_pop_f64 as *const u8),
        ("vppl_push_i64", vppl_push_i64 as *const u8),
        ("vppl_pop_i64", vppl_pop_i64 as *const u8),
        ("vppl_push_all", vppl_push_all as *const u8),
        ("vppl_pop_all", vppl_pop_all as *const u8),
        ("vppl_error", vppl_error as *const u8),
        ("vppl_print", vppl_print as *const u8),
        ("vppl_copy", vppl_copy as *const u8),
        ("vppl_acc_add", vppl_acc_add as *const u8),
        ("vppl_zero", vppl_zero as *const u8),
        ("vppl_matvec", vppl_matvec as *const u8),
        ("vppl_vecmat", vppl_vecmat as *const u8),
        ("vppl_matmul", vppl_matmul as *const u8),
        ("vppl_acc_mat_t_vec", vppl_acc_mat_t_vec as *const u8),
        ("vppl_acc_mat_vec", vppl_acc_mat_vec as *const u8),
        ("vppl_acc_outer", vppl_acc_outer as *const u8),
        ("vppl_acc_matmul_bt", vppl_acc_matmul_bt as *const u8),
        ("vppl_acc_mat_t_mul", vppl_acc_mat_t_mul as *const u8),
        ("vppl_cholesky", vppl_cholesky as *const u8),
        ("vppl_acc_cholesky", vppl_acc_cholesky as *const u8),
        ("vppl_tri_solve", vppl_tri_solve as *const u8),
        ("vppl_acc_tri_solve", vppl_acc_tri_solve as *const u8),
        ("vppl_inverse", vppl_inverse as *const u8),
        ("vppl_acc_inverse", vppl_acc_inverse as *const u8),
        ("vppl_determinant", vppl_determinant as *const u8),
        ("vppl_log_determinant", vppl_log_determinant as *const u8),
        ("vppl_acc_inverse_t", vppl_acc_inverse_t as *const u8),
        ("vppl_eigenvalues_sym", vppl_eigenvalues_sym as *const u8),
        ("vppl_eigenvectors_sym", vppl_eigenvectors_sym as *const u8),
        ("vppl_acc_eigen_sym", vppl_acc_eigen_sym as *const u8),
        ("vppl_singular_values", vppl_singular_values as *const u8),
        ("vppl_acc_singular_values", vppl_acc_singular_values as *const u8),
        ("vppl_matrix_exp", vppl_matrix_exp as *const u8),
        ("vppl_acc_matrix_exp", vppl_acc_matrix_exp as *const u8),
        ("vppl_recip", vppl_recip as *const u8),
    ]
    .into_iter()
    .chain(table)
    .chain(rngs)
    .collect()
}

// The offsets compiled code uses must match the struct.
const _: () = {
    assert!(std::mem::offset_of!(Ctx, slots) == CTX_SLOTS_OFFSET as usize);
    assert!(std::mem::offset_of!(Ctx, error_site) == CTX_ERROR_SITE_OFFSET as usize);
    assert!(std::mem::offset_of!(Ctx, error_values) == CTX_ERROR_VALUES_OFFSET as usize);
};
