package io.captionstream.pipeline;

import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.EngineSettings;
import io.captionstream.generate.ImageCaptioner;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Engine {@code onnx} (the default of {@code enricher run}): loads the model folder once per process and opens one
 * session set per worker. The model stays loaded for the life of the process.
 */
public final class OnnxCaptionerProvider implements CaptionerProvider {

  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public Supplier<ImageCaptioner> captioners(Path modelDir, String variant, int intraOpThreads) {
    if (modelDir == null) {
      throw new IllegalArgumentException("the onnx engine needs --model <model folder>");
    }
    CaptionModel model = CaptionModel.load(modelDir, variant);
    EngineSettings settings = EngineSettings.threads(intraOpThreads);
    return () -> model.newCaptioner(settings);
  }
}
