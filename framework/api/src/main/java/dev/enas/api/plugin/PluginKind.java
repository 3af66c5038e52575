package dev.enas.api.plugin;

import dev.enas.api.backend.BackendProvider;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.dataset.DatasetProvider;
import dev.enas.api.reward.RewardProvider;
import dev.enas.api.space.SearchSpaceProvider;

/** The five extension points, each with the provider interface its plugins implement. */
public enum PluginKind {
  SPACE("space", SearchSpaceProvider.class),
  CONTROLLER("controller", ControllerProvider.class),
  REWARD("reward", RewardProvider.class),
  DATASET("dataset", DatasetProvider.class),
  BACKEND("backend", BackendProvider.class);

  private final String label;
  private final Class<? extends Plugin<?>> providerType;

  @SuppressWarnings("unchecked")
  PluginKind(String label, Class<?> providerType) {
    this.label = label;
    this.providerType = (Class<? extends Plugin<?>>) providerType;
  }

  /** The name used in configs and listings: space, controller, reward, dataset, backend. */
  public String label() {
    return label;
  }

  public Class<? extends Plugin<?>> providerType() {
    return providerType;
  }
}
