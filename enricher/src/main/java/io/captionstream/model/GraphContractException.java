package io.captionstream.model;

/** A model folder whose graphs or configs break the SmolVLM graph contract; the message names the file and field. */
public class GraphContractException extends RuntimeException {
  public GraphContractException(String message) {
    super(message);
  }
}
