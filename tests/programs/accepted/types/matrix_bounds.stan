// Bounded matrices, with scalar and matrix-valued bounds, and arrays of bounded vectors.
data {
  int<lower=1> R;
  int<lower=1> C;
  matrix[R, C] floor_values;
}
parameters {
  matrix<lower=0>[R, C] rate;
  matrix<lower=floor_values, upper=floor_values + 1>[R, C] band;
  array[R] vector<lower=-1, upper=1>[C] bounded_rows;
}
model {
  to_vector(rate) ~ exponential(1);
  to_vector(band) ~ normal(to_vector(floor_values) + 0.5, 1);
  for (r in 1:R) {
    bounded_rows[r] ~ normal(0, 0.5);
  }
}
