package io.zkperp.devnet;

import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Exception;
import io.zkperp.l1.L1Session;
import io.zkperp.protocol.state.L1Address;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./zk devnet faucet --to ADDRESS --amount N}: mints the devnet's test ERC-20 (TestUSD) to
 * an L1 address and prints its new balance. Main thread.
 */
@Command(
    name = "faucet",
    mixinStandardHelpOptions = true,
    description = "Mints the devnet's test ERC-20 (TestUSD, 6 decimals) to an L1 address.")
final class FaucetCommand implements Callable<Integer> {
  @Mixin DevnetClientOptions devnet;

  @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "the L1 address")
  String to;

  @Option(
      names = "--amount",
      paramLabel = "QUANTA",
      description = "collateral quanta, 10^-6 tUSD (default ${DEFAULT-VALUE} = 1,000 tUSD)")
  long amount = 1_000_000_000L;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws DevnetException {
    try {
      L1Address.fromHex(to);
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Invalid value for option '--to': " + to + " is not 0x and 40 hex digits");
    }
    DevnetMain.require(spec.commandLine(), amount > 0, "--amount", amount, "> 0");
    DevnetState s = devnet.state();
    try (L1Session l1 = devnet.connect(s)) {
      L1Collateral.faucet(
          l1,
          s.deployment(),
          DevAccounts.account(Devnet.FAUCET_ACCOUNT),
          to,
          BigInteger.valueOf(amount));
      BigInteger balance = L1Collateral.balanceOf(l1, s.deployment(), to);
      spec.commandLine()
          .getOut()
          .println("minted " + amount + " quanta of TestUSD to " + to + "; balance " + balance);
      return 0;
    } catch (L1Exception e) {
      throw new DevnetException(
          DevnetException.Kind.L1_FAILURE, "faucet failed: " + e.getMessage(), e);
    }
  }
}
