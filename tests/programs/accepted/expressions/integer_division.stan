// Integer division %/%, modulus %, and real division of ints, including their precedence.
data {
  int<lower=1> N;
  int<lower=1> K;
}
transformed data {
  int per_group = N %/% K;
  int leftover = N % K;
  int recombined = per_group * K + leftover;
  int chained = 100 %/% 7 %/% 2;
  int mixed = 1 + N %/% 2 * 3;
  int negative = -7 %/% 2;
  real exact = N * 1.0 / K;
  real ratio = 1.0 * N / K;
  int halves = (N + 1) %/% 2;
}
parameters {
  real<lower=0> lambda;
}
model {
  lambda ~ gamma(per_group + leftover + recombined + chained + mixed + negative + halves, exact + ratio);
}
