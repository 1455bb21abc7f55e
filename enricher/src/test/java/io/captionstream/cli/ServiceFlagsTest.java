package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ConfigurationTable;
import io.captionstream.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class ServiceFlagsTest {

  /** One README row or one --help entry: flag, key, environment variable, default ("" when none). */
  record Entry(String flag, String key, String env, String defaultText) {}

  private static String help(String command) {
    CommandLine cl = new CommandLine(new Main()).getSubcommands().get(command);
    return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** Parses "(key K, env E, default D)" in each option's help text; an option's names start its first line. */
  static List<Entry> helpEntries(String usage) {
    Pattern optionLine = Pattern.compile("^ {2,8}(?:-\\w, )?(--[a-z-]+)");
    Pattern where = Pattern.compile("\\(key ([a-z.]+), env ([A-Z_]+)(?:, default ([^)]*))?\\)");
    List<Entry> entries = new ArrayList<>();
    String flag = null;
    StringBuilder text = new StringBuilder();
    for (String line : (usage + "\n  --end").lines().toList()) {
      Matcher o = optionLine.matcher(line);
      if (o.find()) {
        Matcher m = where.matcher(text.toString().replaceAll("\\s+", " "));
        if (flag != null && m.find()) {
          entries.add(new Entry(flag, m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3)));
        }
        flag = o.group(1);
        text.setLength(0);
      }
      text.append(' ').append(line.strip());
    }
    return entries;
  }

  static List<Entry> readmeEntries(String readme) {
    List<Entry> entries = new ArrayList<>();
    for (String line : ConfigurationTable.inReadme(readme).lines().skip(2).toList()) {
      String[] cells = line.split("\\|");
      entries.add(new Entry(strip(cells[3]), strip(cells[1]), strip(cells[2]), strip(cells[4])));
    }
    return entries;
  }

  private static String strip(String cell) {
    return cell.strip().replace("`", "");
  }

  @Test
  void runAndDemoHelpListTheReadmeTablesKeysDefaultsAndEnvironmentNames() throws IOException {
    List<Entry> readme = readmeEntries(Files.readString(Path.of("..", "README.md")));

    assertThat(readme).hasSize(ConfigKeys.DOCUMENTED.size());
    assertThat(helpEntries(help("run"))).containsExactlyElementsOf(readme);
    assertThat(helpEntries(help("demo"))).containsExactlyElementsOf(readme);
  }

  @Test
  void everySettingIsAnOptionOfRunAndDemoUnderItsFlagAndItsHiddenAliases() {
    for (String command : List.of("run", "demo")) {
      CommandSpec spec = new CommandLine(new Main()).getSubcommands().get(command).getCommandSpec();
      for (Setting<?> s : ConfigKeys.ALL) {
        assertThat(spec.findOption(s.flag())).as(command + " " + s.flag()).isNotNull();
        assertThat(spec.findOption(s.flag()).hidden()).as(command + " " + s.flag()
            + " hidden").isEqualTo(s.deprecated());
        s.hiddenAliases().forEach(a -> assertThat(spec.findOption(a).hidden()).as(a).isTrue());
      }
    }
  }

  @Test
  void flagsReachTheConfigurationUnderTheirKeys() {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("--log-json", "--allow-private-addresses", "--variant", "q4,vision=fp32",
        "-w", "3", "--intra-op-threads", "2");

    assertThat(run.options.flags()).containsEntry("log.format", "json")
        .containsEntry("fetch.allow.private.addresses", "true").containsEntry("model.variant", "q4,vision=fp32")
        .containsEntry("workers", "3").containsEntry("intra.op.threads", "2");
    assertThat(run.options.load().get(ConfigKeys.MODEL_VARIANT).toString())
        .isEqualTo("vision=fp32,embed=q4,decoder=q4");
  }

  @Test
  void aSwitchTakesAnExplicitFalse() {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("--allow-private-addresses=false");

    assertThat(run.options.load().get(ConfigKeys.FETCH_ALLOW_PRIVATE)).isFalse();
  }

  @Test
  void engineCommandsTakeIntraOpThreadsAndTheOldThreadsSpellingHidden() {
    CaptionCommand caption = new CaptionCommand();
    CommandLine cl = new CommandLine(caption);
    cl.parseArgs("--model-dir", "m", "--threads", "3", "x.png");

    assertThat(caption.engine.threads).isEqualTo(3);
    assertThat(cl.getUsageMessage(CommandLine.Help.Ansi.OFF)).contains("--intra-op-threads")
        .doesNotContain("--threads");
    assertThat(new CommandLine(new Main()).getSubcommands().get("run").getCommandSpec().findOption("--model").hidden())
        .isTrue();
  }
}
