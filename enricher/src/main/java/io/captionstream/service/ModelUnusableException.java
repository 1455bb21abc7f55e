package io.captionstream.service;

/** The model was found but cannot be used: its folder does not load, or the workers cannot open it. */
public final class ModelUnusableException extends RuntimeException {
  public ModelUnusableException(String message, Throwable cause) {
    super(message, cause);
  }
}
