package io.zkperp.gateway;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain HTTP/1.1 client over one socket, for tests that must know exactly what the server did:
 * one request at a time on a kept-alive connection, reconnecting only when the server announced
 * {@code Connection: close}. Unlike {@code java.net.http}, it has no connection pool of its own, so
 * a connection that ends without an answer is the server's doing. One thread.
 */
final class RawHttpConnection implements AutoCloseable {
  /** A response: HTTP status and body. */
  record Response(int status, String body) {}

  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private int connections;

  RawHttpConnection(int port) {
    this.port = port;
  }

  /** POSTs a JSON body to {@code /} and reads the whole response. */
  Response post(String body) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(20_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      out = socket.getOutputStream();
      connections++;
    }
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + b.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
    String status = line();
    int length = 0;
    boolean close = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        length = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
        close = true;
      }
    }
    String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    if (close) {
      close();
    }
    return new Response(Integer.parseInt(status.split(" ")[1]), text);
  }

  /** How many connections were opened (each {@code Connection: close} costs one). */
  int connections() {
    return connections;
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("the server closed the connection without a complete answer");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}
