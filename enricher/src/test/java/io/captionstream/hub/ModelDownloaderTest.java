package io.captionstream.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.model.OnnxVariant;
import io.captionstream.model.VariantSelection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDownloaderTest {

  private static final String REPO = "HuggingFaceTB/SmolVLM-256M-Instruct";

  @TempDir Path home;
  private FakeHub hub;
  private HubSettings settings;
  private final List<String> events = new ArrayList<>();
  private final DownloadProgress recorder =
      new DownloadProgress() {
        @Override
        public void start(String file, long totalBytes, long alreadyHave) {
          events.add("start " + file + " " + totalBytes + " " + alreadyHave);
        }

        @Override
        public void advance(String file, long bytesSoFar) {}

        @Override
        public void done(String file, boolean fromCache) {
          events.add((fromCache ? "cached " : "done ") + file);
        }
      };

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub(REPO);
    for (String f : VariantFiles.REQUIRED_CONFIG) {
      hub.files.put(f, ("{\"file\":\"" + f + "\"}").getBytes(StandardCharsets.UTF_8));
    }
    hub.files.put("generation_config.json", "{\"eos_token_id\":2}".getBytes(StandardCharsets.UTF_8));
    for (OnnxVariant v : List.of(OnnxVariant.FP32, OnnxVariant.Q4)) {
      for (String g : VariantFiles.graphFiles(v)) {
        hub.files.put(g, randomBytes(g.hashCode(), 300_000));
      }
    }
    hub.files.put("onnx/decoder_model_merged_q4.onnx_data", randomBytes(7, 500_000));
    settings =
        HubSettings.fromEnvironment(Map.of("HF_HOME", home.toString()), home)
            .withEndpoint(hub.endpoint());
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private static byte[] randomBytes(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Path repoDir() {
    return home.resolve("hub").resolve("models--HuggingFaceTB--SmolVLM-256M-Instruct");
  }

  @Test
  void downloadsOnlyTheVariantsFilesIntoTheStandardHubCacheLayout() throws IOException {
    ModelDownloader.CachedModel m = new ModelDownloader(settings, recorder).download(REPO, "main", OnnxVariant.Q4);

    Path snapshot = repoDir().resolve("snapshots").resolve(FakeHub.COMMIT);
    assertThat(m.folder()).isEqualTo(snapshot);
    assertThat(Files.readString(repoDir().resolve("refs/main"))).isEqualTo(FakeHub.COMMIT);
    byte[] decoder = hub.files.get("onnx/decoder_model_merged_q4.onnx");
    Path link = snapshot.resolve("onnx/decoder_model_merged_q4.onnx");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("../../../blobs/" + FakeHub.sha256(decoder));
    assertThat(Files.readAllBytes(link)).isEqualTo(decoder);
    assertThat(Files.readSymbolicLink(snapshot.resolve("config.json")).toString())
        .isEqualTo("../../blobs/" + FakeHub.gitSha1(hub.files.get("config.json")));
    assertThat(snapshot.resolve("onnx/decoder_model_merged_q4.onnx_data")).exists();
    // fp32 graphs exist on the hub but belong to another variant
    assertThat(snapshot.resolve("onnx/vision_encoder.onnx")).doesNotExist();
    assertThat(hub.requests).noneMatch(r -> r.path().endsWith("/onnx/vision_encoder.onnx"));
    // optional files the hub lacks are remembered as huggingface_hub does
    assertThat(repoDir().resolve(".no_exist").resolve(FakeHub.COMMIT).resolve("chat_template.json")).exists();
    assertThat(Files.list(repoDir().resolve("blobs"))).noneMatch(p -> p.toString().endsWith(".incomplete"));
  }

  @Test
  void sendsTheTokenToTheHubButNeverToTheCdn() {
    hub.requiredToken = "hf_secret";
    new ModelDownloader(settings.withToken("hf_secret"), recorder).download(REPO, "main", OnnxVariant.Q4);

    assertThat(hub.requests).filteredOn(r -> r.path().contains("/resolve/"))
        .allMatch(r -> "Bearer hf_secret".equals(r.authorization()));
    assertThat(hub.cdnGets()).isNotEmpty().allMatch(r -> r.authorization() == null);
  }

  @Test
  void secondDownloadReusesTheCacheWithoutFetchingBytes() {
    new ModelDownloader(settings, recorder).download(REPO, "main", OnnxVariant.Q4);
    int gets = hub.cdnGets().size();
    events.clear();

    new ModelDownloader(settings, recorder).download(REPO, "main", OnnxVariant.Q4);

    assertThat(hub.cdnGets()).hasSize(gets);
    assertThat(events).contains("cached onnx/decoder_model_merged_q4.onnx").noneMatch(e -> e.startsWith("start"));
  }

  @Test
  void resumesWithARangeRequestAfterTheConnectionIsCut() throws IOException {
    byte[] data = hub.files.get("onnx/decoder_model_merged_q4.onnx_data");
    String sha = FakeHub.sha256(data);
    hub.cutOnce.add(sha);

    ModelDownloader.CachedModel m = new ModelDownloader(settings, recorder).download(REPO, "main", OnnxVariant.Q4);

    List<FakeHub.Request> gets = hub.cdnGets().stream().filter(r -> r.path().endsWith(sha)).toList();
    assertThat(gets).hasSize(2);
    assertThat(gets.get(0).range()).isNull();
    // the fake hub wrote half the body before dropping the connection; how much of it reached the client before
    // the drop is up to the kernel, so the resume starts anywhere after the first byte and by the half at most
    String range = gets.get(1).range();
    assertThat(range).matches("bytes=[0-9]+-");
    long resumedAt = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
    assertThat(resumedAt).isPositive().isLessThanOrEqualTo(data.length / 2);
    assertThat(Files.readAllBytes(m.folder().resolve("onnx/decoder_model_merged_q4.onnx_data"))).isEqualTo(data);
  }

  @Test
  void resumesFromTheIncompleteFileOfAnEarlierRun() throws IOException {
    byte[] data = hub.files.get("onnx/decoder_model_merged_q4.onnx_data");
    String sha = FakeHub.sha256(data);
    Path part = repoDir().resolve("blobs").resolve(sha + ".incomplete");
    Files.createDirectories(part.getParent());
    Files.write(part, Arrays.copyOf(data, 123_456));

    ModelDownloader.CachedModel m = new ModelDownloader(settings, recorder).download(REPO, "main", OnnxVariant.Q4);

    assertThat(hub.cdnGets().stream().filter(r -> r.path().endsWith(sha)).map(FakeHub.Request::range))
        .containsExactly("bytes=123456-");
    assertThat(events).contains("start onnx/decoder_model_merged_q4.onnx_data " + data.length + " 123456");
    assertThat(Files.readAllBytes(m.folder().resolve("onnx/decoder_model_merged_q4.onnx_data"))).isEqualTo(data);
  }

  @Test
  void rejectsAFileWhoseSha256DoesNotMatchItsEtag() throws IOException {
    byte[] vision = hub.files.get("onnx/vision_encoder_q4.onnx");
    String sha = FakeHub.sha256(vision);
    hub.corrupt.add(sha);

    assertThatThrownBy(() -> new ModelDownloader(settings, recorder).download(REPO, "main", OnnxVariant.Q4))
        .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.INTEGRITY))
        .hasMessageContaining("onnx/vision_encoder_q4.onnx")
        .hasMessageContaining("sha256");
    assertThat(repoDir().resolve("blobs").resolve(sha)).doesNotExist();
    assertThat(repoDir().resolve("blobs").resolve(sha + ".incomplete")).doesNotExist();
  }

  @Test
  void unauthorizedAnswerTellsTheUserToSetHfToken() {
    hub.requiredToken = "hf_secret";

    assertThatThrownBy(() -> new ModelDownloader(settings, recorder).download(REPO, "main", OnnxVariant.Q4))
        .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.UNAUTHORIZED))
        .hasMessageContaining("401")
        .hasMessageContaining("HF_TOKEN");
  }

  @Test
  void missingVariantNamesTheRepositoryAndTheFile() {
    assertThatThrownBy(() -> new ModelDownloader(settings, recorder).download(REPO, "main", OnnxVariant.Q4F16))
        .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.NOT_FOUND))
        .hasMessageContaining(REPO)
        .hasMessageContaining("onnx/vision_encoder_q4f16.onnx");
  }

  @Test
  void unreachableHubFailsFastAndNamesModelDir() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    HubSettings nowhere = settings.withEndpoint(URI.create("http://127.0.0.1:" + closedPort)).withConnectTimeout(Duration.ofSeconds(2));
    long t0 = System.nanoTime();

    assertThatThrownBy(() -> new ModelDownloader(nowhere, recorder).download(REPO, "main", OnnxVariant.FP32))
        .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.UNREACHABLE))
        .hasMessageContaining("--model-dir");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void offlineModeServesTheCacheAndNeverCallsTheHub() {
    new ModelDownloader(settings, recorder).download(REPO, "main", OnnxVariant.Q4);
    int calls = hub.requests.size();

    ModelResolver.ResolvedModel r =
        new ModelResolver(settings.withOffline(true), recorder).resolve(null, REPO, "main",
            VariantSelection.all(OnnxVariant.Q4), true);

    assertThat(r.source()).isEqualTo("cache");
    assertThat(r.folder()).isEqualTo(repoDir().resolve("snapshots").resolve(FakeHub.COMMIT));
    assertThat(hub.requests).hasSize(calls);
    assertThatThrownBy(() -> new ModelDownloader(settings.withOffline(true), recorder).download(REPO, "main",
        OnnxVariant.FP16))
        .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.kind()).isEqualTo(HubException.Kind.OFFLINE))
        .hasMessageContaining("--model-dir");
  }

  @Test
  void resolverDownloadsWhenTheCacheLacksTheModelAndAllowed() {
    assertThatThrownBy(() -> new ModelResolver(settings, recorder).resolve(null, REPO, "main",
        VariantSelection.all(OnnxVariant.Q4), false))
        .hasMessageContaining("download-model");

    ModelResolver.ResolvedModel r = new ModelResolver(settings, recorder).resolve(null, REPO, "main",
        VariantSelection.all(OnnxVariant.Q4), true);

    assertThat(r.source()).isEqualTo("download");
    assertThat(r.folder().resolve("onnx/embed_tokens_q4.onnx")).exists();
  }
}
