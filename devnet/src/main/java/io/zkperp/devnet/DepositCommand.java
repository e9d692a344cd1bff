package io.zkperp.devnet;

import io.zkperp.l1.L1Exception;
import io.zkperp.l1.L1Session;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./zk devnet deposit}: approves the rollup and deposits TestUSD from an L1 account to an L2
 * account bound to an EdDSA key (a new account unless {@code --account} is given), and prints the
 * account id. The node credits it after its confirmations. Main thread.
 */
@Command(
    name = "deposit",
    mixinStandardHelpOptions = true,
    description =
        "Approves the rollup and deposits TestUSD from an L1 account to an L2 account bound to"
            + " the EdDSA key of --key-seed-hex (as ./zk client uses it).")
final class DepositCommand implements Callable<Integer> {
  @Mixin DevnetClientOptions devnet;

  @ArgGroup(multiplicity = "1")
  L1Key l1Key;

  /** Which L1 key pays. */
  static final class L1Key {
    @Option(
        names = "--dev-account",
        paramLabel = "N",
        description = "anvil's development account N (0-9; public keys)")
    Integer devAccount;

    @Option(names = "--l1-key", paramLabel = "HEX", description = "an L1 private key, hex")
    String privateKey;
  }

  @Option(
      names = "--key-seed-hex",
      required = true,
      paramLabel = "HEX",
      description = "the 32-byte seed of the L2 EdDSA key, 64 hex digits")
  String seedHex;

  @Option(
      names = "--account",
      paramLabel = "ID",
      description = "an existing L2 account of this L1 address and key (default: a new account)")
  Long account;

  @Option(
      names = "--amount",
      required = true,
      paramLabel = "QUANTA",
      description = "collateral quanta, 10^-6 tUSD (the L1 address must hold them: faucet)")
  long amount;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws DevnetException {
    CommandLine cl = spec.commandLine();
    DevnetMain.require(cl, amount > 0, "--amount", amount, "> 0");
    byte[] seed;
    try {
      seed = HexFormat.of().parseHex(seedHex.startsWith("0x") ? seedHex.substring(2) : seedHex);
    } catch (IllegalArgumentException e) {
      seed = new byte[0];
    }
    DevnetMain.require(cl, seed.length == 32, "--key-seed-hex", seedHex, "64 hex digits");
    Credentials who;
    if (l1Key.devAccount != null) {
      who = DevnetMain.devAccount(cl, l1Key.devAccount);
    } else {
      who = Credentials.create(l1Key.privateKey);
    }
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
    DevnetState s = devnet.state();
    try (L1Session l1 = devnet.connect(s)) {
      long id;
      if (account == null) {
        id = L1Collateral.depositToNewAccount(l1, s.deployment(), who, key, amount);
      } else {
        L1Collateral.deposit(l1, s.deployment(), who, key, account, amount);
        id = account;
      }
      cl.getOut()
          .println(
              "deposited "
                  + amount
                  + " quanta from "
                  + who.getAddress()
                  + " to L2 account "
                  + id
                  + "; the node credits it after its L1 confirmations");
      return 0;
    } catch (L1Exception e) {
      throw new DevnetException(
          DevnetException.Kind.L1_FAILURE, "deposit failed: " + e.getMessage(), e);
    }
  }
}
