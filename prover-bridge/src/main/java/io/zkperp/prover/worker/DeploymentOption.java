package io.zkperp.prover.worker;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;

/**
 * The deployment a prover process proves a format v3 shape for, from its {@code --chain-id} and
 * {@code --rollup} options (both or neither). Shared by the file-queue worker ({@link
 * ProverWorkerMain}) and the node's Kafka prover. Stateless; any thread.
 */
public final class DeploymentOption {
  private DeploymentOption() {}

  /**
   * Parses the two options.
   *
   * @param chainId {@code --chain-id}: an unsigned 64-bit decimal number, or null
   * @param rollup {@code --rollup}: a 20-byte 0x-hex address, or null
   * @return the deployment, or null if neither is given (a format v2 shape)
   * @throws IllegalArgumentException if only one is given, or one is malformed
   */
  public static MessageDomain parse(String chainId, String rollup) {
    if (chainId == null && rollup == null) {
      return null;
    }
    if (chainId == null || rollup == null) {
      throw new IllegalArgumentException("--chain-id and --rollup go together");
    }
    long chain;
    try {
      chain = Long.parseUnsignedLong(chainId);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--chain-id " + chainId + " is not an unsigned 64-bit number");
    }
    try {
      return MessageDomain.of(chain, L1Address.fromHex(rollup));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--rollup: expected a 20-byte 0x-hex address");
    }
  }
}
