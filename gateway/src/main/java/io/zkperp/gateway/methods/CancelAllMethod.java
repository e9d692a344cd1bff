package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.SequencerBridge;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcContext;
import io.zkperp.gateway.rpc.RpcHandler;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.protocol.message.CancelAllMessage;
import io.zkperp.sequencer.command.CancelAll;
import java.util.concurrent.CompletableFuture;

/**
 * {@code perp_cancelAll}: a signed cancel-all (see {@link CancelAllMessage}) verified by the
 * gateway, then a {@link CancelAll} submitted; answered after the journal write. {@link #handle}
 * runs on a Netty thread.
 */
public final class CancelAllMethod implements RpcHandler {
  private final SequencerBridge bridge;
  private final CancelVerifier verifier;

  /**
   * The method.
   *
   * @param bridge where to submit
   * @param verifier checks the cancel's signature
   */
  public CancelAllMethod(SequencerBridge bridge, CancelVerifier verifier) {
    this.bridge = bridge;
    this.verifier = verifier;
  }

  @Override
  public RpcMethod method() {
    return RpcMethod.CANCEL_ALL;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p) {
    return handle(p, null);
  }

  @Override
  public CompletableFuture<JsonNode> handle(Params p, RpcContext context) {
    int account = (int) p.longValue("account", 0, Integer.MAX_VALUE);
    int market = (int) p.longValue("market", 0, 65_535, CancelAll.ALL_MARKETS);
    long validUntil = p.longValue("validUntil", 0, Long.MAX_VALUE);
    byte[] signature = p.hexBytes("signature", 64);
    CancelAll command = new CancelAll(account, market, validUntil, signature);
    CancelAllMessage message = new CancelAllMessage(account, market, validUntil);
    return verifier
        .verify(
            account,
            validUntil,
            message.hash(verifier.domain()),
            signature,
            message + " in " + verifier.domain())
        .thenCompose(
            v -> {
              verifier.limit().charge(account); // after the signature: only the owner spends it
              return bridge.submit(command, context == null ? null : context.eventLoop());
            })
        .thenApply(CancelOrderMethod::cancelled);
  }
}
