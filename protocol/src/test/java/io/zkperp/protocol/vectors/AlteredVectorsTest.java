package io.zkperp.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * An altered vector is caught: each check, run on a copy with one value changed, reports that
 * value. (The Go side separately fails when a checked-in file differs from what gnark-crypto
 * generates.)
 */
class AlteredVectorsTest {
  /** Flips the last hex digit of a text node. */
  private static TextNode flipLastHexDigit(JsonNode n) {
    String s = n.asText();
    char last = s.charAt(s.length() - 1);
    char flipped = last == '0' ? '1' : '0';
    return TextNode.valueOf(s.substring(0, s.length() - 1) + flipped);
  }

  private static void assertCaught(
      String file, Function<JsonNode, List<String>> check, String path, Alteration alteration) {
    JsonNode copy = TestVectors.copy(TestVectors.load(file));
    alteration.apply(copy);
    assertThat(check.apply(copy))
        .as("mismatches after altering " + path)
        .isNotEmpty()
        .anySatisfy(m -> assertThat(m).startsWith(path));
  }

  private interface Alteration {
    void apply(JsonNode root);
  }

  @Test
  void alteredCompressOutputIsCaught() {
    assertCaught(
        "poseidon2.json",
        VectorChecks::poseidon2,
        "$.compress[3].output",
        v -> {
          ObjectNode c = (ObjectNode) v.get("compress").get(3);
          c.set("output", flipLastHexDigit(c.get("output")));
        });
  }

  @Test
  void alteredRoundKeyIsCaught() {
    assertCaught(
        "poseidon2.json",
        VectorChecks::poseidon2,
        "$.parameters.roundKeys[10]",
        v -> {
          ArrayNode keys = (ArrayNode) v.get("parameters").get("roundKeys").get(10);
          keys.set(0, flipLastHexDigit(keys.get(0)));
        });
  }

  @Test
  void alteredSignatureIsCaught() {
    assertCaught(
        "eddsa.json",
        VectorChecks::eddsa,
        "$.signatures[5].signature",
        v -> {
          ObjectNode s = (ObjectNode) v.get("signatures").get(5);
          s.set("signature", flipLastHexDigit(s.get("signature")));
        });
  }

  @Test
  void alteredPublicKeyIsCaught() {
    assertCaught(
        "eddsa.json",
        VectorChecks::eddsa,
        "$.keys[2].publicKeyX",
        v -> {
          ObjectNode k = (ObjectNode) v.get("keys").get(2);
          k.set("publicKeyX", flipLastHexDigit(k.get("publicKeyX")));
        });
  }

  @Test
  void alteredInvalidCaseThatBecomesValidIsCaught() {
    // Replace a "wrong_message" case's message with the message actually signed: now it verifies,
    // and the check must report that Java accepts what the vector says gnark-crypto rejects.
    assertCaught(
        "eddsa.json",
        VectorChecks::eddsa,
        "$.invalid[0]",
        v -> {
          JsonNode invalid = v.get("invalid").get(0);
          for (JsonNode sig : v.get("signatures")) {
            if (sig.get("signature").asText().equals(invalid.get("signature").asText())) {
              ((ObjectNode) invalid).set("message", sig.get("message").deepCopy());
            }
          }
        });
  }

  @Test
  void alteredLeafHashIsCaught() {
    assertCaught(
        "state.json",
        VectorChecks::stateLayout,
        "$.leaves[1].hash",
        v -> {
          ObjectNode leaf = (ObjectNode) v.get("leaves").get(1);
          leaf.set("hash", flipLastHexDigit(leaf.get("hash")));
        });
  }

  @Test
  void alteredPointReasonIsCaught() {
    assertCaught(
        "points.json",
        VectorChecks::points,
        "$.points[0]",
        v -> ((ObjectNode) v.get("points").get(0)).put("reason", "not_in_subgroup"));
  }

  @Test
  void alteredSignedEmbeddingIsCaught() {
    assertCaught(
        "field.json",
        VectorChecks::field,
        "$.signed[2]",
        v -> {
          ObjectNode s = (ObjectNode) v.get("signed").get(2);
          s.set("element", flipLastHexDigit(s.get("element")));
        });
  }
}
