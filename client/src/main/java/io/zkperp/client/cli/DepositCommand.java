package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.L2Waits;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.ZkPerpRpcException;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.TraderL1;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deposit}. */
@Command(
    name = "deposit",
    description =
        "Approve and deposit collateral on L1 for the key file's L2 key, wait for the"
            + " confirmations, then for the node to credit it (the first deposit binds the key"
            + " to a new account, written to the key file)")
final class DepositCommand implements Callable<Integer> {
  @Mixin ZkPerpCli.Connection conn;
  @Mixin L1Options.L1Access l1Access;
  @Mixin L1Options.Output output;
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--amount", required = true, description = "collateral quanta (token units)")
  long amount;

  @Option(
      names = "--confirmations",
      defaultValue = "2",
      description = "L1 blocks to wait for, the deposit's included (default: ${DEFAULT-VALUE})")
  int confirmations;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "600",
      description = "give up waiting after this long (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Option(names = "--no-wait-credit", description = "do not wait for the node's credit")
  boolean noWaitCredit;

  @Override
  public Integer call() throws Exception {
    if (amount <= 0) {
      throw new IllegalArgumentException("--amount must be positive");
    }
    if (confirmations < 1) {
      throw new IllegalArgumentException("--confirmations must be at least 1");
    }
    Consumer<String> progress = L1Options.progress(spec);
    L2KeyFile kf = l1Access.readKeyFile();
    EdDsaPrivateKey key = kf.key();
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    ZkPerpClient client = conn.client();
    long before = 0;
    TraderL1.Deposit d;
    try (TraderL1 l1 = l1Access.connect(kf, progress)) {
      // the account this wallet already bound to the key, if the key file does not say
      OptionalInt known =
          kf.account().isPresent() ? kf.account() : l1.boundAccount(key.publicKey());
      if (known.isPresent() && !noWaitCredit) {
        before = collateralOrZero(client, key, known.getAsInt());
      }
      d = l1.deposit(key.publicKey(), known, amount, confirmations, timeout);
    }
    if (kf.account().isEmpty() || kf.account().getAsInt() != d.account()) {
      kf = kf.withAccount(d.account());
      kf.write(l1Access.keyFile);
    }
    ObjectNode o = L1Options.MAPPER.createObjectNode();
    o.put("account", d.account());
    o.put("amount", d.amount());
    o.put("newAccount", d.newAccount());
    o.put("queueIndex", d.queueIndex());
    o.put("l1TxHash", d.txHash());
    o.put("l1Block", d.block());
    if (!noWaitCredit) {
      JsonNode a =
          L2Waits.awaitCollateral(
              client, key, d.account(), before + amount, l1Access.poll(), timeout, progress);
      o.put("collateral", a.path("collateral").asLong());
    }
    output.print(spec.commandLine().getOut(), o);
    return 0;
  }

  private static long collateralOrZero(ZkPerpClient client, EdDsaPrivateKey key, int account)
      throws IOException, InterruptedException {
    try {
      return client.getAccount(key, account).path("collateral").asLong();
    } catch (ZkPerpRpcException e) {
      return 0; // not credited yet: the node does not know the key
    }
  }
}
