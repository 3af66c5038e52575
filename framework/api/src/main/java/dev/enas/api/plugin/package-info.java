/** What every plugin has in common: an id, typed options, and one of five kinds. */
package dev.enas.api.plugin;
