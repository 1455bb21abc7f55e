package io.captionstream.config;

/** The configuration is wrong: an unknown key, a value that does not parse. The message names the key and its source.
 * */
public class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }
}
