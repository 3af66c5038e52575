/** The network IR: typed ops, layer-choice and input-choice nodes, parameter keys. */
package dev.enas.api.ir;
