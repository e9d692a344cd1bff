package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.TradePublicData;
import io.zkperp.batcher.v3.TradeWitness;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import java.util.Objects;

/**
 * An executed trade as a format v3 batch step: its record is {@link TradePublicData}'s, its
 * elements {@link TradeStepElements}'s, and its orders must have been verified for the batch's
 * deployment. Immutable; any thread.
 *
 * @param witness what {@link io.zkperp.batcher.v3.TradeExecution} returned
 * @param domain the deployment the execution verified the orders' signatures for
 */
public record TradeBatchStep(TradeWitness witness, MessageDomain domain) implements BatchStep {
  /** Validates that nothing is null. */
  public TradeBatchStep {
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(domain, "domain");
  }

  @Override
  public int type() {
    return TradePublicData.TYPE;
  }

  @Override
  public byte[] publicData() {
    return TradePublicData.of(witness.trade());
  }

  @Override
  public Fr oldRoot() {
    return witness.rootsBefore().stateRoot();
  }

  @Override
  public Fr newRoot() {
    return witness.rootsAfter().stateRoot();
  }

  @Override
  public Fr priorityOperation() {
    return null;
  }

  @Override
  public void checkHeader(BatchHeaderV3 header, int index) throws BatchWitnessException {
    checkDomain(domain, header, index, "orders verified");
  }

  /**
   * Refuses a step whose signatures were verified for another deployment than the batch's.
   *
   * @param verified the deployment the execution verified for
   * @param header the batch's header
   * @param index the step's position
   * @param what what was verified, for the message
   * @throws BatchWitnessException {@link BatchWitnessError#DOMAIN}
   */
  static void checkDomain(MessageDomain verified, BatchHeaderV3 header, int index, String what)
      throws BatchWitnessException {
    if (!header.domain().equals(verified)) {
      throw new BatchWitnessException(
          BatchWitnessError.DOMAIN,
          index,
          what + " for " + verified + ", the batch is " + header.domain());
    }
  }

  @Override
  public StepElements elements(BatchShape shape, int index) throws BatchWitnessException {
    try {
      return TradeStepElements.of(witness, domain, shape.n(), shape.k());
    } catch (TradeElementsException e) {
      throw new BatchWitnessException(BatchWitnessError.SHAPE, index, e.getMessage());
    }
  }
}
