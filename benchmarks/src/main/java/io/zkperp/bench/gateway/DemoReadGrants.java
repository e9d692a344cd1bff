package io.zkperp.bench.gateway;

import io.zkperp.gateway.node.GatewayNode;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.ReadGrantMessage;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The read grants of one benchmark reader: for each demo account it reads, the {@code auth} object
 * of {@code perp_getAccount} ({@code {"account", "validUntil", "signature"}}), signed with the
 * account's demo key ({@link GatewayNode#demoKey}) in the node's domain, as a trader's client signs
 * its own. A grant is signed on first use, valid for {@code validitySeconds} (at most {@link
 * ReadGrantMessage#MAX_VALIDITY_SECONDS}), and signed again once less than a quarter of that is
 * left, so a run longer than one grant keeps reading. One reader thread per instance (not
 * thread-safe).
 */
final class DemoReadGrants {
  private final MessageDomain domain;
  private final long validitySeconds;
  private final LongSupplier clockSeconds;
  private final Map<Integer, Grant> grants = new HashMap<>();
  private long signed;

  private record Grant(long validUntil, String json) {}

  /**
   * The grants of one reader.
   *
   * @param domain the node's signed-message domain ({@code perp_getDomain})
   * @param validitySeconds how long each grant is valid, 4 to {@link
   *     ReadGrantMessage#MAX_VALIDITY_SECONDS}
   * @param clockSeconds unix time in seconds (the node's clock on the same machine)
   */
  DemoReadGrants(MessageDomain domain, long validitySeconds, LongSupplier clockSeconds) {
    if (validitySeconds < 4 || validitySeconds > ReadGrantMessage.MAX_VALIDITY_SECONDS) {
      throw new IllegalArgumentException(
          "validitySeconds must be 4 to "
              + ReadGrantMessage.MAX_VALIDITY_SECONDS
              + ", got "
              + validitySeconds);
    }
    this.domain = domain;
    this.validitySeconds = validitySeconds;
    this.clockSeconds = clockSeconds;
  }

  /**
   * The {@code auth} JSON object for reading {@code account} now: the account's current grant,
   * signed anew when it has less than a quarter of its validity left.
   *
   * @param account a demo account
   * @return the JSON text of the grant
   */
  String auth(int account) {
    long now = clockSeconds.getAsLong();
    Grant g = grants.get(account);
    if (g == null || g.validUntil() - now < validitySeconds / 4) {
      long validUntil = now + validitySeconds;
      byte[] signature =
          new ReadGrantMessage(account, validUntil).sign(GatewayNode.demoKey(account), domain);
      g =
          new Grant(
              validUntil,
              "{\"account\":"
                  + account
                  + ",\"validUntil\":"
                  + validUntil
                  + ",\"signature\":\"0x"
                  + HexFormat.of().formatHex(signature)
                  + "\"}");
      grants.put(account, g);
      signed++;
    }
    return g.json();
  }

  /**
   * How many grants this reader has signed (first ones and renewals).
   *
   * @return the count
   */
  long signed() {
    return signed;
  }
}
