package io.zkperp.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What both formats' {@code perp_getEscapeProof} share: the method name, the {@code account}
 * parameter (1 … 2^24 − 1) and the dispatch of the answer to a reading executor (RocksDB, not a
 * Netty thread). Subclasses build the answer. {@link #handle} from any thread.
 */
abstract class AccountEscapeHandler implements RpcHandler {
  private final Executor executor;

  /**
   * The handler.
   *
   * @param executor where the reads run
   */
  AccountEscapeHandler(Executor executor) {
    this.executor = executor;
  }

  @Override
  public final RpcMethod method() {
    return RpcMethod.GET_ESCAPE_PROOF;
  }

  @Override
  public final CompletableFuture<JsonNode> handle(Params p) {
    int account = (int) p.longValue("account", 1, (1 << 24) - 1);
    return CompletableFuture.supplyAsync(() -> answer(account), executor);
  }

  /**
   * The answer for one account; runs on the executor.
   *
   * @param account the account asked about
   * @return the result
   */
  abstract JsonNode answer(int account);
}
