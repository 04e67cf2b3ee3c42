//! Stan's Wiener first-passage-time densities (`wiener_lpdf` with 4, 5 and 7 parameters): values
//! against mpmath, gradients against finite differences through the whole compiler, in the
//! small-time and the large-time regimes of the series and with containers; Stan's domain
//! errors; and what `~` drops.

use runtime::Model;
use tests::{assert_gradient_matches, load_text, point};

/// `wiener_lpdf(row)`, against mpmath (`tests/reference/wiener.py`: the four-parameter density
/// by the large-time series alone, the five-parameter one by quadrature over the drift, the
/// seven-parameter one by quadrature over the start and the non-decision time).
const VALUES: &[(&str, f64)] = &[
    // wiener(y | alpha, tau, beta, delta)
    ("1.1 | 2.1, 0.3, 0.55, 0.4", -0.8929764318705039),
    ("2.1 | 4.1, 0.6, 0.05, 0.1", -5.289339225848326),
    ("1.2 | 10.1, 0.35, 0.95, 0.5", -1.3621216945471397),
    ("50.1 | 4.3, 1.05, 0.65, 0.15", -15.304936872201552),
    ("1.51 | 1.1, 0.9, 0.2, 10.5", -26.453185227547664),
    ("0.35 | 1.5, 0.3, 0.45, 0.7", -2.858712015521143),
    ("1.0 | 1.0, 0.75, 0.3, -0.8", -1.000661543060581),
    ("5.0 | 0.5, 0.2, 0.5, 1.0", -94.36717800348855),
    ("0.9 | 1.2, 0.2, 0.000001, 0.3", -13.964057451953492),
    ("0.9 | 1.2, 0.2, 0.999999, 0.3", -14.318063605422058),
    ("0.31 | 0.8, 0.3, 0.02, -2.0", -26.6592112859541),
    ("0.6 | 0.5, 0.1, 0.97, 1.5", -10.24188904483855),
    // wiener(y | alpha, tau, beta, delta, sv)
    ("1.1 | 2.1, 0.3, 0.55, 0.4, 0.5", -0.9434471061008146),
    ("0.35 | 1.5, 0.3, 0.45, 0.7, 1.2", -2.4743034050544037),
    ("3.0 | 1.0, 0.2, 0.3, -1.0, 0.8", -14.094019262308056),
    ("1.0 | 1.0, 0.2, 0.6, 0.5, 0", -2.7532847834899834),
    // wiener(y | alpha, tau, beta, delta, sv, sw, st0)
    ("1.1 | 2.1, 0.3, 0.55, 0.4, 0.5, 0.2, 0.15", -0.8457390945068414),
    ("0.6 | 1.0, 0.25, 0.4, 1.5, 0, 0.3, 0.5", 0.157479896620257),
    ("1.0 | 1.5, 0.3, 0.5, -0.5, 0.3, 0, 0.2", -1.4025306194575498),
    ("1.0 | 1.5, 0.3, 0.5, -0.5, 0.3, 0.4, 0", -1.7055109879830226),
    ("1.0 | 1.5, 0.3, 0.5, -0.5, 0.3, 0, 0", -1.6433106227934475),
    ("0.45 | 0.7, 0.2, 0.3, 2.0, 1.0, 0.5, 0.1", 0.027309788055946825),
];

#[test]
fn values_match_mpmath() {
    for (args, want) in VALUES {
        let expr = format!("wiener_lpdf({args})");
        let program = format!("parameters {{ real unused; }}\nmodel {{ target += {expr}; }}\n");
        let model = load_text(&program).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let got = model.log_density(&[0.0], false).unwrap_or_else(|e| panic!("{expr}: {e}"));
        // The quadrature of the seven-parameter density is asked for 1e-12.
        let tol = if args.matches(',').count() > 5 { 1e-11 } else { 1e-13 };
        assert!((got - want).abs() <= tol * want.abs().max(1.0), "{expr} = {got}, want {want}");
    }
}

/// Each argument a parameter: `wiener_lpdf(centre₀ + p₁ | centre₁ + p₂, ...)` at p near 0, so
/// the gradient in p is the density's in its arguments.
fn gradient_case(centres: &[&str], what: &str) {
    let n = centres.len();
    let args: Vec<String> = centres.iter().enumerate().map(|(i, c)| format!("{c} + p[{}]", i + 1)).collect();
    let program = format!(
        "parameters {{ vector[{n}] p; }}\nmodel {{ target += wiener_lpdf({} | {}); }}\n",
        args[0],
        args[1..].join(", ")
    );
    let model = load_text(&program).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_gradient_matches(&model, &point(n, 7, 0.01), what);
}

#[test]
fn gradients_match_finite_differences() {
    // t / α² from 0.02 (a few images of the small-time series) through the switch at 1/4 to
    // 2.7 (the large-time series), starts near either boundary.
    gradient_case(&["0.35", "1.5", "0.3", "0.45", "0.7"], "short time");
    gradient_case(&["1.1", "2.1", "0.3", "0.55", "0.4"], "short time, Stan's test point");
    gradient_case(&["1.0", "1.0", "0.75", "0.3", "-0.8"], "at the switch of series");
    gradient_case(&["50.1", "4.3", "1.05", "0.65", "0.15"], "long time");
    gradient_case(&["0.9", "1.2", "0.2", "0.03", "0.3"], "long time, start near the lower boundary");
    gradient_case(&["0.4", "1.2", "0.2", "0.96", "0.3"], "short time, start near the upper boundary");
    gradient_case(&["0.35", "1.5", "0.3", "0.45", "0.7", "1.2"], "drift variability, short time");
    gradient_case(&["3.0", "1.0", "0.2", "0.3", "-1.0", "0.8"], "drift variability, long time");
    gradient_case(&["1.1", "2.1", "0.3", "0.55", "0.4", "0.5", "0.2", "0.15"], "seven parameters");
    gradient_case(&["0.6", "1.0", "0.25", "0.4", "1.5", "0.1", "0.3", "0.5"], "non-decision times past the response");
    gradient_case(&["0.45", "0.7", "0.2", "0.3", "2.0", "1.0", "0.5", "0.1"], "seven parameters, strong drift");
}

/// Vectorised calls: containers and scalars mixed, each element its own point.
#[test]
fn vectorised_gradients_match_finite_differences() {
    let cases = [
        (
            "vector[3] y; real a; real tau; real b; real d;",
            "wiener_lpdf([0.35, 1.1, 3.0]' + y | 1.5 + a, 0.3 + tau, 0.45 + b, 0.7 + d)",
            7,
        ),
        (
            "array[3] real y; vector[3] a; row_vector[3] tau; array[3] real b; vector[3] d;",
            "wiener_lpdf({0.35 + y[1], 1.1 + y[2], 3.0 + y[3]} | [1.5, 2.1, 1.0]' + a, [0.3, 0.3, 0.2] + tau, \
             {0.45 + b[1], 0.55 + b[2], 0.3 + b[3]}, [0.7, 0.4, -1.0]' + d)",
            15,
        ),
        (
            "vector[2] y; vector[2] a; vector[2] tau; vector[2] b; vector[2] d; vector[2] sv;",
            "wiener_lpdf([0.35, 3.0]' + y | [1.5, 1.0]' + a, [0.3, 0.2]' + tau, [0.45, 0.3]' + b, [0.7, -1.0]' + d, [1.2, 0.8]' + sv)",
            12,
        ),
        (
            "vector[2] y; vector[2] a; vector[2] tau; vector[2] b; vector[2] d; vector[2] sv; vector[2] sw; vector[2] st0;",
            "wiener_lpdf([1.1, 0.6]' + y | [2.1, 1.0]' + a, [0.3, 0.25]' + tau, [0.55, 0.4]' + b, [0.4, 1.5]' + d, \
             [0.5, 0.1]' + sv, [0.2, 0.3]' + sw, [0.15, 0.5]' + st0)",
            16,
        ),
    ];
    for (decls, expr, n) in cases {
        let program = format!("parameters {{ {decls} }}\nmodel {{ target += {expr}; }}\n");
        let model = load_text(&program).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert_gradient_matches(&model, &point(n, 11, 0.01), expr);
    }
}

/// The error a call raises, at load (checks of data alone run there) or at evaluation.
fn error_of(expr: &str) -> String {
    let program = format!("parameters {{ real unused; }}\nmodel {{ target += {expr}; }}\n");
    match load_text(&program) {
        Err(e) => e,
        Ok(model) => match model.log_density(&[0.0], false) {
            Err(e) => e.message,
            Ok(v) => panic!("{expr} = {v}, want an error"),
        },
    }
}

#[test]
fn arguments_out_of_domain_are_errors() {
    let cases = [
        ("wiener_lpdf(0.1 | 1, 0.2, 0.5, 1)", "argument 1 is 0.1, but must be greater than the non-decision time"),
        ("wiener_lpdf(-1 | 1, 0.2, 0.5, 1)", "argument 1 is -1, but must be positive"),
        ("wiener_lpdf(1 | 0, 0.2, 0.5, 1)", "argument 2 is 0, but must be positive and finite"),
        ("wiener_lpdf(1 | 1, 0, 0.5, 1)", "argument 3 is 0, but must be positive and finite"),
        ("wiener_lpdf(1 | 1, 0.2, 1.5, 1)", "argument 4 is 1.5, but must be in [0, 1]"),
        ("wiener_lpdf(1 | 1, 0.2, 0.5, positive_infinity())", "argument 5 is inf, but must be finite"),
        (
            "wiener_lpdf([1, 0.1]' | 1, 0.2, 0.5, 1)",
            "argument 1 is 0.1, but must be greater than the non-decision time",
        ),
        ("wiener_lpdf(1 | 1, {0.2, 1.5}, 0.5, 1)", "argument 1 is 1, but must be greater than the non-decision time"),
        ("wiener_lpdf(1 | 1, 0.2, 0, 1, 0.5)", "argument 4 is 0, but must be in (0, 1)"),
        ("wiener_lpdf(1 | 1, 0.2, 0.5, 1, -1)", "argument 6 is -1, but must be non-negative and finite"),
        ("wiener_lpdf(positive_infinity() | 1, 0.2, 0.5, 1, 1)", "argument 1 is inf, but must be positive and finite"),
        ("wiener_lpdf(1 | 1, -0.1, 0.5, 1, 1, 0.1, 0.1)", "argument 3 is -0.1, but must be non-negative and finite"),
        ("wiener_lpdf(1 | 1, 0.2, 0.5, 1, 1, 1.2, 0.1)", "argument 7 is 1.2, but must be in [0, 1]"),
        ("wiener_lpdf(1 | 1, 0.2, 0.3, 1, 1, 0.8, 0.1)", "argument 7 is 0.8, but must be less than twice the distance"),
        ("wiener_lpdf(1 | 1, 0.2, 0.5, 1, 1, 0.1, -1)", "argument 8 is -1, but must be non-negative and finite"),
        (
            "wiener_lpdf(0.3 | 1, 0.3, 0.5, 1, 1, 0.1, 0.1)",
            "argument 1 is 0.3, but must be greater than the non-decision time",
        ),
    ];
    for (expr, want) in cases {
        let got = error_of(expr);
        assert!(got.contains(want), "{expr}: `{got}`, want `{want}`");
    }
}

/// At the edges of their domains the densities are numbers, not errors: a non-decision time of
/// 0 and widths of 0 in the newer forms; a start on a boundary (density 0) in the older one.
#[test]
fn edges_of_the_domain_are_values() {
    let cases = [
        ("wiener_lpdf(1 | 1, 0.2, 0, 1)", f64::NEG_INFINITY),
        ("wiener_lpdf(1 | 1, 0.2, 1, 1)", f64::NEG_INFINITY),
        ("wiener_lpdf(0.8 | 1, 0, 0.6, 0.5, 0)", -2.7532847834899834),
        ("wiener_lpdf(0.8 | 1, 0, 0.6, 0.5, 0, 0, 0)", -2.7532847834899834),
    ];
    for (expr, want) in cases {
        let program = format!("parameters {{ real unused; }}\nmodel {{ target += {expr}; }}\n");
        let model = load_text(&program).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let got = model.log_density(&[0.0], false).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert!(got == want || (got - want).abs() <= 1e-13 * want.abs(), "{expr} = {got}, want {want}");
    }
}

/// Stan's `~` drops a Wiener density only when every argument is data (it has no term of some
/// arguments alone): with one parameter among them, `~` and `_lupdf` keep it whole.
#[test]
fn tilde_drops_only_densities_of_data() {
    let value = |model_block: &str, theta: f64| {
        let program = format!("parameters {{ real<lower=1, upper=3> a; }}\nmodel {{ {model_block} }}\n");
        let model = load_text(&program).unwrap_or_else(|e| panic!("{model_block}: {e}"));
        (model.log_density(&[theta], true).unwrap(), model.log_density(&[theta], false).unwrap())
    };
    let lpdf = value("target += wiener_lpdf(1.1 | a, 0.3, 0.55, 0.4);", 0.3);
    for written in ["1.1 ~ wiener(a, 0.3, 0.55, 0.4);", "target += wiener_lupdf(1.1 | a, 0.3, 0.55, 0.4);"] {
        let got = value(written, 0.3);
        assert!((got.0 - lpdf.0).abs() <= 1e-14 && (got.1 - lpdf.1).abs() <= 1e-14, "{written}: {got:?} vs {lpdf:?}");
    }
    // All data: nothing under `~`, everything under `_lpdf` and in the full log density.
    for args in ["2.1, 0.3, 0.55, 0.4", "2.1, 0.3, 0.55, 0.4, 0.5", "2.1, 0.3, 0.55, 0.4, 0.5, 0.2, 0.1"] {
        let (tilde, tilde_full) = value(&format!("a ~ normal(2, 1); 1.1 ~ wiener({args});"), 0.3);
        let (prior, prior_full) = value("a ~ normal(2, 1);", 0.3);
        let (_, lpdf_full) = value(&format!("a ~ normal(2, 1); target += wiener_lpdf(1.1 | {args});"), 0.3);
        assert!((tilde - prior).abs() <= 1e-14, "{args}: {tilde} vs {prior}");
        assert!((tilde_full - lpdf_full).abs() <= 1e-12, "{args}: {tilde_full} vs {lpdf_full}");
        assert!(lpdf_full < prior_full - 0.5, "{args}: the density is in the full log density");
    }
}
