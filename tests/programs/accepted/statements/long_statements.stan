// Statements longer than 100 columns: the formatter breaks them after binary operators and
// between arguments, outermost first, whether the author wrote them on one line or broke them.
functions {
  real shifted_normal_lpdf(vector observations, vector expected_means, real residual_scale, real shift) {
    return normal_lpdf(observations | expected_means + shift, residual_scale) - shift * shift / 2;
  }
}
data {
  int<lower=1> N;
  vector[N] observed_outcome;
  vector[N] first_covariate;
  vector[N] second_covariate;
}
transformed data {
  array[20] real grid = {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0};
  row_vector[4] contrasts = [mean(first_covariate), mean(second_covariate), sd(first_covariate), sd(second_covariate)];
  real pooled_scale = sqrt(variance(first_covariate) + variance(second_covariate) + variance(observed_outcome) + 1e-8);
  real design_effect = N > 100 ? sum(first_covariate .* second_covariate) / N : dot_self(first_covariate - mean(first_covariate));
}
parameters {
  real intercept;
  real slope_for_first_covariate;
  real slope_for_second_covariate;
  real<lower=0> residual_scale;
}
model {
  // Broken by the author in a place the formatter does not break.
  vector[N] expected_means = intercept + slope_for_first_covariate * first_covariate
                           + slope_for_second_covariate * second_covariate;
  target += normal_lpdf(intercept | 0, 10) + normal_lpdf(slope_for_first_covariate | 0, 2.5) + normal_lpdf(slope_for_second_covariate | 0, 2.5);
  observed_outcome ~ normal(intercept + slope_for_first_covariate * first_covariate, residual_scale * pooled_scale);
  residual_scale ~ student_t(3, 0, pooled_scale);
  target += shifted_normal_lpdf(observed_outcome | expected_means, residual_scale, /* inside */ design_effect * 0);
  if (slope_for_first_covariate > 100 && slope_for_second_covariate > 100 && residual_scale > 100) {
    target += -square(slope_for_first_covariate) - square(slope_for_second_covariate) - square(intercept);
  }
  while (residual_scale > 1000000 && slope_for_first_covariate > 1000000 && slope_for_second_covariate > 1000000) {
    target += -1;
  }
  target += 0 * (sum(grid) + sum(contrasts) + pooled_scale + design_effect + intercept + residual_scale);
}
