package io.zkperp.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates and reads the golden vectors in {@code <repo>/test-vectors}, generated from gnark-crypto
 * by {@code prover-bridge/native/cmd/vectorgen}. The build passes the directory as the system
 * property {@code zkperp.test.vectors}; outside Maven the working directory's ancestors are
 * searched. A missing file is an error, never a skip.
 */
public final class TestVectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestVectors() {}

  /** Returns the vectors directory. */
  public static Path directory() {
    String configured = System.getProperty("zkperp.test.vectors");
    if (configured != null && Files.isDirectory(Paths.get(configured))) {
      return Paths.get(configured);
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("test-vectors");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "test-vectors/ not found (system property zkperp.test.vectors=" + configured + ")");
  }

  /** Reads one vector file as a JSON tree. */
  public static JsonNode load(String file) {
    Path path = directory().resolve(file);
    try {
      return JSON.readTree(Files.readString(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden vector file " + path, e);
    }
  }

  /** Returns a deep copy, for tests that alter a vector. */
  public static JsonNode copy(JsonNode node) {
    return node.deepCopy();
  }
}
