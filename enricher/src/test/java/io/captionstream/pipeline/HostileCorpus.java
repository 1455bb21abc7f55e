package io.captionstream.pipeline;

import static io.captionstream.image.PngBuilder.chunk;
import static io.captionstream.image.PngBuilder.putInt;

import io.captionstream.image.SamplePictures;
import io.captionstream.schema.ErrorCode;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Hostile inputs at every level (event, data:, image, file:, address, fetch), each with the outcomes it may yield:
 * a set of error codes, or {@link #CAPTION}. Generated at test time. {@link Lane#GUARDED} cases run on an instance
 * with the default fetch policy (public addresses only, {@code file:} confined to a root); {@link Lane#LOOPBACK}
 * cases need the test's loopback HTTP server and run on an instance that may fetch private addresses.
 */
final class HostileCorpus {

  /** Stands for "a caption event" in a case's expected outcomes. */
  static final String CAPTION = "CAPTION";

  enum Lane { GUARDED, LOOPBACK }

  record Case(String name, Lane lane, byte[] value, Set<String> expected) {}

  /** Where the cases point: the file root's layout and the loopback server. */
  record Targets(String fileRoot, String outsideFile, String httpBase, int closedPort) {}

  private final List<Case> cases = new ArrayList<>();
  private final Targets t;

  private HostileCorpus(Targets t) {
    this.t = t;
  }

  static List<Case> build(Targets t) {
    HostileCorpus c = new HostileCorpus(t);
    c.events();
    c.dataUris();
    c.images();
    c.files();
    c.addresses();
    c.fetches();
    return List.copyOf(c.cases);
  }

  private void add(String name, Lane lane, byte[] value, Object... expected) {
    cases.add(new Case(name, lane, value, Arrays.stream(expected).map(Object::toString)
        .collect(Collectors.toUnmodifiableSet())));
  }

  private void event(String name, String json, Object... expected) {
    add(name, Lane.GUARDED, utf8(json), expected);
  }

  private static String ref(String id, String uri) {
    return "{\"id\":\"" + id + "\",\"uri\":\"" + uri + "\"}";
  }

  private static final ErrorCode INVALID = ErrorCode.INVALID_EVENT;

  private void events() {
    String png = dataUri(SamplePictures.solidPng(4, 4, Color.RED));
    add("event-empty-value", Lane.GUARDED, new byte[0], INVALID);
    add("event-null-value", Lane.GUARDED, null, INVALID);
    event("event-truncated-json", "{\"id\": \"x\", \"uri\": ", INVALID);
    event("event-array", "[1,2,3]", INVALID);
    event("event-json-null", "null", INVALID);
    event("event-json-string", "\"just a string\"", INVALID);
    event("event-json-number", "42", INVALID);
    event("event-empty-object", "{}", INVALID);
    event("event-blank-id", ref("", png), INVALID);
    event("event-numeric-id", "{\"id\":5,\"uri\":\"" + png + "\"}", INVALID);
    event("event-missing-uri", "{\"id\":\"x\"}", INVALID);
    event("event-uri-array", "{\"id\":\"x\",\"uri\":[\"" + png + "\"]}", INVALID);
    event("event-ftp-scheme", ref("x", "ftp://example.com/cat.png"), INVALID, ErrorCode.FORBIDDEN_ADDRESS);
    event("event-javascript-scheme", ref("x", "javascript:alert(1)"), INVALID, ErrorCode.FORBIDDEN_ADDRESS);
    event("event-max-new-tokens-zero", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"maxNewTokens\":0}", INVALID);
    event("event-max-new-tokens-negative", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"maxNewTokens\":-7}", INVALID);
    event("event-max-new-tokens-int-max", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"maxNewTokens\":2147483647}",
        CAPTION);
    event("event-max-new-tokens-overflow", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"maxNewTokens\":1e30}", INVALID);
    event("event-longest-edge-zero", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"longestEdge\":0}", INVALID);
    event("event-deadline-passed", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"deadline\":\"2001-01-01T00:00:00Z\"}",
        ErrorCode.DEADLINE_EXCEEDED);
    event("event-deadline-garbage", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"deadline\":\"tomorrow-ish\"}", INVALID);
    event("event-attribute-not-string", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"attributes\":{\"n\":1}}", INVALID);
    event("event-attributes-array", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"attributes\":[\"a\"]}", INVALID);
    event("event-nested-10000-deep", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"extra\":" + "[".repeat(10_000)
        + "]".repeat(10_000) + "}", INVALID);
    // issue #9 part 1: an id of about a megabyte, and its error event (echo + id) over max.request.size
    event("event-megabyte-id-failing", ref("i".repeat(1_000_000), "data:text/plain;base64,aGVsbG8="),
        ErrorCode.UNSUPPORTED_FORMAT);
    event("event-near-megabyte-id-captioned", ref("c".repeat(1_000_000), png), CAPTION);
    // issue #9 part 1: 256 KiB of control bytes, not JSON: the echo is six times larger once escaped
    byte[] control = new byte[256 * 1024];
    Arrays.fill(control, (byte) 0x01);
    add("event-256k-control-bytes", Lane.GUARDED, control, INVALID);
    byte[] controlMix = new byte[900 * 1024];
    for (int i = 0; i < controlMix.length; i++) {
      controlMix[i] = (byte) (i % 32);
    }
    add("event-900k-mixed-control-bytes", Lane.GUARDED, controlMix, INVALID);
    add("event-invalid-utf8", Lane.GUARDED, new byte[] {'{', (byte) 0xc3, 0x28, (byte) 0xff, '}'}, INVALID);
    add("event-registry-magic-in-plain-mode", Lane.GUARDED, concat(new byte[] {0, 0, 0, 0, 1},
        utf8(ref("x", png))), INVALID);
    event("event-utf8-bom", "\uFEFF" + ref("bom", png), INVALID, CAPTION);
    event("event-duplicate-keys", "{\"id\":\"a\",\"id\":\"b\",\"uri\":\"" + png + "\"}", INVALID, CAPTION);
    event("event-nul-and-escapes-in-id", ref("nul\\u0000esc\\u001b[2J\\u001b]0;t\\u0007", png), CAPTION);
    event("event-lone-surrogate-id", ref("half\\ud800", png), CAPTION, INVALID);
    event("event-huge-prompt", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"prompt\":\"" + "why ".repeat(200_000)
        + "\"}", INVALID);
    StringBuilder attrs = new StringBuilder();
    for (int i = 0; i < 40_000; i++) {
      attrs.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    event("event-40000-attributes", "{\"id\":\"x\",\"uri\":\"" + png + "\",\"attributes\":{" + attrs + "}}",
        CAPTION);
    event("event-control-chars-in-prompt", "{\"id\":\"x\",\"uri\":\"" + png
        + "\",\"prompt\":\"\\u001b[31mred?\\u0007\"}", CAPTION);
  }

  private void dataUris() {
    event("data-no-comma", ref("x", "data:image/png;base64"), INVALID);
    event("data-bad-base64", ref("x", "data:image/png;base64,%%%notbase64"), INVALID);
    event("data-empty", ref("x", "data:image/png;base64,"), INVALID, ErrorCode.UNSUPPORTED_FORMAT,
        ErrorCode.CORRUPT_IMAGE);
    event("data-plain-text", ref("x", "data:text/plain,hello"), ErrorCode.UNSUPPORTED_FORMAT);
    byte[] noise = new byte[600 * 1024];
    new Random(9).nextBytes(noise);
    event("data-600k-noise", ref("x", "data:application/octet-stream;base64," + b64(noise)),
        ErrorCode.UNSUPPORTED_FORMAT);
    event("data-svg", ref("x", "data:image/svg+xml;base64," + b64(utf8(
        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"))), ErrorCode.UNSUPPORTED_FORMAT);
    event("data-png-ok", ref("ok", dataUri(SamplePictures.solidPng(8, 8, Color.BLUE))), CAPTION);
  }

  private void images() {
    byte[] good = SamplePictures.solidPng(16, 16, Color.GREEN);
    event("image-truncated-png", ref("x", dataUri(Arrays.copyOf(good, 40))), ErrorCode.CORRUPT_IMAGE);
    event("image-png-declares-100000-square", ref("x", dataUri(pngHeader(100_000, 100_000))), ErrorCode.TOO_LARGE);
    event("image-png-declares-9000-square", ref("x", dataUri(pngHeader(9_000, 9_000))), ErrorCode.TOO_LARGE);
    event("image-png-zero-width", ref("x", dataUri(pngHeader(0, 10))), ErrorCode.CORRUPT_IMAGE);
    event("image-jpeg-garbage", ref("x", dataUri(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3})),
        ErrorCode.CORRUPT_IMAGE);
    event("image-webp-garbage", ref("x", dataUri(concat(utf8("RIFF"), new byte[] {9, 0, 0, 0}, utf8("WEBPVP8 ")))),
        ErrorCode.CORRUPT_IMAGE, ErrorCode.UNSUPPORTED_FORMAT);
    event("image-gif-garbage", ref("x", dataUri(concat(utf8("GIF89a"), new byte[] {1, 0, 1, 0, 0, 0, 0}))),
        ErrorCode.CORRUPT_IMAGE);
    event("image-one-pixel", ref("one", dataUri(SamplePictures.solidPng(1, 1, Color.WHITE))), CAPTION);
    event("image-1x1500-sliver", ref("sliver", dataUri(SamplePictures.solidPng(1, 1500, Color.GRAY))),
        CAPTION);
    byte[] badCrc = good.clone();
    badCrc[29] ^= 0x55; // inside IHDR's CRC
    event("image-png-bad-crc", ref("crc", dataUri(badCrc)), ErrorCode.CORRUPT_IMAGE, CAPTION);
    event("image-html-as-png", ref("x", dataUri(utf8("<html><body>not an image</body></html>"))),
        ErrorCode.UNSUPPORTED_FORMAT);
  }

  private void files() {
    String root = t.fileRoot();
    event("file-ok", ref("f", "file://" + root + "/ok.png"), CAPTION);
    event("file-missing", ref("x", "file://" + root + "/missing.png"), ErrorCode.FETCH_FAILED);
    event("file-outside-root", ref("x", "file://" + t.outsideFile()), ErrorCode.FORBIDDEN_ADDRESS);
    event("file-etc-passwd", ref("x", "file:///etc/passwd"), ErrorCode.FORBIDDEN_ADDRESS);
    event("file-dot-dot-traversal", ref("x", "file://" + root + "/../outside.png"), ErrorCode.FORBIDDEN_ADDRESS);
    event("file-encoded-traversal", ref("x", "file://" + root + "/%2e%2e/outside.png"), ErrorCode.FORBIDDEN_ADDRESS,
        ErrorCode.FETCH_FAILED);
    event("file-symlink-out", ref("x", "file://" + root + "/link-to-passwd"), ErrorCode.FORBIDDEN_ADDRESS);
    event("file-dev-zero", ref("x", "file:///dev/zero"), ErrorCode.FORBIDDEN_ADDRESS);
    event("file-proc-self", ref("x", "file:///proc/self/environ"), ErrorCode.FORBIDDEN_ADDRESS);
    event("file-text", ref("x", "file://" + root + "/notes.txt"), ErrorCode.UNSUPPORTED_FORMAT);
    event("file-sparse-30m", ref("x", "file://" + root + "/sparse.bin"), ErrorCode.TOO_LARGE);
    event("file-with-host", ref("x", "file://example.com" + root + "/ok.png"), INVALID,
        ErrorCode.FORBIDDEN_ADDRESS, ErrorCode.FETCH_FAILED);
    // fetch-hardening: not a regular file (would block the fetch thread on open/read, or read forever)
    event("file-directory", ref("x", "file://" + root + "/subdir"), ErrorCode.FORBIDDEN_ADDRESS);
    event("file-fifo", ref("x", "file://" + root + "/fifo"), ErrorCode.FORBIDDEN_ADDRESS);
    event("file-socket", ref("x", "file://" + root + "/socket"), ErrorCode.FORBIDDEN_ADDRESS);
    event("file-symlink-to-dev-zero", ref("x", "file://" + root + "/link-to-zero"), ErrorCode.FORBIDDEN_ADDRESS);
  }

  private void addresses() {
    int p = t.closedPort();
    ErrorCode f = ErrorCode.FORBIDDEN_ADDRESS;
    event("address-loopback", ref("x", "http://127.0.0.1:" + p + "/a.png"), f);
    event("address-localhost", ref("x", "http://localhost:" + p + "/a.png"), f);
    event("address-ipv6-loopback", ref("x", "http://[::1]:" + p + "/a.png"), f);
    event("address-ipv4-mapped-loopback", ref("x", "http://[::ffff:127.0.0.1]:" + p + "/a.png"), f);
    event("address-metadata-service", ref("x", "http://169.254.169.254/latest/meta-data/"), f);
    event("address-private-10", ref("x", "http://10.0.0.1/a.png"), f);
    event("address-private-192", ref("x", "http://192.168.1.1/a.png"), f);
    event("address-unspecified", ref("x", "http://0.0.0.0:" + p + "/a.png"), f);
    event("address-decimal-loopback", ref("x", "http://2130706433:" + p + "/a.png"), f);
    event("address-short-loopback", ref("x", "http://127.1:" + p + "/a.png"), f);
    event("address-userinfo-loopback", ref("x", "http://user:pw@127.0.0.1:" + p + "/a.png"), f);
    event("address-link-local-v6", ref("x", "http://[fe80::1]/a.png"), f);
    event("address-unique-local-v6", ref("x", "http://[fd00::1]/a.png"), f);
    event("address-nat64-loopback", ref("x", "http://[64:ff9b::7f00:1]/a.png"), f);
    event("address-6to4-loopback", ref("x", "http://[2002:7f00:1::]/a.png"), f);
    // fetch-hardening: inet_aton forms (octal, hex, mixed) and broadcast
    event("address-octal-loopback", ref("x", "http://0177.0.0.1:" + p + "/a.png"), f);
    event("address-hex-loopback", ref("x", "http://0x7f000001:" + p + "/a.png"), f);
    event("address-hex-dotted-loopback", ref("x", "http://0x7f.0.0.1:" + p + "/a.png"), f);
    event("address-octal-private", ref("x", "http://012.0.0.1/a.png"), f);
    event("address-broadcast", ref("x", "http://255.255.255.255/a.png"), f);
  }

  private void fetches() {
    String h = t.httpBase();
    ErrorCode failed = ErrorCode.FETCH_FAILED;
    loopback("fetch-ok", ref("ok", h + "/ok.png"), CAPTION);
    loopback("fetch-redirect-to-ok", ref("ok", h + "/redirect-ok"), CAPTION);
    loopback("fetch-404", ref("x", h + "/missing.png"), failed);
    loopback("fetch-500", ref("x", h + "/error"), failed);
    loopback("fetch-redirect-loop", ref("x", h + "/loop"), failed);
    loopback("fetch-redirect-bad-location", ref("x", h + "/bad-location"), failed);
    loopback("fetch-redirect-to-ftp", ref("x", h + "/to-ftp"), failed, ErrorCode.FORBIDDEN_ADDRESS);
    loopback("fetch-slow-drip", ref("x", h + "/drip"), ErrorCode.FETCH_TIMEOUT);
    loopback("fetch-declared-too-large", ref("x", h + "/declared-huge"), ErrorCode.TOO_LARGE);
    loopback("fetch-endless-body", ref("x", h + "/endless"), ErrorCode.TOO_LARGE);
    loopback("fetch-cut-mid-body", ref("x", h + "/cut"), failed, ErrorCode.CORRUPT_IMAGE);
    loopback("fetch-html", ref("x", h + "/html"), ErrorCode.UNSUPPORTED_FORMAT);
    loopback("fetch-connection-refused", ref("x", "http://127.0.0.1:" + t.closedPort() + "/a.png"), failed);
    loopback("fetch-https-to-plain-server", ref("x", h.replace("http:", "https:") + "/ok.png"), failed,
        ErrorCode.FETCH_TIMEOUT); // the plain server never answers the TLS hello: a timeout is fair too
    loopback("fetch-no-host", ref("x", "http:///ok.png"), INVALID, failed);
  }

  private void loopback(String name, String json, Object... expected) {
    add(name, Lane.LOOPBACK, utf8(json), expected);
  }

  /** A PNG signature and an IHDR chunk claiming {@code w x h}, then an empty IDAT and IEND. */
  static byte[] pngHeader(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, w);
    putInt(ihdr, 4, h);
    ihdr[8] = 8;
    ihdr[9] = 2;
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 3, 0, 0, 0, 0, 1});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  static String dataUri(byte[] bytes) {
    return "data:image/png;base64," + b64(bytes);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
