/** The controller SPI. */
package dev.enas.api.controller;
