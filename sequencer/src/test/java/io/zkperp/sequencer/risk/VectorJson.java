package io.zkperp.sequencer.risk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the golden vector files (Jackson: objects as maps, arrays as lists, whole numbers as {@link
 * Long}, strings, booleans, null). Used by {@link PerpArithmeticVectorsTest}, {@link
 * PerpLiquidationVectorsTest} and {@link PerpTickVectorsTest}. Any thread.
 */
final class VectorJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private VectorJson() {}

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
      return JSON.readValue(dir.resolve("test-vectors").resolve(name).toFile(), Object.class);
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
}
