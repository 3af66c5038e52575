package dev.enas.api.reward;

/** Turns a child's validation metrics into the scalar reward the controller maximises. */
public interface RewardFunction {
  double reward(ChildMetrics metrics);
}
