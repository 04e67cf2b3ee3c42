// Tuple-typed variables declared in data, transformed data, parameters and generated quantities.
data {
  tuple(int<lower=1>, vector[3]) config;
}
transformed data {
  tuple(real, real) range = (min(config.2), max(config.2));
}
parameters {
  tuple(real, real<lower=0>) loc_scale;
}
model {
  loc_scale.1 ~ normal((range.1 + range.2) / 2, 1);
  loc_scale.2 ~ exponential(config.1);
  config.2 ~ normal(loc_scale.1, loc_scale.2);
}
generated quantities {
  tuple(real, int) summary = (loc_scale.1, config.1);
}
