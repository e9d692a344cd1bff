package io.zkperp.client.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.state.L1Address;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;

/**
 * The wallet-key vectors made by Foundry's cast: web3j's EIP-712 hashing and RFC 6979 signing
 * reproduce cast's signature byte for byte, the signature recovers to the wallet, and the derived
 * key is the vector's.
 */
class WalletKeyVectorsTest {
  static final HexFormat HEX = HexFormat.of();

  @Test
  void web3jReproducesCastSignaturesAndDerivesTheSameKeys() throws Exception {
    JsonNode cases = WalletKeyVectors.read().path("cases");
    assertThat(cases.size()).isEqualTo(WalletKeyVectors.CASES.size());
    for (JsonNode v : cases) {
      KeyTypedData td =
          new KeyTypedData(
              v.path("chainId").asLong(),
              L1Address.fromHex(v.path("rollup").asText()),
              v.path("keyIndex").asLong());
      // the typed data this client signs is the vector's, field for field
      assertThat(WalletKeyVectors.JSON.readTree(td.json())).isEqualTo(v.path("typedData"));
      ECKeyPair wallet = Credentials.create(v.path("walletPrivateKey").asText()).getEcKeyPair();
      byte[] castSig = bytes(v.path("signature").asText());
      assertThat(WalletOnboarding.sign(wallet, td)).as(td.toString()).isEqualTo(castSig);
      L1Address address = L1Address.fromHex(v.path("walletAddress").asText());
      assertThat(WalletOnboarding.signer(td, castSig)).isEqualTo(address);
      byte[] seed = WalletOnboarding.deriveSeed(td, castSig, address);
      assertThat(seed).isEqualTo(bytes(v.path("seed").asText()));
      EdDsaPrivateKey key = WalletOnboarding.deriveKey(wallet, td);
      assertThat(key.publicKey().encode()).isEqualTo(bytes(v.path("publicKey").asText()));
      assertThat(key.publicKey().point().x().toHex()).isEqualTo(v.path("publicKeyX").asText());
    }
  }

  @Test
  void everyCaseDerivesADifferentKey() throws Exception {
    JsonNode cases = WalletKeyVectors.read().path("cases");
    java.util.Set<String> keys = new java.util.HashSet<>();
    cases.forEach(v -> keys.add(v.path("publicKey").asText()));
    assertThat(keys).hasSize(cases.size());
  }

  @Test
  void aSignatureOfOtherTypedDataOrByAnotherWalletIsRefused() throws Exception {
    JsonNode v = WalletKeyVectors.read().path("cases").get(0);
    byte[] sig = bytes(v.path("signature").asText());
    L1Address address = L1Address.fromHex(v.path("walletAddress").asText());
    KeyTypedData signed =
        new KeyTypedData(
            v.path("chainId").asLong(),
            L1Address.fromHex(v.path("rollup").asText()),
            v.path("keyIndex").asLong());
    KeyTypedData otherChain = new KeyTypedData(signed.chainId() + 1, signed.rollup(), 0);
    assertThatThrownBy(() -> WalletOnboarding.deriveSeed(otherChain, sig, address))
        .isInstanceOf(InvalidWalletSignatureException.class)
        .hasMessageContaining("not by " + address.toHex());
    L1Address other = L1Address.fromHex("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    assertThatThrownBy(() -> WalletOnboarding.deriveSeed(signed, sig, other))
        .isInstanceOf(InvalidWalletSignatureException.class);
    byte[] shortSig = java.util.Arrays.copyOf(sig, 64);
    assertThatThrownBy(() -> WalletOnboarding.deriveSeed(signed, shortSig, address))
        .isInstanceOf(InvalidWalletSignatureException.class)
        .hasMessageContaining("65 bytes");
    byte[] badV = sig.clone();
    badV[64] = 29;
    assertThatThrownBy(() -> WalletOnboarding.deriveSeed(signed, badV, address))
        .isInstanceOf(InvalidWalletSignatureException.class)
        .hasMessageContaining("v is 0, 1, 27 or 28");
  }

  @Test
  void typedDataRangesAreChecked() {
    L1Address r = L1Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    assertThatThrownBy(() -> new KeyTypedData(0, r, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeyTypedData(1, r, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeyTypedData(1, r, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static byte[] bytes(String hex) {
    return HEX.parseHex(hex.substring(2));
  }
}
