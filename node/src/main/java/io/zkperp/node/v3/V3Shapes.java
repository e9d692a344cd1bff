package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchShape;
import java.util.Map;
import java.util.TreeMap;

/**
 * The format v3 shapes a node may seal batches for, by the prover's name (prover/shapes.go; the
 * same slot counts, N, K and report slots). Only {@code v3-tiny} has keys today; the check-only
 * {@code v3-check} is not here (nothing is proven with it). Any thread.
 */
public final class V3Shapes {
  /**
   * v3-tiny's liquidation fee rate, ppm of the fill notional: a constant of its circuit
   * (prover/shapes.go {@code V3TinyLiquidationFeePpm}), the engine's {@code
   * LiquidationConfig.DEFAULT.feePpm()} (1 %).
   */
  public static final long V3_TINY_LIQUIDATION_FEE_PPM = 10_000;

  private static final Map<String, BatchShape> SHAPES =
      Map.of(
          "v3-tiny",
              new BatchShape(2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3, V3_TINY_LIQUIDATION_FEE_PPM),
          "v3-devnet", new BatchShape(8, 2, 2, 2, 1, 2, 2, 2, 3, 3));

  private V3Shapes() {}

  /**
   * Checks that an engine's liquidation fee rate is the one a shape's liquidation step proves: a
   * shape with liquidation-fill slots has the fee rate as a constant of its circuit, so an engine
   * charging another rate would make every batch with a liquidation unsatisfiable. A shape without
   * liquidation-fill slots takes any rate (its node pauses at a liquidation).
   *
   * @param shapeName the prover's shape name
   * @param engineFeePpm the engine's {@code LiquidationConfig.feePpm()}
   * @throws LiquidationFeeMismatchException the shape proves liquidations at another rate
   * @throws IllegalArgumentException the name is not a format v3 shape the node seals for
   */
  public static void checkLiquidationFee(String shapeName, long engineFeePpm) {
    BatchShape s = shape(shapeName);
    if (s.liquidations() > 0 && s.liquidationFeePpm() != engineFeePpm) {
      throw new LiquidationFeeMismatchException(shapeName, s.liquidationFeePpm(), engineFeePpm);
    }
  }

  /**
   * The shape of a name.
   *
   * @param name the prover's shape name, e.g. {@code v3-tiny}
   * @return the shape
   * @throws IllegalArgumentException the name is not a format v3 shape the node seals for
   */
  public static BatchShape shape(String name) {
    BatchShape s = name == null ? null : SHAPES.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "not a format v3 shape: \""
              + name
              + "\" (known: "
              + new TreeMap<>(SHAPES).keySet()
              + ")");
    }
    return s;
  }
}
