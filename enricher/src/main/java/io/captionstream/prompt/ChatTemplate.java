package io.captionstream.prompt;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.captionstream.model.ModelFolder;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Renders a model's own Jinja chat template with Jinjava configured like transformers' template environment
 * ({@code trim_blocks}, {@code lstrip_blocks}, Python-style whitespace control), plus the Python behaviours Jinjava
 * lacks: {@code capitalize} lower-cases the rest of the string, {@code raise_exception(msg)} aborts rendering.
 * Thread-safe.
 */
public final class ChatTemplate {

  private final String template;
  private final Jinjava jinjava;

  public ChatTemplate(String template) {
    this.template = Objects.requireNonNull(template, "template");
    this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
        .withTrimBlocks(true)
        .withLstripBlocks(true)
        .withLegacyOverrides(LegacyOverrides.newBuilder()
            .withParseWhitespaceControlStrictly(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .withUseNaturalOperatorPrecedence(true)
            .withHandleBackslashInQuotesOnly(true)
            .withKeepNullableLoopValues(true)
            .withIterateOverMapKeys(true)
            .withEvaluateMapKeys(true)
            .withUsePyishObjectMapper(true)
            .build())
        .withNestedInterpretationEnabled(false)
        .build());
    jinjava.getGlobalContext().registerFilter(new PythonCapitalize());
    try {
      jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
          ChatTemplate.class.getDeclaredMethod("raiseException", String.class)));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ChatTemplate of(ModelFolder folder) {
    return new ChatTemplate(folder.chatTemplate());
  }

  /**
   * The conversation of one captioning request: a user message holding the image then the question, followed by
   * the generation prompt. For SmolVLM: {@code <|im_start|>User:<image>Q<end_of_utterance>\nAssistant:}.
   */
  public String renderImageQuestion(String question) {
    List<Map<String, Object>> content = List.of(Map.of("type", "image"), Map.of("type", "text", "text", question));
    return render(List.of(Map.of("role", "user", "content", content)), true, Map.of());
  }

  /**
   * Renders {@code messages} (each a map with {@code role} and {@code content}) with extra context variables such
   * as {@code bos_token}.
   *
   * @throws IllegalArgumentException if the template fails (syntax error, {@code raise_exception}, bad data)
   */
  public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
    Map<String, Object> ctx = new HashMap<>(extra);
    ctx.put("messages", messages);
    ctx.put("add_generation_prompt", addGenerationPrompt);
    RenderResult result = jinjava.renderForResult(template, ctx);
    List<TemplateError> fatal = result.getErrors().stream()
        .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    if (!fatal.isEmpty()) {
      throw new IllegalArgumentException("chat template failed: " + fatal.stream()
          .map(e -> e.getMessage() + rootCause(e.getException()))
          .collect(Collectors.joining("; ")));
    }
    return result.getOutput();
  }

  private static String rootCause(Throwable t) {
    if (t == null) {
      return "";
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? "" : " (" + root.getMessage() + ")";
  }

  public String template() {
    return template;
  }

  /** Target of the template function {@code raise_exception(message)} that HF templates use to reject input. */
  public static String raiseException(String message) {
    throw new IllegalArgumentException("chat template raised: " + message);
  }

  /** Python's {@code str.capitalize}: first character upper case, the rest lower case. */
  private static final class PythonCapitalize implements Filter {
    @Override
    public String getName() {
      return "capitalize";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
      if (var == null) {
        return null;
      }
      String s = var.toString();
      if (s.isEmpty()) {
        return s;
      }
      int first = s.codePointAt(0);
      return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
          .append(s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT)).toString();
    }
  }
}
