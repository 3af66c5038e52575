package dev.enas.api.reward;

import com.google.protobuf.Message;
import dev.enas.api.plugin.Plugin;

/** The SPI of a reward plugin. */
public interface RewardProvider<O extends Message> extends Plugin<O> {
  RewardFunction create(O options);
}
