// softmax, log_softmax, cumulative_sum over vectors, row vectors and arrays, and a stick-breaking construction.
data {
  int<lower=2> K;
  array[K] int counts;
}
transformed data {
  array[K] int cum_counts = cumulative_sum(counts);
}
parameters {
  vector[K] eta;
  vector<lower=0, upper=1>[K - 1] breaks;
}
transformed parameters {
  simplex[K] p = softmax(eta);
  vector[K] lp = log_softmax(eta);
  row_vector[K] crow = cumulative_sum(eta');
  array[K] real carr = cumulative_sum(to_array_1d(eta));
  vector[K] stick;
  {
    vector[K - 1] remaining = append_row(1, cumulative_sum(log1m(breaks[1:(K - 2)])));
    stick[1:(K - 1)] = breaks .* exp(remaining);
    stick[K] = 1 - sum(stick[1:(K - 1)]);
  }
}
model {
  eta ~ normal(0, 1);
  breaks ~ beta(1, 2);
  counts ~ multinomial(p);
}
