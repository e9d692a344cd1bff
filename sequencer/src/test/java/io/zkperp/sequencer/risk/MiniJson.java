package io.zkperp.sequencer.risk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader for the golden vector files (objects, arrays, strings without escapes other
 * than \" and \\, numbers as {@link Long}, booleans, null): the sequencer's tests have no JSON
 * library. Used by {@link PerpArithmeticVectorsTest}, {@link PerpLiquidationVectorsTest} and {@link
 * PerpTickVectorsTest}. Not thread-safe (one reader per file); the static loader is safe from any
 * thread.
 */
final class MiniJson {
  private final String s;
  private int i;

  MiniJson(String s) {
    this.s = s;
  }

  /**
   * Reads a file of {@code <repo>/test-vectors}, found by walking up from the working directory.
   *
   * @param name the file name
   * @return the parsed top-level value
   */
  static Object load(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("test-vectors"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("test-vectors/ not found above the working directory");
    }
    try {
      return new MiniJson(
              Files.readString(dir.resolve("test-vectors").resolve(name), StandardCharsets.UTF_8))
          .value();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A parsed JSON object.
   *
   * @param o a value from {@link #load}
   * @return it as a map
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /**
   * A parsed JSON array.
   *
   * @param o a value from {@link #load}
   * @return it as a list
   */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  /**
   * A number the vector files write as a decimal string (so that 64-bit values survive every
   * reader).
   *
   * @param m a parsed JSON object
   * @param key the field
   * @return its value
   */
  static long num(Map<String, Object> m, String key) {
    return Long.parseLong((String) m.get(key));
  }

  Object value() {
    skip();
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        i += 4;
        return Boolean.TRUE;
      case 'f':
        i += 5;
        return Boolean.FALSE;
      case 'n':
        i += 4;
        return null;
      default:
        int start = i;
        while (i < s.length() && "-0123456789".indexOf(s.charAt(i)) >= 0) {
          i++;
        }
        return Long.parseLong(s.substring(start, i));
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    skip();
    if (s.charAt(i) == '}') {
      i++;
      return m;
    }
    while (true) {
      skip();
      String k = string();
      skip();
      expect(':');
      m.put(k, value());
      skip();
      if (s.charAt(i++) == '}') {
        return m;
      }
    }
  }

  private List<Object> array() {
    List<Object> l = new ArrayList<>();
    i++;
    skip();
    if (s.charAt(i) == ']') {
      i++;
      return l;
    }
    while (true) {
      l.add(value());
      skip();
      if (s.charAt(i++) == ']') {
        return l;
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (s.charAt(i) != '"') {
      char c = s.charAt(i++);
      b.append(c == '\\' ? s.charAt(i++) : c);
    }
    i++;
    return b.toString();
  }

  private void expect(char c) {
    if (s.charAt(i) != c) {
      throw new IllegalStateException("expected " + c + " at " + i);
    }
    i++;
  }

  private void skip() {
    while (Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }
}
