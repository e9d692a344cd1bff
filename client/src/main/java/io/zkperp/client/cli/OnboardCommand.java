package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.identity.KeyTypedData;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.identity.WalletOnboarding;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code onboard}. */
@Command(
    name = "onboard",
    description = {
      "Derive the L2 key from the wallet's EIP-712 signature of the key typed data (domain"
          + " zkperp/1, chain id, rollup; ZkperpKey{action:\"zkperp L2 key\", keyIndex}) and write"
          + " the key file.",
      "Sign locally with --private-key[-env], or sign elsewhere (cast wallet sign --data, any"
          + " EIP-712 wallet; --print-typed-data prints what to sign) and pass --signature"
          + " with --wallet."
    })
final class OnboardCommand implements Callable<Integer> {
  @Mixin ZkPerpCli.Connection conn;
  @Mixin L1Options.Output output;
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--key-file", description = "where to write the key file")
  Path keyFile;

  @Option(
      names = "--key-index",
      defaultValue = "0",
      description = "which of the wallet's keys, 0 to 4294967295 (default: ${DEFAULT-VALUE})")
  long keyIndex;

  @ArgGroup(exclusive = true)
  Source source;

  @Option(
      names = "--print-typed-data",
      description = "only print the typed data to sign (JSON) and exit")
  boolean printTypedData;

  /** Where the signature comes from. */
  static final class Source {
    @ArgGroup(exclusive = false)
    External external;

    @ArgGroup(exclusive = true)
    L1Options.WalletKey local;
  }

  /** A signature made elsewhere. */
  static final class External {
    @Option(
        names = "--signature",
        required = true,
        description = "the wallet's signature of the typed data, 0x and 130 hex digits")
    String signature;

    @Option(names = "--wallet", required = true, description = "the wallet's address")
    String wallet;
  }

  @Override
  public Integer call() throws Exception {
    MessageDomain domain = conn.client().domain();
    KeyTypedData td = new KeyTypedData(domain.chainId(), domain.rollupAddress(), keyIndex);
    if (printTypedData) {
      spec.commandLine().getOut().println(td.json());
      return 0;
    }
    if (keyFile == null) {
      throw new IllegalArgumentException("--key-file is required (where the key is written)");
    }
    if (source == null) {
      throw new IllegalArgumentException(
          "give --private-key, --private-key-env, --private-key-file, or --signature with --wallet");
    }
    L1Address wallet;
    byte[] seed;
    if (source.external != null) {
      try {
        wallet = L1Address.fromHex(source.external.wallet);
      } catch (InvalidEncodingException e) {
        throw new IllegalArgumentException("--wallet must be 0x and 40 hex digits");
      }
      String s = source.external.signature.trim();
      if (!s.matches("(0x)?[0-9a-fA-F]+") || s.replaceFirst("^0x", "").length() % 2 != 0) {
        throw new IllegalArgumentException("--signature must be hex");
      }
      seed =
          WalletOnboarding.deriveSeed(
              td, HexFormat.of().parseHex(s.replaceFirst("^0x", "")), wallet);
    } else {
      Credentials c = source.local.credentials();
      wallet = L1Address.fromHex(c.getAddress());
      seed = WalletOnboarding.deriveSeed(c.getEcKeyPair(), td);
    }
    L2KeyFile kf = L2KeyFile.of(wallet, td, seed);
    if (Files.exists(keyFile)) {
      L2KeyFile old = L2KeyFile.read(keyFile);
      if (!java.util.Arrays.equals(old.seed(), seed)) {
        throw new IllegalArgumentException(
            keyFile
                + " holds another key ("
                + old.wallet().toHex()
                + ", "
                + old.typedData()
                + "); choose another --key-file");
      }
      kf = old; // the same key: keep its account and nonce
    }
    kf.write(keyFile);
    ObjectNode o = kf.toJson();
    o.remove("seed");
    o.remove("format");
    o.put("keyFile", keyFile.toString());
    output.print(spec.commandLine().getOut(), o);
    return 0;
  }
}
