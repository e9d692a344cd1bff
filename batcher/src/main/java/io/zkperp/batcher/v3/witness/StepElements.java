package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.field.Fr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The field elements of one step's circuit witness in the order format v3 encodes them (gnark's
 * schema order over the step's struct: fields in declaration order, slices element by element),
 * each with the name of its leaf so a disagreement with the Go reference names the field. Built by
 * appending; {@link #encode} writes the 32-byte big-endian elements as a format v3 slot carries
 * them. Not thread-safe: one thread builds it, any thread reads it once built.
 */
public final class StepElements {
  private final List<String> names = new ArrayList<>();
  private final List<Fr> values = new ArrayList<>();

  /** An empty list. */
  public StepElements() {}

  /**
   * Appends one element.
   *
   * @param name the leaf's name (the Go schema path, e.g. {@code Trade.Buyer.Order.Price})
   * @param value the element
   * @return this
   */
  public StepElements add(String name, Fr value) {
    names.add(Objects.requireNonNull(name, "name"));
    values.add(Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Appends a signed 64-bit integer as a field element (negative values as r − |v|, as gnark
   * assigns them).
   *
   * @param name the leaf's name
   * @param value the integer
   * @return this
   */
  public StepElements add(String name, long value) {
    return add(name, Fr.fromLong(value));
  }

  /**
   * Appends an integer of any size, reduced modulo r (negative values as r − |v|).
   *
   * @param name the leaf's name
   * @param value the integer
   * @return this
   */
  public StepElements add(String name, BigInteger value) {
    return add(name, Fr.fromBigInteger(value.mod(Fr.MODULUS)));
  }

  /**
   * The number of elements.
   *
   * @return the count
   */
  public int size() {
    return values.size();
  }

  /**
   * The leaf names in order.
   *
   * @return an unmodifiable view
   */
  public List<String> names() {
    return Collections.unmodifiableList(names);
  }

  /**
   * The elements in order.
   *
   * @return an unmodifiable view
   */
  public List<Fr> values() {
    return Collections.unmodifiableList(values);
  }

  /**
   * The elements as format v3 writes them: 32 bytes each, big-endian, canonical.
   *
   * @return {@code 32 × size()} bytes
   */
  public byte[] encode() {
    byte[] out = new byte[32 * values.size()];
    for (int i = 0; i < values.size(); i++) {
      values.get(i).writeBytes(out, 32 * i);
    }
    return out;
  }
}
