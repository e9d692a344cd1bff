package io.zkperp.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Java agrees with every golden vector generated from gnark-crypto. */
class GoldenVectorsTest {
  @Test
  void vectorsComeFromThePinnedGeneratorAndLayout() {
    for (String file :
        new String[] {"field.json", "poseidon2.json", "eddsa.json", "points.json", "state.json"}) {
      JsonNode g = TestVectors.load(file).get("generator");
      assertThat(g.get("gnarkCrypto").asText()).as(file).isEqualTo("v0.21.0");
      assertThat(g.get("layoutVersion").asInt()).as(file).isEqualTo(1);
    }
  }

  @Test
  void fieldEncodings() {
    JsonNode v = TestVectors.load("field.json");
    assertThat(v.get("canonical").size()).isGreaterThanOrEqualTo(8);
    assertThat(v.get("invalid").size()).isGreaterThanOrEqualTo(6);
    assertThat(VectorChecks.field(v)).isEmpty();
  }

  @Test
  void poseidon2() {
    JsonNode v = TestVectors.load("poseidon2.json");
    assertThat(v.get("compress").size()).isGreaterThanOrEqualTo(12);
    assertThat(v.get("permutation").size()).isGreaterThanOrEqualTo(12);
    assertThat(VectorChecks.poseidon2(v)).isEmpty();
  }

  @Test
  void eddsa() {
    JsonNode v = TestVectors.load("eddsa.json");
    assertThat(v.get("signatures").size()).isGreaterThanOrEqualTo(16);
    assertThat(v.get("invalid").size()).isGreaterThanOrEqualTo(12);
    assertThat(VectorChecks.eddsa(v)).isEmpty();
  }

  @Test
  void compressedPoints() {
    JsonNode v = TestVectors.load("points.json");
    assertThat(v.get("points").size()).isGreaterThanOrEqualTo(10);
    assertThat(VectorChecks.points(v)).isEmpty();
  }

  @Test
  void stateLayoutLeavesAndRoots() {
    JsonNode v = TestVectors.load("state.json");
    assertThat(v.get("leaves").size()).isGreaterThanOrEqualTo(10);
    assertThat(VectorChecks.stateLayout(v)).isEmpty();
  }
}
