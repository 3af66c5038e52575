package dev.enas.sweep.spark;

import dev.enas.sweep.trial.TrialTask;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/** The Spark function of a trial's task: runs the trial, returns its index entry as bytes (a {@code Trial}). */
final class RunTrial implements Function<TrialTask, byte[]> {
  private static final long serialVersionUID = 1L;

  @Override
  public byte[] call(TrialTask task) throws Exception {
    TaskContext ctx = TaskContext.get();
    int attempt = ctx == null ? 1 : ctx.attemptNumber() + 1;
    SparkEnv env = SparkEnv.get();
    String where = "executor " + (env == null ? "?" : env.executorId()) + " on "
        + java.net.InetAddress.getLocalHost().getHostName();
    return task.run(attempt, where).toByteArray();
  }
}
