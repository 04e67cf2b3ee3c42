// Logical operators take ints: a real operand of `&&` and of `!` is refused at the operand.
data { real w; int k; }
parameters { real mu; }
model {
  int use_prior = k > 0 && w;
  int skip = !w;
  if (use_prior && !skip) mu ~ normal(0, 1);
}
