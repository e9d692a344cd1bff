package io.zkperp.gateway.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RejectReason;
import org.junit.jupiter.api.Test;

class RpcErrorTest {
  @Test
  void everyRejectReasonMapsToAnErrorBuiltFromIt() {
    for (RejectReason r : RejectReason.values()) {
      RpcError e = RpcError.of(r);
      assertThat(e).as(r.name()).isNotNull();
      assertThat(e.name()).isEqualTo(r.name());
      assertThat(e.code()).isEqualTo(r.code());
      assertThat(RpcError.values()).contains(e);
    }
    // one application error per reason, none kept by hand: the rest are the gateway's own
    assertThat(
            RpcError.values().stream()
                .filter(e -> e.code() >= 1000 && e.code() < 5000)
                .map(RpcError::name))
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(RejectReason.values())
                .map(RejectReason::name)
                .toArray(String[]::new));
  }

  @Test
  void codesAndNamesAreUniqueAndTitlesPresent() {
    assertThat(RpcError.values().stream().map(RpcError::code).distinct().count())
        .isEqualTo(RpcError.values().size());
    assertThat(RpcError.values().stream().map(RpcError::name).distinct().count())
        .isEqualTo(RpcError.values().size());
    assertThat(RpcError.values()).allSatisfy(e -> assertThat(e.title()).isNotBlank());
    assertThat(RpcError.PARSE_ERROR.code()).isEqualTo(-32700);
    assertThat(RpcError.INVALID_REQUEST.code()).isEqualTo(-32600);
    assertThat(RpcError.METHOD_NOT_FOUND.code()).isEqualTo(-32601);
    assertThat(RpcError.INVALID_PARAMS.code()).isEqualTo(-32602);
    assertThat(RpcError.INTERNAL_ERROR.code()).isEqualTo(-32603);
    assertThat(RpcError.of(RejectReason.NONCE_TOO_OLD).title())
        .isEqualTo("Nonce too old (sequencer rejection 3001)");
  }

  @Test
  void methodNamesAreNamespaced() {
    for (RpcMethod m : RpcMethod.values()) {
      assertThat(m.wireName()).matches("(perp_[a-z][A-Za-z]+|rpc\\.discover)");
      assertThat(RpcMethod.byName(m.wireName())).contains(m);
    }
  }
}
