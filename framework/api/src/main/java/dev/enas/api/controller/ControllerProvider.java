package dev.enas.api.controller;

import com.google.protobuf.Message;
import dev.enas.api.plugin.Plugin;
import dev.enas.api.schema.DecisionSchema;

/** The SPI of a controller plugin: a controller for any decision schema. */
public interface ControllerProvider<O extends Message> extends Plugin<O> {
  Controller create(O options, DecisionSchema schema, long seed);
}
