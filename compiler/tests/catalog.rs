//! Tests of the built-in signature catalog: the whole expanded table as a snapshot, and
//! Stan's overload resolution over it.

use compiler::catalog::*;

const INT: ArgType = ArgType::INT;
const REAL: ArgType = ArgType::REAL;
const COMPLEX: ArgType = ArgType::COMPLEX;
const VECTOR: ArgType = ArgType::VECTOR;
const ROW_VECTOR: ArgType = ArgType::ROW_VECTOR;
const MATRIX: ArgType = ArgType::MATRIX;

fn matched(r: Resolution<'_>) -> &Signature {
    match r {
        Resolution::Match { signature, .. } => signature,
        other => panic!("expected a match, got {other:?}"),
    }
}

fn resolved(name: &str, args: &[ArgType]) -> String {
    matched(resolve(name, args)).to_string()
}

/// The whole table, one expanded signature a line, sorted by name then text; the ones vppl
/// compiles today marked `[vppl]`.
#[test]
fn snapshot_of_the_whole_table() {
    let mut lines: Vec<(&str, String)> = signatures()
        .iter()
        .map(|s| {
            let line = match s.status {
                Status::Implemented => format!("{s}  [vppl]"),
                Status::SignatureOnly => s.to_string(),
            };
            (s.name, line)
        })
        .collect();
    lines.sort();
    let lines: Vec<String> = lines.into_iter().map(|(_, l)| l).collect();
    insta::assert_snapshot!("expanded_signatures", lines.join("\n"));
}

/// The compact table, in Stan's notation, in table order.
#[test]
fn snapshot_of_the_compact_table() {
    let lines: Vec<String> = families().iter().map(|f| f.to_string()).collect();
    insta::assert_snapshot!("compact_families", lines.join("\n"));
}

#[test]
fn snapshot_of_the_distributions() {
    let lines: Vec<String> = distributions()
        .iter()
        .map(|d| {
            let mut fs = vec![d.density_name()];
            for (has, sfx) in [(d.has_cdf, "cdf"), (d.has_lcdf, "lcdf"), (d.has_lccdf, "lccdf"), (d.has_rng, "rng")] {
                if has {
                    fs.push(format!("{}_{sfx}", d.name));
                }
            }
            fs.join(" ")
        })
        .collect();
    insta::assert_snapshot!("distributions", lines.join("\n"));
}

#[test]
fn compact_notation() {
    let show = |name: &str| lookup_families(name).map(|f| f.to_string()).collect::<Vec<_>>();
    assert_eq!(show("normal_lpdf"), ["real normal_lpdf(reals y | reals mu, reals sigma)"]);
    assert_eq!(show("normal_rng"), ["R normal_rng(reals mu, reals sigma)"]);
    assert_eq!(show("std_normal_lpdf"), ["real std_normal_lpdf(reals y)"]);
    assert_eq!(show("exp")[0], "R exp(T x)");
    assert_eq!(show("pow")[0], "R pow(T1 x, T2 y)");
    assert_eq!(show("reduce_sum"), ["real reduce_sum(function f, array[] T x, int grainsize, ...)"]);
    assert_eq!(show("linspaced_vector"), ["vector linspaced_vector(data int n, data real lower, data real upper)"]);
}

#[test]
fn exact_matches() {
    assert_eq!(resolved("normal_lpdf", &[VECTOR, REAL, ROW_VECTOR]), "real normal_lpdf(vector, real, row_vector)");
    assert_eq!(resolved("cholesky_decompose", &[MATRIX]), "matrix cholesky_decompose(matrix)");
    assert_eq!(resolved("multiply", &[MATRIX, VECTOR]), "vector multiply(matrix, vector)");
    assert_eq!(resolved("abs", &[INT]), "int abs(int)");
    assert_eq!(resolved("pi", &[]), "real pi()");
    assert_eq!(resolved("size", &[VECTOR.array(2)]), "int size(array[,] vector)");
    let eig = matched(resolve("eigendecompose_sym", &[MATRIX]));
    assert_eq!(eig.to_string(), "tuple(matrix, vector) eigendecompose_sym(matrix)");
    let Resolution::Match { promotions, .. } = resolve("exp", &[REAL]) else { panic!() };
    assert_eq!(promotions, 0);
}

#[test]
fn int_to_real_promotion() {
    // int arguments to a real-only signature.
    let r = resolve("inc_beta", &[INT, INT, REAL]);
    let Resolution::Match { signature, promotions } = r else { panic!("{r:?}") };
    assert_eq!(signature.to_string(), "real inc_beta(real, real, real)");
    assert_eq!(promotions, 2);
    // An exact int overload is preferred over promotion.
    assert_eq!(resolved("exp", &[INT]), "real exp(int)");
    assert_eq!(resolved("max", &[INT, INT]), "int max(int, int)");
    assert_eq!(resolved("multiply", &[INT, INT]), "int multiply(int, int)");
    assert_eq!(resolved("multiply", &[INT, REAL]), "real multiply(real, real)");
    // Array element promotion: array[] int where array[] real is expected.
    assert_eq!(resolved("normal_lpdf", &[INT.array(1), INT, REAL]), "real normal_lpdf(array[] real, real, real)");
    assert_eq!(resolved("mean", &[INT.array(1)]), "real mean(array[] real)");
    // real → complex, and int → complex in two steps.
    assert_eq!(resolved("get_real", &[COMPLEX]), "real get_real(complex)");
    assert_eq!(resolved("polar", &[INT, INT]), "complex polar(real, real)");
    let r = resolve("arg", &[INT]);
    let Resolution::Match { signature, promotions } = r else { panic!("{r:?}") };
    assert_eq!((signature.to_string().as_str(), promotions), ("real arg(complex)", 2));
    // vector → complex_vector.
    assert_eq!(resolved("fft", &[VECTOR]), "complex_vector fft(complex_vector)");
    // No demotion: real where int is required.
    assert!(matches!(resolve("choose", &[REAL, INT]), Resolution::NoMatch(_)));
    // Dimensions must agree exactly.
    assert!(matches!(resolve("sum", &[REAL.array(2)]), Resolution::NoMatch(_)));
}

#[test]
fn vectorised_signatures_are_expanded() {
    // `reals` is real, array[] real, vector, row_vector for every argument independently.
    let lpdf: Vec<_> = lookup("normal_lpdf").collect();
    assert_eq!(lpdf.len(), 64);
    assert_eq!(
        resolved("normal_lpdf", &[ROW_VECTOR, VECTOR, REAL.array(1)]),
        "real normal_lpdf(row_vector, vector, array[] real)"
    );
    // The `_rng` returns one draw for scalars and an array otherwise.
    assert_eq!(resolved("normal_rng", &[REAL, REAL]), "real normal_rng(real, real)");
    assert_eq!(resolved("normal_rng", &[VECTOR, REAL]), "array[] real normal_rng(vector, real)");
    assert_eq!(resolved("poisson_rng", &[VECTOR]), "array[] int poisson_rng(vector)");
    assert_eq!(resolved("poisson_rng", &[INT]), "int poisson_rng(real)");
    assert_eq!(resolved("std_normal_rng", &[]), "real std_normal_rng()");
    // `ints`.
    assert_eq!(resolved("poisson_lpmf", &[INT.array(1), VECTOR]), "real poisson_lpmf(array[] int, vector)");
    assert!(matches!(resolve("poisson_lpmf", &[REAL, REAL]), Resolution::NoMatch(_)));
    // `vectors`.
    assert_eq!(
        resolved("multi_normal_lpdf", &[VECTOR.array(1), ROW_VECTOR, MATRIX]),
        "real multi_normal_lpdf(array[] vector, row_vector, matrix)"
    );
    // Element-wise functions over arrays of any depth up to the bound.
    assert_eq!(resolved("log", &[MATRIX.array(3)]), "array[,,] matrix log(array[,,] matrix)");
    assert_eq!(resolved("log", &[INT.array(2)]), "array[,] real log(array[,] int)");
    assert_eq!(resolved("pow", &[VECTOR, INT]), "vector pow(vector, int)");
    assert_eq!(resolved("pow", &[INT.array(1), INT.array(1)]), "array[] real pow(array[] int, array[] int)");
    assert_eq!(resolved("choose", &[INT.array(2), INT]), "array[,] int choose(array[,] int, int)");
    assert_eq!(resolved("bessel_first_kind", &[INT, VECTOR]), "vector bessel_first_kind(int, vector)");
    assert_eq!(resolved("to_complex", &[VECTOR, VECTOR]), "complex_vector to_complex(vector, vector)");
    assert_eq!(resolved("abs", &[COMPLEX.array(1)]), "array[] real abs(array[] complex)");
}

#[test]
fn higher_order_and_variadic() {
    let f = ArgType::FUNCTION;
    assert_eq!(
        resolved("reduce_sum", &[f, REAL.array(1), INT, VECTOR, REAL]),
        "real reduce_sum(function, array[] real, int, ...)"
    );
    assert_eq!(
        resolved("ode_rk45", &[f, VECTOR, REAL, REAL.array(1)]),
        "array[] vector ode_rk45(function, vector, real, array[] real, ...)"
    );
    // The function argument is required.
    assert!(matches!(resolve("reduce_sum", &[REAL, REAL.array(1), INT]), Resolution::NoMatch(_)));
    // Data-only arguments.
    let x_r = REAL.array(1);
    let x_i = INT.array(1);
    let args = [f, REAL, REAL, REAL.array(1), x_r.data(), x_i.data()];
    assert!(matches!(resolve("integrate_1d", &args), Resolution::Match { .. }));
    let args = [f, REAL, REAL, REAL.array(1), x_r, x_i.data()];
    match resolve("integrate_1d", &args) {
        Resolution::NeedsData { signature, arg } => {
            assert_eq!(arg, 4);
            assert!(signature.args[4].data_only);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn ambiguous_call() {
    // Two overloads each needing one promotion: Stan rejects the call as ambiguous.
    let sig = |args: Vec<ArgType>| Signature {
        name: "f",
        args,
        ret: ReturnType::Type(REAL),
        status: Status::SignatureOnly,
        variadic: false,
        family: 0,
    };
    let user = [sig(vec![REAL, INT]), sig(vec![INT, REAL]), sig(vec![REAL, REAL])];
    match resolve_among(&user, &[INT, INT]) {
        Resolution::Ambiguous(c) => {
            let shown: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            assert_eq!(shown, ["real f(real, int)", "real f(int, real)"]);
        }
        other => panic!("{other:?}"),
    }
    // Fewer promotions win over more: (int, real) needs one, (real, real) two.
    let user = [sig(vec![INT, REAL]), sig(vec![REAL, REAL])];
    assert_eq!(matched(resolve_among(&user, &[INT, INT])).to_string(), "real f(int, real)");
}

#[test]
fn no_match_returns_the_candidates() {
    match resolve("cholesky_decompose", &[VECTOR]) {
        Resolution::NoMatch(c) => {
            let shown: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            assert_eq!(shown, ["matrix cholesky_decompose(matrix)"]);
        }
        other => panic!("{other:?}"),
    }
    match resolve("normal_lpdf", &[MATRIX, REAL, REAL]) {
        Resolution::NoMatch(c) => assert_eq!(c.len(), 64),
        other => panic!("{other:?}"),
    }
    assert_eq!(resolve("normal_lpdf", &[REAL, REAL]), Resolution::NoMatch(lookup("normal_lpdf").collect()));
    assert_eq!(resolve("no_such_function", &[REAL]), Resolution::UnknownName);
    // The compact form for the hint.
    let hint: Vec<String> = lookup_families("normal_lpdf").map(|f| f.to_string()).collect();
    assert_eq!(hint, ["real normal_lpdf(reals y | reals mu, reals sigma)"]);
}

#[test]
fn lupdf_follows_lpdf() {
    let names = all_names();
    let mut checked = 0;
    for n in names {
        let twin = if let Some(b) = n.strip_suffix("_lpdf") {
            format!("{b}_lupdf")
        } else if let Some(b) = n.strip_suffix("_lpmf") {
            format!("{b}_lupmf")
        } else {
            continue;
        };
        let a: Vec<_> = lookup(n).map(|s| (s.args.clone(), s.ret.clone(), s.status)).collect();
        let b: Vec<_> = lookup(&twin).map(|s| (s.args.clone(), s.ret.clone(), s.status)).collect();
        assert_eq!(a, b, "{twin} differs from {n}");
        checked += 1;
    }
    assert!(checked > 60);
    // And only those: no `_lupdf` without its `_lpdf`.
    for n in names {
        if let Some(b) = n.strip_suffix("_lupdf") {
            assert!(names.contains(&format!("{b}_lpdf").as_str()), "{n}");
        }
        if let Some(b) = n.strip_suffix("_lupmf") {
            assert!(names.contains(&format!("{b}_lpmf").as_str()), "{n}");
        }
    }
}

#[test]
fn distributions_record_their_functions() {
    let normal = distribution("normal").unwrap();
    assert_eq!(normal.kind, DensityKind::Pdf);
    assert!(normal.has_cdf && normal.has_lcdf && normal.has_lccdf && normal.has_rng);
    let poisson = distribution("poisson").unwrap();
    assert_eq!(poisson.kind, DensityKind::Pmf);
    assert_eq!(poisson.density_name(), "poisson_lpmf");
    let bl = distribution("bernoulli_logit").unwrap();
    assert!(bl.has_rng && !bl.has_cdf && !bl.has_lcdf && !bl.has_lccdf);
    let bp = distribution("beta_proportion").unwrap();
    assert!(!bp.has_cdf && bp.has_lcdf && bp.has_lccdf);
    let ll = distribution("loglogistic").unwrap();
    assert!(ll.has_cdf && !ll.has_lcdf && !ll.has_lccdf && ll.has_rng);
    let mn = distribution("multi_normal").unwrap();
    assert!(mn.has_rng && !mn.has_cdf);
    assert!(distribution("lkj_cov").is_some_and(|d| !d.has_rng));
    assert!(distribution("hmm_latent").is_none());
    assert!(distribution("exp").is_none());
}

#[test]
fn all_names_are_sorted_and_unique() {
    let names = all_names();
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    // `integrate_ode` is deprecated, not removed: Stan accepts it until 3.0.
    for n in [
        "normal_lpdf",
        "normal_lupdf",
        "normal_lcdf",
        "normal_rng",
        "reduce_sum",
        "ode_bdf_tol",
        "fft",
        "integrate_ode",
    ] {
        assert!(names.contains(&n), "{n}");
        assert!(is_builtin(n));
    }
    // Removed functions are not built-ins.
    for n in ["fabs", "get_lp", "if_else", "increment_log_prob", "multiply_log", "normal_log"] {
        assert!(!is_builtin(n), "{n}");
    }
}

#[test]
fn implemented_status_follows_vppl() {
    let status = |name: &str, args: &[ArgType]| matched(resolve(name, args)).status;
    assert_eq!(status("normal_lpdf", &[VECTOR, REAL, REAL]), Status::Implemented);
    assert_eq!(status("normal_lupdf", &[VECTOR, REAL, REAL]), Status::Implemented);
    assert_eq!(status("normal_lcdf", &[REAL, REAL, REAL]), Status::Implemented);
    assert_eq!(status("exp", &[VECTOR]), Status::Implemented);
    assert_eq!(status("exp", &[COMPLEX]), Status::Implemented);
    assert_eq!(status("complex_schur_decompose_t", &[MATRIX]), Status::SignatureOnly);
    assert_eq!(status("pow", &[REAL, REAL]), Status::Implemented);
    assert_eq!(status("pow", &[VECTOR, REAL]), Status::Implemented);
    assert_eq!(status("choose", &[INT, INT]), Status::Implemented);
    assert_eq!(status("to_int", &[REAL.data()]), Status::Implemented);
    assert_eq!(status("mdivide_left_tri_low", &[MATRIX, VECTOR]), Status::Implemented);
    assert_eq!(status("mdivide_left_tri_low", &[MATRIX, MATRIX]), Status::Implemented);
    assert_eq!(status("svd_U", &[MATRIX]), Status::SignatureOnly);
    assert_eq!(status("normal_rng", &[VECTOR, REAL]), Status::Implemented);
    assert_eq!(status("weibull_rng", &[REAL, REAL]), Status::Implemented);
    assert_eq!(status("dirichlet_lpdf", &[VECTOR, VECTOR]), Status::Implemented);
    assert_eq!(status("dirichlet_lpdf", &[VECTOR.array(1), VECTOR]), Status::Implemented);
    assert_eq!(status("wiener_lpdf", &[REAL, REAL, REAL, REAL, REAL]), Status::Implemented);
    assert_eq!(status("wiener_lpdf", &[VECTOR, VECTOR, VECTOR, VECTOR, VECTOR, VECTOR]), Status::Implemented);
}

#[test]
fn counts() {
    // Printed for the record; the snapshots pin the exact contents.
    let names = all_names();
    let dists = distributions();
    println!(
        "{} names, {} distributions, {} compact entries, {} signatures",
        names.len(),
        dists.len(),
        families().len(),
        signatures().len()
    );
    assert!(names.len() > 500);
    assert!(dists.len() >= 70);
}
