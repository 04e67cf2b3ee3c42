// The smallest useful program: a parameters block and a model block, nothing else.
parameters {
  real theta;
}
model {
  theta ~ std_normal();
}
