package dev.enas.api.ir;

/** Element-wise nonlinearities of the IR. */
public enum Activation {
  RELU,
  TANH,
  SIGMOID,
  IDENTITY
}
