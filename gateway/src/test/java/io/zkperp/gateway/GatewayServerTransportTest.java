package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** On Linux x86-64 the server runs on the native epoll transport, not on the NIO fallback. */
class GatewayServerTransportTest {
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void linuxRunsOnTheNativeEpollTransport() {
    assertThat(GatewayServer.transport()).isEqualTo("epoll");
  }
}
