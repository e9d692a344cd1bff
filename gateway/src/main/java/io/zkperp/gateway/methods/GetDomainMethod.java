package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.protocol.message.MessageDomain;

/**
 * {@code perp_getDomain}: the node's signed-message domain ({@link MessageDomain}), which clients
 * sign orders and cancels with, and on a settling node the signed-message format of its withdrawals
 * and transfers ({@code transactionFormatVersion}: 1 without a domain, 2 in this domain). Answered
 * from a value fixed at start-up; Netty thread.
 */
public final class GetDomainMethod extends FixedResultMethod {
  /**
   * The method.
   *
   * @param domain the node's domain
   */
  public GetDomainMethod(MessageDomain domain) {
    super(RpcMethod.GET_DOMAIN, domain(domain));
  }

  /**
   * The method of a settling node, naming the format its withdrawals and transfers are signed in.
   *
   * @param domain the node's domain
   * @param transactionFormatVersion the signed-message format of {@code perp_withdraw} and {@code
   *     perp_transfer}: 1 (no domain) or 2 (this domain)
   * @throws IllegalArgumentException if the version is not 1 or 2
   */
  public GetDomainMethod(MessageDomain domain, int transactionFormatVersion) {
    super(RpcMethod.GET_DOMAIN, withTransactionFormat(domain, transactionFormatVersion));
  }

  private static ObjectNode withTransactionFormat(
      MessageDomain domain, int transactionFormatVersion) {
    if (transactionFormatVersion != 1 && transactionFormatVersion != MessageDomain.FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "transaction format must be 1 or 2, got " + transactionFormatVersion);
    }
    return domain(domain).put("transactionFormatVersion", transactionFormatVersion);
  }

  private static ObjectNode domain(MessageDomain domain) {
    return Json.object()
        .put("formatVersion", MessageDomain.FORMAT_VERSION)
        .put("chainId", Long.toUnsignedString(domain.chainId()))
        .put("rollupAddress", domain.rollupAddress().toString());
  }
}
