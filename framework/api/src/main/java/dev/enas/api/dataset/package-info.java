/** The dataset SPI. */
package dev.enas.api.dataset;
