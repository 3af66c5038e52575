package dev.enas.api.dataset;

/** The parts of a dataset: the validation split is held out from the training data. */
public enum Split {
  TRAIN,
  VALID,
  TEST
}
