// All seven program blocks present, in order, and every one of them empty.
functions {
}
data {
}
transformed data {
}
parameters {
}
transformed parameters {
}
model {
}
generated quantities {
}
