// Statements longer than 100 columns, written on one line or broken in odd places: the printer
// breaks them after binary operators and between arguments, outermost first.
functions {
  real weighted_log_likelihood(vector observations, vector expected_means, real residual_scale, int n_obs) {
    return normal_lpdf(observations | expected_means, residual_scale) + n_obs * log(residual_scale);
  }
  real short_signature(real x) { return x; }
  vector ode_rhs(real t, vector y, real growth_rate, real carrying_capacity, real harvest, real noise) { return [growth_rate * y[1] * (1 - y[1] / carrying_capacity) - harvest]'; }
}
data {
  int<lower=0> N;
  vector[N] observed_values_with_a_long_name;
  array[N] int<lower=0, upper=1> indicator_variables_for_each_observation;
}
transformed data {
  array[24] real knots = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, -10.5, 11.0, 11.5, 12.0};
  row_vector[6] weights = [0.125, 0.25, 0.375, 0.5, 0.625, 0.75] * (0.5 + 0.25 * 0.125 + 0.0625 * 0.03125 + 0.015625 * 0.0078125);
  array[3] vector[2] pairs = {[1, 2]', [3, 4]', [5, 6]', [7, 8]', [9, 10]', [11, 12]', [13, 14]', [15, 16]', [17, 18]'};
  real total = sum(observed_values_with_a_long_name) + sum(observed_values_with_a_long_name) + sum(observed_values_with_a_long_name) + N;
  real deep = log_sum_exp(log_sum_exp(observed_values_with_a_long_name), log_sum_exp(observed_values_with_a_long_name), log_sum_exp(observed_values_with_a_long_name));
  real choice = N > 10 ? sum(observed_values_with_a_long_name) / N : mean(observed_values_with_a_long_name) * N;
}
parameters {
  real mu;
  real<lower=0> sigma;
  real<lower=0> tau_for_the_group_level_standard_deviation;
}
model {
  target += normal_lpdf(observed_values_with_a_long_name | mu, sigma) + normal_lpdf(mu | 0, 10) + cauchy_lpdf(sigma | 0, 5);
  observed_values_with_a_long_name ~ normal(mu + tau_for_the_group_level_standard_deviation * 2, sigma * tau_for_the_group_level_standard_deviation);
  observed_values_with_a_long_name ~ normal(mu + tau_for_the_group_level_standard_deviation, sigma) T[-100000, 100000];
  if (mu > 0 && sigma > 0 && tau_for_the_group_level_standard_deviation > 0 && N > 0 || mu < -1000) {
    target += weighted_log_likelihood(observed_values_with_a_long_name, rep_vector(mu, N), sigma, N); // Trailing.
  } else if (tau_for_the_group_level_standard_deviation > 1000000 && tau_for_the_group_level_standard_deviation < 2000000) {
    target += -(mu + sigma + tau_for_the_group_level_standard_deviation + mu * sigma + sigma * tau_for_the_group_level_standard_deviation);
  }
  while (mu > 100000 && sigma > 100000 && tau_for_the_group_level_standard_deviation > 100000 && N > 1) break;
  for (n in indicator_variables_for_each_observation[1]:indicator_variables_for_each_observation[N] + N * N * N) {
    target += bernoulli_logit_lpmf(indicator_variables_for_each_observation[n] | mu + sigma * observed_values_with_a_long_name[n]);
  }
  print("a long message that explains what went wrong, in words: ", mu, " and ", sigma, " and ", tau_for_the_group_level_standard_deviation);
  target += (mu + sigma + tau_for_the_group_level_standard_deviation) * (mu - sigma - tau_for_the_group_level_standard_deviation);
  target += mu ^ (sigma + tau_for_the_group_level_standard_deviation + tau_for_the_group_level_standard_deviation + sigma);
  print("a single string literal that is longer than the line width allows, so it cannot be broken anywhere at all");
}
