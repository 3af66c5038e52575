/** The reward-function SPI. */
package dev.enas.api.reward;
