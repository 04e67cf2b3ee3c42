// A local variable of the model block cannot carry a constraint.
parameters { real x; } model { real<lower=0> y = x; x ~ normal(0, 1); }
