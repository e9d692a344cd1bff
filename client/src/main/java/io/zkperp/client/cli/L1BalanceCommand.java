package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.TraderL1;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code l1-balance}. */
@Command(
    name = "l1-balance",
    description = "The wallet's collateral-token balance and pull-payment balance on L1")
final class L1BalanceCommand implements Callable<Integer> {
  @Mixin L1Options.L1Access l1Access;
  @Mixin L1Options.Output output;
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    L2KeyFile kf = l1Access.readKeyFile();
    try (TraderL1 l1 = l1Access.connect(kf, L1Options.progress(spec))) {
      ObjectNode o = L1Options.MAPPER.createObjectNode();
      o.put("wallet", kf.wallet().toHex());
      o.put("token", l1.token().toHex());
      o.put("tokenBalance", l1.tokenBalance());
      o.put("withdrawable", l1.withdrawable());
      OptionalInt account = kf.account();
      if (account.isPresent()) {
        o.put("account", account.getAsInt());
      }
      output.print(spec.commandLine().getOut(), o);
    }
    return 0;
  }
}
