package io.zkperp.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The node's console logs with its shipped {@code logback.xml}, in a child JVM: by default one
 * readable line with the message formatted; with {@code json} one JSON object whose message is
 * formatted too (never the raw template).
 */
class LogFormatTest {
  private static String run(String format) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // the shipped files, not logback-test.xml: the probe picks one as the node does
                "-D" + GatewayMain.LOGBACK_CONFIGURATION + "=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                LogFormatProbe.class.getName(),
                format)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void textIsOneReadableLineWithTheMessageFormatted() throws Exception {
    String out = run("text");
    String line = out.lines().filter(l -> l.contains("journal records")).findFirst().orElseThrow();
    assertThat(line)
        .contains("INFO")
        .contains("GatewayNode: replayed 42 journal records from /tmp/zkperp-data/journal.log")
        .doesNotContain("{}")
        .doesNotStartWith("{");
  }

  @Test
  void jsonIsOneObjectPerLineWithTheFormattedMessage() throws Exception {
    String out = run("json");
    String line = out.lines().filter(l -> l.contains("journal records")).findFirst().orElseThrow();
    JsonNode event = new ObjectMapper().readTree(line);
    assertThat(event.path("level").asText()).isEqualTo("INFO");
    assertThat(event.path("formattedMessage").asText())
        .isEqualTo("replayed 42 journal records from /tmp/zkperp-data/journal.log");
    assertThat(event.has("message")).as("the raw template is not logged").isFalse();
    assertThat(line).doesNotContain("records from {}");
  }
}
