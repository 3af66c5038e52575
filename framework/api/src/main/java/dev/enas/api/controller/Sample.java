package dev.enas.api.controller;

import dev.enas.api.schema.Architecture;

/** One architecture a controller sampled, with its log-probability and the policy's entropy at the sampled decisions. */
public record Sample(Architecture architecture, double logProb, double entropy) {}
