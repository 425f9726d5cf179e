package dev.megacuration.ingest.rest;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Inflates gzip request bodies here rather than in the HTTP layer: Vert.x's decompressor closes the
 * connection without an answer when a body that claims gzip is not, where a client deserves a 400 saying
 * so. Two bounds stop a compression bomb early with a 413: 1 MiB of output (the HTTP layer bounds the
 * compressed bytes with the same limit), and a ratio of 100 once past 64 KiB (real reports compress 5 to
 * 30 times; a bomb a thousand times and more).
 */
@Provider
public class GzipBodies implements ReaderInterceptor {
    /** Same as quarkus.http.limits.max-body-size, which now counts the bytes on the wire. */
    static final int MAX_INFLATED_BYTES = 1 << 20;
    static final int MAX_RATIO = 100;
    /** Below this, any ratio is harmless (a small report of repeated entries compresses very well). */
    static final int RATIO_FREE_BYTES = 64 << 10;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        String encoding = context.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
            return context.proceed();
        }
        if (!encoding.strip().equalsIgnoreCase("gzip")) {
            throw new ClientErrorException("Content-Encoding " + printable(encoding)
                    + " is not supported; send gzip or no encoding", Response.Status.UNSUPPORTED_MEDIA_TYPE);
        }
        context.setInputStream(new ByteArrayInputStream(inflate(context.getInputStream())));
        context.getHeaders().remove(HttpHeaders.CONTENT_ENCODING);
        return context.proceed();
    }

    private static byte[] inflate(InputStream body) throws IOException {
        byte[] compressed = body.readAllBytes(); // already in memory, at most 1 MiB (the HTTP limit)
        long limit = Math.min(MAX_INFLATED_BYTES, Math.max(RATIO_FREE_BYTES, (long) MAX_RATIO * compressed.length));
        ByteArrayOutputStream inflated = new ByteArrayOutputStream(Math.min(8 * compressed.length + 64, MAX_INFLATED_BYTES));
        byte[] buffer = new byte[8192];
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            int n;
            while ((n = gzip.read(buffer)) > 0) {
                if (inflated.size() + n > limit) {
                    throw new ClientErrorException(inflated.size() + n > MAX_INFLATED_BYTES
                            ? "The body is over 1 MiB once decompressed"
                            : "The body decompresses over " + MAX_RATIO + " times its size (a compression bomb?)",
                            Response.Status.REQUEST_ENTITY_TOO_LARGE);
                }
                inflated.write(buffer, 0, n);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new BadRequestException("The body says Content-Encoding gzip but is not valid gzip data");
        }
        return inflated.toByteArray();
    }

    /** A header value quoted in an answer: short and printable, whatever the client sent. */
    private static String printable(String value) {
        String cleaned = value.strip().replaceAll("[^\\x20-\\x7e]", "?");
        return "'" + (cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned) + "'";
    }
}
