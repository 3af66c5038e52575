package dev.enas.api.backend;

/** Mean loss and accuracy of a child on one batch, in inference mode. */
public record Evaluation(double loss, double accuracy, int examples, double millis) {}
