// An undefined name inside an array literal: one error, and the literal's type stays unknown
// (this once overflowed the array rank of the error type).
data { real y; }
transformed data { array[1] real x_r = {lambda}; }
parameters { real mu; }
model { mu ~ normal(y, 1); }
