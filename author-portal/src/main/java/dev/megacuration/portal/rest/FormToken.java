package dev.megacuration.portal.rest;

import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * CSRF protection for the portal's forms, double-submit style: a page that shows a form sets a random token
 * in an HttpOnly, SameSite=Strict cookie scoped to the form's path and puts the same token in the form; a
 * post is accepted only when both match. Another site can make a browser post, but cannot read the token.
 */
final class FormToken {
    static final String COOKIE = "mc-csrf";
    /** What a page says when a post's token does not match: the post changed nothing. */
    static final String REFUSED = "The form expired or did not come from this portal: nothing was changed.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private FormToken() {
    }

    static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static NewCookie cookie(String token, String path) {
        return new NewCookie.Builder(COOKIE).value(token).path(path).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    static boolean matches(String form, String cookie) {
        return form != null && cookie != null && !form.isEmpty() && MessageDigest.isEqual(
                form.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8));
    }
}
