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
  private static final Map<String, BatchShape> SHAPES =
      Map.of(
          "v3-tiny", new BatchShape(2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 2, 3, 3, 0),
          "v3-devnet", new BatchShape(8, 2, 2, 2, 1, 2, 2, 2, 3, 3));

  private V3Shapes() {}

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
