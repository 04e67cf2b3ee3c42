//! `vppl plot`'s pieces: the kernel density estimate, the quantile marks, reading a fit and
//! choosing its quantities by name.

use runtime::output::format_g;
use runtime::plot::{ImageFormat, kde, quantile_marks, read_elbo_trace, read_fit, select, split_names};

/// What a panel shows for `draws`: the bandwidth, the curve's range, its area (1 when the
/// estimate is a density), where it peaks, and the 5 %, 50 % and 95 % marks.
fn check(draws: &[f64]) -> String {
    let mut sorted = draws.to_vec();
    sorted.sort_by(f64::total_cmp);
    let density = kde(&sorted, 401);
    let step = density.xs[1] - density.xs[0];
    let area: f64 = density.ys.iter().sum::<f64>() * step;
    let peak = density.ys.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(f64::NAN, |(i, _)| density.xs[i]);
    let marks = quantile_marks(&sorted).map(|q| format_g(q, 4));
    format!(
        "bandwidth {}\ncurve from {} to {}\narea {}\npeak at {}\nmarks {}",
        format_g(density.bandwidth, 4),
        format_g(density.xs[0], 4),
        format_g(density.xs[density.xs.len() - 1], 4),
        format_g(area, 4),
        format_g(peak, 3),
        marks.join(" "),
    )
}

/// Evenly spaced quantiles of a normal distribution: a sample without noise.
fn normal_sample(n: usize, mean: f64, sd: f64) -> Vec<f64> {
    (1..=n).map(|i| mean + sd * stdlib::special::inv_Phi((i as f64 - 0.5) / n as f64)).collect()
}

#[test]
fn density_of_a_normal_sample_is_centred_and_integrates_to_one() {
    // Silverman: 0.9 * min(sd, IQR / 1.34) * 1000^(-1/5), with sd and IQR / 1.34 both near 2.
    insta::assert_snapshot!(check(&normal_sample(1000, 3.0, 2.0)), @"
    bandwidth 0.4521
    curve from -4.937 to 10.94
    area 1
    peak at 3
    marks -0.281 3 6.281
    ");
}

#[test]
fn bandwidth_uses_the_smaller_spread() {
    // sd = 1.581, IQR / 1.34 = 2 / 1.34 = 1.493: h = 0.9 * 1.493 * 5^(-1/5) = 0.9736.
    insta::assert_snapshot!(check(&[5.0, 1.0, 4.0, 2.0, 3.0]), @"
    bandwidth 0.9736
    curve from -1.921 to 7.921
    area 0.9995
    peak at 3
    marks 1.2 3 4.8
    ");
    // Half the draws at one value: the IQR is zero, so the sd sets the bandwidth.
    insta::assert_snapshot!(check(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0]), @"
    bandwidth 0.3833
    curve from -1.15 to 3.15
    area 0.9988
    peak at 0.000328
    marks 0 0 1.55
    ");
}

#[test]
fn equal_draws_give_a_narrow_spike_where_they_are() {
    insta::assert_snapshot!(check(&[2.0, 2.0, 2.0]), @"
    bandwidth 0.002
    curve from 1.994 to 2.006
    area 0.9974
    peak at 2
    marks 2 2 2
    ");
    insta::assert_snapshot!(check(&[-7.5]), @"
    bandwidth 0.0075
    curve from -7.522 to -7.478
    area 0.9974
    peak at -7.5
    marks -7.5 -7.5 -7.5
    ");
}

#[test]
fn skewed_draws_peak_below_their_median() {
    let draws: Vec<f64> = normal_sample(400, 0.0, 0.8).into_iter().map(f64::exp).collect();
    insta::assert_snapshot!(check(&draws), @"
    bandwidth 0.2287
    curve from -0.5971 to 11.92
    area 1
    peak at 0.654
    marks 0.2706 1 3.696
    ");
}

/// A variational CSV: comments, the header, the mean row, then two draws.
const FIT: &str = "\
# model = example
lp__,log_p__,log_g__,mu,theta.1,theta.2,L.1.1,L.2.1
# Stepsize adaptation complete.
0,0,0,1,2,3,4,5
0,-1.5,-2,1.5,2.5,3.5,4.5,5.5
0,-1.25,-2,0.5,1.5,2.5,3.5,4.5
";

/// The names `list` (as `--params` takes it) chooses in `FIT`, with their draws, or the error.
fn choose(list: &str) -> String {
    let fit = read_fit(FIT).expect("FIT is a Stan CSV");
    match select(&fit, &split_names(list)) {
        Ok(columns) => columns.iter().map(|c| format!("{} {:?}", c.name, c.draws)).collect::<Vec<_>>().join("\n"),
        Err(e) => format!("{e:?}"),
    }
}

#[test]
fn quantities_are_chosen_by_stan_or_csv_names() {
    insta::assert_snapshot!(choose("mu"), @"mu [1.5, 0.5]");
    insta::assert_snapshot!(choose("theta"), @"
    theta[1] [2.5, 1.5]
    theta[2] [3.5, 2.5]
    ");
    insta::assert_snapshot!(choose("theta.2, mu"), @"
    theta[2] [3.5, 2.5]
    mu [1.5, 0.5]
    ");
    insta::assert_snapshot!(choose("L[2,1],L[1, 1]"), @"
    L[2,1] [5.5, 4.5]
    L[1,1] [4.5, 3.5]
    ");
    insta::assert_snapshot!(choose("theta,theta[1],L"), @"
    theta[1] [2.5, 1.5]
    theta[2] [3.5, 2.5]
    L[1,1] [4.5, 3.5]
    L[2,1] [5.5, 4.5]
    ");
}

#[test]
fn unknown_names_are_errors_that_list_the_known_ones() {
    insta::assert_snapshot!(choose("thetaa"), @r#"UnknownName { name: "thetaa", known: ["mu", "theta", "L", "theta[1]", "theta[2]", "L[1,1]", "L[2,1]"] }"#);
    insta::assert_snapshot!(choose("theta[3]"), @r#"UnknownName { name: "theta[3]", known: ["mu", "theta", "L", "theta[1]", "theta[2]", "L[1,1]", "L[2,1]"] }"#);
    insta::assert_snapshot!(choose(" , "), @"NoNames");
}

/// What reading `text` as a fit gives: the outputs and their numbers of draws, or the error.
fn read(text: &str) -> String {
    match read_fit(text) {
        Ok(fit) => {
            fit.columns.iter().map(|c| format!("{} ({} draws)", c.name, c.draws.len())).collect::<Vec<_>>().join(", ")
        }
        Err(e) => format!("{e:?}"),
    }
}

#[test]
fn files_that_are_not_fits_are_refused() {
    insta::assert_snapshot!(read("lp__,accept_stat__,mu\n-3,0.9,1\n-4,0.8,2\n"), @"mu (2 draws)");
    insta::assert_snapshot!(read("{\"N\": 8, \"y\": [28, 8, -3, 7, -1, 1, 18, 12]}\n"), @r#"NotStanCsv("its header row should start with `lp__`, but it is `{\"N\": 8, \"y\": [28, 8, -3, 7, -1, 1, 18, 12]}`")"#);
    insta::assert_snapshot!(read("# only comments\n"), @r#"NotStanCsv("it has no header row")"#);
    insta::assert_snapshot!(read("lp__,log_p__,log_g__,mu\n0,0,0,1\n"), @r#"NothingToPlot("it has no draws")"#);
    insta::assert_snapshot!(read("lp__,log_p__,log_g__\n0,0,0\n0,-1,-1\n"), @r#"NothingToPlot("it has no outputs, only columns such as `lp__`")"#);
    insta::assert_snapshot!(read("lp__,log_p__,log_g__,mu\n0,0,0,1\n0,-1,-1,oops\n"), @r#"NotStanCsv("line 3: not a row of numbers: 0,-1,-1,oops")"#);
}

#[test]
fn elbo_traces_are_read_and_checked() {
    let trace = read_elbo_trace("# comment\niter,time_in_seconds,ELBO\n100,0.01,-40.5\n200,0.02,nan\n300,0.03,-32\n");
    insta::assert_snapshot!(format!("{trace:?}"), @"Ok([(100.0, -40.5), (300.0, -32.0)])");
    insta::assert_snapshot!(format!("{:?}", read_elbo_trace(FIT)), @r#"Err(NotElboTrace("its header row should be `iter,time_in_seconds,ELBO`, but it is `lp__,log_p__,log_g__,mu,theta.1,theta.2,L.1.1,L.2.1`"))"#);
    insta::assert_snapshot!(format!("{:?}", read_elbo_trace("iter,time_in_seconds,ELBO\n")), @r#"Err(NotElboTrace("it has no ELBO values"))"#);
}

#[test]
fn the_format_is_the_extension() {
    let formats: Vec<String> = ["a.png", "b/c.SVG", "d.jpg", "e", "f.png.bak"]
        .iter()
        .map(|name| format!("{name}: {:?}", ImageFormat::from_path(std::path::Path::new(name))))
        .collect();
    insta::assert_snapshot!(formats.join("\n"), @"
    a.png: Some(Png)
    b/c.SVG: Some(Svg)
    d.jpg: None
    e: None
    f.png.bak: None
    ");
}
