package dev.enas.api.controller;

import java.util.List;

/**
 * A policy over a decision schema. It sees only choice points and rewards, never the space or the
 * engine, so swapping either never changes it. All its randomness comes from the seed it was made with.
 */
public interface Controller {

  /** Draws one architecture from the policy. */
  Sample sample();

  /** One policy update from scored samples (REINFORCE or whatever the controller does). */
  UpdateResult update(List<ScoredSample> batch);

  /** Everything needed to continue exactly: weights, optimiser moments, baseline, RNG. */
  byte[] saveState();

  /** Restores {@link #saveState()}; sampling afterwards equals sampling without the save. */
  void restoreState(byte[] state);
}
