package io.captionstream.prompt;

/**
 * DJL phones home (an EC2 metadata probe of 169.254.169.254) unless told otherwise. It reads {@code OPT_OUT_TRACKING}
 * from the environment or a system property, and offline mode from {@code DJL_OFFLINE} or {@code ai.djl.offline}.
 * Called before any DJL class is used; keeps a value someone set explicitly.
 */
final class DjlOffline {

  private DjlOffline() {}

  static void ensure() {
    if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }
}
