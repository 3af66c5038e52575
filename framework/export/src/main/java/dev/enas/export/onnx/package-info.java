/**
 * ONNX export of a trained child: the IR graph and its weights (the framework's tensor store, any backend's) as an
 * ONNX {@code ModelProto}, written with ONNX's own protobuf schema ({@code dev.enas.proto.onnx}) and no engine.
 */
package dev.enas.export.onnx;
