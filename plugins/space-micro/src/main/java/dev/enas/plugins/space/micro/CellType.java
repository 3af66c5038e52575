package dev.enas.plugins.space.micro;

/** The two cells of the micro space; the key prefix names their choice points ({@code normal/b0/x/input}). */
enum CellType {
  NORMAL("normal", "normal cell"),
  REDUCE("reduce", "reduction cell");

  final String key;
  final String label;

  CellType(String key, String label) {
    this.key = key;
    this.label = label;
  }
}
