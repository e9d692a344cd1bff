package io.zkperp.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import java.util.HexFormat;

/** Read grants for tests: the {@code auth} parameter of private reads, signed for real. */
final class TestGrants {
  /** How long the tests' grants are valid, seconds. */
  static final long VALIDITY = 3600;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestGrants() {}

  /** The {@code auth} object of a grant signed by {@code key}. */
  static ObjectNode auth(EdDsaPrivateKey key, int account, long validUntil, MessageDomain domain) {
    byte[] sig = new ReadGrantMessage(account, validUntil).sign(key, domain);
    return MAPPER
        .createObjectNode()
        .put("account", account)
        .put("validUntil", validUntil)
        .put("signature", "0x" + HexFormat.of().formatHex(sig));
  }

  /**
   * {@code {"account": a, "auth": …}} for a demo account (seed = 32 bytes of a + 1) in the demo
   * domain, valid for an hour from {@code now}.
   */
  static ObjectNode demoParams(int account, long now) {
    ObjectNode p = MAPPER.createObjectNode().put("account", account);
    p.set("auth", auth(demoKey(account), account, now + VALIDITY, MessageDomain.DEMO));
    return p;
  }

  /** A demo account's key: seed = 32 bytes of account + 1. */
  static EdDsaPrivateKey demoKey(int account) {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) (account + 1));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  /** As {@link #demoParams}, as a JSON string. */
  static String demoJson(int account, long now) {
    return demoParams(account, now).toString();
  }
}
