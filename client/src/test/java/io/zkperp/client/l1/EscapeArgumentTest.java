package io.zkperp.client.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EscapeArgumentTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String OWNER = "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";

  static ObjectNode result() {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("account", 7).put("batch", 3).put("stateRoot", "123456789");
    ObjectNode p = r.putObject("proof");
    p.put("accountId", 7)
        .put("publicKeyX", "11")
        .put("publicKeyY", "12")
        .put("l1Owner", OWNER)
        .put("nonce", 2)
        .put("collateral", 450_000_000L)
        .put("fillsRoot", "13");
    ArrayNode s = p.putArray("accountSiblings");
    for (int i = 0; i < 24; i++) {
      s.add(String.valueOf(1000 + i));
    }
    p.put("marketsRoot", "14").put("globalLeaf", "15");
    return r;
  }

  @Test
  void readsTheNodesAnswerIntoTheContractsStruct() {
    EscapeArgument a = EscapeArgument.of(result());
    assertThat(a.account()).isEqualTo(7);
    assertThat(a.batch()).isEqualTo(3);
    assertThat(a.stateRoot()).isEqualTo(new BigInteger("123456789"));
    assertThat(a.collateral()).isEqualTo(BigInteger.valueOf(450_000_000L));
    assertThat(a.l1Owner()).isEqualTo(OWNER);
    assertThat(a.proof().accountId).isEqualTo(BigInteger.valueOf(7));
    assertThat(a.proof().publicKeyX).isEqualTo(BigInteger.valueOf(11));
    assertThat(a.proof().nonce).isEqualTo(BigInteger.TWO);
    assertThat(a.proof().accountSiblings).hasSize(24);
    assertThat(a.proof().accountSiblings.get(23)).isEqualTo(BigInteger.valueOf(1023));
    assertThat(a.proof().globalLeaf).isEqualTo(BigInteger.valueOf(15));
  }

  @Test
  void refusesAnAnswerOfAnotherShape() {
    refused(r -> ((ArrayNode) r.path("proof").path("accountSiblings")).remove(0), "24");
    refused(r -> ((ObjectNode) r.path("proof")).put("collateral", -1), "collateral");
    refused(r -> ((ObjectNode) r.path("proof")).put("accountId", 8), "asked about 7");
    refused(r -> ((ObjectNode) r.path("proof")).put("l1Owner", "0x12"), "l1Owner");
    refused(r -> ((ObjectNode) r.path("proof")).put("fillsRoot", "0x0d"), "fillsRoot");
    refused(r -> ((ObjectNode) r.path("proof")).remove("marketsRoot"), "marketsRoot");
    refused(
        r -> ((ObjectNode) r.path("proof")).put("publicKeyX", BigInteger.TWO.pow(256).toString()),
        "uint256");
    refused(r -> r.remove("stateRoot"), "stateRoot");
  }

  private static void refused(Consumer<ObjectNode> change, String message) {
    ObjectNode r = result();
    change.accept(r);
    assertThatThrownBy(() -> EscapeArgument.of(r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
