package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.protocol.message.MessageDomain;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_getDomain}: the node's signed-message domain ({@link MessageDomain}), which clients
 * sign orders and cancels with. Answered from a value fixed at start-up; Netty thread.
 */
public final class GetDomainMethod implements RpcHandler {
  private final JsonNode result;

  /**
   * The method.
   *
   * @param domain the node's domain
   */
  public GetDomainMethod(MessageDomain domain) {
    this.result =
        Json.object()
            .put("formatVersion", MessageDomain.FORMAT_VERSION)
            .put("chainId", Long.toUnsignedString(domain.chainId()))
            .put("rollupAddress", domain.rollupAddress().toString());
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.GET_DOMAIN;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    return CompletableFuture.completedFuture(result.deepCopy());
  }
}
