package io.zkperp.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.client.Order;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.l1.AnvilProcess;
import io.zkperp.l1.DevAccounts;
import io.zkperp.l1.L1Session;
import io.zkperp.l1.contracts.ZkPerpRollup;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.message.OrderMessage.Side;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * The devnet end to end, with real processes: anvil from npm with its state file, the contracts
 * deployed by web3j, the settling node with a prover worker process proving tiny-shape batches with
 * real Groth16 keys (from the shared key cache), the oracle feeder and the market maker.
 */
class DevnetIT {
  static final long TUSD = 1_000_000L;

  @TempDir Path dir;

  final List<String> progress = new ArrayList<>();

  static DevnetOptions options(Path dataDir, List<Integer> markets) {
    return options(dataDir, markets, DevnetOptions.V2, "tiny", Duration.ofMillis(500));
  }

  /**
   * The tests' options with a settlement format, shape and feed interval (free ports, seed 7, the
   * market maker, 800 ms batch delay, 1 s blocks, 1 confirmation, finality 1, one prover worker).
   */
  static DevnetOptions options(
      Path dataDir, List<Integer> markets, String settlement, String shape, Duration feed) {
    return new DevnetOptions(
        dataDir,
        0,
        0,
        markets,
        7,
        true,
        settlement,
        shape,
        DevnetOptions.Funding.AUTO,
        Duration.ofMillis(800),
        feed,
        1,
        1,
        1,
        AnvilProcess.launcherFromSystemProperty(),
        BatchProver.defaultKeyDir(),
        1);
  }

  /**
   * Markets mode: the market maker quotes both sides; a trader deposits on L1 (approve + deposit),
   * is credited on L2, takes the market maker's ask and gets a fill; settlement pauses at the first
   * unprovable record and the status says so; a restart on the same data directory finds the same
   * contracts, the same L1 chain and the same L2 account, position and fills.
   */
  @Test
  void marketsModeTradesAgainstTheMarketMakerAndResumes() throws Exception {
    Path data = dir.resolve("devnet");
    Credentials trader = DevAccounts.account(3);
    EdDsaPrivateKey key = l2Key(3);
    long account;
    String rollup;
    JsonNode accountBefore;
    BigInteger l1Balance;
    long l1Block;
    try (Devnet d = Devnet.start(options(data, List.of(1, 2)), progress::add)) {
      rollup = d.state().rollup();
      assertThat(d.marketMakerAccount()).isPositive();
      assertThat(progress).anyMatch(l -> l.startsWith("deploying the contracts"));
      try (L1Session l1 = L1Session.connect(d.l1RpcUrl())) {
        BigInteger start = L1Collateral.balanceOf(l1, d.state().deployment(), trader.getAddress());
        L1Collateral.faucet(
            l1,
            d.state().deployment(),
            DevAccounts.account(Devnet.FAUCET_ACCOUNT),
            trader.getAddress(),
            BigInteger.valueOf(1_000 * TUSD));
        account =
            L1Collateral.depositToNewAccount(l1, d.state().deployment(), trader, key, 500 * TUSD);
        l1Balance = L1Collateral.balanceOf(l1, d.state().deployment(), trader.getAddress());
        assertThat(l1Balance).isEqualTo(start.add(BigInteger.valueOf(500 * TUSD)));
      }
      ZkPerpClient client = new ZkPerpClient(URI.create(d.rpcUrl()));
      await("the deposit credited on L2", () -> collateral(client, key, account) == 500 * TUSD, 60);
      // the market maker quotes both sides of both markets
      await(
          "the market maker's quotes",
          () ->
              client.getOrderBook(2, 5).path("asks").size() > 0
                  && client.getOrderBook(2, 5).path("bids").size() > 0
                  && client.getOrderBook(1, 5).path("asks").size() > 0
                  && client.getOrderBook(1, 5).path("bids").size() > 0,
          60);
      long ask = client.getOrderBook(2, 5).at("/asks/0/price").asLong();
      long bid = client.getOrderBook(2, 5).at("/bids/0/price").asLong();
      assertThat(ask).isGreaterThan(bid);
      // the best ask is the market maker's (it signs with the seed kept in devnet.json)
      EdDsaPrivateKey mmKey =
          EdDsaPrivateKey.fromSeed(HexFormat.of().parseHex(d.state().marketMakerSeed()));
      int mm = (int) d.marketMakerAccount();
      // take the ask: an IOC buy 2 ticks above the best ask fills at the market maker's price. The
      // market maker requotes as the price moves (cancel-all, then new quotes), so an IOC that
      // lands between its cancel and its new quotes fills nothing and is tried again.
      JsonNode placed = null;
      long limit = 0;
      for (int attempt = 0; attempt < 20; attempt++) {
        JsonNode asks = client.getOrderBook(2, 5).path("asks");
        if (asks.isEmpty()) {
          Thread.sleep(100);
          continue;
        }
        limit = asks.get(0).path("price").asLong() + 2;
        placed =
            client.placeOrder(
                key,
                Order.limit((int) account, 2, Side.BUY, 3, limit)
                    .withExecution(OrderMessage.Type.LIMIT, OrderMessage.TimeInForce.IOC, false));
        if (placed.path("filled").asLong() > 0) {
          break;
        }
        assertThat(placed.path("filled").asLong()).isZero();
      }
      assertThat(placed).isNotNull();
      assertThat(placed.path("filled").asLong()).as(placed.toString()).isEqualTo(3);
      assertThat(placed.path("fills").size()).isEqualTo(1);
      JsonNode fill = placed.path("fills").get(0);
      assertThat(fill.path("price").asLong()).isBetween(bid + 1, limit);
      assertThat(fill.path("size").asLong()).isEqualTo(3);
      accountBefore = client.getAccount(key, (int) account);
      assertThat(accountBefore.at("/positions/0/market").asInt()).isEqualTo(2);
      assertThat(accountBefore.at("/positions/0/size").asLong()).isEqualTo(3);
      // the maker side: the market maker holds the opposite position
      assertThat(client.getAccount(mmKey, mm).at("/positions/0/size").asLong()).isEqualTo(-3);
      // prices and the trade are not provable yet: the settlement pauses and the status says so
      DevnetStatus s = d.status();
      assertThat(s.pausedAtJournalSeq()).isPositive();
      assertThat(s.pauseReason()).isNotEmpty();
      assertThat(s.line()).contains("settlement PAUSED at journal record");
      assertThat(s.priceBatches()).isPositive();
      assertThat(s.requotes()).isPositive();
      try (L1Session l1 = L1Session.connect(d.l1RpcUrl())) {
        l1Block = l1.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
      }
    }

    // a second start resumes: same contracts, same chain, same L2 state
    progress.clear();
    try (Devnet d = Devnet.start(options(data, List.of(1, 2)), progress::add)) {
      assertThat(d.state().rollup()).isEqualTo(rollup);
      assertThat(progress).noneMatch(l -> l.startsWith("deploying the contracts"));
      assertThat(progress).anyMatch(l -> l.startsWith("reusing the deployment"));
      ZkPerpClient client = new ZkPerpClient(URI.create(d.rpcUrl()));
      JsonNode after = client.getAccount(key, (int) account);
      assertThat(after.path("collateral").asLong())
          .isEqualTo(accountBefore.path("collateral").asLong());
      assertThat(after.at("/positions/0/size").asLong()).isEqualTo(3);
      try (L1Session l1 = L1Session.connect(d.l1RpcUrl())) {
        assertThat(l1.web3j().ethBlockNumber().send().getBlockNumber().longValueExact())
            .isGreaterThanOrEqualTo(l1Block);
        assertThat(L1Collateral.balanceOf(l1, d.state().deployment(), trader.getAddress()))
            .isEqualTo(l1Balance);
      }
      await(
          "the market maker quoting again",
          () -> client.getOrderBook(2, 5).path("asks").size() > 0,
          30);
    }
  }

  /**
   * Collateral-only mode: a deposit and a withdrawal settle on L1 end to end (proven, committed,
   * final), the withdrawal is claimed with exact ERC-20 balances, nothing pauses; a restart finds
   * the same L2 balance and the final batch.
   */
  @Test
  void collateralOnlyWithdrawalReachesL1AndIsClaimed() throws Exception {
    Path data = dir.resolve("collateral");
    Credentials trader = DevAccounts.account(4);
    EdDsaPrivateKey key = l2Key(4);
    long account;
    long withdrawalSeq;
    String rollup;
    try (Devnet d = Devnet.start(options(data, List.of()), progress::add)) {
      rollup = d.state().rollup();
      assertThat(d.marketMakerAccount()).isZero();
      ZkPerpClient client = new ZkPerpClient(URI.create(d.rpcUrl()));
      try (L1Session l1 = L1Session.connect(d.l1RpcUrl())) {
        BigInteger start = L1Collateral.balanceOf(l1, d.state().deployment(), trader.getAddress());
        // the faucet and the deposit through the command line, as a user runs them
        String faucet =
            cli(
                "faucet",
                "--data-dir",
                data.toString(),
                "--to",
                trader.getAddress(),
                "--amount",
                Long.toString(1_000 * TUSD));
        assertThat(faucet).contains("minted " + 1_000 * TUSD + " quanta");
        assertThat(L1Collateral.balanceOf(l1, d.state().deployment(), trader.getAddress()))
            .isEqualTo(start.add(BigInteger.valueOf(1_000 * TUSD)));
        String deposit =
            cli(
                "deposit",
                "--data-dir",
                data.toString(),
                "--dev-account",
                "4",
                "--key-seed-hex",
                "64".repeat(32),
                "--amount",
                Long.toString(600 * TUSD));
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("to L2 account (\\d+)").matcher(deposit);
        assertThat(m.find()).as(deposit).isTrue();
        account = Long.parseLong(m.group(1));
        await("the deposit credited", () -> collateral(client, key, account) == 600 * TUSD, 60);
        // a signed withdrawal of 250 over JSON-RPC
        byte[] sig =
            EdDsa.sign(
                    key,
                    TransactionMessages.withdrawal(
                        (int) account, L1Address.fromHex(trader.getAddress()), 250 * TUSD, 0))
                .encode();
        ObjectNode p =
            JsonNodeFactory.instance
                .objectNode()
                .put("account", account)
                .put("amount", 250 * TUSD)
                .put("nonce", 0)
                .put("signature", "0x" + HexFormat.of().formatHex(sig));
        JsonNode wd = client.call("perp_withdraw", p);
        assertThat(wd.path("status").asText()).as(wd.toString()).isEqualTo("accepted");
        withdrawalSeq = wd.path("journalSeq").asLong();
        await(
            "the withdrawal final on L1",
            () -> settlement(client, withdrawalSeq).equals("FINAL"),
            240);
        assertThat(d.status().pausedAtJournalSeq()).isZero();
        assertThat(collateral(client, key, account)).isEqualTo(350 * TUSD);
        ZkPerpRollup asTrader =
            ZkPerpRollup.load(
                d.state().rollup(), l1.web3j(), l1.transactionManager(trader), l1.gas());
        assertThat(asTrader.withdrawable(trader.getAddress()).send())
            .isEqualTo(BigInteger.valueOf(250 * TUSD));
        l1.send(trader.getAddress(), d.state().rollup(), asTrader.withdraw(), "withdraw");
        assertThat(L1Collateral.balanceOf(l1, d.state().deployment(), trader.getAddress()))
            .isEqualTo(start.add(BigInteger.valueOf((1_000 - 600 + 250) * TUSD)));
        assertThat(L1Collateral.balanceOf(l1, d.state().deployment(), d.state().rollup()))
            .isEqualTo(BigInteger.valueOf(350 * TUSD));
        assertThat(asTrader.verifiedCollateral().send()).isEqualTo(BigInteger.valueOf(350 * TUSD));
      }
    }
    try (Devnet d = Devnet.start(options(data, List.of()), progress::add)) {
      assertThat(d.state().rollup()).isEqualTo(rollup);
      ZkPerpClient client = new ZkPerpClient(URI.create(d.rpcUrl()));
      assertThat(collateral(client, key, account)).isEqualTo(350 * TUSD);
      assertThat(settlement(client, withdrawalSeq)).isEqualTo("FINAL");
      try (L1Session l1 = L1Session.connect(d.l1RpcUrl())) {
        ZkPerpRollup view =
            ZkPerpRollup.load(
                d.state().rollup(), l1.web3j(), l1.transactionManager(trader), l1.gas());
        assertThat(view.stateRoot().send()).isEqualTo(d.node().tree().root().toBigInteger());
      }
    }
  }

  /**
   * Format v3 with derived funding on ({@code --funding on}, what {@code auto} picks on v3-tiny):
   * the engine starts market 2's funding period at the first tick after its first price ({@code
   * FundingPeriodStarted}, a funding-period-start step, record type 10). v3-tiny has a period-start
   * slot, so the step is sealed like any other: the settlement never pauses, and the batch whose
   * records hold the type 10 record is proven and committed on L1.
   */
  @Test
  void v3WithFundingOnStartsAPeriodAtTheSecondTickWhichNeedsAPeriodStartSlot() throws Exception {
    DevnetOptions o =
        new DevnetOptions(
            dir.resolve("funding"),
            0,
            0,
            List.of(2),
            7,
            false,
            DevnetOptions.V3,
            "v3-tiny",
            DevnetOptions.Funding.ON,
            Duration.ofMillis(800),
            Duration.ofMillis(1_500),
            1,
            1,
            1,
            AnvilProcess.launcherFromSystemProperty(),
            BatchProver.defaultKeyDir(),
            1);
    assertThat(o.derivedFunding()).isTrue();
    assertThat(io.zkperp.node.v3.V3Shapes.shape("v3-tiny").periodStarts())
        .as("v3-tiny's period-start slots")
        .isPositive();
    try (Devnet d = Devnet.start(o, progress::add)) {
      await("three price batches", () -> d.status().priceBatches() >= 3, 60);
      long[] periodStartBatch = {0};
      await(
          "the batch holding the funding period start committed on L1",
          () -> {
            assertThat(d.status().pausedAtJournalSeq()).as(d.status().line()).isZero();
            for (io.zkperp.node.BatchRecord b : d.node().batches().range(1, 100)) {
              byte[] records = io.zkperp.node.v3.V3BatchCommit.records(b.commitment());
              int width = io.zkperp.node.v3.V3Shapes.shape("v3-tiny").recordSize();
              for (int r = 0; r < records.length; r += width) {
                if (records[r] == 10) {
                  periodStartBatch[0] = b.number();
                  return b.status() == io.zkperp.node.BatchStatus.COMMITTED
                      || b.status() == io.zkperp.node.BatchStatus.FINAL;
                }
              }
            }
            return false;
          },
          300);
      assertThat(periodStartBatch[0]).isPositive();
      assertThat(d.status().pausedAtJournalSeq()).as(d.status().line()).isZero();
    }
  }

  /** A taken port and a running devnet's data directory are refused with one line each. */
  @Test
  void takenPortAndDirectoryInUseAreRefused() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      DevnetOptions o = options(dir.resolve("a"), List.of());
      DevnetOptions onTaken =
          new DevnetOptions(
              o.dataDir(),
              0,
              taken.getLocalPort(),
              o.markets(),
              o.seed(),
              true,
              o.settlement(),
              o.shape(),
              o.funding(),
              o.batchDelay(),
              o.feedInterval(),
              1,
              1,
              1,
              o.anvilLauncher(),
              o.keyDir(),
              o.proverWorkers());
      assertThatThrownBy(() -> Devnet.start(onTaken, progress::add))
          .isInstanceOfSatisfying(
              DevnetException.class,
              e -> assertThat(e.kind()).isEqualTo(DevnetException.Kind.PORT_IN_USE))
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("--l1-port");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          DevnetMain.run(
              new String[] {
                "--data-dir",
                dir.resolve("b").toString(),
                "--port",
                Integer.toString(taken.getLocalPort()),
                "--l1-port",
                "0",
                "--anvil",
                o.anvilLauncher().toString()
              },
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              false);
      assertThat(code).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains("is already in use")
          .contains("--port N");
    }
    Path busy = dir.resolve("busy");
    java.nio.file.Files.createDirectories(busy);
    try (var lock = io.zkperp.gateway.node.DataDirectoryLock.acquire(busy)) {
      assertThat(lock).isNotNull();
      assertThatThrownBy(() -> Devnet.start(options(busy, List.of()), progress::add))
          .isInstanceOfSatisfying(
              DevnetException.class,
              e -> assertThat(e.kind()).isEqualTo(DevnetException.Kind.DATA_DIR_IN_USE))
          .hasMessageContaining("in use by another running devnet");
    }
  }

  /** Runs a devnet subcommand in this JVM, asserts exit 0 and returns its standard output. */
  static String cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        DevnetMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  static long collateral(ZkPerpClient client, EdDsaPrivateKey key, long account) throws Exception {
    try {
      return client.getAccount(key, (int) account).path("collateral").asLong();
    } catch (io.zkperp.client.ZkPerpRpcException e) {
      return -1; // not bound yet
    }
  }

  static String settlement(ZkPerpClient client, long seq) throws Exception {
    return client
        .call("perp_getSettlement", JsonNodeFactory.instance.objectNode().put("journalSeq", seq))
        .path("status")
        .asText();
  }

  static EdDsaPrivateKey l2Key(int holder) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (0x60 + holder));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  static void await(String what, Callable<Boolean> condition, int seconds) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
  }
}
