package dev.enas.runtime.config;

import com.google.protobuf.Message;
import dev.enas.runtime.plugin.PluginDescriptor;

/** The plugin a run config chose for one kind, with its options unpacked to the plugin's own type. */
public record PluginChoice(PluginDescriptor plugin, Message options) {}
