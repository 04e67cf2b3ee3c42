//! Log density values against independent formulas (computed with Python's `math` module from
//! the textbook densities), so a wrong constant or term shows up even where the gradient, being
//! consistent with the value, would not tell.

use runtime::Model;
use tests::load_text;

const CASES: &[(&str, f64)] = &[
    ("neg_binomial_2_lpmf(3 | 2.5, 1.7)", -2.0535036719370847),
    ("neg_binomial_2_log_lpmf(3 | 0.4, 1.7)", -2.3122645650321294),
    ("weibull_lpdf(1.3 | 2.2, 0.9)", -0.9105612755436097),
    ("logistic_lpdf(0.4 | -0.3, 1.2)", -1.652505901036775),
    ("double_exponential_lpdf(0.4 | -0.3, 1.2)", -1.4588020706872333),
    ("chi_square_lpdf(2.3 | 3.5)", -1.6539246027580905),
    ("inv_chi_square_lpdf(0.7 | 3.5)", -0.8620360634136187),
    ("scaled_inv_chi_square_lpdf(0.7 | 3.5, 0.8)", -0.33641758386074483),
    ("pareto_lpdf(2.5 | 1.2, 1.9)", -1.6689782783541416),
    ("gumbel_lpdf(0.4 | -0.3, 1.2)", -1.323690035897335),
    ("rayleigh_lpdf(1.1 | 0.8)", -0.4037152175672556),
    ("student_t_lpdf(0.7 | 3.5, -0.2, 1.3)", -1.5406038188564863),
    ("gamma_lpdf(1.3 | 2.5, 0.8)", -1.4889953520572075),
    ("inv_gamma_lpdf(1.3 | 2.5, 0.8)", -2.376201289779278),
    ("beta_lpdf(0.3 | 2.5, 1.5)", -0.35643784206788925),
    ("lognormal_lpdf(1.3 | 0.2, 0.6)", -0.6758789815208552),
    ("exponential_lpdf(1.3 | 0.8)", -1.2631435513142097),
    ("uniform_lpdf(0.3 | -1.0, 2.5)", -1.252762968495368),
    ("poisson_lpmf(4 | 2.7)", -1.9050467383068113),
    ("binomial_lpmf(3 | 9, 0.35)", -1.3033470712074484),
    ("cauchy_lpdf(0.7 | -0.2, 1.3)", -1.7986563532560642),
    (
        "lkj_corr_cholesky_lpdf([[1, 0, 0], [0.3, 0.9539392014169457, 0], [-0.4, 0.458257569495584, 0.7937253933193772]] | 2.0)",
        -1.2189848169305506,
    ),
];

/// Log CDFs and CCDFs against mpmath at 50 digits (`tests/reference/cdfs.py` writes these rows).
const CDF_CASES: &[(&str, f64)] = &[
    ("normal_lcdf(0.4 | -0.3, 1.2)", -0.32827418173059774),
    ("normal_lccdf(0.4 | -0.3, 1.2)", -1.2735570520709843),
    ("std_normal_lcdf(-1.7)", -3.1107960975524815),
    ("std_normal_lccdf(-1.7)", -0.045589029170068931),
    ("lognormal_lcdf(1.3 | 0.2, 0.6)", -0.61361224528724877),
    ("lognormal_lccdf(1.3 | 0.2, 0.6)", -0.77955879511745508),
    ("cauchy_lcdf(0.7 | -0.2, 1.3)", -0.36708486398567542),
    ("cauchy_lccdf(0.7 | -0.2, 1.3)", -1.180096306622189),
    ("student_t_lcdf(0.7 | 3.5, -0.2, 1.3)", -0.30918239896518644),
    ("student_t_lccdf(0.7 | 3.5, -0.2, 1.3)", -1.3244351828139865),
    ("student_t_lcdf(-2.1 | 3.5, -0.2, 1.3)", -2.1742298324438708),
    ("student_t_lccdf(-2.1 | 3.5, -0.2, 1.3)", -0.12069491634213545),
    ("exponential_lcdf(1.3 | 0.8)", -0.43611198571538634),
    ("exponential_lccdf(1.3 | 0.8)", -1.04),
    ("beta_lcdf(0.3 | 2.5, 1.5)", -2.4197514331761907),
    ("beta_lccdf(0.3 | 2.5, 1.5)", -0.093150608844943318),
    ("uniform_lcdf(0.3 | -1.0, 2.5)", -0.99039870402787694),
    ("uniform_lccdf(0.3 | -1.0, 2.5)", -0.46430560813109783),
    ("logistic_lcdf(0.4 | -0.3, 1.2)", -0.4434255054547435),
    ("logistic_lccdf(0.4 | -0.3, 1.2)", -1.0267588387880768),
    ("double_exponential_lcdf(0.4 | -0.3, 1.2)", -0.32714051492767119),
    ("double_exponential_lccdf(0.4 | -0.3, 1.2)", -1.2764805138932786),
    ("double_exponential_lcdf(-1.1 | -0.3, 1.2)", -1.359813847226612),
    ("double_exponential_lccdf(-1.1 | -0.3, 1.2)", -0.2966670628779311),
    ("gumbel_lcdf(0.4 | -0.3, 1.2)", -0.55803514577004707),
    ("gumbel_lccdf(0.4 | -0.3, 1.2)", -0.84940927724466037),
    ("weibull_lcdf(1.3 | 2.2, 0.9)", -0.11189160530170622),
    ("weibull_lccdf(1.3 | 2.2, 0.9)", -2.2456488877160869),
    ("rayleigh_lcdf(1.1 | 0.8)", -0.49193538562966083),
    ("rayleigh_lccdf(1.1 | 0.8)", -0.9453125),
    ("pareto_lcdf(2.5 | 1.2, 1.9)", -0.28494809393531022),
    ("pareto_lccdf(2.5 | 1.2, 1.9)", -1.3945414326523808),
    ("bernoulli_lcdf(0 | 0.35)", -0.43078291609245426),
    ("bernoulli_lccdf(0 | 0.35)", -1.0498221244986777),
    ("binomial_lcdf(3 | 9, 0.35)", -0.49611040321518685),
    ("binomial_lccdf(3 | 9, 0.35)", -0.93877771315223767),
    ("neg_binomial_2_lcdf(3 | 2.5, 1.7)", -0.30735373886881682),
    ("neg_binomial_2_lccdf(3 | 2.5, 1.7)", -1.3294998175140594),
    ("gamma_lcdf(1.3 | 2.5, 0.8)", -1.8199643401416561),
    ("gamma_lccdf(1.3 | 2.5, 0.8)", -0.17677480313652289),
    ("inv_gamma_lcdf(1.3 | 2.5, 0.8)", -0.059865047752279792),
    ("inv_gamma_lccdf(1.3 | 2.5, 0.8)", -2.8454456564855074),
    ("chi_square_lcdf(2.3 | 3.5)", -0.9200971346727454),
    ("chi_square_lccdf(2.3 | 3.5)", -0.50829604742338649),
    ("inv_chi_square_lcdf(0.7 | 3.5)", -0.25178002328729743),
    ("inv_chi_square_lccdf(0.7 | 3.5)", -1.5024495192696334),
    ("scaled_inv_chi_square_lcdf(0.7 | 3.5, 0.8)", -0.81061583084685678),
    ("scaled_inv_chi_square_lccdf(0.7 | 3.5, 0.8)", -0.58803824438056756),
    ("poisson_lcdf(4 | 2.7)", -0.14744735758150961),
    ("poisson_lccdf(4 | 2.7)", -1.9871020440406936),
    ("neg_binomial_lcdf(3 | 2.5, 1.7)", -0.10592158817154909),
    ("neg_binomial_lccdf(3 | 2.5, 1.7)", -2.2975495563385105),
    ("exp_mod_normal_lcdf(0.7 | -0.2, 1.3, 0.8)", -0.79558649064432519),
    ("exp_mod_normal_lccdf(0.7 | -0.2, 1.3, 0.8)", -0.60023344157017803),
    ("skew_normal_lcdf(0.7 | -0.2, 1.3, 2.5)", -0.66347438609708015),
    ("skew_normal_lccdf(0.7 | -0.2, 1.3, 2.5)", -0.72372744555763471),
    ("skew_double_exponential_lcdf(0.7 | -0.2, 1.3, 0.3)", -0.62000907969875708),
    ("skew_double_exponential_lccdf(0.7 | -0.2, 1.3, 0.3)", -0.77205955932334776),
    ("skew_double_exponential_lcdf(-1.1 | -0.2, 1.3, 0.3)", -2.1732035735567052),
    ("skew_double_exponential_lccdf(-1.1 | -0.2, 1.3, 0.3)", -0.1208266417404303),
    ("frechet_lcdf(1.3 | 2.2, 0.9)", -0.4453055887187419),
    ("frechet_lccdf(1.3 | 2.2, 0.9)", -1.0233985433906163),
    ("pareto_type_2_lcdf(1.3 | 0.2, 0.9, 2.2)", -0.18947986897829956),
    ("pareto_type_2_lccdf(1.3 | 0.2, 0.9, 2.2)", -1.7567169316790975),
    ("log(loglogistic_cdf(1.3 | 0.9, 2.2))", -0.36832077928780946),
    ("log1m(loglogistic_cdf(1.3 | 0.9, 2.2))", -1.1773152955635076),
    ("beta_proportion_lcdf(0.3 | 0.4, 5.5)", -1.0837785914179738),
    ("beta_proportion_lccdf(0.3 | 0.4, 5.5)", -0.41296529560738547),
    ("beta_binomial_lcdf(3 | 9, 2.5, 1.7)", -1.4497382042067633),
    ("beta_binomial_lccdf(3 | 9, 2.5, 1.7)", -0.2673981304799739),
    ("beta_neg_binomial_lcdf(3 | 2.2, 3.5, 1.7)", -0.12742056302977868),
    ("beta_neg_binomial_lccdf(3 | 2.2, 3.5, 1.7)", -2.1232960166378504),
    ("beta_neg_binomial_lcdf(0 | 0.8, 1.5, 4.0)", -1.0745572294111699),
    ("beta_neg_binomial_lccdf(0 | 0.8, 1.5, 4.0)", -0.41771316835488939),
    ("von_mises_lcdf(0.7 | -0.2, 2.5)", -0.10794769111638487),
    ("von_mises_lccdf(0.7 | -0.2, 2.5)", -2.2795968740672749),
    ("von_mises_lcdf(-2.5 | 2.8, 1.3)", -1.6481673647949392),
    ("von_mises_lccdf(-2.5 | 2.8, 1.3)", -0.21369110273324081),
    ("von_mises_lcdf(1.0 | 7.0, 0.5)", -0.4505227073531656),
    ("von_mises_lccdf(1.0 | 7.0, 0.5)", -1.0141652978317024),
    ("von_mises_lcdf(0.1 | 0.4, 30.0)", -2.9652064171297825),
    ("von_mises_lccdf(0.1 | 0.4, 30.0)", -0.052926023806587454),
];

/// Densities over categories and ranks, against mpmath (`tests/reference/cdfs.py`, second part).
const CATEGORY_CASES: &[(&str, f64)] = &[
    ("categorical_lpmf({1, 3} | [0.2, 0.3, 0.5]')", -2.3025850929940457),
    ("categorical_logit_lpmf(2 | [1, -0.5, 0.3]')", -2.0421588491986966),
    ("categorical_lpmf({1, 3} | softmax([1, -0.5, 0.3]'))", -1.7843176983973931),
    ("multinomial_lpmf({2, 0, 3} | [0.2, 0.3, 0.5]')", -2.995732273553991),
    ("multinomial_logit_lpmf({2, 0, 3} | [1, -0.5, 0.3]')", -2.5082091529994372),
    ("ordered_logistic_lpmf(2 | 0.4, [-1, 0.5, 2]')", -1.1172965289174758),
    ("ordered_logistic_lpmf({1, 4} | [0.4, -0.2]', [-1, 0.5, 2]')", -3.9255007296871468),
    ("ordered_probit_lpmf(3 | 0.4, [-1, 0.5, 2]')", -0.90294796623791754),
    ("dirichlet_multinomial_lpmf({2, 0, 3} | [1.5, 0.5, 2]')", -2.0104486701928845),
];

/// More univariate distributions, against mpmath (`tests/reference/cdfs.py`, third part).
const MORE_CASES: &[(&str, f64)] = &[
    ("beta_binomial_lpmf(3 | 9, 2.5, 1.7)", -2.3191516079402659),
    ("beta_neg_binomial_lpmf(3 | 2.2, 3.5, 1.7)", -2.7170460867320088),
    ("neg_binomial_lpmf(3 | 2.5, 1.7)", -2.2549424959833905),
    ("hypergeometric_lpmf(2 | 5, 4, 6)", -0.74193734472937731),
    ("discrete_range_lpmf(3 | 1, 6)", -1.791759469228055),
    ("exp_mod_normal_lpdf(0.7 | -0.2, 1.3, 0.8)", -1.4128470632819675),
    ("skew_normal_lpdf(0.7 | -0.2, 1.3, 2.5)", -0.77044347419928905),
    ("skew_double_exponential_lpdf(0.7 | -0.2, 1.3, 0.3)", -1.5452494475568295),
    ("frechet_lpdf(1.3 | 2.2, 0.9)", -0.72820700909766096),
    ("pareto_type_2_lpdf(1.3 | 0.2, 0.9, 2.2)", -1.6614067518747727),
    ("loglogistic_lpdf(1.3 | 0.9, 2.2)", -1.019542978954538),
    ("beta_proportion_lpdf(0.3 | 0.4, 5.5)", 0.60864818668313527),
];

/// Densities over vectors and matrices, against mpmath's matrices (`tests/reference/cdfs.py`,
/// fourth part).
const MATRIX_CASES: &[(&str, f64)] = &[
    // κ cos(y − μ) − log(2π I₀(κ)), and the discrete uniform's CDF (3 of 6 values), by hand.
    ("von_mises_lpdf(0.7 | -0.2, 2.5)", -1.4746908169287124),
    ("discrete_range_lcdf(3 | 1, 6)", -0.69314718055994531),
    ("discrete_range_lccdf(3 | 1, 6)", -0.69314718055994531),
    ("multi_student_t_lpdf([0.5, -1]' | 4.5, [0.2, 0.3]', [[2, 0.3], [0.3, 1]])", -3.3260249755713626),
    (
        "multi_student_t_cholesky_lpdf([0.5, -1]' | 4.5, [0.2, 0.3]', [[1.4142135623730950488, 0], [0.21213203435596425732, 0.97724101428460318179]])",
        -3.3260249755713626,
    ),
    ("multi_normal_prec_lpdf([0.5, -1]' | [0.2, 0.3]', [[2, 0.3], [0.3, 1]])", -2.3323254453800762),
    ("lkj_corr_lpdf([[1, 0.3], [0.3, 1]] | 2.5)", -0.30536665204453593),
    ("wishart_lpdf([[2, 0.3], [0.3, 1]] | 4, [[1, 0.2], [0.2, 0.5]])", -3.3910404883715393),
    ("inv_wishart_lpdf([[2, 0.3], [0.3, 1]] | 4, [[1, 0.2], [0.2, 0.5]])", -7.5342369505907523),
    (
        "wishart_cholesky_lpdf([[1.4142135623730950488, 0.0], [0.21213203435596425732, 0.97724101428460318179]] | 4, [[1.0, 0.0], [0.2, 0.67823299831252681391]])",
        -1.3346209159424068,
    ),
    (
        "inv_wishart_cholesky_lpdf([[1.4142135623730950488, 0.0], [0.21213203435596425732, 0.97724101428460318179]] | 4, [[1.0, 0.0], [0.2, 0.67823299831252681391]])",
        -5.4778173781616198,
    ),
    (
        "multi_gp_lpdf([[0.5, -1, 0.2], [0.1, 0.4, -0.7]] | [[2, 0.3, 0.1], [0.3, 1, 0.2], [0.1, 0.2, 1.5]], [0.8, 2.5]')",
        -6.7940627574404951,
    ),
    (
        "multi_gp_cholesky_lpdf([[0.5, -1, 0.2], [0.1, 0.4, -0.7]] | [[1.4142135623730950488, 0.0, 0.0], [0.21213203435596425732, 0.97724101428460318179, 0.0], [0.07071067811865475244, 0.18930846873576082579, 1.2079579064126868266]], [0.8, 2.5]')",
        -6.7940627574404951,
    ),
    ("lkj_cov_lpdf([[4, 0.6], [0.6, 0.25]] | [0.5, -0.3]', [1.2, 0.7]', 2.5)", -2.667527467734187),
    (
        "categorical_logit_glm_lpmf({1, 3} | [[1, 2], [0.5, -1]], [0.1, -0.2, 0.3]', [[0.2, -0.1, 0.4], [0.3, 0.5, -0.6]])",
        -1.1026503742222509,
    ),
    (
        "categorical_logit_glm_lpmf(2 | [[1, 2], [0.5, -1]], [0.1, -0.2, 0.3]', [[0.2, -0.1, 0.4], [0.3, 0.5, -0.6]])",
        -3.1526503742222509,
    ),
    (
        "categorical_logit_glm_lpmf({2, 3} | [0.5, -1], [0.1, -0.2, 0.3]', [[0.2, -0.1, 0.4], [0.3, 0.5, -0.6]])",
        -2.6047229193300126,
    ),
    ("ordered_logistic_glm_lpmf({2, 4} | [[1, 2], [0.5, -1]], [0.3, -0.2]', [-1, 0.5, 2]')", -2.8567987215583599),
    ("ordered_logistic_glm_lpmf(3 | [0.5, -1], [0.3, -0.2]', [-1, 0.5, 2]')", -1.1991139441299185),
];

#[test]
fn densities_match_independent_formulas() {
    for (expr, want) in CASES.iter().chain(CDF_CASES).chain(CATEGORY_CASES).chain(MORE_CASES).chain(MATRIX_CASES) {
        // A model with one unused parameter, so the log density is exactly the expression.
        let program = format!("parameters {{ real unused; }}\nmodel {{ target += {expr}; }}\n");
        let model = load_text(&program).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let got = model.log_density(&[0.0], false).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "{expr} = {got}, want {want}");
    }
}

/// gaussian_dlm_obs (the Kalman filter) equals the multivariate normal of the stacked
/// observations, whose mean and covariance two steps of the state equation give in closed form;
/// its gradient matches finite differences over four observations, V given as a matrix or as
/// its diagonal.
#[test]
fn gaussian_dlm_obs_is_the_stacked_normal() {
    let common = "transformed data {
          matrix[2, 2] y = [[0.3, -0.2], [1.1, 0.4]];
          matrix[2, 2] F = [[1, 0.5], [0.2, 1]];
          vector[2] m0 = [0.1, -0.3]';
          matrix[2, 2] C0 = [[1, 0.2], [0.2, 0.8]];
          vector[2] v = [0.5, 0.7]';
        }
        parameters { real<lower=-0.9, upper=0.9> rho; real<lower=0> s; }";
    let kalman = format!(
        "{common}
        model {{
          matrix[2, 2] G = [[rho, 0.1], [0, 0.9]];
          matrix[2, 2] W = diag_matrix(rep_vector(s, 2));
          target += gaussian_dlm_obs_lpdf(y | F, G, diag_matrix(v), W, m0, C0);
        }}"
    );
    let stacked = format!(
        "{common}
        model {{
          matrix[2, 2] G = [[rho, 0.1], [0, 0.9]];
          matrix[2, 2] W = diag_matrix(rep_vector(s, 2));
          matrix[2, 2] P1 = G * C0 * G' + W;
          matrix[2, 2] P2 = G * P1 * G' + W;
          matrix[4, 4] S;
          S[1:2, 1:2] = F' * P1 * F + diag_matrix(v);
          S[1:2, 3:4] = F' * P1 * G' * F;
          S[3:4, 1:2] = F' * G * P1 * F;
          S[3:4, 3:4] = F' * P2 * F + diag_matrix(v);
          vector[4] mu = append_row(F' * G * m0, F' * G * G * m0);
          target += multi_normal_lpdf(to_vector(y) | mu, S);
        }}"
    );
    let a = load_text(&kalman).unwrap_or_else(|e| panic!("{e}"));
    let b = load_text(&stacked).unwrap_or_else(|e| panic!("{e}"));
    for x in [[0.3, -0.5], [-1.0, 0.4], [1.2, 1.0]] {
        let (la, lb) = (a.log_density(&x, false).expect("finite"), b.log_density(&x, false).expect("finite"));
        assert!((la - lb).abs() <= 1e-12 * lb.abs().max(1.0), "Kalman filter {la} against the stacked normal {lb}");
    }
    let longer = "data { } transformed data {
          matrix[2, 4] y = [[0.3, -0.2, 0.5, 0.1], [1.1, 0.4, -0.6, 0.9]];
          matrix[2, 2] F = [[1, 0.5], [0.2, 1]];
          vector[2] m0 = [0.1, -0.3]';
        }
        parameters { real<lower=-0.9, upper=0.9> rho; real<lower=0> s; cov_matrix[2] C0; }
        model {
          matrix[2, 2] G = [[rho, 0.1], [0, 0.9]];
          y ~ gaussian_dlm_obs(F, G, [0.5, 0.7]', diag_matrix(rep_vector(s, 2)), m0, C0);
        }";
    let model = load_text(longer).unwrap_or_else(|e| panic!("{e}"));
    for seed in 1..4 {
        tests::assert_gradient_matches(&model, &tests::point(5, seed, 0.8), "gaussian_dlm_obs");
    }
}
