package io.zkperp.client.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code settlement --journal-seq N}: where a journaled command (an order's fill, a withdrawal)
 * stands on its way to L1, as {@code perp_getSettlement} answers: accepted, paused, SEALED,
 * PROVING, PROVEN, COMMITTED, FINAL or FAILED, with its batch and L1 transaction once it has one.
 * Public (no key). One run on one thread.
 */
@Command(
    name = "settlement",
    description =
        "perp_getSettlement: where a journaled command (the journalSeq that place-order or"
            + " withdraw printed) stands on its way to L1: accepted, paused, SEALED, PROVING,"
            + " PROVEN, COMMITTED, FINAL or FAILED")
final class SettlementCommand implements Callable<Integer> {
  @Mixin ZkPerpCli.Connection conn;
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--journal-seq", required = true, description = "the command's journalSeq")
  long journalSeq;

  @Override
  public Integer call() throws Exception {
    if (journalSeq <= 0) {
      throw new IllegalArgumentException("--journal-seq must be positive");
    }
    ZkPerpCli.print(spec.commandLine().getOut(), conn.client().getSettlement(journalSeq));
    return 0;
  }
}
