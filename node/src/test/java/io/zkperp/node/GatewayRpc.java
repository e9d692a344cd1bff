package io.zkperp.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * A JSON-RPC client of a node's gateway over HTTP, for the node's integration tests of both formats
 * (public for package {@code io.zkperp.node.v3}). One test thread.
 */
public class GatewayRpc {
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI uri;
  private final ObjectMapper json = new ObjectMapper();
  private int id;

  /**
   * A client of the gateway on this host.
   *
   * @param port the gateway's HTTP port
   */
  public GatewayRpc(int port) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/");
  }

  /**
   * One call.
   *
   * @param method the JSON-RPC method
   * @param params its parameters
   * @return the whole response ({@code result} or {@code error})
   * @throws IOException if the gateway cannot be reached or answers no JSON
   * @throws InterruptedException if interrupted while waiting
   */
  public JsonNode call(String method, Map<String, Object> params)
      throws IOException, InterruptedException {
    String body =
        json.writeValueAsString(
            Map.of("jsonrpc", "2.0", "id", ++id, "method", method, "params", params));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return json.readTree(r.body());
  }
}
