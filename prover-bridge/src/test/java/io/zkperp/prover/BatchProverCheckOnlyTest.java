package io.zkperp.prover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchProver#openForCheck}: the real native solver on the compiled v3-tiny circuit, no keys
 * read or set up. The golden v3 witness written by Go is accepted, a changed trade record byte
 * refused; proving, verifying and exporting a verifier are refused.
 */
class BatchProverCheckOnlyTest {

  @Test
  void checksTheGoldenV3WitnessWithoutKeys() throws Exception {
    JsonNode v = TestVectors.load("batch-v3-golden.json");
    MessageDomain domain =
        MessageDomain.of(v.get("chainId").asLong(), L1Address.fromHex(v.get("rollup").asText()));
    byte[] witness = Files.readAllBytes(TestVectors.directory().resolve(v.get("witness").asText()));
    try (BatchProver checker = BatchProver.openForCheck(v.get("shape").asText(), domain)) {
      assertThat(checker.witnessSize()).isEqualTo(witness.length);
      checker.check(witness);
      byte[] changed = witness.clone();
      changed[v.get("tradeRecordByte").asInt()] ^= 0x01;
      assertThatThrownBy(() -> checker.check(changed))
          .isInstanceOf(UnsatisfiableWitnessException.class);
      assertThatThrownBy(() -> checker.prove(witness))
          .isInstanceOfSatisfying(
              NativeProverException.class,
              e -> assertThat(e.code()).isEqualTo(NativeErrorCode.INVALID_ARGUMENT))
          .hasMessageContaining("checking only");
      assertThatThrownBy(checker::solidityVerifier).isInstanceOf(NativeProverException.class);
      assertThatThrownBy(() -> checker.verify(new byte[8], new byte[32]))
          .isInstanceOf(NativeProverException.class);
    }
    // another deployment compiles another circuit: the same witness no longer solves
    MessageDomain other = MessageDomain.of(1, L1Address.fromHex(v.get("rollup").asText()));
    try (BatchProver checker = BatchProver.openForCheck("v3-tiny", other)) {
      assertThatThrownBy(() -> checker.check(witness))
          .isInstanceOf(UnsatisfiableWitnessException.class);
    }
    assertThatThrownBy(() -> BatchProver.openForCheck("v3-tiny"))
        .isInstanceOf(NativeProverException.class)
        .hasMessageContaining("chain id");
  }
}
