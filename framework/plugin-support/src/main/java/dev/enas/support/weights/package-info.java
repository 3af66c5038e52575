/**
 * The shared-weight store every backend keeps: tensors keyed by parameter key with their initialisers, ENAS's child
 * optimiser, batch-norm moving averages, and the tensor-store checkpoint file. Because every backend keeps its
 * weights and optimiser state here, in one format, a checkpoint written by one backend resumes on another.
 */
package dev.enas.support.weights;
