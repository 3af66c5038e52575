package dev.enas.api.controller;

/** A sample with the reward its child earned. */
public record ScoredSample(Sample sample, double reward) {}
