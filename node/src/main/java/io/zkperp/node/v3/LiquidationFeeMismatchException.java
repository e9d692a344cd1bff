package io.zkperp.node.v3;

/**
 * The node's engine charges another liquidation fee rate than the one its format v3 shape's
 * liquidation step proves (a constant of the circuit): the node refuses to start rather than seal
 * batches no proof can satisfy. Nothing is written. Any thread.
 */
public final class LiquidationFeeMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final long shapeFeePpm;
  private final long engineFeePpm;

  /**
   * The refusal.
   *
   * @param shapeName the shape's name
   * @param shapeFeePpm the rate the shape proves, ppm
   * @param engineFeePpm the rate the engine charges, ppm
   */
  public LiquidationFeeMismatchException(String shapeName, long shapeFeePpm, long engineFeePpm) {
    super(
        "the format v3 shape "
            + shapeName
            + " proves liquidations at a fee of "
            + shapeFeePpm
            + " ppm but the engine charges "
            + engineFeePpm
            + " ppm: run the engine at the shape's rate or use a shape set up for the engine's");
    this.shapeFeePpm = shapeFeePpm;
    this.engineFeePpm = engineFeePpm;
  }

  /**
   * The rate the shape proves.
   *
   * @return ppm
   */
  public long shapeFeePpm() {
    return shapeFeePpm;
  }

  /**
   * The rate the engine charges.
   *
   * @return ppm
   */
  public long engineFeePpm() {
    return engineFeePpm;
  }
}
