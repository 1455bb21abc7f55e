package io.captionstream.cli;

import io.captionstream.config.Setting;

/** The {@code --help} text of a setting's option: its doc, then key, environment variable and default. */
final class SettingHelp {

  private SettingHelp() {}

  static String[] description(Setting<?> s) {
    String where = "key " + s.key() + ", env " + s.env()
        + (s.defaultText() == null ? "" : ", default " + s.defaultText());
    return new String[] {s.doc() + ".", "(" + where + ")"};
  }
}
