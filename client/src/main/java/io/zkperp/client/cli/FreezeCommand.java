package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.TraderL1;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code freeze}. */
@Command(
    name = "freeze",
    description =
        "Freeze the rollup on L1 (anyone may, once the oldest unserved deposit or forced"
            + " withdrawal is past its deadline): no more batches; every account may then escape"
            + " with its balance in the last verified state")
final class FreezeCommand implements Callable<Integer> {
  @Mixin L1Options.L1Access l1Access;
  @Mixin L1Options.Output output;
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    L2KeyFile kf = l1Access.readKeyFile();
    try (TraderL1 l1 = l1Access.connect(kf, L1Options.progress(spec))) {
      TraderL1.Freeze f = l1.freeze();
      ObjectNode o = L1Options.MAPPER.createObjectNode();
      o.put("frozen", l1.frozen());
      o.put("overdueQueueIndex", f.queueIndex());
      o.put("l1TxHash", f.txHash());
      o.put("l1Block", f.block());
      output.print(spec.commandLine().getOut(), o);
    }
    return 0;
  }
}
