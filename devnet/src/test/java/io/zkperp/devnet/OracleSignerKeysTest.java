package io.zkperp.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.gateway.node.DemoMarkets;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The devnet's own oracle signer keys: generated, kept owner-only, read back, checked. */
class OracleSignerKeysTest {
  @TempDir Path dir;

  @Test
  void generatedKeysAreWrittenOwnerOnlyAndReadBackAsTheSameSignerSet() throws Exception {
    assertThat(OracleSignerKeys.read(dir)).isEmpty();
    OracleSignerKeys keys = OracleSignerKeys.generate(new SecureRandom());
    keys.write(dir);
    assertThat(Files.getPosixFilePermissions(dir.resolve(OracleSignerKeys.FILE)))
        .isEqualTo(DevnetWalkthroughIT.OWNER_ONLY);
    OracleSignerKeys back = OracleSignerKeys.read(dir).orElseThrow();
    assertThat(back).isEqualTo(keys);
    List<EdDsaPublicKey> signers = back.signers().signers();
    assertThat(signers).hasSize(OracleSignerKeys.COUNT).doesNotHaveDuplicates();
    assertThat(back.signers().quorum()).isEqualTo(OracleSignerKeys.QUORUM);
    for (int i = 0; i < DemoMarkets.ORACLE_SIGNERS; i++) {
      assertThat(signers).doesNotContain(DemoMarkets.oracleKey(i).publicKey());
    }
    assertThat(back.keys().get(1).publicKey()).isEqualTo(signers.get(1));
    // another generation is another set
    assertThat(OracleSignerKeys.generate(new SecureRandom()).seeds())
        .doesNotContainAnyElementsOf(keys.seeds());
  }

  @Test
  void aDamagedFileOrABadQuorumIsRefused() throws Exception {
    Files.writeString(dir.resolve(OracleSignerKeys.FILE), "{\"format\":1,\"quorum\":2}");
    assertThatThrownBy(() -> OracleSignerKeys.read(dir))
        .isInstanceOfSatisfying(
            DevnetException.class,
            e -> assertThat(e.kind()).isEqualTo(DevnetException.Kind.INCOMPATIBLE_DATA_DIR))
        .hasMessageContaining(OracleSignerKeys.FILE);
    List<String> seeds = OracleSignerKeys.generate(new SecureRandom()).seeds();
    assertThatThrownBy(() -> new OracleSignerKeys(seeds, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quorum");
    assertThatThrownBy(() -> new OracleSignerKeys(List.of(seeds.get(0), seeds.get(0)), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("distinct");
    assertThatThrownBy(() -> new OracleSignerKeys(List.of("zz"), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
