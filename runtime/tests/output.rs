//! The variational CSV and the ELBO trace: exact text, and that it reads back.

mod common;

use std::path::PathBuf;

use common::{CorrelatedGaussian, TruncatedNormalWithDomainErrors};
use runtime::Model;
use runtime::advi::{AdviConfig, AdviResult, Algorithm, Approximation, ElboPoint, Scale, constrained_draws, run_advi};
use runtime::output::{
    CsvHeader, RunMethod, check_writable, format_g, parse_stan_csv, write_elbo_trace, write_elbo_trace_to,
    write_variational_csv, write_variational_csv_to,
};

/// A small fit with hand-picked numbers, so the snapshot shows the formatting of each kind of
/// value (integers, decimals, tiny and huge magnitudes, infinities).
fn fake_fit() -> AdviResult {
    AdviResult {
        algorithm: Algorithm::MeanField,
        approximation: Approximation { mu: vec![0.5, -1.25], scale: Scale::MeanField { omega: vec![0.0, 0.1] } },
        elbo: -12.345678,
        elbo_trace: vec![
            ElboPoint { iter: 100, time_in_seconds: 0.003, elbo: -15.0 },
            ElboPoint { iter: 200, time_in_seconds: 0.006, elbo: -12.345678 },
        ],
        iterations: 200,
        converged: true,
        eta: 0.1,
        draws: vec![vec![0.5, -1.25], vec![0.25, -1.0], vec![1.0, -3.0], vec![0.0, 2.0]],
        log_p: vec![0.0, -3.4567891234, -1e-7, f64::NEG_INFINITY],
        log_g: vec![0.0, -0.5, -2.25, -123456789.0],
    }
}

fn fake_header() -> CsvHeader {
    let config = AdviConfig { seed: 1234, ..AdviConfig::default() };
    CsvHeader {
        start_datetime: "2026-01-02 03:04:05 UTC".to_string(),
        data_file: "model.data.json".to_string(),
        output_file: "out.csv".to_string(),
        stanc_version: "vppl 0.1.0".to_string(),
        ..CsvHeader::new("model_model", RunMethod::StanAdvi(config.clone()))
    }
}

fn names() -> Vec<runtime::OutputName> {
    vec![
        runtime::OutputName { name: "sigma".to_string(), indices: vec![], part: None },
        runtime::OutputName { name: "Sigma".to_string(), indices: vec![2, 1], part: None },
    ]
}

fn fake_constrained() -> Vec<Vec<f64>> {
    vec![
        vec![1.6487212707, 0.001],
        vec![1.2840254167, 1e-5],
        vec![std::f64::consts::E, 123456789.0],
        vec![1.0, f64::NAN],
    ]
}

#[test]
fn csv_has_cmdstans_layout() {
    let mut out = Vec::new();
    write_variational_csv_to(&mut out, &fake_header(), &names(), &fake_fit(), &fake_constrained()).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap(), @"
    # stan_version_major = 2
    # stan_version_minor = 37
    # stan_version_patch = 0
    # model = model_model
    # start_datetime = 2026-01-02 03:04:05 UTC
    # method = variational
    #   variational
    #     algorithm = meanfield (Default)
    #       meanfield
    #     engine = stan-advi
    #     iter = 10000 (Default)
    #     grad_samples = 1 (Default)
    #     elbo_samples = 100 (Default)
    #     eta = 1 (Default)
    #     adapt
    #       engaged = true (Default)
    #       iter = 50 (Default)
    #     tol_rel_obj = 0.01 (Default)
    #     eval_elbo = 100 (Default)
    #     output_samples = 1000 (Default)
    # id = 1 (Default)
    # data
    #   file = model.data.json
    # init = 2 (Default)
    # random
    #   seed = 1234
    # output
    #   file = out.csv
    #   diagnostic_file =  (Default)
    #   refresh = 100 (Default)
    #   sig_figs = 8 (Default)
    # num_threads = 1 (Default)
    # stanc_version = vppl 0.1.0
    # stancflags = 
    lp__,log_p__,log_g__,sigma,Sigma.2.1
    # Stepsize adaptation complete.
    # eta = 0.1
    0,0,0,1.6487213,0.001
    0,-3.4567891,-0.5,1.2840254,1e-05
    0,-1e-07,-2.25,2.7182818,1.2345679e+08
    0,-inf,-1.2345679e+08,1,nan
    ");
}

#[test]
fn csv_parses_back() {
    let mut out = Vec::new();
    let fit = fake_fit();
    write_variational_csv_to(&mut out, &fake_header(), &names(), &fit, &fake_constrained()).unwrap();
    let csv = parse_stan_csv(&String::from_utf8(out).unwrap()).unwrap();
    assert_eq!(csv.columns, ["lp__", "log_p__", "log_g__", "sigma", "Sigma.2.1"]);
    assert_eq!(csv.rows.len(), 4);
    assert_eq!(csv.rows[0][..3], [0.0, 0.0, 0.0]);
    assert_eq!(csv.rows[3][1], f64::NEG_INFINITY);
    assert!(csv.rows[3][4].is_nan());
    // Eight significant digits, as CmdStan writes by default.
    assert_eq!(csv.rows[2][4], 123456790.0);
    assert!(csv.comments.contains(&"eta = 0.1".to_string()));
    assert!(csv.comments.contains(&"method = variational".to_string()));
}

#[test]
fn a_real_fit_round_trips_through_a_file() {
    let model = CorrelatedGaussian::new([1.0, -2.0], [1.0, 0.5, 0.5, 2.0]);
    let config = AdviConfig { algorithm: Algorithm::FullRank, output_samples: 100, seed: 2, ..AdviConfig::default() };
    let fit = run_advi(&model, &[0.0, 0.0], &config, &mut Vec::new()).unwrap();
    let rows = constrained_draws(&model, &fit, config.seed, &mut Vec::new()).unwrap();
    let dir = temp_dir("round_trip");
    let path = dir.join("fit.csv");
    let mut header = CsvHeader::new("gauss_model", RunMethod::StanAdvi(config.clone()));
    header.sig_figs = 17;
    write_variational_csv(&path, &header, model.output_names(), &fit, &rows).unwrap();
    let csv = parse_stan_csv(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(csv.rows.len(), 101);
    for (row, draw) in csv.rows.iter().zip(&fit.draws) {
        // 17 significant digits round-trip an f64 exactly.
        assert_eq!(row[3..], draw[..]);
    }
    assert!(csv.comments.contains(&"    algorithm = fullrank".to_string()));
    // Nothing but the output file is left in the directory.
    let entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(entries, ["fit.csv"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn elbo_trace_file() {
    let mut out = Vec::new();
    write_elbo_trace_to(&mut out, &fake_header(), &fake_fit()).unwrap();
    let text = String::from_utf8(out).unwrap();
    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    insta::assert_snapshot!(body.join("\n"), @r#"
iter,time_in_seconds,ELBO
100,0.003,-15
200,0.006,-12.345678
"#);

    let dir = temp_dir("trace");
    write_elbo_trace(&dir.join("diag.csv"), &fake_header(), &fake_fit()).unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("diag.csv")).unwrap(), text);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn failed_writes_leave_nothing_behind() {
    let dir = temp_dir("failed");
    // Mismatched rows make the writer fail after the temporary file has been created.
    let err =
        write_variational_csv(&dir.join("fit.csv"), &fake_header(), &names(), &fake_fit(), &fake_constrained()[..2]);
    assert!(err.is_err());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn writability_is_checked_before_fitting() {
    let dir = temp_dir("writable");
    assert!(check_writable(&dir.join("fit.csv")).is_ok());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    assert!(check_writable(&dir.join("no_such_dir").join("fit.csv")).is_err());
    assert!(check_writable(&dir).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn numbers_print_like_a_cpp_stream() {
    let cases = [
        0.0,
        -0.0,
        1.0,
        100.0,
        0.1,
        0.01,
        1171.45,
        -180254.0123,
        -0.0828479751,
        1e-5,
        0.0001234,
        123456789.0,
        1e21,
        2.5e-300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        0.99999999999,
    ];
    let printed: Vec<String> =
        cases.iter().map(|v| format!("{:>14} {:>14}", format_g(*v, 6), format_g(*v, 8))).collect();
    insta::assert_snapshot!(printed.join("\n"), @r#"
          0              0
         -0             -0
          1              1
        100            100
        0.1            0.1
       0.01           0.01
    1171.45        1171.45
    -180254     -180254.01
  -0.082848   -0.082847975
      1e-05          1e-05
  0.0001234      0.0001234
1.23457e+08  1.2345679e+08
      1e+21          1e+21
   2.5e-300       2.5e-300
        inf            inf
       -inf           -inf
        nan            nan
          1              1
"#);
}

#[test]
fn header_row_lists_the_models_outputs_after_the_advi_columns() {
    let model = TruncatedNormalWithDomainErrors::new();
    let config = AdviConfig { output_samples: 3, seed: 1, ..AdviConfig::default() };
    let fit = run_advi(&model, &[1.0], &config, &mut Vec::new()).unwrap();
    let rows = constrained_draws(&model, &fit, 1, &mut Vec::new()).unwrap();
    let mut out = Vec::new();
    write_variational_csv_to(
        &mut out,
        &CsvHeader::new("t_model", RunMethod::StanAdvi(config.clone())),
        model.output_names(),
        &fit,
        &rows,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let header_row = text.lines().find(|l| !l.starts_with('#')).unwrap();
    assert_eq!(header_row, "lp__,log_p__,log_g__,x,y_rep");
}

/// A fresh directory under the target's temp dir, unique per test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vppl-runtime-output-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A default-method run lists vppl's own settings, under the keys cmdstanpy reads, and says
/// which engine ran; a non-default value is not marked `(Default)`.
#[test]
fn vppl_header_lists_what_ran() {
    let config = runtime::vi::ViConfig {
        family: runtime::vi::Family::LowRank { rank: 3 },
        seed: 7,
        max_iters: 500,
        ..runtime::vi::ViConfig::default()
    };
    let header = CsvHeader { num_threads: 2, ..CsvHeader::new("m_model", RunMethod::Vppl(config)) };
    let mut out = Vec::new();
    write_variational_csv_to(&mut out, &header, &names(), &fake_fit(), &fake_constrained()).unwrap();
    let text = String::from_utf8(out).unwrap();
    let comments: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    insta::assert_snapshot!(comments.join("\n"));
}
