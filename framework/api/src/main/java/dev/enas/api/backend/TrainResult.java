package dev.enas.api.backend;

/** Loss and accuracy of one training step on one batch, measured before the update. */
public record TrainResult(double loss, double accuracy) {}
