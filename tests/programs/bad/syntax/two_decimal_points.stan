// `1.2.3` lexes as the number 1.2 and a tuple access `.3`: the hint names the real mistake.
parameters { real x; } model { x ~ normal(1.2.3, 1); }
