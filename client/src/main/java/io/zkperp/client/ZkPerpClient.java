package io.zkperp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.message.CancelAllMessage;
import io.zkperp.protocol.message.CancelOrderMessage;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.message.ReadGrantMessage;
import io.zkperp.protocol.state.L1Address;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A small trader SDK over the gateway's JSON-RPC 2.0 on HTTP ({@code gateway/README.md},
 * "Methods"). Orders and cancels are signed here, with the caller's key, exactly as the sequencer
 * and the gateway check them (the protocol's {@link OrderMessage}, {@link CancelOrderMessage} and
 * {@link CancelAllMessage}), in the node's {@link MessageDomain}: fetched once from {@code
 * perp_getDomain} unless the constructor is given one. The key never leaves the process. An
 * account's private data (its account, open orders, fills and nonces) is read with a read grant
 * ({@link ReadGrantMessage}) that this client signs with the same key, valid for {@link
 * #GRANT_VALIDITY_SECONDS} and reused for every read of that account until {@link
 * #GRANT_RENEW_SECONDS} before it expires ({@link #readGrant}). Results are the JSON-RPC {@code
 * result} as a Jackson tree; a JSON-RPC error is a {@link ZkPerpRpcException}, a transport failure
 * an {@link IOException}. Thread-safe: any thread may call any method (requests are independent;
 * concurrent orders of one account should pass their own nonces, see {@link #placeOrder}).
 */
public final class ZkPerpClient {
  /** The default gateway URL (the demo node of {@code ./zk node}). */
  public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8545/");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI url;
  private final HttpClient http;
  private final LongSupplier clockSeconds;
  private final AtomicLong ids = new AtomicLong();
  private volatile MessageDomain domain;
  private volatile TransactionFormat transactionFormat;
  private final Map<Integer, Grant> grants = new ConcurrentHashMap<>();

  /** How long the read grants this client makes are valid, seconds (the gateway allows 24 h). */
  public static final long GRANT_VALIDITY_SECONDS = 3600;

  /** A cached read grant is replaced by a new one this many seconds before it expires. */
  public static final long GRANT_RENEW_SECONDS = 300;

  /** A read grant made by this client, with the key that signed it. */
  private record Grant(
      EdDsaPublicKey key, MessageDomain domain, long validUntil, ObjectNode auth) {}

  /**
   * A client of the gateway at {@code url}, with the system clock.
   *
   * @param url the gateway's JSON-RPC URL, e.g. {@code http://127.0.0.1:8545/}
   */
  public ZkPerpClient(URI url) {
    this(url, () -> System.currentTimeMillis() / 1000);
  }

  /**
   * A client with a given clock (for cancels' {@code validUntil} and orders' default expiry).
   *
   * @param url the gateway's JSON-RPC URL
   * @param clockSeconds unix time in seconds
   */
  public ZkPerpClient(URI url, LongSupplier clockSeconds) {
    this(url, clockSeconds, null);
  }

  /**
   * A client that signs in a given domain instead of asking the node for it.
   *
   * @param url the gateway's JSON-RPC URL
   * @param clockSeconds unix time in seconds
   * @param domain the chain id and rollup address to sign for, or null to fetch the node's ({@code
   *     perp_getDomain}) on first use
   */
  public ZkPerpClient(URI url, LongSupplier clockSeconds, MessageDomain domain) {
    this.url = url;
    this.clockSeconds = clockSeconds;
    this.domain = domain;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * The signed-message domain this client signs in: the one given to the constructor, else the
   * node's from {@code perp_getDomain} (fetched once, then cached).
   *
   * @return the domain
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure, or if the node signs with another message format
   * @throws InterruptedException if interrupted
   */
  public MessageDomain domain() throws ZkPerpRpcException, IOException, InterruptedException {
    MessageDomain d = domain;
    if (d == null) {
      JsonNode r = call("perp_getDomain", MAPPER.createObjectNode());
      int format = r.path("formatVersion").asInt();
      if (format != MessageDomain.FORMAT_VERSION) {
        throw new IOException(
            "the node at "
                + url
                + " uses signed-message format "
                + format
                + ", this client "
                + MessageDomain.FORMAT_VERSION);
      }
      try {
        d =
            MessageDomain.of(
                Long.parseUnsignedLong(r.path("chainId").asText()),
                L1Address.fromHex(r.path("rollupAddress").asText()));
      } catch (RuntimeException e) {
        throw new IOException("perp_getDomain answered a malformed domain: " + r, e);
      }
      domain = d;
    }
    return d;
  }

  /**
   * The signed-message format the node takes withdrawals and transfers in: {@code
   * transactionFormatVersion} of its {@code perp_getDomain} (fetched once, then cached; also when
   * the constructor was given a domain). A node that does not name one (the demo node, which takes
   * no withdrawals, or a node from before the field) takes format 1.
   *
   * @return the format
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure, or if the node names a format this client does not
   *     sign
   * @throws InterruptedException if interrupted
   */
  public TransactionFormat transactionFormat()
      throws ZkPerpRpcException, IOException, InterruptedException {
    TransactionFormat f = transactionFormat;
    if (f == null) {
      JsonNode v =
          call("perp_getDomain", MAPPER.createObjectNode()).path("transactionFormatVersion");
      if (v.isMissingNode()) {
        f = TransactionFormat.FORMAT_1;
      } else if (!v.isInt()) {
        throw new IOException("perp_getDomain answered a malformed transactionFormatVersion: " + v);
      } else {
        try {
          f = TransactionFormat.of(v.intValue());
        } catch (IllegalArgumentException e) {
          throw new IOException("the node at " + url + ": " + e.getMessage(), e);
        }
      }
      transactionFormat = f;
    }
    return f;
  }

  /**
   * The well-known key of a demo account of the demo node: seed = 32 bytes of (account + 1). Anyone
   * can sign with it; for trying the API only.
   *
   * @param account the demo account (0 to 9 on the demo node)
   * @return its private key
   */
  public static EdDsaPrivateKey demoKey(int account) {
    if (account < 0 || account > 254) {
      throw new IllegalArgumentException("demo account must be 0 to 254: " + account);
    }
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (account + 1));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  /**
   * {@code perp_getMarkets}.
   *
   * @return {@code [{market, tickSize, stepSize, minSize}]}
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getMarkets() throws ZkPerpRpcException, IOException, InterruptedException {
    return call("perp_getMarkets", MAPPER.createObjectNode());
  }

  /**
   * {@code perp_getOrderBook}.
   *
   * @param market the market
   * @param depth levels per side, 1 to 1000
   * @return {@code {market, sequence, journalSeq, bids, asks}}
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getOrderBook(int market, int depth)
      throws ZkPerpRpcException, IOException, InterruptedException {
    return call(
        "perp_getOrderBook", MAPPER.createObjectNode().put("market", market).put("depth", depth));
  }

  /**
   * The account's read grant, the {@code auth} parameter of its private reads ({@code {account,
   * validUntil, signature}}): signed with {@code key} in {@link #domain()}, valid for {@link
   * #GRANT_VALIDITY_SECONDS}; the same grant is returned until {@link #GRANT_RENEW_SECONDS} before
   * it expires (or until another key or domain asks), so polling costs the gateway one signature
   * check per grant. Pass it yourself to {@link #call} or a WebSocket {@code perp_subscribe} of
   * channel {@code account}.
   *
   * @param key the account's private key
   * @param account the account
   * @return a copy of the {@code auth} object
   * @throws ZkPerpRpcException on a JSON-RPC error fetching the domain
   * @throws IOException on a transport failure fetching the domain
   * @throws InterruptedException if interrupted
   */
  public ObjectNode readGrant(EdDsaPrivateKey key, int account)
      throws ZkPerpRpcException, IOException, InterruptedException {
    MessageDomain d = domain();
    EdDsaPublicKey pub = key.publicKey();
    long now = clockSeconds.getAsLong();
    Grant g = grants.get(account);
    if (g == null
        || !g.key().equals(pub)
        || !g.domain().equals(d)
        || g.validUntil() - now <= GRANT_RENEW_SECONDS) {
      long validUntil = now + GRANT_VALIDITY_SECONDS;
      byte[] sig = new ReadGrantMessage(account, validUntil).sign(key, d);
      ObjectNode auth =
          MAPPER
              .createObjectNode()
              .put("account", account)
              .put("validUntil", validUntil)
              .put("signature", hex(sig));
      g = new Grant(pub, d, validUntil, auth);
      grants.put(account, g);
    }
    return g.auth().deepCopy();
  }

  /** {@code {"account": account, "auth": its read grant}}. */
  private ObjectNode privateParams(EdDsaPrivateKey key, int account)
      throws ZkPerpRpcException, IOException, InterruptedException {
    ObjectNode p = MAPPER.createObjectNode().put("account", account);
    p.set("auth", readGrant(key, account));
    return p;
  }

  /**
   * {@code perp_getNonces}, with the account's read grant.
   *
   * @param key the account's private key (signs the read grant)
   * @param account the account
   * @return {@code {account, highestNonce, nextNonce}}
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getNonces(EdDsaPrivateKey key, int account)
      throws ZkPerpRpcException, IOException, InterruptedException {
    return call("perp_getNonces", privateParams(key, account));
  }

  /**
   * {@code perp_getOpenOrders}, with the account's read grant.
   *
   * @param key the account's private key (signs the read grant)
   * @param account the account
   * @return the account's open orders
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getOpenOrders(EdDsaPrivateKey key, int account)
      throws ZkPerpRpcException, IOException, InterruptedException {
    return call("perp_getOpenOrders", privateParams(key, account));
  }

  /**
   * An account's collateral, positions and margin ({@code perp_getAccount}), with the account's
   * read grant.
   *
   * @param key the account's private key (signs the read grant)
   * @param account the account
   * @return {@code {account, collateral, positions, equity, initialMargin, maintenanceMargin,
   *     freeCollateral, …}} (margin figures when the node runs a risk engine)
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getAccount(EdDsaPrivateKey key, int account)
      throws ZkPerpRpcException, IOException, InterruptedException {
    return call("perp_getAccount", privateParams(key, account));
  }

  /**
   * An account's most recent fills, newest first ({@code perp_getFills}), with the account's read
   * grant.
   *
   * @param key the account's private key (signs the read grant)
   * @param account the account
   * @param limit at most this many (1 to 1000)
   * @return the newest page: {@code {fills: [...], nextCursor}} ({@code nextCursor} is null on the
   *     last page; the gateway README describes paging with {@code cursor})
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getFills(EdDsaPrivateKey key, int account, int limit)
      throws ZkPerpRpcException, IOException, InterruptedException {
    return call("perp_getFills", privateParams(key, account).put("limit", limit));
  }

  /**
   * A page of an account's funding payments (one per settled position), newest first ({@code
   * perp_getFundingPayments}), with the account's read grant.
   *
   * @param key the account's private key (signs the read grant)
   * @param account the account
   * @param market only this market, or null for all
   * @param cursor the previous page's {@code nextCursor}, or null for the newest page
   * @param limit at most this many (1 to 1000)
   * @return {@code {payments: [{journalSeq, index, market, size, amount, indexBefore, indexAfter,
   *     time}], nextCursor}} ({@code nextCursor} is null on the last page)
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getFundingPayments(
      EdDsaPrivateKey key, int account, Integer market, String cursor, int limit)
      throws ZkPerpRpcException, IOException, InterruptedException {
    ObjectNode p = privateParams(key, account).put("limit", limit);
    if (market != null) {
      p.put("market", market);
    }
    if (cursor != null) {
      p.put("cursor", cursor);
    }
    return call("perp_getFundingPayments", p);
  }

  /**
   * A page of an account's collateral changes (deposits, withdrawals, transfers, funding, trades,
   * fees, liquidations), newest first, each with the collateral after it ({@code
   * perp_getCollateralHistory}), with the account's read grant.
   *
   * @param key the account's private key (signs the read grant)
   * @param account the account
   * @param cursor the previous page's {@code nextCursor}, or null for the newest page
   * @param limit at most this many (1 to 1000)
   * @return {@code {changes: [{journalSeq, index, kind, market, counterparty, amount, balanceAfter,
   *     time}], nextCursor}} ({@code nextCursor} is null on the last page)
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getCollateralHistory(EdDsaPrivateKey key, int account, String cursor, int limit)
      throws ZkPerpRpcException, IOException, InterruptedException {
    ObjectNode p = privateParams(key, account).put("limit", limit);
    if (cursor != null) {
      p.put("cursor", cursor);
    }
    return call("perp_getCollateralHistory", p);
  }

  /**
   * Signs and places an order ({@code perp_placeOrder}). Without a nonce in {@code order}, the
   * nonce is {@code nextNonce} from {@code perp_getNonces} (one extra request; two concurrent calls
   * for one account could pick the same nonce, so concurrent callers should set nonces themselves).
   *
   * @param key the account's private key
   * @param order the order
   * @return {@code {orderId, journalSeq, status, filled, remaining, fills}}
   * @throws ZkPerpRpcException on a JSON-RPC error (e.g. 1201 PRICE_NOT_TICK_MULTIPLE)
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode placeOrder(EdDsaPrivateKey key, Order order)
      throws ZkPerpRpcException, IOException, InterruptedException {
    long nonce =
        order.nonce() != null
            ? order.nonce()
            : getNonces(key, order.account()).path("nextNonce").asLong();
    int clientOrderId = order.clientOrderId() != null ? order.clientOrderId() : (int) nonce;
    long expiry =
        order.expiry() != 0
            ? order.expiry()
            : clockSeconds.getAsLong() + Order.DEFAULT_LIFETIME_SECONDS;
    OrderMessage signed =
        new OrderMessage(
            order.account(),
            order.market(),
            order.side(),
            order.type(),
            order.timeInForce(),
            order.reduceOnly(),
            clientOrderId,
            order.size(),
            order.price(),
            order.feeCap(),
            expiry,
            nonce,
            OrderMessage.Trigger.NONE,
            0);
    byte[] signature = signed.sign(key, domain());
    ObjectNode p = MAPPER.createObjectNode();
    p.put("account", signed.account());
    p.put("market", signed.market());
    p.put("side", signed.side().name());
    p.put("size", signed.size());
    p.put("price", signed.price());
    p.put("feeCap", signed.feeCap());
    p.put("expiry", signed.expiry());
    p.put("nonce", signed.nonce());
    p.put("clientOrderId", Integer.toUnsignedLong(signed.clientOrderId()));
    p.put("type", signed.type().name());
    p.put("timeInForce", signed.timeInForce().name());
    p.put("reduceOnly", signed.reduceOnly());
    p.put("signature", hex(signature));
    return call("perp_placeOrder", p);
  }

  /**
   * Cancels one order by its order id ({@code perp_cancelOrder}), signed with validUntil = now +
   * 300 s.
   *
   * @param key the account's private key
   * @param account the account
   * @param orderId the order id
   * @return {@code {journalSeq, cancelled}}
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode cancelOrder(EdDsaPrivateKey key, int account, long orderId)
      throws ZkPerpRpcException, IOException, InterruptedException {
    long validUntil = clockSeconds.getAsLong() + CancelOrderMessage.MAX_VALIDITY_SECONDS;
    byte[] sig = new CancelOrderMessage(account, false, orderId, validUntil).sign(key, domain());
    return call(
        "perp_cancelOrder",
        MAPPER
            .createObjectNode()
            .put("account", account)
            .put("orderId", orderId)
            .put("validUntil", validUntil)
            .put("signature", hex(sig)));
  }

  /**
   * Cancels every order of the account, in one market or all ({@code perp_cancelAll}), signed with
   * validUntil = now + 300 s.
   *
   * @param key the account's private key
   * @param account the account
   * @param market the market, or null for every market
   * @return {@code {journalSeq, cancelled}}
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode cancelAll(EdDsaPrivateKey key, int account, Integer market)
      throws ZkPerpRpcException, IOException, InterruptedException {
    long validUntil = clockSeconds.getAsLong() + CancelOrderMessage.MAX_VALIDITY_SECONDS;
    int m = market == null ? CancelAllMessage.ALL_MARKETS : market;
    byte[] sig = new CancelAllMessage(account, m, validUntil).sign(key, domain());
    ObjectNode p = MAPPER.createObjectNode().put("account", account);
    if (market != null) {
      p.put("market", market);
    }
    p.put("validUntil", validUntil).put("signature", hex(sig));
    return call("perp_cancelAll", p);
  }

  /**
   * Withdraws collateral from an L2 account to its L1 owner ({@code perp_withdraw} on a settling
   * node): signs the withdrawal (account, L1 owner, amount, nonce) with the account's key in the
   * node's {@link #transactionFormat()} (format 2: in {@link #domain()}). The node answers once the
   * withdrawal is journaled; follow it with {@link #getSettlement} until its batch is on L1, then
   * claim it there.
   *
   * @param key the account's key
   * @param account the account
   * @param owner the account's L1 owner (the address its first deposit came from), where the
   *     withdrawal is paid
   * @param amount collateral quanta, positive
   * @param nonce the account's next transaction nonce (0 for its first withdrawal or transfer)
   * @return {@code {journalSeq, status: "accepted"}}
   * @throws ZkPerpRpcException e.g. {@code WRONG_TRANSACTION_NONCE}, {@code BAD_SIGNATURE}, {@code
   *     UNKNOWN_ACCOUNT}, or {@code SETTLEMENT_NOT_AVAILABLE} from a demo node
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode withdraw(
      EdDsaPrivateKey key, int account, L1Address owner, long amount, long nonce)
      throws ZkPerpRpcException, IOException, InterruptedException {
    byte[] sig = transactionFormat().signWithdrawal(key, domain(), account, owner, amount, nonce);
    ObjectNode p = MAPPER.createObjectNode();
    p.put("account", account);
    p.put("amount", amount);
    p.put("nonce", nonce);
    p.put("signature", hex(sig));
    return call("perp_withdraw", p);
  }

  /**
   * Transfers collateral to another L2 account ({@code perp_transfer} on a settling node): signs
   * the transfer (from, to, amount, nonce) with the sender's key in the node's {@link
   * #transactionFormat()}. Answered once journaled.
   *
   * @param key the sender's key
   * @param from the sender's account
   * @param to the receiver's account (bound by an L1 deposit)
   * @param amount collateral quanta, positive
   * @param nonce the sender's next transaction nonce (withdrawals and transfers share it)
   * @return {@code {journalSeq, status: "accepted"}}
   * @throws ZkPerpRpcException e.g. {@code WRONG_TRANSACTION_NONCE}, {@code UNKNOWN_ACCOUNT}, or
   *     {@code NOT_IN_BATCH_SHAPE} from a node whose batch shape has no transfer slot
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode transfer(EdDsaPrivateKey key, int from, int to, long amount, long nonce)
      throws ZkPerpRpcException, IOException, InterruptedException {
    byte[] sig = transactionFormat().signTransfer(key, domain(), from, to, amount, nonce);
    ObjectNode p = MAPPER.createObjectNode();
    p.put("from", from);
    p.put("to", to);
    p.put("amount", amount);
    p.put("nonce", nonce);
    p.put("signature", hex(sig));
    return call("perp_transfer", p);
  }

  /**
   * An account's escape proof ({@code perp_getEscapeProof} on a settling node): its leaf and 24
   * siblings in the state of the last batch committed on L1, in the form the rollup contract's
   * {@code escape} takes ({@code io.zkperp.client.l1.EscapeArgument#of} reads it). A format v3 node
   * answers {@code "format": "v3"} with {@code ZkPerpRollupV3.escape}'s proof (the account leaf
   * with its positions and one market proof per held market; {@code
   * io.zkperp.client.l1.EscapeArgumentV3#of} reads it, {@code EscapeArgumentV3.isV3} tells which).
   * Public: no key needed.
   *
   * @param account the account
   * @return {@code {account, batch, stateRoot, proof: {…}}} (v3: {@code {format, account, batch,
   *     stateRoot, owed, positions, proof: {account, markets}}})
   * @throws ZkPerpRpcException {@code NOT_IN_VERIFIED_STATE}, {@code ESCAPE_UNSUPPORTED}, or {@code
   *     SETTLEMENT_NOT_AVAILABLE} from a demo node
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getEscapeProof(int account)
      throws ZkPerpRpcException, IOException, InterruptedException {
    ObjectNode p = MAPPER.createObjectNode();
    p.put("account", account);
    return call("perp_getEscapeProof", p);
  }

  /**
   * The finality of a journaled command ({@code perp_getSettlement}).
   *
   * @param journalSeq the command's journal sequence number
   * @return {@code {journalSeq, status, batch?, l1TxHash?, l1Block?}}, status one of accepted,
   *     SEALED, PROVING, PROVEN, COMMITTED, FINAL, FAILED, paused
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public JsonNode getSettlement(long journalSeq)
      throws ZkPerpRpcException, IOException, InterruptedException {
    ObjectNode p = MAPPER.createObjectNode();
    p.put("journalSeq", journalSeq);
    return call("perp_getSettlement", p);
  }

  /**
   * The node's {@code GET /health}: {@code {"status":"UP"}}, or {@code {"status":"DOWN",
   * "problems":[{stage, stalledMillis, reason}, …]}} (e.g. the settlement paused, and why). Any
   * thread.
   *
   * @return the health document (HTTP 200 and 503 alike)
   * @throws IOException on a transport failure or a reply that is not JSON
   * @throws InterruptedException if interrupted
   */
  public JsonNode health() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(url.resolve("/health"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    try {
      return MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new IOException("HTTP " + r.statusCode() + " from /health: not JSON: " + r.body(), e);
    }
  }

  /**
   * Any JSON-RPC method, params by name.
   *
   * @param method the method
   * @param params the parameters
   * @return the result
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure or a reply that is not a JSON-RPC response
   * @throws InterruptedException if interrupted
   */
  public JsonNode call(String method, ObjectNode params)
      throws ZkPerpRpcException, IOException, InterruptedException {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("jsonrpc", "2.0");
    body.put("id", ids.incrementAndGet());
    body.put("method", method);
    body.set("params", params);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode reply;
    try {
      reply = MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new IOException(
          "HTTP " + r.statusCode() + " from " + url + ": not JSON: " + r.body(), e);
    }
    JsonNode error = reply == null ? null : reply.get("error");
    if (error != null && error.isObject()) {
      throw new ZkPerpRpcException(
          error.path("code").asInt(),
          error.path("data").path("error").asText(""),
          error.path("message").asText(""));
    }
    if (reply == null || !reply.has("result")) {
      throw new IOException("HTTP " + r.statusCode() + " from " + url + ": no result: " + r.body());
    }
    return reply.get("result");
  }

  private static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }
}
