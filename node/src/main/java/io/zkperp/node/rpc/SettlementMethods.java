package io.zkperp.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.batcher.L2Transaction;
import io.zkperp.batcher.SignatureBytes;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.BatchStore;
import io.zkperp.node.FinalityLookup;
import io.zkperp.node.NodeRejectedException;
import io.zkperp.sequencer.RejectReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The handlers of the settlement methods. Withdrawals and transfers go through the node's checks
 * ({@link Submitter}) on a worker executor (they wait for the journal); reads answer from the batch
 * store. Any thread.
 */
public final class SettlementMethods {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Where signed withdrawals and transfers go (the node). */
  public interface Submitter {
    /**
     * Checks and submits a withdrawal.
     *
     * @param w the withdrawal
     * @return the engine's outcome
     * @throws IOException if the engine does not answer
     */
    CommandOutcome withdraw(L2Transaction.Withdrawal w) throws IOException;

    /**
     * Checks and submits a transfer.
     *
     * @param t the transfer
     * @return the engine's outcome
     * @throws IOException if the engine does not answer
     */
    CommandOutcome transfer(L2Transaction.Transfer t) throws IOException;
  }

  private SettlementMethods() {}

  /**
   * The five handlers ({@code perp_withdraw}, {@code perp_transfer}, {@code perp_getBatch}, {@code
   * perp_getSettlement}, {@code perp_getBatches}). Subscribes a {@link BatchTimeline} to {@code
   * batches}, so call it on the controlling thread before the stages start.
   *
   * @param submitter the node's signed submissions
   * @param batches the batch store
   * @param finality the finality lookup
   * @param executor where submissions wait for the journal (not a Netty thread)
   * @return the handlers
   */
  public static List<RpcHandler> all(
      Submitter submitter, BatchStore batches, FinalityLookup finality, Executor executor) {
    return all(submitter, batches, finality, executor, BatchFormat.V2);
  }

  /**
   * The five handlers, with {@code perp_getBatches} reading the batches' commitments in a format.
   * Subscribes a {@link BatchTimeline} to {@code batches}, so call it on the controlling thread
   * before the stages start.
   *
   * @param submitter the node's signed submissions
   * @param batches the batch store
   * @param finality the finality lookup
   * @param executor where submissions wait for the journal (not a Netty thread)
   * @param format the node's batch format
   * @return the handlers
   */
  public static List<RpcHandler> all(
      Submitter submitter,
      BatchStore batches,
      FinalityLookup finality,
      Executor executor,
      BatchFormat format) {
    return List.of(
        handler(
            RpcMethod.WITHDRAW,
            p -> {
              L2Transaction.Withdrawal w =
                  new L2Transaction.Withdrawal(
                      account(p, "account"),
                      p.longValue("amount", 1, Long.MAX_VALUE),
                      p.longValue("nonce", 0, Long.MAX_VALUE),
                      new SignatureBytes(p.hexBytes("signature", 64)));
              return CompletableFuture.supplyAsync(
                  () -> answer(() -> submitter.withdraw(w)), executor);
            }),
        handler(
            RpcMethod.TRANSFER,
            p -> {
              L2Transaction.Transfer t =
                  new L2Transaction.Transfer(
                      account(p, "from"),
                      account(p, "to"),
                      p.longValue("amount", 1, Long.MAX_VALUE),
                      p.longValue("nonce", 0, Long.MAX_VALUE),
                      new SignatureBytes(p.hexBytes("signature", 64)));
              if (t.from() == t.to()) {
                throw new RpcException(
                    RpcError.of(RejectReason.FIELD_OUT_OF_RANGE), "from and to must differ");
              }
              return CompletableFuture.supplyAsync(
                  () -> answer(() -> submitter.transfer(t)), executor);
            }),
        handler(
            RpcMethod.GET_BATCH,
            p -> {
              long n = p.longValue("batch", 1, Long.MAX_VALUE);
              BatchRecord r =
                  read(() -> batches.get(n))
                      .orElseThrow(
                          () -> new RpcException(RpcError.BATCH_NOT_FOUND, "no batch " + n));
              return CompletableFuture.completedFuture(batch(r));
            }),
        handler(
            RpcMethod.GET_SETTLEMENT,
            p -> {
              long seq = p.longValue("journalSeq", 1, Long.MAX_VALUE);
              FinalityLookup.Finality f = read(() -> finality.of(seq));
              ObjectNode o = JSON.objectNode().put("journalSeq", seq).put("status", f.status());
              f.batch()
                  .ifPresent(
                      b -> {
                        o.put("batch", b.number());
                        if (b.l1Block() >= 0) {
                          o.put("l1TxHash", b.l1TxHash()).put("l1Block", b.l1Block());
                        }
                      });
              return CompletableFuture.completedFuture(o);
            }),
        new GetBatchesMethod(
            batches, BatchTimeline.follow(batches, System::currentTimeMillis), format));
  }

  /**
   * A batch as JSON ({@code perp_getBatch}'s result, the finality stream's update). Any thread.
   *
   * @param r the batch
   * @return {batch, status, firstJournalSeq, lastJournalSeq, transactions, priorityOps, l1TxHash,
   *     l1Block, l1GasUsed (where the node committed it itself)}
   */
  public static ObjectNode batch(BatchRecord r) {
    ObjectNode o =
        JSON.objectNode()
            .put("batch", r.number())
            .put("status", r.status().name())
            .put("firstJournalSeq", r.firstSeq())
            .put("lastJournalSeq", r.lastSeq())
            .put("transactions", r.txCount())
            .put("priorityOps", r.priorityCount());
    if (r.l1Block() >= 0) {
      o.put("l1TxHash", r.l1TxHash()).put("l1Block", r.l1Block());
    }
    if (r.l1GasUsed() >= 0) {
      o.put("l1GasUsed", r.l1GasUsed());
    }
    return o;
  }

  private static int account(Params p, String name) {
    return (int) p.longValue(name, 0, (1 << 24) - 1);
  }

  /** A submission that may throw. */
  private interface Call {
    CommandOutcome run() throws IOException;
  }

  /** A read that may throw. */
  private interface Read<T> {
    T run() throws IOException;
  }

  private static <T> T read(Read<T> r) {
    try {
      return r.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode answer(Call c) {
    CommandOutcome o;
    try {
      o = c.run();
    } catch (NodeRejectedException e) {
      throw new RpcException(
          switch (e.reason()) {
            case UNKNOWN_ACCOUNT -> RpcError.of(RejectReason.UNKNOWN_ACCOUNT);
            case BAD_SIGNATURE -> RpcError.of(RejectReason.BAD_SIGNATURE);
            case WRONG_NONCE -> RpcError.WRONG_TRANSACTION_NONCE;
            case NOT_IN_BATCH_SHAPE -> RpcError.NOT_IN_BATCH_SHAPE;
          },
          e.getMessage());
    } catch (IOException e) {
      throw new RpcException(RpcError.TIMEOUT, e.getMessage());
    }
    return switch (o) {
      case CommandOutcome.Accepted a ->
          JSON.objectNode().put("journalSeq", a.journalSeq()).put("status", "accepted");
      case CommandOutcome.Rejected r ->
          throw new RpcException(RpcError.of(r.reason()), r.message());
    };
  }

  /** The body of a handler. */
  private interface Body {
    CompletableFuture<JsonNode> handle(Params p);
  }

  private static RpcHandler handler(RpcMethod m, Body body) {
    return new RpcHandler() {
      @Override
      public RpcMethod method() {
        return m;
      }

      @Override
      public CompletableFuture<JsonNode> handle(Params p) {
        return body.handle(p);
      }
    };
  }
}
