package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.TraderL1;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code claim}. */
@Command(
    name = "claim",
    description =
        "Claim the wallet's whole pull-payment balance on L1 (credited withdrawals, served"
            + " forced withdrawals, escapes)")
final class ClaimCommand implements Callable<Integer> {
  @Mixin L1Options.L1Access l1Access;
  @Mixin L1Options.Output output;
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    L2KeyFile kf = l1Access.readKeyFile();
    try (TraderL1 l1 = l1Access.connect(kf, L1Options.progress(spec))) {
      BigInteger claimed = l1.claim();
      ObjectNode o = L1Options.MAPPER.createObjectNode();
      o.put("claimed", claimed);
      o.put("tokenBalance", l1.tokenBalance());
      output.print(spec.commandLine().getOut(), o);
    }
    return 0;
  }
}
