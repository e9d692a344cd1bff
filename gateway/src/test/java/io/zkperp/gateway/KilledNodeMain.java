package io.zkperp.gateway;

import io.zkperp.gateway.node.DurabilityOptions;
import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.gateway.node.NodeOptions;
import io.zkperp.gateway.node.SignatureVerifiers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The demo node in a child JVM for {@link NodeKillRecoveryTest} and {@link HistoryKillTest}: {@code
 * <data dir> <segment bytes> <snapshot every records> <archive dir>}, the price feed every 50 ms, 2
 * snapshots kept, released segments moved to the archive. Prints {@code PORT <port>} once serving,
 * then runs until killed.
 */
public final class KilledNodeMain {
  private KilledNodeMain() {}

  /**
   * Starts the node.
   *
   * @param args data dir, segment bytes, snapshot period in records, archive dir
   * @throws Exception if the node cannot start
   */
  public static void main(String[] args) throws Exception {
    GatewayNode node =
        GatewayNode.open(
            NodeOptions.builder(Path.of(args[0]))
                .feedIntervalMillis(50)
                .signatures(SignatureVerifiers.JAVA)
                .config(
                    GatewayConfig.builder()
                        .port(0)
                        .ipRatePerSecond(1e9)
                        .ipBurst(1_000_000_000)
                        .accountRatePerSecond(1e9)
                        .accountBurst(1_000_000_000)
                        .build())
                .durability(
                    new DurabilityOptions(
                        Long.parseLong(args[1]), Long.parseLong(args[2]), 0, 2, Path.of(args[3])))
                .build());
    System.out.println("PORT " + node.gateway().port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  /**
   * Starts the node in a child JVM on this test's class path (its stderr discarded).
   *
   * @param data the data directory
   * @param segmentBytes journal segment size
   * @param snapshotEveryRecords snapshot period in records
   * @param archive where released segments go
   * @return the child process
   * @throws IOException if it cannot be started
   */
  static Process spawn(Path data, long segmentBytes, long snapshotEveryRecords, Path archive)
      throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            KilledNodeMain.class.getName(),
            data.toString(),
            Long.toString(segmentBytes),
            Long.toString(snapshotEveryRecords),
            archive.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /**
   * Reads the child's {@code PORT n} line, then drains its output on a daemon thread.
   *
   * @param child a process from {@link #spawn}
   * @return the port it serves on
   * @throws IOException if its output cannot be read
   */
  static int awaitPort(Process child) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("PORT ")) {
        int port = Integer.parseInt(line.substring(5).trim());
        Thread drain =
            new Thread(
                () -> {
                  try {
                    in.transferTo(Writer.nullWriter());
                  } catch (IOException e) {
                    // the child died
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return port;
      }
    }
    throw new AssertionError("the node exited before serving");
  }
}
