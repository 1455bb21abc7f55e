package io.captionstream.cli;

import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.EngineSettings;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.pipeline.CaptionerProvider;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The {@code onnx} engine for {@code run} and {@code demo}: the model folder is loaded once (configs, tokenizer,
 * template, preprocessor, shared by every worker); each worker then opens its own ONNX Runtime sessions.
 */
public final class OnnxCaptionerProvider implements CaptionerProvider {

  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public Supplier<ImageCaptioner> captioners(Path modelDir, String variant, int intraOpThreads) {
    if (modelDir == null) {
      throw new IllegalArgumentException("the onnx engine needs a model folder (--model-dir)");
    }
    CaptionModel model = CaptionModel.load(modelDir, variant);
    EngineSettings settings = EngineSettings.threads(intraOpThreads);
    return () -> model.newCaptioner(settings);
  }
}
