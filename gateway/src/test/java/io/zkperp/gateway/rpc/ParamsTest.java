package io.zkperp.gateway.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamsTest {
  private static final List<ParamSpec> SPECS =
      List.of(ParamSpec.integer("n", "a number"), ParamSpec.optionalBoolean("b", "a flag"));

  private static Params params(String json) throws Exception {
    JsonNode node = JsonRpcProcessor.strictMapper().readTree(json);
    return Params.of(node, SPECS);
  }

  private static void invalid(String json, String message) {
    assertThatThrownBy(() -> params(json).longValue("n", Long.MIN_VALUE, Long.MAX_VALUE))
        .isInstanceOf(RpcException.class)
        .satisfies(e -> assertThat(((RpcException) e).error()).isEqualTo(RpcError.INVALID_PARAMS))
        .hasMessageContaining(message);
  }

  @Test
  void integersAreExact() throws Exception {
    assertThat(params("{\"n\":9223372036854775807}").longValue("n", 0, Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(params("{\"n\":\"-9223372036854775808\"}").longValue("n", Long.MIN_VALUE, 0))
        .isEqualTo(Long.MIN_VALUE);
    invalid("{\"n\":9223372036854775808}", "must be in");
    invalid("{\"n\":\"9223372036854775808\"}", "must be in");
    invalid("{\"n\":-9223372036854775809}", "must be in");
    invalid("{\"n\":1.0}", "must be an integer");
    invalid("{\"n\":1e2}", "must be an integer");
    invalid("{\"n\":\"1e2\"}", "must be an integer");
    invalid("{\"n\":\"01\"}", "must be an integer");
    invalid("{\"n\":\"\"}", "must be an integer");
    invalid("{\"n\":null}", "missing required parameter");
    invalid("{\"n\":[1]}", "must be an integer");
    invalid("{\"n\":1,\"zz\":1}", "unknown parameter \"zz\"");
    invalid("{}", "missing required parameter \"n\"");
    invalid("[1]", "params must be an object");
  }

  @Test
  void rangesAndBooleansAreEnforced() throws Exception {
    assertThatThrownBy(() -> params("{\"n\":65536}").longValue("n", 0, 65_535))
        .hasMessage("parameter \"n\" must be in [0, 65535], got 65536");
    assertThat(params("{\"n\":1,\"b\":true}").booleanValue("b", false)).isTrue();
    assertThat(params("{\"n\":1}").booleanValue("b", false)).isFalse();
    assertThatThrownBy(() -> params("{\"n\":1,\"b\":1}").booleanValue("b", false))
        .hasMessage("parameter \"b\" must be true or false, got number 1");
  }
}
