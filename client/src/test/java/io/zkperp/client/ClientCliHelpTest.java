package io.zkperp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.client.cli.ZkPerpCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Help, version and usage errors of {@code ./zk client}: no node needed. */
class ClientCliHelpTest {
  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ZkPerpCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpWorksOnEverySubcommandAndThroughTheHelpCommand() {
    for (String sub :
        new String[] {
          "markets",
          "book",
          "nonces",
          "open-orders",
          "account",
          "fills",
          "place-order",
          "cancel",
          "cancel-all",
          "settlement"
        }) {
      Run r = cli(sub, "--help");
      assertThat(r.code()).as("%s --help: %s", sub, r.err()).isZero();
      assertThat(r.out()).as(sub).contains("Usage: zk client " + sub).contains("--url");
    }
    Run viaHelp = cli("help", "place-order");
    assertThat(viaHelp.code()).as(viaHelp.err()).isZero();
    assertThat(viaHelp.out()).contains("Usage: zk client place-order").contains("--price");
    Run top = cli("--help");
    assertThat(top.code()).isZero();
    assertThat(top.out()).contains("Exit codes:").contains("transport failure");
  }

  @Test
  void versionPrintsTheClientVersionOnTheTopCommandAndSubcommands() {
    Run r = cli("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("zkperp client ");
    assertThat(cli("book", "--version").out()).startsWith("zkperp client ");
  }

  @Test
  void aMissingOptionIsAUsageErrorThatNamesIt() {
    Run r = cli("place-order", "--market", "1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option");
  }
}
