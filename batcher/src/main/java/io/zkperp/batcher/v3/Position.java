package io.zkperp.batcher.v3;

/**
 * One entry of a position list as the rules compute it, before it is checked against layout v2's
 * ranges (size 0 = empty). Immutable; any thread.
 *
 * @param market market id
 * @param size signed size
 * @param snapshot funding-index snapshot
 */
public record Position(int market, long size, long snapshot) {
  /** The empty entry. */
  public static final Position EMPTY = new Position(0, 0, 0);
}
