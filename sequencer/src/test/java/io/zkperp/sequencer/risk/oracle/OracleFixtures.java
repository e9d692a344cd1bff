package io.zkperp.sequencer.risk.oracle;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Deterministic oracle signer keys for tests: signer i's seed is 32 bytes of (0x40 + i). */
final class OracleFixtures {
  static final int MARKET = 7;

  private OracleFixtures() {}

  static EdDsaPrivateKey key(int i) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (0x40 + i));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  static List<EdDsaPrivateKey> keys(int n) {
    List<EdDsaPrivateKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(key(i));
    }
    return keys;
  }

  static List<EdDsaPublicKey> publicKeys(List<EdDsaPrivateKey> keys) {
    return keys.stream().map(EdDsaPrivateKey::publicKey).toList();
  }

  /** A whole order-price unit in 32.32. */
  static long px(long units) {
    return units << 32;
  }
}
