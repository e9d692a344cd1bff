package io.zkperp.devnet;

import io.zkperp.client.identity.OwnerOnlyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./zk devnet dev-key --dev-account N --out FILE}: writes the private key of anvil's
 * development account N (public: the development mnemonic, funded on every devnet, never to be used
 * anywhere else) to an owner-only file, for {@code ./zk client onboard|deposit|withdraw
 * --private-key-file FILE}, and prints the account's address. A file already holding another key is
 * refused. Needs no running devnet. Main thread.
 */
@Command(
    name = "dev-key",
    mixinStandardHelpOptions = true,
    description =
        "Writes the private key of anvil's development account N (a PUBLIC dev key, for the devnet"
            + " only) to an owner-only file for ./zk client --private-key-file, and prints its"
            + " address.")
final class DevKeyCommand implements Callable<Integer> {
  @Option(
      names = "--dev-account",
      required = true,
      paramLabel = "N",
      description =
          "anvil's development account, 0-9 (1 is the operator, 8 the faucet, 9 the market maker)")
  int devAccount;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "where to write the key (0x and 64 hex digits, permissions 0600)")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    CommandLine cl = spec.commandLine();
    Credentials c = DevnetMain.devAccount(cl, devAccount);
    String key = Numeric.toHexStringWithPrefixZeroPadded(c.getEcKeyPair().getPrivateKey(), 64);
    if (Files.exists(out) && !Files.readString(out).trim().equalsIgnoreCase(key)) {
      throw new CommandLine.ParameterException(
          cl,
          "Invalid value for option '--out': " + out + " holds another key; choose another file");
    }
    OwnerOnlyFile.write(out, key + "\n");
    cl.getOut()
        .println(
            "dev account "
                + devAccount
                + ": "
                + c.getAddress()
                + "; its PUBLIC private key (anvil's development mnemonic: for this devnet only)"
                + " is in "
                + out);
    return 0;
  }
}
