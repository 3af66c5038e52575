/** Decision schemas (the ordered choice points of a space) and architectures (one value for each). */
package dev.enas.api.schema;
