package io.zkperp.prover;

/**
 * The witness is well-formed but breaks a rule of the circuit (bad signature, reused nonce,
 * overdraft, wrong intermediate root, ...): no proof exists for it.
 */
public final class UnsatisfiableWitnessException extends ProverException {

  private static final long serialVersionUID = 1L;

  private final int txIndex;

  /**
   * Creates the exception.
   *
   * @param txIndex index of the offending transaction in the batch, or -1 for a batch-level rule
   * @param message the rule broken, as the native solver reports it
   */
  public UnsatisfiableWitnessException(int txIndex, String message) {
    super(message);
    this.txIndex = txIndex;
  }

  /**
   * Returns which transaction broke a rule.
   *
   * @return the index of the transaction in the batch, or -1 for a batch-level rule (roots, public
   *     data, priority operations)
   */
  public int txIndex() {
    return txIndex;
  }
}
