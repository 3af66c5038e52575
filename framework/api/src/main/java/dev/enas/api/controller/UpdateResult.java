package dev.enas.api.controller;

/** What one controller update did: the policy loss, the baseline after it, mean reward and entropy of the batch. */
public record UpdateResult(double loss, double baseline, double meanReward, double meanEntropy) {}
