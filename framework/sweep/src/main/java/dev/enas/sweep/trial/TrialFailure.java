package dev.enas.sweep.trial;

/**
 * A trial step that failed at run time (the command's exit code 1): thrown out of the Spark task so that Spark
 * starts the task again, and the trial continues from its last checkpoint.
 */
public final class TrialFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrialFailure(String message) {
    super(message);
  }
}
