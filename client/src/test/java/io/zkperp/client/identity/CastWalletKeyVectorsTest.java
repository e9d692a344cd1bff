package io.zkperp.client.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Runs Foundry's cast (the npm package under l1-contracts, through {@code l1-contracts/tools/cast})
 * on every case of the wallet-key vectors, so that the file cannot drift from what cast signs;
 * skipped where cast is not installed.
 */
class CastWalletKeyVectorsTest {
  @Test
  void castSignsAndHashesExactlyWhatTheVectorsHold() throws Exception {
    assumeTrue(
        WalletKeyVectors.castAvailable(),
        "cast not installed (npm ci in l1-contracts): skipping the cast comparison");
    JsonNode file = WalletKeyVectors.read();
    // through text, so that numbers compare by value (the file's are read back as ints)
    JsonNode fresh =
        WalletKeyVectors.JSON.readTree(
            WalletKeyVectors.JSON.writeValueAsString(WalletKeyVectors.generate()));
    assertThat(fresh.path("seedDomain")).isEqualTo(file.path("seedDomain"));
    assertThat(fresh.path("cases").size()).isEqualTo(file.path("cases").size());
    for (int i = 0; i < file.path("cases").size(); i++) {
      JsonNode want = file.path("cases").get(i);
      JsonNode got = fresh.path("cases").get(i);
      assertThat(got.path("signature"))
          .as("case %d signature", i)
          .isEqualTo(want.path("signature"));
      assertThat(got.path("seed")).as("case %d seed", i).isEqualTo(want.path("seed"));
      assertThat(got).as("case %d", i).isEqualTo(want);
    }
  }
}
