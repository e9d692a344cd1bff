package io.zkperp.gateway.rpc;

import io.zkperp.sequencer.RejectReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every error the gateway returns, with its stable JSON-RPC error code. Three groups:
 *
 * <ul>
 *   <li>JSON-RPC 2.0 protocol errors (-32700 to -32600);
 *   <li>gateway errors in the range the specification reserves for implementations (-32000 to
 *       -32099): request too large, batch too large, overloaded, timeout, shutting down, rate
 *       limited, connection and subscription limits;
 *   <li>application errors: one per sequencer {@link RejectReason}, <em>built from it</em> ({@link
 *       #of}: the reason's name and code, its title derived from the name), so the two cannot
 *       drift; plus the gateway's own checks of signed cancels and the settlement's (5001 and up),
 *       of read grants (5101 and up) and of escape proofs (5201 and up).
 * </ul>
 *
 * <p>The error object's {@code message} is the precise message of the rejection (the core's, passed
 * through); {@link #title()} is the fixed one-line description used in the OpenRPC document.
 * Instances are unique per code (compare with {@code ==}). Immutable; any thread.
 */
public final class RpcError {
  private static final List<RpcError> GATEWAY = new ArrayList<>();

  /** Invalid JSON was received (including duplicate keys, trailing data, too deep nesting). */
  public static final RpcError PARSE_ERROR =
      gateway("PARSE_ERROR", -32700, "Parse error: the body is not valid JSON");

  /** The JSON is not a valid JSON-RPC 2.0 request object (or the batch is empty). */
  public static final RpcError INVALID_REQUEST =
      gateway("INVALID_REQUEST", -32600, "Invalid request: not a JSON-RPC 2.0 request object");

  /** The method does not exist. */
  public static final RpcError METHOD_NOT_FOUND =
      gateway("METHOD_NOT_FOUND", -32601, "Method not found");

  /** Invalid method parameters: unknown or missing names, wrong types, values out of range. */
  public static final RpcError INVALID_PARAMS = gateway("INVALID_PARAMS", -32602, "Invalid params");

  /** An unexpected failure inside the gateway; the request had no effect unless stated. */
  public static final RpcError INTERNAL_ERROR = gateway("INTERNAL_ERROR", -32603, "Internal error");

  /** The HTTP body is larger than the configured limit (HTTP status 413). */
  public static final RpcError REQUEST_TOO_LARGE =
      gateway("REQUEST_TOO_LARGE", -32001, "Request too large");

  /** A batch has more requests than the configured limit. */
  public static final RpcError BATCH_TOO_LARGE =
      gateway("BATCH_TOO_LARGE", -32002, "Batch too large");

  /**
   * The sequencer did not answer within the configured time: the command may still be applied
   * later.
   */
  public static final RpcError TIMEOUT =
      gateway(
          "TIMEOUT",
          -32003,
          "Timed out waiting for the sequencer; the command may still be applied");

  /** The gateway is shutting down and accepts no new commands. */
  public static final RpcError SHUTTING_DOWN = gateway("SHUTTING_DOWN", -32004, "Shutting down");

  /** Too many commands are waiting for the sequencer; retry later. Nothing was submitted. */
  public static final RpcError OVERLOADED =
      gateway("OVERLOADED", -32005, "Overloaded: too many commands in flight");

  /**
   * The client's IP address or the account is over its rate limit; retry later. Nothing was
   * processed (for an IP) or submitted (for an account).
   */
  public static final RpcError RATE_LIMITED = gateway("RATE_LIMITED", -32006, "Rate limited");

  /** A subscription method called over HTTP: subscriptions need a WebSocket connection. */
  public static final RpcError WEBSOCKET_REQUIRED =
      gateway("WEBSOCKET_REQUIRED", -32007, "This method needs a WebSocket connection");

  /** perp_unsubscribe with an id that is not a live subscription of this connection. */
  public static final RpcError UNKNOWN_SUBSCRIPTION =
      gateway("UNKNOWN_SUBSCRIPTION", -32008, "Unknown subscription");

  /**
   * The HTTP request did not arrive whole (headers and body) within the configured time of its
   * first byte (HTTP status 408; the connection is closed).
   */
  public static final RpcError REQUEST_TIMEOUT =
      gateway("REQUEST_TIMEOUT", -32009, "The request did not arrive in time");

  /**
   * The node has as many open connections as it allows, in all or from this client's IP address
   * (HTTP status 503; the connection is closed). Close idle connections or retry later.
   */
  public static final RpcError TOO_MANY_CONNECTIONS =
      gateway("TOO_MANY_CONNECTIONS", -32010, "Too many connections");

  /** The WebSocket connection has as many live subscriptions as allowed; unsubscribe first. */
  public static final RpcError TOO_MANY_SUBSCRIPTIONS =
      gateway("TOO_MANY_SUBSCRIPTIONS", -32011, "Too many subscriptions on this connection");

  /**
   * A signed cancel's {@code validUntil} is not in the accepted window (after the gateway's clock,
   * at most {@code CancelOrderMessage.MAX_VALIDITY_SECONDS} ahead).
   */
  public static final RpcError CANCEL_VALIDITY_OUT_OF_WINDOW =
      gateway(
          "CANCEL_VALIDITY_OUT_OF_WINDOW",
          5001,
          "The cancel's validUntil is outside the accepted window");

  /** The same signed cancel message was already used (a replay). */
  public static final RpcError CANCEL_REPLAYED =
      gateway("CANCEL_REPLAYED", 5002, "This signed cancel was already used");

  /** This node runs no settlement (the demo node): settlement methods are not served. */
  public static final RpcError SETTLEMENT_NOT_AVAILABLE =
      gateway("SETTLEMENT_NOT_AVAILABLE", 5003, "This node does not settle on L1");

  /** A withdrawal's or transfer's nonce is not the account's next transaction nonce. */
  public static final RpcError WRONG_TRANSACTION_NONCE =
      gateway("WRONG_TRANSACTION_NONCE", 5004, "Not the account's next transaction nonce");

  /** No batch with this number has been sealed. */
  public static final RpcError BATCH_NOT_FOUND = gateway("BATCH_NOT_FOUND", 5005, "No such batch");

  /**
   * A withdrawal or transfer the settling node's batch shape has no slot for (a transfer on a
   * format v3 node whose shape has no transfer slot): it could never be settled on L1, so it was
   * not journaled.
   */
  public static final RpcError NOT_IN_BATCH_SHAPE =
      gateway(
          "NOT_IN_BATCH_SHAPE", 5006, "The node's batch shape has no slot for this transaction");

  /**
   * A method that reads an account's private data was called without {@code auth}, the account's
   * read grant ({@code io.zkperp.protocol.message.ReadGrantMessage}). Nothing was read.
   */
  public static final RpcError READ_AUTH_REQUIRED =
      gateway(
          "READ_AUTH_REQUIRED",
          5101,
          "This method reads private account data: pass auth, a read grant signed by the account's"
              + " key");

  /**
   * The read grant's {@code validUntil} is not in the accepted window: it has passed, or it is more
   * than {@code ReadGrantMessage.MAX_VALIDITY_SECONDS} (24 h) ahead of the gateway's clock.
   */
  public static final RpcError READ_GRANT_EXPIRED =
      gateway(
          "READ_GRANT_EXPIRED",
          5102,
          "The read grant has expired or its validUntil is more than 24 h ahead");

  /** The read grant is for another account than the one asked about. */
  public static final RpcError READ_GRANT_WRONG_ACCOUNT =
      gateway("READ_GRANT_WRONG_ACCOUNT", 5103, "The read grant is for another account");

  /**
   * The read grant's signature does not verify with the account's key in this deployment's domain
   * (a tampered grant, another key, a grant signed for another chain or rollup contract, or an
   * account without a key: the error does not tell which).
   */
  public static final RpcError READ_GRANT_INVALID =
      gateway("READ_GRANT_INVALID", 5104, "The read grant's signature does not verify");

  /**
   * {@code perp_getEscapeProof}: the account does not exist in the state L1 last verified (never
   * deposited, or its first deposit is not in a batch committed on L1 yet).
   */
  public static final RpcError NOT_IN_VERIFIED_STATE =
      gateway(
          "NOT_IN_VERIFIED_STATE",
          5201,
          "The account does not exist in the state root last verified on L1");

  /**
   * {@code perp_getEscapeProof}: the account holds positions, which the rollup contract's escape
   * does not take yet (collateral-only accounts), or the verified state is no longer kept.
   */
  public static final RpcError ESCAPE_UNSUPPORTED =
      gateway(
          "ESCAPE_UNSUPPORTED",
          5202,
          "No escape proof can be served for this account (positions, or the state is not kept)");

  private static final Map<RejectReason, RpcError> BY_REASON = new EnumMap<>(RejectReason.class);
  private static final List<RpcError> ALL;

  static {
    List<RpcError> all = new ArrayList<>(GATEWAY);
    for (RejectReason r : RejectReason.values()) {
      RpcError e = new RpcError(r.name(), r.code(), title(r));
      BY_REASON.put(r, e);
      all.add(e);
    }
    ALL = Collections.unmodifiableList(all);
  }

  private final String name;
  private final int code;
  private final String title;

  private RpcError(String name, int code, String title) {
    this.name = name;
    this.code = code;
    this.title = title;
  }

  private static RpcError gateway(String name, int code, String title) {
    RpcError e = new RpcError(name, code, title);
    GATEWAY.add(e);
    return e;
  }

  /** "NONCE_TOO_OLD" → "Nonce too old (sequencer rejection 3001)". */
  private static String title(RejectReason r) {
    String words = r.name().replace('_', ' ').toLowerCase(Locale.ROOT);
    return Character.toUpperCase(words.charAt(0))
        + words.substring(1)
        + " (sequencer rejection "
        + r.code()
        + ")";
  }

  /**
   * The stable name (a gateway error's constant name, or the {@link RejectReason}'s name).
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The JSON-RPC error code.
   *
   * @return the code
   */
  public int code() {
    return code;
  }

  /**
   * The fixed one-line description.
   *
   * @return the title
   */
  public String title() {
    return title;
  }

  /**
   * The application error of a sequencer rejection: same name, same code. Any thread.
   *
   * @param reason the sequencer's reason
   * @return the error
   */
  public static RpcError of(RejectReason reason) {
    return BY_REASON.get(reason);
  }

  /**
   * Every error: the gateway's own in declaration order, then one per {@link RejectReason}.
   *
   * @return the errors (unmodifiable)
   */
  public static List<RpcError> values() {
    return ALL;
  }

  @Override
  public String toString() {
    return name;
  }
}
