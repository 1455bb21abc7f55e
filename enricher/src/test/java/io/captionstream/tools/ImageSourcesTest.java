package io.captionstream.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.schema.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourcesTest {

  @TempDir Path tmp;

  @Test
  void directoriesAreWalkedForImagesOnlyAndFilesBecomeFileUris() throws IOException {
    Files.createDirectories(tmp.resolve("a/b"));
    Files.write(tmp.resolve("a/one.png"), new byte[] {1});
    Files.write(tmp.resolve("a/b/two.JPG"), new byte[] {2});
    Files.writeString(tmp.resolve("a/notes.txt"), "not an image");

    List<ImageReference> refs = ImageSources.of(List.of(tmp.resolve("a").toString()), false);

    assertThat(refs).extracting(ImageReference::id).containsExactly("two.JPG", "one.png");
    assertThat(refs.get(1).uri()).isEqualTo(tmp.resolve("a/one.png").toUri().toString()).startsWith("file:");
  }

  @Test
  void imagesOfTheSameNameInDifferentFoldersGetDistinctIds() throws IOException {
    Files.createDirectories(tmp.resolve("x"));
    Files.createDirectories(tmp.resolve("y"));
    Files.write(tmp.resolve("x/photo.jpg"), new byte[] {1});
    Files.write(tmp.resolve("y/photo.jpg"), new byte[] {2});
    Files.write(tmp.resolve("y/other.png"), new byte[] {3});

    List<ImageReference> refs = ImageSources.of(List.of(tmp.toString(), tmp.resolve("y/other.png").toString()), false);

    assertThat(refs).extracting(ImageReference::id).doesNotHaveDuplicates().hasSize(4)
        .contains(tmp.resolve("x/photo.jpg").toString(), tmp.resolve("y/photo.jpg").toString(),
            tmp.resolve("y/other.png").toString(), tmp.resolve("y/other.png") + "#2");
  }

  @Test
  void inlineFilesBecomeDataUrisWithTheirBytes() throws IOException {
    Path f = Files.write(tmp.resolve("pic.jpeg"), new byte[] {9, 8, 7});

    ImageReference r = ImageSources.of(List.of(f.toString()), true).getFirst();

    assertThat(r.uri()).isEqualTo("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(new byte[] {9, 8, 7}));
  }

  @Test
  void urlsPassThroughNamedByTheirLastPathSegment() throws IOException {
    ImageReference r = ImageSources.of(List.of("https://example.com/img/cat.webp?x=1"), false).getFirst();

    assertThat(r.id()).isEqualTo("cat.webp");
    assertThat(r.uri()).isEqualTo("https://example.com/img/cat.webp?x=1");
  }

  @Test
  void missingPathIsAnError() {
    assertThatThrownBy(() -> ImageSources.of(List.of(tmp.resolve("nope.png").toString()), false))
        .hasMessageContaining("nope.png");
  }

  @Test
  void bundledSamplesAreSmallDecodableImages() throws IOException {
    List<ImageReference> samples = ImageSources.samples();

    assertThat(samples).hasSizeGreaterThanOrEqualTo(3);
    for (ImageReference s : samples) {
      byte[] bytes = Base64.getDecoder().decode(s.uri().substring(s.uri().indexOf(',') + 1));
      assertThat(bytes.length).as(s.id()).isBetween(500, 50_000);
      assertThat(ImageIO.read(new ByteArrayInputStream(bytes))).as(s.id()).isNotNull();
    }
  }
}
