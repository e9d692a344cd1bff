package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;

/** Helpers shared by the method classes. Stateless; any thread. */
final class Json {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** The accepted outcome, or an RpcException carrying the core's typed rejection. */
  static CommandOutcome.Accepted accepted(CommandOutcome outcome) {
    return switch (outcome) {
      case CommandOutcome.Accepted a -> a;
      case CommandOutcome.Rejected r ->
          throw new RpcException(RpcError.of(r.reason()), r.message());
    };
  }
}
