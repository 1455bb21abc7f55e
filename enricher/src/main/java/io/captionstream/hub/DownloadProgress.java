package io.captionstream.hub;

/** Receives the progress of a model download; implementations draw bars, tests record calls. */
public interface DownloadProgress {

  /** A file starts; {@code alreadyHave} bytes come from a resumed {@code .incomplete} file. */
  void start(String file, long totalBytes, long alreadyHave);

  /** {@code bytesSoFar} of the current file are on disk. */
  void advance(String file, long bytesSoFar);

  /** The current file is complete and verified. */
  void done(String file, boolean fromCache);

  DownloadProgress NONE =
      new DownloadProgress() {
        @Override
        public void start(String file, long totalBytes, long alreadyHave) {}

        @Override
        public void advance(String file, long bytesSoFar) {}

        @Override
        public void done(String file, boolean fromCache) {}
      };
}
