// Foreach loop variables reuse names across sequential loops and nest with distinct names.
data {
  int<lower=1> N;
  array[N] vector[2] points;
  array[N] int<lower=0> counts;
}
transformed data {
  real sx = 0;
  int total = 0;
  for (p in points) {
    sx += p[1];
  }
  for (p in points) {
    for (coord in p) {
      sx += coord;
    }
  }
  for (c in counts) {
    total += c;
  }
  for (c in counts) {
    total -= c;
  }
}
parameters {
  vector[2] centre;
}
model {
  for (p in points) {
    p ~ normal(centre, 1);
  }
  centre ~ normal(sx / N, 10 + total);
}
