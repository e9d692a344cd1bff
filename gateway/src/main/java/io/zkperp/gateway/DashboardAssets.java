package io.zkperp.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's files, built from {@code gateway/dashboard} by esbuild during the Maven build
 * into the jar under {@code io/zkperp/gateway/dashboard/} and loaded into memory once, from the
 * manifest {@code assets.txt} the build writes. Served under {@code /dashboard/}: {@code
 * index.html} (also for {@code /dashboard/}) with {@code Cache-Control: no-cache}, and the
 * content-hashed script and stylesheet ({@code main-HASH.js}, {@code style-HASH.css}) as immutable
 * for a year. Nothing else is served. Immutable after construction; any thread.
 */
final class DashboardAssets {
  private static final String ROOT = "/io/zkperp/gateway/dashboard/";

  /** The shared instance, loaded on first use (empty when the jar was built without it). */
  private static volatile DashboardAssets shared;

  /**
   * One file.
   *
   * @param body its bytes
   * @param contentType its media type
   * @param cacheControl the {@code Cache-Control} value
   * @param etag a strong entity tag (SHA-256 of the body, quoted)
   */
  record Asset(byte[] body, String contentType, String cacheControl, String etag) {}

  private final Map<String, Asset> files;

  private DashboardAssets(Map<String, Asset> files) {
    this.files = Map.copyOf(files);
  }

  /**
   * The dashboard from the class path, loaded once. Any thread.
   *
   * @return the assets; none (every path 404) when the build did not include the dashboard
   */
  static DashboardAssets shared() {
    DashboardAssets a = shared;
    if (a == null) {
      synchronized (DashboardAssets.class) {
        a = shared;
        if (a == null) {
          a = load();
          shared = a;
        }
      }
    }
    return a;
  }

  private static DashboardAssets load() {
    Map<String, Asset> files = new LinkedHashMap<>();
    byte[] manifest = read("assets.txt");
    if (manifest == null) {
      return new DashboardAssets(files);
    }
    for (String name : new String(manifest, StandardCharsets.UTF_8).split("\n")) {
      name = name.strip();
      if (name.isEmpty()) {
        continue;
      }
      byte[] body = read(name);
      if (body == null) {
        throw new IllegalStateException("dashboard asset " + name + " listed but not in the jar");
      }
      boolean html = name.endsWith(".html");
      files.put(
          name,
          new Asset(
              body,
              contentType(name),
              html ? "no-cache" : "public, max-age=31536000, immutable",
              etag(body)));
    }
    return new DashboardAssets(files);
  }

  private static byte[] read(String name) {
    try (InputStream in = DashboardAssets.class.getResourceAsStream(ROOT + name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".txt")) {
      return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
  }

  private static String etag(byte[] body) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(h, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The file for a request path under {@code /dashboard/}.
   *
   * @param path the request path, starting with {@code /dashboard/}
   * @return the asset, or null (404)
   */
  Asset find(String path) {
    String name = path.substring("/dashboard/".length());
    if (name.isEmpty()) {
      name = "index.html";
    }
    if (name.equals("assets.txt")) {
      return null; // the manifest is the server's, not the page's
    }
    return files.get(name);
  }

  /**
   * Whether the build included the dashboard.
   *
   * @return true if {@code index.html} is present
   */
  boolean present() {
    return files.containsKey("index.html");
  }
}
