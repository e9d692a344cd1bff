package io.zkperp.bench.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One blocking keep-alive HTTP/1.1 connection that POSTs JSON and reads answers with a {@code
 * Content-Length} (what the gateway sends), one request at a time. Deliberately small, so that a
 * benchmark reader costs the machine little CPU beside the node it measures ({@code
 * java.net.http.HttpClient} runs a selector thread per client). Reconnects on the next call after
 * an I/O error or a {@code Connection: close}. One thread per instance.
 */
final class KeepAliveHttp implements AutoCloseable {
  /** An answer: the HTTP status and the body. */
  record Answer(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final InetSocketAddress address;
  private final String host;
  private final int timeoutMillis;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  /**
   * A connection to a JSON-RPC endpoint (opened on the first call).
   *
   * @param url the endpoint, {@code http://host:port/}
   * @param timeoutMillis connect and read timeout
   */
  KeepAliveHttp(URI url, int timeoutMillis) {
    this.address = new InetSocketAddress(url.getHost(), url.getPort());
    this.host = url.getHost() + ":" + url.getPort();
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * POSTs a JSON body to {@code /} and reads the answer.
   *
   * @param json the request body
   * @return the answer
   * @throws IOException on a connection error, a timeout or an answer this client cannot read (the
   *     connection is then closed)
   */
  Answer post(byte[] json) throws IOException {
    try {
      if (socket == null) {
        connect();
      }
      byte[] head =
          ("POST / HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + json.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      byte[] request = new byte[head.length + json.length];
      System.arraycopy(head, 0, request, 0, head.length);
      System.arraycopy(json, 0, request, head.length, json.length);
      out.write(request);
      out.flush();
      return read();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address, timeoutMillis);
    socket.setSoTimeout(timeoutMillis);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
  }

  private Answer read() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("not an HTTP/1.1 status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean close = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        length = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
        close = true;
      }
    }
    if (length < 0) {
      throw new IOException("answer without Content-Length (status " + code + ")");
    }
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new EOFException("answer cut after " + body.length + " of " + length + " bytes");
    }
    if (close) {
      close();
    }
    return new Answer(code, body);
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("connection closed by the node");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }
}
