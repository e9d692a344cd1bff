package io.zkperp.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Waits on the node for what the trader's L1 operations need: an L1 deposit's credit on L2, and a
 * journaled command's batch reaching L1 ({@code perp_getSettlement}: accepted → SEALED → PROVING →
 * PROVEN → COMMITTED → FINAL). Each new state is one progress line. Stateless; the calling thread
 * polls.
 */
public final class L2Waits {
  /** The settlement states in order; FAILED and paused are outside it. */
  public static final List<String> SETTLEMENT_ORDER =
      List.of("accepted", "SEALED", "PROVING", "PROVEN", "COMMITTED", "FINAL");

  private L2Waits() {}

  /**
   * Polls {@code perp_getSettlement} until the command's batch reaches {@code target} (or a later
   * state).
   *
   * @param client the node
   * @param journalSeq the command's journal sequence number
   * @param target COMMITTED (on L1) or FINAL (with the node's finality confirmations)
   * @param poll the polling interval
   * @param timeout how long to wait
   * @param progress one line per new state, e.g. {@code L2: journal 7: PROVING (batch 3)}
   * @return the last {@code perp_getSettlement} result
   * @throws SettlementFailedException if the batch failed (the prover refused it)
   * @throws SettlementPausedException if the node's settlement is paused at a record at or before
   *     this one (it cannot reach L1 until the node can prove that record): the wait stops at once,
   *     with the node's reason from {@code /health}
   * @throws TimeoutException if the target is not reached in time (the last state is in the
   *     message; {@code paused} means the node cannot prove a record before this one yet)
   * @throws ZkPerpRpcException on a JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public static JsonNode awaitSettlement(
      ZkPerpClient client,
      long journalSeq,
      String target,
      Duration poll,
      Duration timeout,
      Consumer<String> progress)
      throws TimeoutException, ZkPerpRpcException, IOException, InterruptedException {
    int want = SETTLEMENT_ORDER.indexOf(target);
    if (want < 0) {
      throw new IllegalArgumentException("target is one of " + SETTLEMENT_ORDER + ": " + target);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String shown = null;
    while (true) {
      JsonNode s = client.getSettlement(journalSeq);
      String status = s.path("status").asText();
      if (!status.equals(shown)) {
        progress.accept("L2: journal " + journalSeq + ": " + describe(s));
        shown = status;
      }
      if (status.equals("paused")) {
        throw new SettlementPausedException(journalSeq, pauseReason(client));
      }
      if (status.equals("FAILED")) {
        throw new SettlementFailedException(
            "batch " + s.path("batch").asLong() + " of journal record " + journalSeq + " FAILED");
      }
      if (SETTLEMENT_ORDER.indexOf(status) >= want) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "journal record "
                + journalSeq
                + " is "
                + status
                + " after "
                + timeout
                + ", not "
                + target);
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /**
   * Polls the account ({@code perp_getAccount}, with a read grant) until its collateral is at least
   * {@code atLeast}: an L1 deposit is credited after the node's confirmations. Before its first
   * credit the node does not know the account's key and refuses the read grant; that counts as "not
   * yet".
   *
   * @param client the node
   * @param key the account's key
   * @param account the account
   * @param atLeast the collateral to wait for
   * @param poll the polling interval
   * @param timeout how long to wait
   * @param progress progress lines
   * @return the account ({@code perp_getAccount}'s result)
   * @throws TimeoutException if not credited in time
   * @throws ZkPerpRpcException on another JSON-RPC error
   * @throws IOException on a transport failure
   * @throws InterruptedException if interrupted
   */
  public static JsonNode awaitCollateral(
      ZkPerpClient client,
      EdDsaPrivateKey key,
      int account,
      long atLeast,
      Duration poll,
      Duration timeout,
      Consumer<String> progress)
      throws TimeoutException, ZkPerpRpcException, IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    progress.accept("L2: waiting for account " + account + " to hold " + atLeast);
    while (true) {
      JsonNode a = null;
      try {
        a = client.getAccount(key, account);
      } catch (ZkPerpRpcException e) {
        if (e.code() != READ_GRANT_INVALID) {
          throw e;
        }
      }
      if (a != null && a.path("collateral").asLong() >= atLeast) {
        progress.accept(
            "L2: account " + account + " credited, collateral " + a.path("collateral").asLong());
        return a;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "account "
                + account
                + " holds "
                + (a == null ? "nothing known to the node" : a.path("collateral").asText())
                + " after "
                + timeout
                + ", not "
                + atLeast);
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /** The settlement problem's reason on {@code /health}, or empty if the node gives none. */
  private static String pauseReason(ZkPerpClient client) throws InterruptedException {
    try {
      for (JsonNode p : client.health().path("problems")) {
        if (p.path("stage").asText().equals("settlement")) {
          return p.path("reason").asText();
        }
      }
    } catch (IOException e) {
      // the reason is a courtesy: the pause itself came from perp_getSettlement
    }
    return "";
  }

  /** The gateway's code for a read grant the account's key does not verify (or no key yet). */
  static final int READ_GRANT_INVALID = 5104;

  private static String describe(JsonNode s) {
    StringBuilder b = new StringBuilder(s.path("status").asText());
    if (s.has("batch")) {
      b.append(" (batch ").append(s.path("batch").asLong());
      if (s.has("l1TxHash")) {
        b.append(", L1 tx ")
            .append(s.path("l1TxHash").asText())
            .append(" block ")
            .append(s.path("l1Block").asLong());
      }
      b.append(')');
    }
    return b.toString();
  }
}
