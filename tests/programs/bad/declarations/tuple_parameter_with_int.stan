// A parameter of tuple type with an int inside.
parameters { tuple(real, int) p; }
model { p.1 ~ normal(0, 1); }
