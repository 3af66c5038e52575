package dev.enas.api.space;

/** What a network learns: which datasets and rewards fit it. */
public enum TaskKind {
  /** Images in, class logits out. */
  IMAGE_CLASSIFICATION,
  /** Tokens in, next-token logits out, through a recurrent cell. */
  LANGUAGE_MODEL
}
