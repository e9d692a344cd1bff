package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.TraderL1;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code forced-withdrawal}. */
@Command(
    name = "forced-withdrawal",
    description =
        "Request on L1 (paying the rollup's forced-request fee in ether) that the operator"
            + " withdraw collateral of the key file's account; if it is not served by its"
            + " deadline, anyone may freeze the rollup")
final class ForcedWithdrawalCommand implements Callable<Integer> {
  @Mixin L1Options.L1Access l1Access;
  @Mixin L1Options.Output output;
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--amount", required = true, description = "collateral quanta")
  long amount;

  @Option(
      names = "--wait",
      description = "wait until a batch verified on L1 serves the request (then: claim)")
  boolean await;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "1800",
      description = "give up waiting after this long (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (amount <= 0) {
      throw new IllegalArgumentException("--amount must be positive");
    }
    L2KeyFile kf = l1Access.readKeyFile();
    int account = l1Access.account(kf);
    try (TraderL1 l1 = l1Access.connect(kf, L1Options.progress(spec))) {
      TraderL1.ForcedRequest r = l1.requestForcedWithdrawal(account, amount);
      if (await) {
        l1.awaitServed(r.queueIndex(), Duration.ofSeconds(timeoutSeconds));
      }
      ObjectNode o = L1Options.MAPPER.createObjectNode();
      o.put("account", account);
      o.put("amount", amount);
      o.put("queueIndex", r.queueIndex());
      o.put("deadline", r.deadline());
      o.put("feeWei", r.feeWei());
      o.put("l1TxHash", r.txHash());
      o.put("l1Block", r.block());
      o.put("served", await);
      o.put("withdrawable", l1.withdrawable());
      output.print(spec.commandLine().getOut(), o);
    }
    return 0;
  }
}
