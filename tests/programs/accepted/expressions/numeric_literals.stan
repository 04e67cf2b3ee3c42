// Integer and real literals in decimal and scientific notation, with and without fractional parts.
transformed data {
  int big = 1000000;
  int zero = 0;
  real plain = 3.14159;
  real leading_dot = .5;
  real trailing_dot = 2.;
  real sci = 1e3;
  real sci_upper = 2E3;
  real sci_neg = 6.02e-23;
  real sci_pos = 1.5e+2;
  real sci_dot = 5.e-1;
  real sci_lead = .25e1;
  real small = 1e-300;
}
parameters {
  real mu;
}
model {
  mu ~ normal(big * 1e-6 + zero + plain + leading_dot + trailing_dot, sci + sci_upper);
  target += (sci_neg + sci_pos + sci_dot + sci_lead + small) * 0;
}
