package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.l1.TraderL1;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * What the trader's wallet and L1 subcommands of {@code ./zk client} share ({@link OnboardCommand},
 * {@link DepositCommand}, {@link WithdrawCommand}, {@link ForcedWithdrawalCommand}, {@link
 * ClaimCommand}, {@link L1BalanceCommand}, {@link FreezeCommand}, {@link EscapeCommand}): the
 * wallet key, the output ({@code key: value} lines, or one JSON object with {@code --json}), the L1
 * connection and key file, and progress lines on stderr while waiting on L1 and on proofs. Each run
 * on one thread.
 */
final class L1Options {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private L1Options() {}

  /**
   * The wallet's secp256k1 key: in the arguments, or (better) in an environment variable or a file.
   */
  static final class WalletKey {
    @Option(
        names = "--private-key",
        description =
            "the wallet's private key, 0x and 64 hex digits (visible in ps: prefer"
                + " --private-key-env)")
    String hex;

    @Option(
        names = "--private-key-env",
        description = "name of an environment variable holding the wallet's private key")
    String env;

    @Option(
        names = "--private-key-file",
        description =
            "a file holding the wallet's private key (0x and 64 hex digits; e.g. ./zk devnet"
                + " dev-key writes one); keep it owner-only")
    Path file;

    Credentials credentials() {
      String k = hex;
      if (k == null && file != null) {
        try {
          k = Files.readString(file);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "cannot read the wallet key file " + file + ": " + e.getMessage(), e);
        }
      } else if (k == null) {
        k = System.getenv(env);
        if (k == null || k.isBlank()) {
          throw new IllegalArgumentException("environment variable " + env + " is not set");
        }
      }
      k = k.trim();
      if (!k.matches("(0x)?[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(
            "a wallet private key is 32 bytes: 0x and 64 hex digits");
      }
      return Credentials.create(k);
    }
  }

  /** Output format and the key file, shared by the L1 commands. */
  static final class Output {
    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

    void print(PrintWriter out, ObjectNode result) throws IOException {
      if (json) {
        out.println(MAPPER.writeValueAsString(result));
        return;
      }
      Iterator<Map.Entry<String, JsonNode>> it = result.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.println(
            e.getKey() + ": " + (e.getValue().isTextual() ? e.getValue().asText() : e.getValue()));
      }
    }
  }

  /** {@code --l1-url}, {@code --key-file}, the wallet key. */
  static final class L1Access {
    @Option(
        names = "--l1-url",
        required = true,
        description = "the L1 node's JSON-RPC URL (e.g. anvil's)")
    String l1Url;

    @Option(names = "--key-file", required = true, description = "the key file onboard wrote")
    Path keyFile;

    @ArgGroup(multiplicity = "1")
    WalletKey wallet;

    @Option(
        names = "--poll-ms",
        defaultValue = "500",
        description = "how often to poll L1 and the node, ms (default: ${DEFAULT-VALUE})")
    long pollMillis;

    L2KeyFile readKeyFile() throws IOException {
      if (!Files.isRegularFile(keyFile)) {
        throw new IllegalArgumentException(keyFile + " does not exist: run onboard first");
      }
      return L2KeyFile.read(keyFile);
    }

    /** Connects with the wallet, which must be the key file's. */
    TraderL1 connect(L2KeyFile kf, Consumer<String> progress) throws IOException {
      Credentials c = wallet.credentials();
      if (!L1Address.fromHex(c.getAddress()).equals(kf.wallet())) {
        throw new IllegalArgumentException(
            "the wallet key is "
                + c.getAddress()
                + "'s; the key file is "
                + kf.wallet().toHex()
                + "'s");
      }
      TraderL1 l1 =
          TraderL1.connect(
              l1Url, c, kf.typedData().rollup(), Duration.ofMillis(pollMillis), progress);
      if (l1.chainId() != kf.typedData().chainId()) {
        l1.close();
        throw new IllegalArgumentException(
            "the L1 node's chain id is "
                + l1.chainId()
                + "; the key file's "
                + kf.typedData().chainId());
      }
      return l1;
    }

    int account(L2KeyFile kf) {
      return kf.account()
          .orElseThrow(
              () -> new IllegalArgumentException(keyFile + " has no account yet: deposit first"));
    }

    Duration poll() {
      return Duration.ofMillis(pollMillis);
    }
  }

  static Consumer<String> progress(CommandLine.Model.CommandSpec spec) {
    PrintWriter err = spec.commandLine().getErr();
    return line -> {
      err.println(line);
      err.flush();
    };
  }
}
