package io.captionstream.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the enricher's version and the versions of the native engines it bundles. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "enricher " + (v == null ? "dev" : v),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
