package io.captionstream.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EventSerdeConfigTest {

  @Test
  void defaultsArePlainModeAndConfluentDefaults() {
    EventSerdeConfig c = EventSerdeConfig.from(Map.of());
    assertThat(c.mode()).isEqualTo(SerdeMode.PLAIN);
    assertThat(c.autoRegister()).isTrue();
    assertThat(c.useLatestVersion()).isFalse();
    assertThat(c.basicAuthUserInfo()).isEmpty();
  }

  @Test
  void readsConfluentKeysWithStringOrBooleanValues() {
    EventSerdeConfig c = EventSerdeConfig.from(Map.of(
        "serde.mode", "REGISTRY",
        "schema.registry.url", " http://a:8081/ , https://b/apis/ccompat/v7",
        "auto.register.schemas", false,
        "use.latest.version", "TRUE"));
    assertThat(c.mode()).isEqualTo(SerdeMode.REGISTRY);
    assertThat(c.registryUrls()).containsExactly(URI.create("http://a:8081"), URI.create("https://b/apis/ccompat/v7"));
    assertThat(c.autoRegister()).isFalse();
    assertThat(c.useLatestVersion()).isTrue();
  }

  @Test
  void registryModeNeedsAUrl() {
    assertThatThrownBy(() -> EventSerdeConfig.from(Map.of("serde.mode", "registry")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
  }

  @Test
  void refusesUnknownModesAndBadBooleans() {
    assertThatThrownBy(() -> EventSerdeConfig.from(Map.of("serde.mode", "avro")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("plain or registry");
    assertThatThrownBy(() -> EventSerdeConfig.from(Map.of("auto.register.schemas", "yes")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auto.register.schemas");
  }

  @Test
  void userInfoSourceNeedsUserAndPassword() {
    assertThatThrownBy(() -> EventSerdeConfig.from(Map.of("basic.auth.credentials.source", "USER_INFO")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.user.info");
    assertThatThrownBy(() -> EventSerdeConfig.from(Map.of("basic.auth.credentials.source", "SASL_INHERIT")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("USER_INFO, URL");
  }

  @Test
  void urlUserInfoIsTakenOutOfTheUrlAndNeverPrinted() {
    EventSerdeConfig c = EventSerdeConfig.from(Map.of(
        "serde.mode", "registry", "schema.registry.url", "https://fred:secret@registry.example.com/ccompat"));
    assertThat(c.registryUrls()).containsExactly(URI.create("https://registry.example.com/ccompat"));
    assertThat(c.basicAuthUserInfo()).isEqualTo(Optional.of("fred:secret"));
    assertThat(c.toString()).doesNotContain("secret");
  }

  @Test
  void userInfoSourceWinsOverTheUrl() {
    EventSerdeConfig c = EventSerdeConfig.from(Map.of(
        "serde.mode", "registry", "schema.registry.url", "https://fred:secret@r/",
        "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "ann:pw"));
    assertThat(c.basicAuthUserInfo()).contains("ann:pw");
  }
}
