// A value of the wrong type returned from a function that is called.
functions { real f(real x) { return {x}; } } parameters { real y; } model { y ~ normal(f(1.0), 1); }
