package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.EscapeArgument;
import io.zkperp.client.l1.EscapeArgumentV3;
import io.zkperp.client.l1.TraderL1;
import io.zkperp.protocol.state.L1Address;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code escape}. */
@Command(
    name = "escape",
    description =
        "Exit a frozen rollup: fetch the account's Merkle proof against the last verified state"
            + " root from the node (perp_getEscapeProof), send escape(proof) on L1 (the account's"
            + " collateral is credited to its L1 owner, once; on a format v3 rollup its positions'"
            + " value too), then claim it when the owner is this wallet")
final class EscapeCommand implements Callable<Integer> {
  @Mixin ZkPerpCli.Connection conn;
  @Mixin L1Options.L1Access l1Access;
  @Mixin L1Options.Output output;
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--account",
      description =
          "the account to escape (default: the key file's); anyone may escape any account, the"
              + " funds go to its L1 owner")
  Integer account;

  @Option(names = "--no-claim", description = "only escape; claim later with claim")
  boolean noClaim;

  @Override
  public Integer call() throws Exception {
    Consumer<String> progress = L1Options.progress(spec);
    L2KeyFile kf = l1Access.readKeyFile();
    int id = account != null ? account : l1Access.account(kf);
    try (TraderL1 l1 = l1Access.connect(kf, progress)) {
      JsonNode served = conn.client().getEscapeProof(id);
      long batch;
      BigInteger stateRoot;
      TraderL1.Escape e;
      // the node's answer names its format: ZkPerpRollupV3.escape (v3) or ZkPerpRollup.escape
      if (EscapeArgumentV3.isV3(served)) {
        EscapeArgumentV3 arg = EscapeArgumentV3.of(served);
        batch = arg.batch();
        stateRoot = arg.stateRoot();
        progress.accept(
            "L2: format v3 proof of account " + id + " at batch " + batch + ", root " + stateRoot);
        e = l1.escape(arg);
      } else {
        EscapeArgument arg = EscapeArgument.of(served);
        batch = arg.batch();
        stateRoot = arg.stateRoot();
        progress.accept(
            "L2: proof of account " + id + " at batch " + batch + ", root " + stateRoot);
        e = l1.escape(arg);
      }
      ObjectNode o = L1Options.MAPPER.createObjectNode();
      o.put("account", e.account());
      o.put("batch", batch);
      o.put("stateRoot", stateRoot.toString());
      o.put("escaped", e.amount());
      o.put("l1Owner", e.owner());
      o.put("l1TxHash", e.txHash());
      o.put("l1Block", e.block());
      if (!noClaim && L1Address.fromHex(e.owner()).equals(l1.wallet())) {
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
