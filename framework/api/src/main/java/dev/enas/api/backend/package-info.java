/** The backend SPI. */
package dev.enas.api.backend;
