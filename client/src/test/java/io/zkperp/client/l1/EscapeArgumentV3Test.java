package io.zkperp.client.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The format v3 answer's shape checks; the answer of a real v3 node read back into the contract's
 * struct is checked in node ({@code V3EscapeProofsTest}, {@code EscapeV3IT}).
 */
class EscapeArgumentV3Test {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String OWNER = "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";

  static ObjectNode result() {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("format", "v3").put("account", 7).put("batch", 3).put("stateRoot", "123456789");
    r.put("owed", "990000");
    r.putArray("positions")
        .addObject()
        .put("market", 2)
        .put("size", -10)
        .put("fundingSnapshot", -3);
    ObjectNode a = r.putObject("proof").putObject("account");
    a.put("accountId", 7);
    a.putObject("identity")
        .put("publicKeyX", "11")
        .put("publicKeyY", "12")
        .put("l1Owner", OWNER)
        .put("feeTier", 1);
    a.put("nonce", 2).put("collateral", -5).put("fillsRoot", "13");
    ArrayNode q = a.putArray("positions");
    for (int i = 0; i < 4; i++) {
      q.add(String.valueOf(i == 0 ? 77 : 0));
    }
    ArrayNode s = a.putArray("accountSiblings");
    for (int i = 0; i < 24; i++) {
      s.add(String.valueOf(1000 + i));
    }
    a.put("marketsRoot", "14").put("globalLeaf", "15");
    ObjectNode m = ((ObjectNode) r.path("proof")).putArray("markets").addObject();
    m.put("marketId", 2);
    m.putObject("market")
        .put("oraclePrice", 1000L << 32)
        .put("oracleTimestamp", 1_700_000_000L)
        .put("fundingIndex", -4)
        .put("fundingTimestamp", 1_700_000_000L)
        .put("openInterest", 10)
        .put("riskHash", "16");
    ArrayNode ms = m.putArray("siblings");
    for (int i = 0; i < 6; i++) {
      ms.add(String.valueOf(2000 + i));
    }
    return r;
  }

  @Test
  void readsTheNodesAnswerIntoTheV3ContractsStruct() {
    assertThat(EscapeArgumentV3.isV3(result())).isTrue();
    assertThat(EscapeArgumentV3.isV3(EscapeArgumentTest.result())).as("a v2 answer").isFalse();
    EscapeArgumentV3 a = EscapeArgumentV3.of(result());
    assertThat(a.account()).isEqualTo(7);
    assertThat(a.batch()).isEqualTo(3);
    assertThat(a.owed()).isEqualTo(BigInteger.valueOf(990_000));
    assertThat(a.collateral()).isEqualTo(BigInteger.valueOf(-5));
    assertThat(a.l1Owner()).isEqualTo(OWNER);
    assertThat(a.proof().account.identity.feeTier).isEqualTo(BigInteger.ONE);
    assertThat(a.proof().account.positions).hasSize(4);
    assertThat(a.proof().account.positions.get(0)).isEqualTo(BigInteger.valueOf(77));
    assertThat(a.proof().account.accountSiblings.get(23)).isEqualTo(BigInteger.valueOf(1023));
    assertThat(a.proof().markets).hasSize(1);
    assertThat(a.proof().markets.get(0).market.fundingIndex).isEqualTo(BigInteger.valueOf(-4));
    assertThat(a.proof().markets.get(0).siblings.get(5)).isEqualTo(BigInteger.valueOf(2005));
  }

  @Test
  void refusesAnAnswerOfAnotherShape() {
    refused(r -> r.remove("format"), "not a format v3 answer");
    refused(r -> account(r).put("accountId", 8), "asked about 7");
    refused(r -> ((ArrayNode) account(r).path("accountSiblings")).remove(0), "accountSiblings");
    refused(r -> ((ArrayNode) account(r).path("positions")).add("0"), "positions");
    refused(r -> account(r).put("collateral", BigInteger.TWO.pow(63).toString()), "int64");
    refused(r -> ((ObjectNode) account(r).path("identity")).put("feeTier", 8), "feeTier");
    refused(r -> ((ObjectNode) account(r).path("identity")).put("l1Owner", "0x12"), "l1Owner");
    refused(r -> ((ArrayNode) market(r).path("siblings")).remove(0), "siblings");
    refused(r -> ((ObjectNode) market(r).path("market")).put("oraclePrice", -1), "oraclePrice");
    refused(r -> market(r).put("marketId", 64), "marketId");
    refused(
        r -> {
          ArrayNode ms = (ArrayNode) r.path("proof").path("markets");
          for (int i = 0; i < 8; i++) {
            ms.add(ms.get(0).deepCopy());
          }
        },
        "at most 8");
    refused(r -> r.remove("owed"), "owed");
  }

  private static ObjectNode account(ObjectNode r) {
    return (ObjectNode) r.path("proof").path("account");
  }

  private static ObjectNode market(ObjectNode r) {
    return (ObjectNode) r.path("proof").path("markets").get(0);
  }

  private static void refused(Consumer<ObjectNode> change, String message) {
    ObjectNode r = result();
    change.accept(r);
    assertThatThrownBy(() -> EscapeArgumentV3.of(r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
