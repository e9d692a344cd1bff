package io.zkperp.gateway.bridge.history;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The candle intervals the history keeps for every market. Any thread. */
public enum CandleInterval {
  /** One minute. */
  ONE_MINUTE("1m", 60),
  /** Five minutes. */
  FIVE_MINUTES("5m", 300),
  /** One hour. */
  ONE_HOUR("1h", 3_600);

  private final String wireName;
  private final long seconds;

  CandleInterval(String wireName, long seconds) {
    this.wireName = wireName;
    this.seconds = seconds;
  }

  /**
   * The name in the JSON-RPC API.
   *
   * @return {@code "1m"}, {@code "5m"} or {@code "1h"}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The interval's length.
   *
   * @return seconds
   */
  public long seconds() {
    return seconds;
  }

  /**
   * The start of the interval that holds a time: the time rounded down to a multiple of {@link
   * #seconds} (unix epoch aligned, so a 1h candle starts on the hour).
   *
   * @param time seconds
   * @return the start, seconds
   */
  public long bucketStart(long time) {
    return Math.floorDiv(time, seconds) * seconds;
  }

  /**
   * The interval with this wire name.
   *
   * @param wireName {@code "1m"}, {@code "5m"} or {@code "1h"}
   * @return the interval
   * @throws IllegalArgumentException naming the accepted names, for any other text
   */
  public static CandleInterval parse(String wireName) {
    for (CandleInterval i : values()) {
      if (i.wireName.equals(wireName)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "not a candle interval: expected one of "
            + Arrays.stream(values())
                .map(i -> "\"" + i.wireName + "\"")
                .collect(Collectors.joining(", ")));
  }
}
