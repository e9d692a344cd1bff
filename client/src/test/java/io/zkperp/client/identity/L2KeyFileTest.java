package io.zkperp.client.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.protocol.state.L1Address;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key file: what is written is read back (account and nonce included), and a file whose seed
 * does not derive its public key, of another format, not JSON or absent is refused.
 */
class L2KeyFileTest {
  @TempDir Path dir;

  final KeyTypedData td =
      new KeyTypedData(31_337, L1Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3"), 3);
  final L1Address wallet = L1Address.fromHex("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  final byte[] seed = new byte[32];

  {
    for (int i = 0; i < 32; i++) {
      seed[i] = (byte) (i * 7 + 1);
    }
  }

  @Test
  void writtenFilesReadBack() throws Exception {
    Path f = dir.resolve("sub/key.json");
    L2KeyFile kf = L2KeyFile.of(wallet, td, seed).withAccount(12).withNextTransactionNonce(4);
    kf.write(f);
    L2KeyFile back = L2KeyFile.read(f);
    assertThat(back.wallet()).isEqualTo(wallet);
    assertThat(back.typedData()).isEqualTo(td);
    assertThat(back.seed()).isEqualTo(seed);
    assertThat(back.account()).hasValue(12);
    assertThat(back.nextTransactionNonce()).isEqualTo(4);
    assertThat(back.key().publicKey()).isEqualTo(kf.key().publicKey());
    assertThat(back.toString()).doesNotContain("seed");
    assertThat(L2KeyFile.read(dir.resolve("sub/key.json")).account()).hasValue(12);
    assertThat(dir.resolve("sub").toFile().list()).containsExactly("key.json"); // no temp left
  }

  @Test
  void damagedOrForeignFilesAreRefused() throws Exception {
    Path f = dir.resolve("key.json");
    ObjectNode o = L2KeyFile.of(wallet, td, seed).toJson();
    byte[] other = seed.clone();
    other[0] ^= 1;
    o.put("publicKey", L2KeyFile.of(wallet, td, other).toJson().path("publicKey").asText());
    Files.writeString(f, o.toString());
    assertThatThrownBy(() -> L2KeyFile.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not derive the file's public key");
    Files.writeString(f, o.put("format", "something-else").toString());
    assertThatThrownBy(() -> L2KeyFile.read(f)).hasMessageContaining("not a zkperp key file");
    Files.writeString(f, "{not json");
    assertThatThrownBy(() -> L2KeyFile.read(f)).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> L2KeyFile.read(dir.resolve("absent.json")))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> L2KeyFile.of(wallet, td, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
