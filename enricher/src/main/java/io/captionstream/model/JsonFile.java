package io.captionstream.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One parsed JSON config file; every accessor names the file and the dotted field in its error. */
final class JsonFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final JsonNode root;

  private JsonFile(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  static JsonFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(file, null, "required file is missing");
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      if (root == null || !root.isObject()) {
        throw new ModelLoadException(file, null, "not a JSON object");
      }
      return new JsonFile(file, root);
    } catch (IOException e) {
      throw new ModelLoadException(file, null,
          "invalid JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }

  static Optional<JsonFile> readIfPresent(Path file) {
    return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
  }

  Path file() {
    return file;
  }

  private JsonNode node(String path) {
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      n = n == null ? null : n.get(part);
    }
    return n == null || n.isNull() ? null : n;
  }

  boolean has(String path) {
    return node(path) != null;
  }

  int requireInt(String path) {
    JsonNode n = node(path);
    if (n == null) {
      throw new ModelLoadException(file, path, "missing field");
    }
    if (!n.canConvertToExactIntegral() || !n.canConvertToInt()) {
      throw new ModelLoadException(file, path, "expected an integer, found " + n);
    }
    return n.asInt();
  }

  int requirePositiveInt(String path) {
    int v = requireInt(path);
    if (v < 1) {
      throw new ModelLoadException(file, path, "must be positive, was " + v);
    }
    return v;
  }

  int optInt(String path, int fallback) {
    return has(path) ? requireInt(path) : fallback;
  }

  double optDouble(String path, double fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    if (!n.isNumber()) {
      throw new ModelLoadException(file, path, "expected a number, found " + n);
    }
    return n.asDouble();
  }

  boolean optBoolean(String path, boolean fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw new ModelLoadException(file, path, "expected true or false, found " + n);
    }
    return n.asBoolean();
  }

  String requireString(String path) {
    JsonNode n = node(path);
    if (n == null) {
      throw new ModelLoadException(file, path, "missing field");
    }
    if (!n.isTextual()) {
      throw new ModelLoadException(file, path, "expected a string, found " + n);
    }
    return n.asText();
  }

  Optional<String> optString(String path) {
    return has(path) ? Optional.of(requireString(path)) : Optional.empty();
  }

  /** An int or a non-empty list of ints. */
  List<Integer> requireIntOrIntList(String path) {
    JsonNode n = node(path);
    if (n == null) {
      throw new ModelLoadException(file, path, "missing field");
    }
    List<Integer> out = new ArrayList<>();
    if (n.isArray()) {
      for (JsonNode e : n) {
        if (!e.canConvertToExactIntegral()) {
          throw new ModelLoadException(file, path, "expected integers, found " + n);
        }
        out.add(e.asInt());
      }
    } else if (n.canConvertToExactIntegral()) {
      out.add(n.asInt());
    }
    if (out.isEmpty()) {
      throw new ModelLoadException(file, path, "expected an integer or a non-empty list of integers, found " + n);
    }
    return out;
  }

  float[] optFloat3(String path, float[] fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    if (!n.isArray() || n.size() != 3) {
      throw new ModelLoadException(file, path, "expected 3 numbers, found " + n);
    }
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      if (!n.get(i).isNumber()) {
        throw new ModelLoadException(file, path, "expected 3 numbers, found " + n);
      }
      out[i] = (float) n.get(i).asDouble();
    }
    return out;
  }
}
