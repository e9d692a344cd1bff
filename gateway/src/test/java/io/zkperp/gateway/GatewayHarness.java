package io.zkperp.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.CancelAllMessage;
import io.zkperp.protocol.message.CancelOrderMessage;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Recovery;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import io.zkperp.sequencer.risk.RiskEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway on a real sequencer (real journal in a directory, real EdDSA keys) on a free port,
 * with a real HTTP client. Markets 1 (tick 10, step 5, min 10) and 2 (tick 1, step 1, min 1) are
 * listed through the bridge. Accounts 0..9 have deterministic keys (seed = 32 bytes of account + 1,
 * as the sequencer's tests).
 */
final class GatewayHarness implements AutoCloseable {
  static final long CLOCK = 1_700_000_000L;
  static final List<Command> SETUP =
      List.of(new AddMarket(1, 10, 5, 10), new AddMarket(2, 1, 1, 1));
  static final ObjectMapper MAPPER = new ObjectMapper();

  final EdDsaPrivateKey[] keys = new EdDsaPrivateKey[10];
  final PublicKeyDirectory.InMemory directory = PublicKeyDirectory.inMemory();
  final SequencerCore core;
  final RiskEngine risk;
  final JournalWriter journal;
  final io.zkperp.gateway.bridge.history.HistoryStore history;
  final Gateway gateway;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final URI uri;
  final java.util.function.LongSupplier clock;
  private boolean closed;

  GatewayHarness(Path dir) throws Exception {
    this(dir, GatewayConfig.defaults(0));
  }

  GatewayHarness(Path dir, GatewayConfig config) throws Exception {
    this(dir, config, null, List.of(), () -> CLOCK);
  }

  GatewayHarness(Path dir, GatewayConfig config, java.util.function.LongSupplier clock)
      throws Exception {
    this(dir, config, null, List.of(), clock);
  }

  GatewayHarness(Path dir, GatewayConfig config, RiskEngine risk, List<Command> setup)
      throws Exception {
    this(dir, config, risk, setup, () -> CLOCK);
  }

  /**
   * A gateway on a core with a risk engine (null: the permissive hook), whose read model has the
   * engine's risk configuration; {@code setup} runs through the bridge after the markets.
   */
  GatewayHarness(
      Path dir,
      GatewayConfig config,
      RiskEngine risk,
      List<Command> setup,
      java.util.function.LongSupplier clock)
      throws Exception {
    this(dir, config, risk, setup, clock, MessageDomain.DEMO);
  }

  /** As above, with the node's signed-message domain. */
  GatewayHarness(
      Path dir,
      GatewayConfig config,
      RiskEngine risk,
      List<Command> setup,
      java.util.function.LongSupplier clock,
      MessageDomain domain)
      throws Exception {
    this.risk = risk;
    this.clock = clock;
    this.core =
        risk == null
            ? SequencerCore.withDefaults(CoreListener.NONE)
            : new SequencerCore(
                OrderBookFactory.OPTIMISED,
                SelfTradePrevention.EXPIRE_MAKER,
                risk,
                CoreListener.NONE);
    for (int i = 0; i < keys.length; i++) {
      byte[] seed = new byte[32];
      java.util.Arrays.fill(seed, (byte) (i + 1));
      keys[i] = EdDsaPrivateKey.fromSeed(seed);
      directory.register(i, keys[i].publicKey());
    }
    journal = JournalWriter.open(dir.resolve(Recovery.JOURNAL_FILE));
    history =
        io.zkperp.gateway.bridge.history.HistoryStore.open(
            dir.resolve(io.zkperp.gateway.bridge.history.HistoryStore.DIR));
    gateway =
        Gateway.start(
            GatewaySetup.builder(config, core, journal, directory)
                .ringSize(4096)
                .clockSeconds(clock)
                .readModel(new ReadModel(risk == null ? null : risk.config(), history))
                .signatures(io.zkperp.gateway.node.SignatureVerifiers.AUTO.create())
                .domain(domain)
                .build());
    uri = URI.create("http://127.0.0.1:" + gateway.port() + "/");
    List<Command> all = new java.util.ArrayList<>(SETUP);
    all.addAll(setup);
    for (Command c : all) {
      CommandOutcome o = gateway.bridge().submit(c).get(10, TimeUnit.SECONDS);
      if (!(o instanceof CommandOutcome.Accepted)) {
        throw new IllegalStateException("setup rejected: " + c + ": " + o);
      }
    }
  }

  /** Submits an operator command through the bridge and requires it to be accepted. */
  CommandOutcome.Accepted submit(Command c) throws Exception {
    CommandOutcome o = gateway.bridge().submit(c).get(10, TimeUnit.SECONDS);
    if (!(o instanceof CommandOutcome.Accepted a)) {
      throw new IllegalStateException("rejected: " + c + ": " + o);
    }
    return a;
  }

  HttpResponse<String> post(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A method's entry in the OpenRPC document ({@code rpc.discover}).
   *
   * @param method the method's wire name
   * @return its entry, or null if the document does not list it
   */
  JsonNode discoveredMethod(String method) throws Exception {
    for (JsonNode m : call("rpc.discover", null).path("result").path("methods")) {
      if (m.path("name").asText().equals(method)) {
        return m;
      }
    }
    return null;
  }

  JsonNode call(String method, JsonNode params) throws Exception {
    ObjectNode req = MAPPER.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("id", 1);
    req.put("method", method);
    if (params != null) {
      req.set("params", params);
    }
    return MAPPER.readTree(post(req.toString()).body());
  }

  /**
   * {@code {"account": a, "auth": a read grant of a, valid for an hour}}: a private read's params.
   */
  ObjectNode account(int account) {
    ObjectNode p = MAPPER.createObjectNode().put("account", account);
    if (account != io.zkperp.sequencer.risk.RiskEngine.INSURANCE_FUND) { // public: no key, no grant
      p.set("auth", grant(account));
    }
    return p;
  }

  /** The {@code auth} object of account's read grant in the demo domain, valid for an hour. */
  ObjectNode grant(int account) {
    return TestGrants.auth(
        keys[account], account, clock.getAsLong() + TestGrants.VALIDITY, MessageDomain.DEMO);
  }

  ObjectNode mapperObject(String name, long value) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put(name, value);
    return o;
  }

  /** Order params with a valid signature (GTC limit unless the caller changes them). */
  ObjectNode order(int account, int market, Side side, long size, long price, long nonce) {
    ObjectNode p = MAPPER.createObjectNode();
    p.put("account", account);
    p.put("market", market);
    p.put("side", side.name());
    p.put("size", size);
    p.put("price", price);
    p.put("feeCap", 1000);
    p.put("expiry", 4_000_000_000L);
    p.put("nonce", nonce);
    p.put("signature", signOrder(p));
    return p;
  }

  /** Signs order params again after a test changed them (every parameter is signed). */
  ObjectNode resign(ObjectNode p) {
    p.put("signature", signOrder(p));
    return p;
  }

  /**
   * The signature of order params in the demo domain (fields absent take the gateway's defaults).
   */
  String signOrder(JsonNode p) {
    return signOrder(p, MessageDomain.DEMO);
  }

  /** The signature of order params in a domain (fields absent take the gateway's defaults). */
  String signOrder(JsonNode p, MessageDomain domain) {
    PlaceOrder o =
        new PlaceOrder(
            p.get("account").asInt(),
            p.get("market").asInt(),
            Side.valueOf(p.get("side").asText()),
            (int) p.path("clientOrderId").asLong(0),
            OrderType.valueOf(p.path("type").asText("LIMIT")),
            TimeInForce.valueOf(p.path("timeInForce").asText("GTC")),
            p.path("reduceOnly").asBoolean(false),
            p.get("size").asLong(),
            p.get("price").asLong(),
            p.get("feeCap").asLong(),
            p.get("expiry").asLong(),
            p.get("nonce").asLong(),
            TriggerType.valueOf(p.path("trigger").asText("NONE")),
            p.path("triggerPrice").asLong(0),
            new byte[64]);
    return hex(OrderSigning.sign(keys[o.account()], domain, o).signature());
  }

  String signCancelOrder(int account, boolean byClientOrderId, long id, long validUntil) {
    return hex(
        new CancelOrderMessage(account, byClientOrderId, id, validUntil)
            .sign(keys[account], MessageDomain.DEMO));
  }

  String signCancelAll(int account, int market, long validUntil) {
    return hex(
        new CancelAllMessage(account, market, validUntil).sign(keys[account], MessageDomain.DEMO));
  }

  static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }

  /** Stops the gateway and the sequencer (the core may be read afterwards); idempotent. */
  @Override
  public void close() throws java.io.IOException {
    if (!closed) {
      closed = true;
      gateway.close();
      history.close();
      journal.close();
    }
  }
}
