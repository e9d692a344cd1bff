package io.zkperp.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a loopback port in front of another (anvil), for outage drills: while {@link
 * #cutOff} holds, every open connection is reset and every new one is accepted and reset at once,
 * so the client sees its L1 node unreachable; {@link #restore} lets connections through again.
 * {@link #cutOffAfterRequest} cuts off at the worst moment: the next request containing a marker
 * (e.g. {@code eth_sendRawTransaction}) reaches the server, and its answer is dropped. Plain
 * blocking sockets, two threads per connection. Thread-safe.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong tripped = new AtomicLong();
  private volatile String tripMarker;
  private volatile boolean down;
  private volatile boolean closed;

  private TcpProxy(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  /** Starts a proxy on a free loopback port forwarding to {@code host:port}. */
  static TcpProxy start(String host, int port) throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    TcpProxy p = new TcpProxy(s, new InetSocketAddress(host, port));
    Thread t = new Thread(p::acceptLoop, "tcp-proxy-accept");
    t.setDaemon(true);
    t.start();
    return p;
  }

  /** {@code http://127.0.0.1:port}. */
  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Resets every connection and refuses new ones until {@link #restore}. */
  void cutOff() {
    down = true;
    for (Socket s : open) {
      reset(s);
    }
  }

  /**
   * Forwards the next request whose bytes contain {@code marker}, then drops its answer and cuts
   * off (as {@link #cutOff}) instead of answering.
   */
  void cutOffAfterRequest(String marker) {
    tripMarker = marker;
  }

  /** Requests whose answers were dropped by {@link #cutOffAfterRequest}. */
  long tripped() {
    return tripped.get();
  }

  /** Lets connections through again. */
  void restore() {
    down = false;
  }

  /** Connections refused while cut off. */
  long refused() {
    return refused.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (down) {
        refused.incrementAndGet();
        reset(client);
        continue;
      }
      try {
        Socket upstream = new Socket();
        upstream.connect(target, 2_000);
        open.add(client);
        open.add(upstream);
        java.util.concurrent.atomic.AtomicBoolean trip =
            new java.util.concurrent.atomic.AtomicBoolean();
        pipe(client, upstream, "tcp-proxy-up", trip, true);
        pipe(upstream, client, "tcp-proxy-down", trip, false);
      } catch (IOException e) {
        reset(client);
      }
    }
  }

  private void pipe(
      Socket from,
      Socket to,
      String name,
      java.util.concurrent.atomic.AtomicBoolean trip,
      boolean request) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (down) {
                    break;
                  }
                  String marker = tripMarker;
                  if (request
                      && marker != null
                      && new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                          .contains(marker)) {
                    tripMarker = null;
                    trip.set(true); // forward it; its answer is dropped
                  } else if (!request && trip.get()) {
                    tripped.incrementAndGet();
                    cutOff();
                    break;
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // reset or closed: end both sides
              } finally {
                reset(from);
                reset(to);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  /** Closes with a TCP reset (SO_LINGER 0): the peer sees the connection refused or reset. */
  private void reset(Socket s) {
    open.remove(s);
    try {
      if (!s.isClosed()) {
        s.setSoLinger(true, 0);
        s.close();
      }
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : open) {
      reset(s);
    }
  }
}
