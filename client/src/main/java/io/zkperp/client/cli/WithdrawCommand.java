package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.L2Waits;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.TraderL1;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code withdraw}. */
@Command(
    name = "withdraw",
    description =
        "Withdraw L2 collateral to the wallet: perp_withdraw (signed with the L2 key), follow"
            + " its batch (SEALED, PROVING, PROVEN, COMMITTED, FINAL) until --until, then claim"
            + " the wallet's whole pull-payment balance on L1")
final class WithdrawCommand implements Callable<Integer> {
  @Mixin ZkPerpCli.Connection conn;
  @Mixin L1Options.L1Access l1Access;
  @Mixin L1Options.Output output;
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--amount", required = true, description = "collateral quanta")
  long amount;

  @Option(
      names = "--nonce",
      description =
          "the account's transaction nonce (default: the key file's nextTransactionNonce)")
  Long nonce;

  @Option(
      names = "--until",
      defaultValue = "FINAL",
      description = "COMMITTED or FINAL: when to claim on L1 (default: ${DEFAULT-VALUE})")
  String until;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "1800",
      description = "give up waiting after this long (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Option(names = "--no-claim", description = "stop once the batch is --until; claim later")
  boolean noClaim;

  @Override
  public Integer call() throws Exception {
    if (amount <= 0) {
      throw new IllegalArgumentException("--amount must be positive");
    }
    if (!until.equals("COMMITTED") && !until.equals("FINAL")) {
      throw new IllegalArgumentException("--until is COMMITTED or FINAL");
    }
    Consumer<String> progress = L1Options.progress(spec);
    L2KeyFile kf = l1Access.readKeyFile();
    int account = l1Access.account(kf);
    long n = nonce != null ? nonce : kf.nextTransactionNonce();
    // connect (and check the wallet) before anything is signed
    try (TraderL1 l1 = l1Access.connect(kf, progress)) {
      ZkPerpClient client = conn.client();
      JsonNode accepted = client.withdraw(kf.key(), account, kf.wallet(), amount, n);
      kf.withNextTransactionNonce(n + 1).write(l1Access.keyFile);
      long seq = accepted.path("journalSeq").asLong();
      progress.accept("L2: withdrawal of " + amount + " accepted, journal " + seq);
      JsonNode s =
          L2Waits.awaitSettlement(
              client, seq, until, l1Access.poll(), Duration.ofSeconds(timeoutSeconds), progress);
      ObjectNode o = L1Options.MAPPER.createObjectNode();
      o.put("account", account);
      o.put("amount", amount);
      o.put("nonce", n);
      o.put("journalSeq", seq);
      o.put("status", s.path("status").asText());
      o.put("batch", s.path("batch").asLong());
      o.put("batchL1TxHash", s.path("l1TxHash").asText());
      if (!noClaim) {
        BigInteger claimed = l1.claim();
        o.put("claimed", claimed);
      }
      o.put("withdrawable", l1.withdrawable());
      o.put("tokenBalance", l1.tokenBalance());
      output.print(spec.commandLine().getOut(), o);
    }
    return 0;
  }
}
