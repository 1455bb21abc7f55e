package io.captionstream.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Our schema evolution rules as a check of a new schema version against an old one: properties are only ever added
 * and optional; none is removed, renamed or retyped; no existing constraint (pattern, format, bounds) changes; enum
 * values are only added; an open object stays open. Stricter than the registry's BACKWARD check, and it works on
 * draft 2020-12 where Apicurio's checker cannot.
 */
final class EvolutionRules {

  private static final List<String> FROZEN_KEYWORDS =
      List.of("type", "pattern", "format", "minimum", "maximum", "minLength", "maxLength", "const");

  private EvolutionRules() {}

  static List<String> violations(JsonNode oldRoot, JsonNode newRoot) {
    List<String> out = new ArrayList<>();
    compare(oldRoot, oldRoot, newRoot, newRoot, "$", out);
    return out;
  }

  private static void compare(JsonNode oldRoot, JsonNode oldNode, JsonNode newRoot, JsonNode newNode, String path,
      List<String> out) {
    JsonNode o = resolve(oldRoot, oldNode);
    JsonNode n = resolve(newRoot, newNode);
    for (String keyword : FROZEN_KEYWORDS) {
      if (!o.path(keyword).equals(n.path(keyword))) {
        out.add(path + ": '" + keyword + "' changed from " + o.path(keyword) + " to " + n.path(keyword));
      }
    }
    if (o.has("enum")) {
      Set<String> newValues = new HashSet<>();
      n.path("enum").forEach(v -> newValues.add(v.toString()));
      o.path("enum").forEach(v -> {
        if (!newValues.contains(v.toString())) {
          out.add(path + ": enum value " + v + " removed");
        }
      });
    }
    Set<String> oldRequired = new HashSet<>();
    o.path("required").forEach(r -> oldRequired.add(r.asText()));
    n.path("required").forEach(r -> {
      if (!oldRequired.contains(r.asText())) {
        out.add(path + ": '" + r.asText() + "' became required");
      }
    });
    boolean oldOpen = !o.path("additionalProperties").isBoolean() || o.path("additionalProperties").asBoolean();
    boolean newOpen = !n.path("additionalProperties").isBoolean() || n.path("additionalProperties").asBoolean();
    if ("object".equals(o.path("type").asText()) && oldOpen && !newOpen) {
      out.add(path + ": open object was closed (additionalProperties false)");
    }
    if (o.path("additionalProperties").isObject()) {
      compare(oldRoot, o.path("additionalProperties"), newRoot, n.path("additionalProperties"), path + "{*}", out);
    }
    o.path("properties").properties().forEach(p -> {
      JsonNode counterpart = n.path("properties").path(p.getKey());
      if (counterpart.isMissingNode()) {
        out.add(path + "." + p.getKey() + ": removed");
      } else {
        compare(oldRoot, p.getValue(), newRoot, counterpart, path + "." + p.getKey(), out);
      }
    });
  }

  private static JsonNode resolve(JsonNode root, JsonNode node) {
    return node.has("$ref") ? root.at(node.path("$ref").asText().substring(1)) : node;
  }
}
