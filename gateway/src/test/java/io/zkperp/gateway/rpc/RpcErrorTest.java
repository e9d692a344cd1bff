package io.zkperp.gateway.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RejectReason;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RpcErrorTest {
  @Test
  void everyRejectReasonHasAnErrorWithTheSameNameAndCode() {
    for (RejectReason r : RejectReason.values()) {
      RpcError e = RpcError.of(r);
      assertThat(e).as(r.name()).isNotNull();
      assertThat(e.name()).isEqualTo(r.name());
      assertThat(e.code()).isEqualTo(r.code());
    }
  }

  @Test
  void codesAreUniqueAndTitlesPresent() {
    assertThat(Arrays.stream(RpcError.values()).map(RpcError::code).distinct().count())
        .isEqualTo(RpcError.values().length);
    assertThat(RpcError.values()).allSatisfy(e -> assertThat(e.title()).isNotBlank());
    assertThat(RpcError.PARSE_ERROR.code()).isEqualTo(-32700);
    assertThat(RpcError.INVALID_REQUEST.code()).isEqualTo(-32600);
    assertThat(RpcError.METHOD_NOT_FOUND.code()).isEqualTo(-32601);
    assertThat(RpcError.INVALID_PARAMS.code()).isEqualTo(-32602);
    assertThat(RpcError.INTERNAL_ERROR.code()).isEqualTo(-32603);
  }

  @Test
  void methodNamesAreNamespaced() {
    for (RpcMethod m : RpcMethod.values()) {
      assertThat(m.wireName()).matches("(perp_[a-z][A-Za-z]+|rpc\\.discover)");
      assertThat(RpcMethod.byName(m.wireName())).contains(m);
    }
  }
}
