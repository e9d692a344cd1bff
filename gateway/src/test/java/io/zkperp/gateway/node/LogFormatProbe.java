package io.zkperp.gateway.node;

import org.slf4j.LoggerFactory;

/** A child JVM for {@link LogFormatTest}: logs one templated message in the given format. */
final class LogFormatProbe {
  private LogFormatProbe() {}

  public static void main(String[] args) {
    GatewayMain.chooseLogFormat(new String[] {"--log-format", args[0]});
    LoggerFactory.getLogger(GatewayNode.class)
        .info("replayed {} journal records from {}", 42, "/tmp/zkperp-data/journal.log");
  }
}
