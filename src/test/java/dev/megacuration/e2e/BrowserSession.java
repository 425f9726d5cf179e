package dev.megacuration.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.megacuration.deploy.Api;

/**
 * A person's browser, reduced to what the authorization-code login needs: it follows redirects by hand,
 * keeps cookies, and submits Keycloak's real login form. Every host here is 127.0.0.1, and cookie names
 * do not collide between Keycloak and the portal, so one jar keyed by name is enough.
 */
final class BrowserSession {
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    // HTTP/1.1 as a browser speaks it over cleartext: the JDK client otherwise asks to upgrade to HTTP/2 (h2c),
    // which no browser does, and Vert.x once answered that upgrade with a DATA frame larger than the client's
    // frame size (a protocol error in the download of a 576 KB file).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** Opens a protected page, logs in on Keycloak's form, and returns the page it lands on. */
    HttpResponse<String> loginAndOpen(String url, String user, String password) throws Exception {
        HttpResponse<String> page = follow(get(url));
        Matcher action = FORM_ACTION.matcher(page.body());
        if (!action.find()) {
            throw new IllegalStateException("no Keycloak login form at " + page.uri() + ": HTTP " + page.statusCode());
        }
        String formUrl = action.group(1).replace("&amp;", "&");
        HttpRequest submit = request(formUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Api.formBody(Map.of("username", user, "password", password,
                        "credentialId", ""))))
                .build();
        HttpResponse<String> landed = follow(submit);
        // The portal restores the path the login started from; ask again in case it landed elsewhere.
        return landed.uri().toString().equals(url) ? landed : follow(get(url));
    }

    /** A plain API download with a bearer token and an optional Range header. */
    static HttpResponse<byte[]> bytes(String url, String token, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (range != null) {
            request.header("Range", range);
        }
        return HttpClient.newHttpClient().send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> open(String url) throws Exception {
        return follow(get(url));
    }

    /** Submits a form as the browser would (with this session's cookies), following the redirect after it. */
    HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
        return follow(request(url).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Api.formBody(form))).build());
    }

    private HttpRequest get(String url) {
        return request(url).GET().build();
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html");
        if (!cookies.isEmpty()) {
            builder.header("Cookie", String.join("; ", cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        return builder;
    }

    private HttpResponse<String> follow(HttpRequest first) throws IOException, InterruptedException {
        HttpRequest request = first;
        for (int hop = 0; hop < 10; hop++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            remember(response);
            int status = response.statusCode();
            if (status < 300 || status >= 400) {
                return response;
            }
            URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
            request = get(next.toString());
        }
        throw new IllegalStateException("too many redirects from " + first.uri());
    }

    private void remember(HttpResponse<String> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            String lower = header.toLowerCase();
            if (value.isEmpty() || lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }
}
