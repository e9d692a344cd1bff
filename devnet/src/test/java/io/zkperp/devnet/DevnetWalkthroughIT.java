package io.zkperp.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.client.L2Waits;
import io.zkperp.client.cli.ZkPerpCli;
import io.zkperp.client.identity.KeyTypedData;
import io.zkperp.client.identity.L2KeyFile;
import io.zkperp.client.identity.WalletOnboarding;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * The walkthrough of devnet/README.md, "Try it", as a new user runs it: this test reads the fenced
 * block of that section and runs every line through the same entry points as {@code ./zk devnet}
 * ({@link DevnetMain}) and {@code ./zk client} ({@link ZkPerpCli}), in this JVM, asserting balances
 * exactly after each step. In-process rather than as {@code ./zk} processes: {@code ./zk} checks
 * and rebuilds the modules before each command (Maven, seconds to minutes each on a 2-core CI
 * machine), while the entry points and their arguments are the same; and {@code ./zk devnet} runs
 * until Ctrl-C, so its line starts the same {@link Devnet} here with {@link DevnetIT}'s options
 * (free ports, a temporary data directory, short batch delay). The test adds only what differs from
 * a user's machine: {@code --url} and {@code --data-dir} of this devnet, its L1 URL for {@code
 * http://127.0.0.1:8546}, the temporary directory for the files the block names, and the {@code
 * journalSeq} that {@code place-order} printed.
 *
 * <p>The devnet runs {@code ./zk devnet}'s defaults: format v3 on {@code v3-tiny} (markets 1 and 2,
 * the v3 feed interval, funding {@code auto}), so the fill is followed over the {@code settlement}
 * line until it is FINAL on L1, only moving forward. The withdrawal, signed in format 2 for the
 * deployment's domain, is followed to FINAL and claimed on L1: the wallet holds exactly 100 tUSD
 * more.
 *
 * <p>The same devnet then shows that its oracle signers are its own: the feeder's reports are
 * accepted, a report signed with the public demo keys is refused {@code ORACLE_BAD_SIGNATURE}, and
 * the keys are in an owner-only file.
 */
class DevnetWalkthroughIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long TUSD = 1_000_000L;
  static final String README_L1 = "http://127.0.0.1:8546";

  /**
   * How long the fill may take to become FINAL: the batches before it (the market maker's and the
   * trader's deposits, the first prices) and its own, each a v3-tiny proof by one prover worker on
   * a loaded 2-core machine, then the finality block.
   */
  static final Duration FILL_FINAL_TIMEOUT = Duration.ofMinutes(12);

  /** The development wallet of the second trader (the README's trader is account 2). */
  private static final int SECOND_TRADER_DEV_ACCOUNT = 3;

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  @Test
  void theReadmeWalkthroughRunsWithExactBalances() throws Exception {
    List<List<String>> block = walkthrough();
    assertThat(block.getFirst()).containsExactly("./zk", "devnet");
    Path data = dir.resolve("devnet");
    List<String> progress = new ArrayList<>();
    // ./zk devnet's defaults: format v3 on v3-tiny, markets 1 and 2, the v3 feed interval
    DevnetOptions options =
        DevnetIT.options(
            data,
            List.of(1, 2),
            DevnetOptions.V3,
            "v3-tiny",
            Duration.ofMillis(DevnetMain.v3FeedMillis("v3-tiny", 2)));
    try (Devnet d = Devnet.start(options, progress::add);
        L1Session l1 = L1Session.connect(d.l1RpcUrl())) {
      Credentials wallet = DevAccounts.account(2);
      BigInteger l1Start = L1Collateral.balanceOf(l1, d.state().deployment(), wallet.getAddress());
      Steps s = new Steps(d, data);
      // --- dev-key: anvil's dev account 2, written owner-only
      Run r = s.run(block.get(1), "dev-key");
      assertThat(r.out()).contains(wallet.getAddress());
      assertThat(Files.readString(dir.resolve("wallet.key")).trim())
          .isEqualToIgnoringCase(
              "0x" + String.format("%064x", wallet.getEcKeyPair().getPrivateKey()));
      assertThat(Files.getPosixFilePermissions(dir.resolve("wallet.key"))).isEqualTo(OWNER_ONLY);
      // --- faucet: exactly 1,000 tUSD more on L1
      s.run(block.get(2), "faucet");
      BigInteger l1Balance =
          L1Collateral.balanceOf(l1, d.state().deployment(), wallet.getAddress());
      assertThat(l1Balance).isEqualTo(l1Start.add(BigInteger.valueOf(1_000 * TUSD)));
      // --- onboard: the L2 key derived from the wallet's EIP-712 signature
      s.run(block.get(3), "onboard");
      L2KeyFile kf = L2KeyFile.read(dir.resolve("trader.json"));
      KeyTypedData td =
          new KeyTypedData(d.state().chainId(), L1Address.fromHex(d.state().rollup()), 0);
      assertThat(kf.wallet()).isEqualTo(L1Address.fromHex(wallet.getAddress()));
      assertThat(kf.key().publicKey().encode())
          .isEqualTo(WalletOnboarding.deriveKey(wallet.getEcKeyPair(), td).publicKey().encode());
      assertThat(kf.account()).isEmpty();
      castDerivesTheSameKey(s, wallet, kf);
      // --- deposit: 500 tUSD leave the wallet on L1 and are credited on L2
      r = s.run(block.get(4), "deposit");
      kf = L2KeyFile.read(dir.resolve("trader.json"));
      assertThat(kf.account()).as(r.out()).isPresent();
      int account = kf.account().getAsInt();
      assertThat(L1Collateral.balanceOf(l1, d.state().deployment(), wallet.getAddress()))
          .isEqualTo(l1Balance.subtract(BigInteger.valueOf(500 * TUSD)));
      // --- account: exactly 500 tUSD, no position
      JsonNode a = JSON.readTree(s.run(block.get(5), "account").out());
      assertThat(a.path("collateral").asLong()).isEqualTo(500 * TUSD);
      assertThat(a.path("positions")).isEmpty();
      // --- book: the market maker quotes both sides of market 2
      DevnetIT.await(
          "the market maker's quotes",
          () -> {
            JsonNode book = JSON.readTree(s.run(block.get(6), "book").out());
            return book.path("asks").size() > 0 && book.path("bids").size() > 0;
          },
          60);
      // --- place-order: an IOC buy of 3 fills against the market maker (again if it requoted)
      JsonNode placed = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        placed = JSON.readTree(s.run(block.get(7), "place-order").out());
        if (placed.path("filled").asLong() > 0) {
          break;
        }
        assertThat(placed.path("status").asText()).as(placed.toString()).isNotEqualTo("FILLED");
        Thread.sleep(200);
      }
      assertThat(placed.path("filled").asLong()).as(placed.toString()).isEqualTo(3);
      long cost = 0;
      long fee = 0;
      for (JsonNode f : placed.path("fills")) {
        assertThat(f.path("price").asLong()).isBetween(1L, 1_045L);
        long c = f.path("size").asLong() * f.path("price").asLong();
        cost += c;
        fee += RiskMath.fee(c, DemoMarkets.FEES.takerFeePpm());
      }
      assertThat(fee).isPositive();
      long fillSeq = placed.path("journalSeq").asLong();
      // --- account: position +3, collateral exactly 500 tUSD - cost - taker fee
      long afterTrade = 500 * TUSD - cost - fee;
      a = JSON.readTree(s.run(block.get(8), "account").out());
      assertThat(a.at("/positions/0/market").asInt()).isEqualTo(2);
      assertThat(a.at("/positions/0/size").asLong()).isEqualTo(3);
      assertThat(a.path("collateral").asLong()).as(a.toString()).isEqualTo(afterTrade);
      // the market maker holds the other side
      JsonNode mm =
          new io.zkperp.client.ZkPerpClient(java.net.URI.create(d.rpcUrl()))
              .getAccount(
                  io.zkperp.protocol.eddsa.EdDsaPrivateKey.fromSeed(
                      HexFormat.of().parseHex(d.state().marketMakerSeed())),
                  (int) d.marketMakerAccount());
      assertThat(mm.at("/positions/0/size").asLong()).isEqualTo(-3);
      // --- settlement of the fill on format v3: the same `settlement` line, asked again until the
      // fill's batch is FINAL on L1 (accepted -> SEALED -> PROVING -> PROVEN -> COMMITTED ->
      // FINAL);
      // its state never goes backwards and the settlement never pauses on the way
      s.journalSeq = fillSeq;
      List<String> seen = new ArrayList<>();
      JsonNode fillState = null;
      long deadline = System.nanoTime() + FILL_FINAL_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        fillState = JSON.readTree(s.run(block.get(9), "settlement").out());
        String st = fillState.path("status").asText();
        if (seen.isEmpty() || !seen.getLast().equals(st)) {
          seen.add(st);
        }
        assertThat(st).as("%s (settlement: %s)", seen, d.status().line()).isNotEqualTo("paused");
        assertThat(rank(st)).as("%s", seen).isNotNegative();
        if (st.equals("FINAL")) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(seen).as("the fill's states over the CLI").last().isEqualTo("FINAL");
      for (int i = 1; i < seen.size(); i++) {
        assertThat(rank(seen.get(i))).as("%s", seen).isGreaterThan(rank(seen.get(i - 1)));
      }
      assertThat(seen.getFirst())
          .as("%s: seen before its batch was on L1", seen)
          .isNotIn("COMMITTED", "FINAL");
      long fillBatch = fillState.path("batch").asLong();
      assertThat(fillBatch).isPositive();
      String txHash = fillState.path("l1TxHash").asText();
      assertThat(l1.web3j().ethGetTransactionReceipt(txHash).send().getTransactionReceipt())
          .as("the commit of batch %d on L1", fillBatch)
          .hasValueSatisfying(rc -> assertThat(rc.isStatusOK()).isTrue());
      ZkPerpRollupV3 rollup =
          ZkPerpRollupV3.load(
              d.state().rollup(), l1.web3j(), l1.transactionManager(wallet), l1.gas());
      assertThat(rollup.lastBatchNumber().send().longValueExact())
          .isGreaterThanOrEqualTo(fillBatch);
      assertThat(new BigInteger(1, rollup.batchHashes(BigInteger.valueOf(fillBatch)).send()))
          .as("batch %d's hash on L1", fillBatch)
          .isPositive();
      String first = seen.getFirst();
      // --- withdraw: signed in the node's format (format 2 in the deployment's domain, as
      // perp_getDomain says), debited on L2 at once, followed to FINAL on L1 and claimed: the
      // wallet gets exactly 100 tUSD back, the settlement never paused
      assertThat(
              new io.zkperp.client.ZkPerpClient(java.net.URI.create(d.rpcUrl()))
                  .transactionFormat())
          .isEqualTo(io.zkperp.client.TransactionFormat.FORMAT_2);
      r = s.run(block.get(10), "withdraw");
      Map<String, String> w = keyValues(r.out());
      long withdrawalSeq = Long.parseLong(w.get("journalSeq"));
      assertThat(withdrawalSeq).as(r.out()).isGreaterThan(fillSeq);
      assertThat(w.get("status")).as(r.out()).isEqualTo("FINAL");
      assertThat(Long.parseLong(w.get("batch"))).as(r.out()).isGreaterThanOrEqualTo(fillBatch);
      assertThat(new BigInteger(w.get("claimed")))
          .as(r.out())
          .isEqualTo(BigInteger.valueOf(100 * TUSD));
      assertThat(d.status().pausedAtJournalSeq()).as(d.status().line()).isZero();
      a = JSON.readTree(s.run(block.get(8), "account").out());
      assertThat(a.path("collateral").asLong()).isEqualTo(afterTrade - 100 * TUSD);
      assertThat(L2KeyFile.read(dir.resolve("trader.json")).nextTransactionNonce()).isEqualTo(1);
      assertThat(L1Collateral.balanceOf(l1, d.state().deployment(), wallet.getAddress()))
          .isEqualTo(l1Balance.subtract(BigInteger.valueOf(400 * TUSD)));
      assertThat(rollup.withdrawable(wallet.getAddress()).send()).isZero();
      // --- a second trader on the same devnet, through the SDK: the same lifecycle (wallet
      // signature -> L1 deposit credited -> a crossing IOC buy against the market maker -> the
      // fill FINAL on L1 -> a format 2 withdrawal FINAL and claimed), balances exact on both layers
      io.zkperp.client.ZkPerpClient client =
          new io.zkperp.client.ZkPerpClient(java.net.URI.create(d.rpcUrl()));
      Credentials wallet2 = DevAccounts.account(SECOND_TRADER_DEV_ACCOUNT);
      BigInteger l1Before2 =
          L1Collateral.balanceOf(l1, d.state().deployment(), wallet2.getAddress());
      SdkTrader second =
          SdkTrader.onboardAndDeposit(d, client, SECOND_TRADER_DEV_ACCOUNT, 300 * TUSD);
      assertThat(L1Collateral.balanceOf(l1, d.state().deployment(), wallet2.getAddress()))
          .as("the faucet's 300 tUSD deposited")
          .isEqualTo(l1Before2);
      JsonNode bought =
          second.crossingIoc(client, 2, io.zkperp.protocol.message.OrderMessage.Side.BUY, 2, 2);
      assertThat(bought.path("filled").asLong()).as(bought.toString()).isEqualTo(2);
      long cost2 = 0;
      long fee2 = 0;
      for (JsonNode f : bought.path("fills")) {
        long c = f.path("size").asLong() * f.path("price").asLong();
        cost2 += c;
        fee2 += RiskMath.fee(c, DemoMarkets.FEES.takerFeePpm());
      }
      JsonNode acct2 = client.getAccount(second.key(), second.account());
      assertThat(acct2.at("/positions/0/size").asLong()).isEqualTo(2);
      assertThat(acct2.path("collateral").asLong()).isEqualTo(300 * TUSD - cost2 - fee2);
      JsonNode fill2 =
          L2Waits.awaitSettlement(
              client,
              bought.path("journalSeq").asLong(),
              "FINAL",
              Duration.ofMillis(500),
              FILL_FINAL_TIMEOUT,
              line -> {});
      assertThat(fill2.path("status").asText()).isEqualTo("FINAL");
      long withdrawal2 =
          client
              .withdraw(
                  second.key(),
                  second.account(),
                  L1Address.fromHex(wallet2.getAddress()),
                  50 * TUSD,
                  0)
              .path("journalSeq")
              .asLong();
      JsonNode w2 =
          L2Waits.awaitSettlement(
              client, withdrawal2, "FINAL", Duration.ofMillis(500), FILL_FINAL_TIMEOUT, line -> {});
      assertThat(w2.path("status").asText()).isEqualTo("FINAL");
      try (io.zkperp.client.l1.TraderL1 l1Second = SdkTrader.l1(d, wallet2)) {
        assertThat(l1Second.claim()).isEqualTo(BigInteger.valueOf(50 * TUSD));
        assertThat(l1Second.withdrawable()).isZero();
      }
      assertThat(L1Collateral.balanceOf(l1, d.state().deployment(), wallet2.getAddress()))
          .isEqualTo(l1Before2.add(BigInteger.valueOf(50 * TUSD)));
      assertThat(client.getAccount(second.key(), second.account()).path("collateral").asLong())
          .isEqualTo(300 * TUSD - cost2 - fee2 - 50 * TUSD);
      assertThat(d.status().pausedAtJournalSeq()).as(d.status().line()).isZero();
      // the fill's state never goes backwards
      String later = JSON.readTree(s.run(block.get(9), "settlement").out()).path("status").asText();
      assertThat(rank(later)).as(first + " then " + later).isGreaterThanOrEqualTo(rank(first));

      oracleSignersAreTheDevnetsOwn(d, data);
    }
  }

  /** The {@code key: value} lines an L1 command prints without {@code --json}. */
  private static Map<String, String> keyValues(String out) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int i = line.indexOf(": ");
      if (i > 0) {
        m.put(line.substring(0, i).trim(), line.substring(i + 2).trim());
      }
    }
    return m;
  }

  /**
   * The devnet's feeder signs with the keys it generated (owner-only file), whose reports the
   * engine accepts; the public demo keys are refused.
   */
  private static void oracleSignersAreTheDevnetsOwn(Devnet d, Path data) throws Exception {
    Path file = data.resolve(OracleSignerKeys.FILE);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(data.resolve(DevnetState.FILE))).isEqualTo(OWNER_ONLY);
    OracleSignerKeys own = OracleSignerKeys.read(data).orElseThrow();
    assertThat(own.seeds()).hasSize(OracleSignerKeys.COUNT).doesNotHaveDuplicates();
    assertThat(d.status().priceBatches()).isPositive();
    // timestamps just after the last accepted price's (the feeder signs its tick's second, the
    // core's time), within the 5 s the engine accepts after its time (the last tick, up to a feed
    // interval behind the wall clock), so that only the signatures decide
    io.zkperp.gateway.bridge.ReadModel.MarketState last =
        d.node().gateway().readModel().marketStates(2).getFirst();
    long now = last.oracleTimestamp();
    long price = last.oraclePrice();
    List<PriceReport> demo = new ArrayList<>();
    for (int i = 0; i < DemoMarkets.ORACLE_SIGNERS; i++) {
      demo.add(PriceReportSigning.sign(d.domain(), DemoMarkets.oracleKey(i), i, 2, price, now + 2));
    }
    CommandOutcome refused =
        d.node()
            .gateway()
            .bridge()
            .submit(new SignedOraclePrices(2, demo))
            .get(10, TimeUnit.SECONDS);
    assertThat(refused)
        .isInstanceOfSatisfying(
            CommandOutcome.Rejected.class,
            rj -> assertThat(rj.reason()).isEqualTo(RejectReason.ORACLE_BAD_SIGNATURE));
    // the same report signed by the devnet's own keys is accepted
    List<PriceReport> signed = new ArrayList<>();
    for (int i = 0; i < own.keys().size(); i++) {
      signed.add(PriceReportSigning.sign(d.domain(), own.keys().get(i), i, 2, price, now + 3));
    }
    CommandOutcome accepted =
        d.node()
            .gateway()
            .bridge()
            .submit(new SignedOraclePrices(2, signed))
            .get(10, TimeUnit.SECONDS);
    assertThat(accepted).isNotInstanceOf(CommandOutcome.Rejected.class);
  }

  /**
   * Where Foundry's cast is installed, its signature of the typed data that {@code onboard
   * --print-typed-data} prints, given to {@code onboard --signature --wallet}, derives the same key
   * as the SDK's own signature did.
   */
  private void castDerivesTheSameKey(Steps s, Credentials wallet, L2KeyFile kf) throws Exception {
    Path cast = repoRoot().resolve("l1-contracts/tools/cast");
    if (!Files.isExecutable(cast)) {
      return; // the walkthrough's own onboarding (SDK signer) was checked above
    }
    String typed = s.client("onboard", "--print-typed-data").out().trim();
    Process p =
        new ProcessBuilder(
                cast.toString(),
                "wallet",
                "sign",
                "--data",
                "--private-key",
                Files.readString(dir.resolve("wallet.key")).trim(),
                typed)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String sig = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.exitValue()).as(sig).isZero();
    Path viaCast = dir.resolve("cast.json");
    s.client(
        "onboard",
        "--signature",
        sig,
        "--wallet",
        wallet.getAddress(),
        "--key-file",
        viaCast.toString());
    assertThat(L2KeyFile.read(viaCast).key().publicKey().encode())
        .isEqualTo(kf.key().publicKey().encode());
  }

  static final Set<PosixFilePermission> OWNER_ONLY =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  /** The order of settlement states; {@code paused} ranks with {@code accepted}. */
  static int rank(String status) {
    return status.equals("paused") ? 0 : L2Waits.SETTLEMENT_ORDER.indexOf(status);
  }

  /** Runs the block's lines against one devnet. */
  final class Steps {
    final Devnet devnet;
    final Path data;
    long journalSeq;

    Steps(Devnet devnet, Path data) {
      this.devnet = devnet;
      this.data = data;
    }

    /** Runs one line of the block, which must be that subcommand, and asserts exit 0. */
    Run run(List<String> line, String subcommand) {
      return runExpecting(line, subcommand, 0);
    }

    Run runExpecting(List<String> line, String subcommand, int exit) {
      assertThat(line).as("the walkthrough's line").hasSizeGreaterThan(2);
      assertThat(line.subList(0, 3))
          .as(String.join(" ", line))
          .containsExactly("./zk", line.get(1), subcommand);
      List<String> args = new ArrayList<>();
      for (String t : line.subList(2, line.size())) {
        args.add(localize(t));
      }
      Run r;
      if (line.get(1).equals("devnet")) {
        if (!subcommand.equals("dev-key")) { // the one subcommand that needs no running devnet
          args.addAll(List.of("--data-dir", data.toString()));
        }
        StringWriterStream out = new StringWriterStream();
        StringWriterStream err = new StringWriterStream();
        int code = DevnetMain.run(args.toArray(String[]::new), out.stream, err.stream, false);
        r = new Run(code, out.text(), err.text());
      } else {
        assertThat(line.get(1)).isEqualTo("client");
        r = client(args.toArray(String[]::new));
      }
      assertThat(r.code()).as(String.join(" ", line) + "\n" + r.out() + r.err()).isEqualTo(exit);
      return r;
    }

    /** {@code ./zk client ARGS --url <this devnet>}, any exit code. */
    Run client(String... args) {
      List<String> all = new ArrayList<>(Arrays.asList(args));
      all.addAll(List.of("--url", devnet.rpcUrl()));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          ZkPerpCli.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
      return new Run(code, out.toString(), err.toString());
    }

    private String localize(String token) {
      if (token.equals(README_L1)) {
        return devnet.l1RpcUrl();
      }
      if (token.equals("<journalSeq>")) {
        return Long.toString(journalSeq);
      }
      if (token.matches("[A-Za-z0-9_-]+\\.(key|json)")) {
        return dir.resolve(token).toString();
      }
      return token;
    }
  }

  /** A PrintStream into a string. */
  static final class StringWriterStream {
    final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    final java.io.PrintStream stream = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * The lines of the first {@code sh} block after {@code ## Try it} in devnet/README.md, each split
   * at blanks, without its {@code #} comment.
   */
  static List<List<String>> walkthrough() throws IOException {
    List<String> lines = Files.readAllLines(repoRoot().resolve("devnet/README.md"));
    int i = lines.indexOf("## Try it");
    assertThat(i).as("devnet/README.md has a '## Try it' section").isNotNegative();
    while (!lines.get(i).equals("```sh")) {
      i++;
    }
    List<List<String>> block = new ArrayList<>();
    for (i++; !lines.get(i).equals("```"); i++) {
      String l = lines.get(i);
      int hash = l.indexOf(" #");
      String command = (hash < 0 ? l : l.substring(0, hash)).trim();
      if (!command.isEmpty()) {
        block.add(List.of(command.split("\\s+")));
      }
    }
    return block;
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("devnet/README.md"))) {
      p = p.getParent();
    }
    assertThat(p).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
    return p;
  }
}
