package io.zkperp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway serves the dashboard bundled in its jar (built by esbuild during the Maven build):
 * the page, its content-hashed script and stylesheet with their content types and caching headers,
 * 304 on a matching entity tag, 404 for anything else, and nothing else changed ({@code GET /}
 * stays 405).
 */
class DashboardServingTest {
  @TempDir Path dir;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private static HttpResponse<String> get(URI base, String path, String ifNoneMatch)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
    if (ifNoneMatch != null) {
      b.header("If-None-Match", ifNoneMatch);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheBundledPageWithTypesAndCachingAnd404s() throws Exception {
    try (GatewayHarness h = new GatewayHarness(dir)) {
      URI base = URI.create("http://127.0.0.1:" + h.gateway.port() + "/");
      HttpResponse<String> page = get(base, "/dashboard/", null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("cache-control")).hasValue("no-cache");
      assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
          .contains("default-src 'self'");
      assertThat(page.body()).contains("<title>zkperp dashboard</title>");
      assertThat(get(base, "/dashboard/index.html", null).body()).isEqualTo(page.body());

      Matcher js = Pattern.compile("src=\"(main-[A-Z0-9]+\\.js)\"").matcher(page.body());
      Matcher css = Pattern.compile("href=\"(style-[A-Z0-9]+\\.css)\"").matcher(page.body());
      assertThat(js.find()).as("script in %s", page.body()).isTrue();
      assertThat(css.find()).as("stylesheet in %s", page.body()).isTrue();
      HttpResponse<String> script = get(base, "/dashboard/" + js.group(1), null);
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.headers().firstValue("content-type"))
          .hasValue("text/javascript; charset=utf-8");
      assertThat(script.headers().firstValue("cache-control"))
          .hasValue("public, max-age=31536000, immutable");
      // bundled: lightweight-charts is inside, nothing is imported from elsewhere
      assertThat(script.body()).contains("perp_subscribe").doesNotContain("https://cdn");
      HttpResponse<String> style = get(base, "/dashboard/" + css.group(1), null);
      assertThat(style.headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");

      String etag = script.headers().firstValue("etag").orElseThrow();
      HttpResponse<String> again = get(base, "/dashboard/" + js.group(1), etag);
      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(again.body()).isEmpty();
      assertThat(get(base, "/dashboard/" + js.group(1), "\"other\"").statusCode()).isEqualTo(200);

      HttpResponse<String> redirect = get(base, "/dashboard", null);
      assertThat(redirect.statusCode()).isEqualTo(301);
      assertThat(redirect.headers().firstValue("location")).hasValue("/dashboard/");
      for (String missing :
          new String[] {
            "/dashboard/nope.js", "/dashboard/assets.txt", "/dashboard/../pom.xml", "/index.html"
          }) {
        assertThat(get(base, missing, null).statusCode()).as(missing).isEqualTo(404);
      }
      assertThat(get(base, "/", null).statusCode()).isEqualTo(405);
      HttpResponse<String> post =
          HTTP.send(
              HttpRequest.newBuilder(base.resolve("/dashboard/"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }
}
