package io.zkperp.gateway.node;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One pipelined keep-alive HTTP/1.1 connection for load generation: the sending thread writes
 * prepared requests, a reader thread of its own parses the answers in request order (the gateway
 * answers a connection in order) and hands each body with its latency from the request's planned
 * send time to an {@link AnswerSink}. {@link #send}, {@link #awaitDrained} and {@link #close} from
 * the one sending thread; the sink is called from the reader thread, and from the sending thread
 * for a request sent on a broken connection.
 */
public final class PipelinedConnection {
  /** Receives each answer. */
  @FunctionalInterface
  public interface AnswerSink {
    /**
     * One answer.
     *
     * @param micros microseconds from the planned send time to the answer
     * @param body the answer's JSON text, or {@code null} when the request was sent on a broken
     *     connection and gets no answer
     */
    void answer(long micros, String body);
  }

  private final Socket socket;
  private final OutputStream out;
  private final ConcurrentLinkedQueue<Long> planned = new ConcurrentLinkedQueue<>();
  private final Thread reader;
  private final AnswerSink sink;
  private volatile boolean broken;

  /**
   * Connects (5 s timeout) and starts the reader thread.
   *
   * @param address the server
   * @param readerName the reader thread's name
   * @param sink receives each answer
   * @throws IOException if the connection cannot be opened
   */
  public PipelinedConnection(InetSocketAddress address, String readerName, AnswerSink sink)
      throws IOException {
    this.sink = sink;
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address, 5_000);
    out = socket.getOutputStream();
    InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    reader = new Thread(() -> read(in), readerName);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Writes one request; on a broken connection the sink gets it at once as unanswered.
   *
   * @param request the whole HTTP request
   * @param plannedNanos its planned send time ({@link System#nanoTime})
   */
  public void send(byte[] request, long plannedNanos) {
    if (broken) {
      sink.answer((System.nanoTime() - plannedNanos) / 1000, null);
      return;
    }
    planned.add(plannedNanos);
    try {
      out.write(request);
      out.flush();
    } catch (IOException e) {
      broken = true;
    }
  }

  private void read(InputStream in) {
    try {
      while (true) {
        int length = -1;
        String line;
        boolean first = true;
        while (!(line = readLine(in)).isEmpty()) {
          if (first) {
            first = false;
            continue; // status line: the body says what happened
          }
          int colon = line.indexOf(':');
          if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("content-length")) {
            length = Integer.parseInt(line.substring(colon + 1).trim());
          }
        }
        byte[] body = in.readNBytes(Math.max(0, length));
        if (body.length < length) {
          throw new EOFException();
        }
        Long p = planned.poll();
        long micros = p == null ? 0 : (System.nanoTime() - p) / 1000;
        sink.answer(micros, new String(body, StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      broken = true;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException();
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /**
   * Waits until every request sent has its answer, the connection broke, or the deadline passed.
   *
   * @param deadlineNanos the deadline ({@link System#nanoTime})
   * @throws InterruptedException if interrupted
   */
  public void awaitDrained(long deadlineNanos) throws InterruptedException {
    while (!planned.isEmpty() && !broken && System.nanoTime() < deadlineNanos) {
      Thread.sleep(1);
    }
  }

  /**
   * Closes the socket and waits (up to 1 s) for the reader thread.
   *
   * @return how many requests never got an answer
   * @throws InterruptedException if interrupted
   */
  public int close() throws InterruptedException {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    reader.join(1_000);
    return planned.size();
  }
}
