//! Summary statistics of the draws, the printed table and the JSON.

use runtime::OutputName;
use runtime::advi::{AdviResult, Algorithm, Approximation, Scale};
use runtime::summary::{print_summary, summarize, summary_json};

fn names() -> Vec<OutputName> {
    vec![
        OutputName { name: "mu".to_string(), indices: vec![], part: None },
        OutputName { name: "theta".to_string(), indices: vec![1], part: None },
        OutputName { name: "Sigma".to_string(), indices: vec![2, 1], part: None },
    ]
}

/// Row 0 is the mean of q and must not count; then 1..=101 for mu, their squares / 1000 for
/// theta[1], and a constant for Sigma[2,1].
fn rows() -> Vec<Vec<f64>> {
    let mut rows = vec![vec![1e9, 1e9, 1e9]];
    for i in 1..=101 {
        let x = i as f64;
        rows.push(vec![x, x * x / 1000.0, -2.5]);
    }
    rows
}

#[test]
fn statistics_leave_out_the_mean_row_and_use_type_7_quantiles() {
    let summaries = summarize(&names(), &rows());
    let mu = &summaries[0];
    assert_eq!(mu.name, "mu");
    assert_eq!(mu.mean, 51.0);
    // sd of 1..=101 with the n - 1 denominator: sqrt(101 * 102 / 12).
    assert!((mu.sd - (101.0f64 * 102.0 / 12.0).sqrt()).abs() < 1e-12);
    // Type 7: position (n - 1) p = 5 → the 6th value; 50 → the 51st; 95 → the 96th.
    assert_eq!((mu.q5, mu.q50, mu.q95), (6.0, 51.0, 96.0));
    assert_eq!(summaries[2].name, "Sigma[2,1]");
    assert_eq!(summaries[2].sd, 0.0);

    // An interpolated quantile: 10 values, p = 0.05 → position 0.45.
    let ten: Vec<Vec<f64>> = std::iter::once(vec![0.0]).chain((1..=10).map(|i| vec![i as f64])).collect();
    let s = &summarize(&names()[..1], &ten)[0];
    assert!((s.q5 - 1.45).abs() < 1e-12 && (s.q50 - 5.5).abs() < 1e-12 && (s.q95 - 9.55).abs() < 1e-12);
}

#[test]
fn table() {
    let mut out = Vec::new();
    print_summary(&mut out, &summarize(&names(), &rows()), 3).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r#"
            Mean    SD     5%   50%   95%

mu            51  29.3      6    51    96
theta[1]    3.45  3.08  0.036   2.6  9.22
Sigma[2,1]  -2.5     0   -2.5  -2.5  -2.5
"#);
}

#[test]
fn json() {
    let fit = AdviResult {
        algorithm: Algorithm::MeanField,
        approximation: Approximation { mu: vec![0.0], scale: Scale::MeanField { omega: vec![0.0] } },
        elbo: -7.25,
        elbo_trace: vec![],
        iterations: 300,
        converged: true,
        eta: 1.0,
        draws: vec![],
        log_p: vec![],
        log_g: vec![],
    };
    let json = summary_json(&fit, &summarize(&names(), &rows()), 12.5);
    insta::assert_snapshot!(serde_json::to_string_pretty(&json).unwrap(), @r#"
{
  "compile_ms": 12.5,
  "converged": true,
  "elbo": -7.25,
  "iterations": 300,
  "parameters": {
    "Sigma[2,1]": {
      "mean": -2.5,
      "q5": -2.5,
      "q50": -2.5,
      "q95": -2.5,
      "sd": 0.0
    },
    "mu": {
      "mean": 51.0,
      "q5": 6.0,
      "q50": 51.0,
      "q95": 96.0,
      "sd": 29.300170647967224
    },
    "theta[1]": {
      "mean": 3.451,
      "q5": 0.036,
      "q50": 2.601,
      "q95": 9.216,
      "sd": 3.0847110561606903
    }
  }
}
"#);
}
