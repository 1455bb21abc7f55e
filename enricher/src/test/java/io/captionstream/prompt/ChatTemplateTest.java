package io.captionstream.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.generate.CaptionOptions;
import io.captionstream.synth.SyntheticTokenizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {

  private final ChatTemplate smolvlm = new ChatTemplate(SyntheticTokenizer.CHAT_TEMPLATE);

  @Test
  void rendersTheSmolVlmImageQuestionExactly() {
    assertThat(smolvlm.renderImageQuestion(CaptionOptions.DEFAULT_PROMPT))
        .isEqualTo("<|im_start|>User:<image>Can you describe this image?<end_of_utterance>\nAssistant:");
  }

  @Test
  void textFirstMessageGetsColonAndSpaceAndRolesAreCapitalisedLikePython() {
    List<Map<String, Object>> messages = List.of(
        Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Hi"), Map.of("type", "image"))),
        Map.of("role", "aSSistant", "content", List.of(Map.of("type", "text", "text", "Hello."))));
    assertThat(smolvlm.render(messages, false, Map.of()))
        .isEqualTo("<|im_start|>User: Hi<image><end_of_utterance>\nAssistant: Hello.<end_of_utterance>\n");
  }

  @Test
  void questionTextIsDataNotTemplate() {
    assertThat(smolvlm.renderImageQuestion("{{ 7 * 7 }} {% if true %}x{% endif %}"))
        .isEqualTo("<|im_start|>User:<image>{{ 7 * 7 }} {% if true %}x{% endif %}<end_of_utterance>\nAssistant:");
  }

  @Test
  void keepsNewlinesAndUnicodeOfTheQuestion() {
    assertThat(smolvlm.renderImageQuestion("Zähle\n die 🐈?"))
        .isEqualTo("<|im_start|>User:<image>Zähle\n die 🐈?<end_of_utterance>\nAssistant:");
  }

  @Test
  void blockTagsAreTrimmedLikeTransformers() {
    ChatTemplate t = new ChatTemplate("{% for m in messages %}\n  {{ m['role'] }}\n{% endfor %}\n{%- if "
        + "add_generation_prompt -%} G {%- endif %}");
    assertThat(t.render(List.of(Map.of("role", "a"), Map.of("role", "b")), true, Map.of()))
        .isEqualTo("  a\n  b\nG");
  }

  @Test
  void raiseExceptionAbortsRendering() {
    ChatTemplate t = new ChatTemplate("{% if messages|length > 1 %}{{ raise_exception('only one message') }}{% "
        + "endif %}ok");
    assertThat(t.render(List.of(Map.of("role", "user")), false, Map.of())).isEqualTo("ok");
    assertThatThrownBy(() -> t.render(List.of(Map.of("role", "user"), Map.of("role", "user")), false, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only one message");
  }
}
