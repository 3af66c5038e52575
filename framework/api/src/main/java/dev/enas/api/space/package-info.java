/** The search-space SPI. */
package dev.enas.api.space;
