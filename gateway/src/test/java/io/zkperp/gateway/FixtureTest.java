package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request/response fixtures ({@code src/test/resources/fixtures/*.json}), run in file-name order
 * against one real gateway over real sockets, so later fixtures see the state earlier ones made.
 * Each file: {@code request} (JSON) or {@code rawRequest} (a string sent as is), the expected HTTP
 * {@code status} and {@code response} (null = empty body). In requests, a {@code signature} of
 * {@code "$SIGN"} is replaced by the account's real EdDSA signature of the order (or of the cancel
 * message for {@code perp_cancelOrder} / {@code perp_cancelAll}), and an {@code auth} of {@code
 * "$GRANT"} by the account's read grant; in responses the string {@code "<any>"} matches any value.
 * With {@code -Dgateway.fixtures.record=DIR} the actual responses are also written to DIR (to
 * review when adding fixtures).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixtureTest {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

  private GatewayHarness harness;

  /** The fixture directory; a subclass runs another directory against another server. */
  Path fixtureDirectory() {
    return FIXTURES;
  }

  /** The server the fixtures run against. */
  GatewayHarness newHarness(Path dir) throws Exception {
    return new GatewayHarness(dir);
  }

  /** The least number of fixture files expected (guards against a wrong directory). */
  int minimumFixtures() {
    return 20;
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    harness = newHarness(dir);
  }

  @AfterAll
  void stop() throws Exception {
    harness.close();
  }

  @TestFactory
  Stream<DynamicTest> fixtures() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(fixtureDirectory())) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(minimumFixtures());
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
  }

  private void run(Path file) throws Exception {
    JsonNode fixture = MAPPER.readTree(file.toFile());
    String body;
    if (fixture.has("rawRequest")) {
      body = fixture.get("rawRequest").asText();
    } else {
      JsonNode request = fixture.get("request").deepCopy();
      if (request.isArray()) {
        request.forEach(this::sign);
      } else {
        sign(request);
      }
      body = request.toString();
    }
    HttpResponse<String> response = harness.post(body);
    JsonNode actual = response.body().isEmpty() ? null : MAPPER.readTree(response.body());
    String record = System.getProperty("gateway.fixtures.record");
    if (record != null) {
      Files.createDirectories(Path.of(record));
      ObjectNode out = MAPPER.createObjectNode();
      out.put("status", response.statusCode());
      out.set("response", actual);
      Files.writeString(
          Path.of(record).resolve(file.getFileName()), MAPPER.writeValueAsString(out));
    }
    assertThat(response.statusCode()).as("HTTP status").isEqualTo(fixture.get("status").asInt());
    JsonNode expected = fixture.get("response");
    if (expected == null || expected.isNull()) {
      assertThat(response.body()).isEmpty();
    } else {
      List<String> diffs = new ArrayList<>();
      compare("$", expected, actual, diffs);
      assertThat(diffs).as("differences from the fixture, actual: " + actual).isEmpty();
    }
  }

  private void sign(JsonNode request) {
    if (request.get("params") instanceof ObjectNode q && "$GRANT".equals(q.path("auth").asText())) {
      q.set("auth", harness.grant(q.get("account").asInt()));
    }
    if (!(request.get("params") instanceof ObjectNode p)
        || !"$SIGN".equals(p.path("signature").asText())) {
      return;
    }
    String method = request.get("method").asText();
    int account = p.get("account").asInt();
    long validUntil = p.path("validUntil").asLong();
    String sig =
        switch (method) {
          case "perp_cancelOrder" ->
              p.has("orderId")
                  ? harness.signCancelOrder(account, false, p.get("orderId").asLong(), validUntil)
                  : harness.signCancelOrder(
                      account, true, p.get("clientOrderId").asLong(), validUntil);
          case "perp_cancelAll" ->
              harness.signCancelAll(
                  account, p.has("market") ? p.get("market").asInt() : -1, validUntil);
          default -> harness.signOrder(p);
        };
    p.put("signature", sig);
  }

  static void compare(String path, JsonNode expected, JsonNode actual, List<String> diffs) {
    if (expected.isTextual() && expected.asText().equals("<any>")) {
      if (actual == null) {
        diffs.add(path + ": missing");
      }
      return;
    }
    if (actual == null) {
      diffs.add(path + ": missing, expected " + expected);
      return;
    }
    if (expected.isObject() && actual.isObject()) {
      Iterator<String> names = expected.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        compare(path + "." + n, expected.get(n), actual.get(n), diffs);
      }
      for (Map.Entry<String, JsonNode> e : actual.properties()) {
        if (!expected.has(e.getKey())) {
          diffs.add(path + "." + e.getKey() + ": unexpected " + e.getValue());
        }
      }
    } else if (expected.isArray() && actual.isArray()) {
      if (expected.size() != actual.size()) {
        diffs.add(path + ": " + actual.size() + " elements, expected " + expected.size());
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", expected.get(i), actual.get(i), diffs);
      }
    } else if (!expected.equals(actual)) {
      diffs.add(path + ": " + actual + ", expected " + expected);
    }
  }
}
