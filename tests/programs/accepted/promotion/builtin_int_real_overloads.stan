// Built-in overloads that differ by int/real: abs, min/max, sum and the int-returning versions stay int.
data {
  int n;
  real x;
  array[3] int k;
  array[3] real a;
}
transformed data {
  int ai = abs(n);
  real ar = abs(x);
  int mi = max(k);
  real mr = max(a);
  int m2 = min(n, 3);
  int si = sum(k);
  real sr = sum(a);
  array[3] int absk = abs(k);
  real promoted = max(k) + 0.5;
}
parameters {
  real mu;
}
model {
  mu ~ normal(ai + ar + mi + mr + m2 + si + sr + sum(absk) + promoted, 10);
}
