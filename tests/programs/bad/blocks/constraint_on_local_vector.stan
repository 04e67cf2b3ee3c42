// Nor can a local vector.
model { vector<lower=0>[2] v; }
