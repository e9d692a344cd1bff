package io.zkperp.gateway.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * One JSON-RPC method: one small class per method. {@link #handle} is called on a Netty event-loop
 * thread and must not block: work that takes time (signature checks, the sequencer's answer) is
 * returned as a future, completed on another thread.
 */
public interface RpcHandler {
  /**
   * Which method this handles.
   *
   * @return the method
   */
  RpcMethod method();

  /**
   * Handles one call.
   *
   * @param params the parameters, already checked against {@link RpcMethod#params()}
   * @return the result, or a future completed exceptionally with an {@link RpcException}
   * @throws RpcException for errors found synchronously
   */
  CompletableFuture<JsonNode> handle(Params params);

  /**
   * Handles one call with its context; methods that need the connection (subscriptions) override
   * this, the others ignore the context.
   *
   * @param params the parameters
   * @param context where the call came from
   * @return as {@link #handle(Params)}
   */
  default CompletableFuture<JsonNode> handle(Params params, RpcContext context) {
    return handle(params);
  }
}
