package io.zkperp.client.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.client.cli.ZkPerpCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./zk client onboard} without a node (the domain given with --chain-id and
 * --rollup-address): the printed typed data is the vectors', a local wallet key and cast's
 * signature with the wallet's address write the same key file with the vector's public key, and a
 * signature by another wallet, a different key in an existing file or a missing source is refused
 * with nothing written.
 */
class OnboardCliTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ZkPerpCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  static String[] domain(JsonNode v) {
    return new String[] {
      "--chain-id", v.path("chainId").asText(), "--rollup-address", v.path("rollup").asText()
    };
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void onboardFromALocalKeyOrACastSignatureWritesTheVectorsKey() throws Exception {
    JsonNode v = WalletKeyVectors.read().path("cases").get(2); // key index 1
    String[] base = concat(new String[] {"onboard"}, domain(v));
    base = concat(base, "--key-index", v.path("keyIndex").asText());

    Run typed = cli(concat(base, "--print-typed-data"));
    assertThat(typed.code()).as(typed.err()).isZero();
    assertThat(WalletKeyVectors.JSON.readTree(typed.out())).isEqualTo(v.path("typedData"));

    Path local = dir.resolve("local.json");
    Run a =
        cli(
            concat(
                base,
                "--private-key",
                v.path("walletPrivateKey").asText(),
                "--key-file",
                local.toString(),
                "--json"));
    assertThat(a.code()).as(a.err()).isZero();
    JsonNode printed = WalletKeyVectors.JSON.readTree(a.out());
    assertThat(printed.path("publicKey").asText()).isEqualTo(v.path("publicKey").asText());
    assertThat(printed.path("wallet").asText()).isEqualTo(v.path("walletAddress").asText());
    assertThat(printed.has("seed")).isFalse(); // the secret stays in the file
    assertThat(Files.getPosixFilePermissions(local))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    L2KeyFile kf = L2KeyFile.read(local);
    assertThat(kf.key().publicKey().encode())
        .isEqualTo(WalletKeyVectorsTest.bytes(v.path("publicKey").asText()));
    assertThat(kf.account()).isEmpty();

    Path external = dir.resolve("external.json");
    Run b =
        cli(
            concat(
                base,
                "--signature",
                v.path("signature").asText(),
                "--wallet",
                v.path("walletAddress").asText(),
                "--key-file",
                external.toString()));
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(b.out()).contains("publicKey: " + v.path("publicKey").asText());
    assertThat(Files.readString(external)).isEqualTo(Files.readString(local));

    // the same key again keeps the file (and its account); another key is refused
    assertThat(
            cli(concat(
                    base,
                    "--private-key",
                    v.path("walletPrivateKey").asText(),
                    "--key-file",
                    local.toString()))
                .code())
        .isZero();
    JsonNode other = WalletKeyVectors.read().path("cases").get(0);
    Run c =
        cli(
            concat(
                base,
                "--private-key",
                other.path("walletPrivateKey").asText(),
                "--key-file",
                local.toString()));
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("holds another key");
    assertThat(Files.readString(local)).isEqualTo(Files.readString(external));

    // before a deposit binds an account, signing with the key file is a usage error
    Run noAccount =
        cli(
            "place-order",
            "--url",
            "http://127.0.0.1:9/",
            "--key-file",
            local.toString(),
            "--market",
            "1",
            "--side",
            "BUY",
            "--size",
            "1",
            "--price",
            "10",
            "--nonce",
            "1");
    assertThat(noAccount.code()).as(noAccount.err()).isEqualTo(2);
    assertThat(noAccount.err()).contains("has no account yet");
    // no L1 node on the URL: exit 3, naming it
    Run noL1 =
        cli(
            "l1-balance",
            "--l1-url",
            "http://127.0.0.1:9/",
            "--key-file",
            local.toString(),
            "--private-key",
            v.path("walletPrivateKey").asText());
    assertThat(noL1.code()).as(noL1.err()).isEqualTo(3);
    assertThat(noL1.err()).contains("no answer from the L1 node at http://127.0.0.1:9/");
    Run missing = cli("account", "--key-file", dir.resolve("none.json").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("does not exist: run onboard first");
  }

  /**
   * {@code --private-key-file} derives the same key as {@code --private-key} (the file may end in a
   * newline); a file holding no key, or no file, is a usage error that writes nothing.
   */
  @Test
  void aWalletKeyFileDerivesTheVectorsKey() throws Exception {
    JsonNode v = WalletKeyVectors.read().path("cases").get(2);
    String[] base = concat(new String[] {"onboard"}, domain(v));
    base = concat(base, "--key-index", v.path("keyIndex").asText());
    Path wallet = dir.resolve("wallet.key");
    Files.writeString(wallet, v.path("walletPrivateKey").asText() + "\n");
    Path keyFile = dir.resolve("trader.json");
    Run a =
        cli(
            concat(
                base,
                "--private-key-file",
                wallet.toString(),
                "--key-file",
                keyFile.toString(),
                "--json"));
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(WalletKeyVectors.JSON.readTree(a.out()).path("publicKey").asText())
        .isEqualTo(v.path("publicKey").asText());

    Files.writeString(wallet, "not a key\n");
    Path other = dir.resolve("other.json");
    Run bad =
        cli(concat(base, "--private-key-file", wallet.toString(), "--key-file", other.toString()));
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("0x and 64 hex digits");
    Run missing =
        cli(
            concat(
                base,
                "--private-key-file",
                dir.resolve("absent.key").toString(),
                "--key-file",
                other.toString()));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read the wallet key file");
    assertThat(other).doesNotExist();
  }

  @Test
  void aSignatureByAnotherWalletOrOfOtherDataIsRefusedAndNothingIsWritten() throws Exception {
    JsonNode v = WalletKeyVectors.read().path("cases").get(0);
    Path file = dir.resolve("k.json");
    String[] base = concat(new String[] {"onboard"}, domain(v));
    Run wrongWallet =
        cli(
            concat(
                base,
                "--signature",
                v.path("signature").asText(),
                "--wallet",
                "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
                "--key-file",
                file.toString()));
    assertThat(wrongWallet.code()).isEqualTo(2);
    assertThat(wrongWallet.err()).contains("not by 0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    Run otherIndex =
        cli(
            concat(
                base,
                "--key-index",
                "7",
                "--signature",
                v.path("signature").asText(),
                "--wallet",
                v.path("walletAddress").asText(),
                "--key-file",
                file.toString()));
    assertThat(otherIndex.code()).isEqualTo(2);
    Run noSource = cli(concat(base, "--key-file", file.toString()));
    assertThat(noSource.code()).isEqualTo(2);
    assertThat(noSource.err()).contains("--signature");
    Run badKey = cli(concat(base, "--private-key", "0x1234", "--key-file", file.toString()));
    assertThat(badKey.code()).isEqualTo(2);
    assertThat(file).doesNotExist();
  }

  @Test
  void helpWorksOnTheWalletAndL1Subcommands() {
    for (String sub :
        new String[] {
          "onboard", "deposit", "withdraw", "forced-withdrawal", "claim", "l1-balance"
        }) {
      Run r = cli(sub, "--help");
      assertThat(r.code()).as("%s --help: %s", sub, r.err()).isZero();
      assertThat(r.out()).as(sub).contains("Usage: zk client " + sub).contains("--json");
      if (!sub.equals("onboard")) {
        assertThat(r.out()).as(sub).contains("--l1-url").contains("--key-file");
      }
    }
    Run top = cli("--help");
    assertThat(top.out())
        .contains("an L1 contract refused")
        .contains("timed out")
        .contains("onboard");
    Run missing = cli("deposit", "--amount", "5");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required");
  }
}
