package io.zkperp.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.L2Waits;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.client.ZkPerpRpcException;
import io.zkperp.client.identity.KeyTypedData;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.identity.WalletOnboarding;
import io.zkperp.client.l1.TraderL1;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The trader's wallet and L1 subcommands of {@code ./zk client}: {@code onboard} (L2 key from an
 * EIP-712 signature, written to a key file), {@code deposit}, {@code withdraw}, {@code
 * forced-withdrawal}, {@code claim} and {@code l1-balance}. Results on stdout ({@code key: value}
 * lines, or one JSON object with {@code --json}); progress lines on stderr while waiting on L1 and
 * on proofs. Each run on one thread.
 */
final class L1Commands {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private L1Commands() {}

  /** The wallet's secp256k1 key: in the arguments, or (better) in an environment variable. */
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

    Credentials credentials() {
      String k = hex;
      if (k == null) {
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
  static final class Onboard implements Callable<Integer> {
    @Mixin ZkPerpCli.Connection conn;
    @Mixin Output output;
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
      WalletKey local;
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
            "give --private-key, --private-key-env, or --signature with --wallet");
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

  /** {@code deposit}. */
  @Command(
      name = "deposit",
      description =
          "Approve and deposit collateral on L1 for the key file's L2 key, wait for the"
              + " confirmations, then for the node to credit it (the first deposit binds the key"
              + " to a new account, written to the key file)")
  static final class Deposit implements Callable<Integer> {
    @Mixin ZkPerpCli.Connection conn;
    @Mixin L1Access l1Access;
    @Mixin Output output;
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
      Consumer<String> progress = progress(spec);
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
      ObjectNode o = MAPPER.createObjectNode();
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

  /** {@code withdraw}. */
  @Command(
      name = "withdraw",
      description =
          "Withdraw L2 collateral to the wallet: perp_withdraw (signed with the L2 key), follow"
              + " its batch (SEALED, PROVING, PROVEN, COMMITTED, FINAL) until --until, then claim"
              + " the wallet's whole pull-payment balance on L1")
  static final class Withdraw implements Callable<Integer> {
    @Mixin ZkPerpCli.Connection conn;
    @Mixin L1Access l1Access;
    @Mixin Output output;
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
      Consumer<String> progress = progress(spec);
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
        ObjectNode o = MAPPER.createObjectNode();
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

  /** {@code forced-withdrawal}. */
  @Command(
      name = "forced-withdrawal",
      description =
          "Request on L1 (paying the rollup's forced-request fee in ether) that the operator"
              + " withdraw collateral of the key file's account; if it is not served by its"
              + " deadline, anyone may freeze the rollup")
  static final class ForcedWithdrawal implements Callable<Integer> {
    @Mixin L1Access l1Access;
    @Mixin Output output;
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
      try (TraderL1 l1 = l1Access.connect(kf, progress(spec))) {
        TraderL1.ForcedRequest r = l1.requestForcedWithdrawal(account, amount);
        if (await) {
          l1.awaitServed(r.queueIndex(), Duration.ofSeconds(timeoutSeconds));
        }
        ObjectNode o = MAPPER.createObjectNode();
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

  /** {@code claim}. */
  @Command(
      name = "claim",
      description =
          "Claim the wallet's whole pull-payment balance on L1 (credited withdrawals, served"
              + " forced withdrawals, escapes)")
  static final class Claim implements Callable<Integer> {
    @Mixin L1Access l1Access;
    @Mixin Output output;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      L2KeyFile kf = l1Access.readKeyFile();
      try (TraderL1 l1 = l1Access.connect(kf, progress(spec))) {
        BigInteger claimed = l1.claim();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("claimed", claimed);
        o.put("tokenBalance", l1.tokenBalance());
        output.print(spec.commandLine().getOut(), o);
      }
      return 0;
    }
  }

  /** {@code l1-balance}. */
  @Command(
      name = "l1-balance",
      description = "The wallet's collateral-token balance and pull-payment balance on L1")
  static final class L1Balance implements Callable<Integer> {
    @Mixin L1Access l1Access;
    @Mixin Output output;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      L2KeyFile kf = l1Access.readKeyFile();
      try (TraderL1 l1 = l1Access.connect(kf, progress(spec))) {
        ObjectNode o = MAPPER.createObjectNode();
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
}
