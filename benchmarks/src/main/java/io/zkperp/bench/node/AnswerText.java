package io.zkperp.bench.node;

/**
 * Reads the two things the benchmark needs from a {@code perp_placeOrder} answer's JSON text
 * without a JSON parser (the reader threads parse thousands a second beside the node): the JSON-RPC
 * error code and the lots filled. Stateless; any thread.
 */
final class AnswerText {
  private AnswerText() {}

  /**
   * The answer's error code.
   *
   * @param body the JSON-RPC answer
   * @return 0 for a result, the error's code, or -1 if the text has neither
   */
  static int code(String body) {
    if (body.contains("\"result\"")) {
      return 0;
    }
    long c = number(body, "\"code\":");
    return c == Long.MIN_VALUE ? -1 : (int) c;
  }

  /**
   * The lots the order filled.
   *
   * @param body the JSON-RPC answer
   * @return the result's {@code filled}, 0 if absent
   */
  static long filled(String body) {
    long f = number(body, "\"filled\":");
    return f == Long.MIN_VALUE ? 0 : f;
  }

  /** The integer right after the first {@code key}, or {@link Long#MIN_VALUE} if none. */
  private static long number(String body, String key) {
    int at = body.indexOf(key);
    if (at < 0) {
      return Long.MIN_VALUE;
    }
    int from = at + key.length();
    int end = from;
    while (end < body.length()
        && (Character.isDigit(body.charAt(end)) || (end == from && body.charAt(end) == '-'))) {
      end++;
    }
    return end == from ? Long.MIN_VALUE : Long.parseLong(body.substring(from, end));
  }
}
