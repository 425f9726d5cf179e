package dev.megacuration.portal.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.format.SpanId;
import dev.megacuration.format.store.ReleaseKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What the portal reads of a plan document (plan.json), read as a stream: a plan of a large bundle lists
 * hundreds of thousands of changed spans, tens of megabytes, and a tree of it would not fit a small heap.
 * Only the identity, the review facts and each change's span and action are kept; the document itself is
 * stored as submitted.
 */
public record PlanDocument(UUID planId, String kind, String baseVersion, long bytesSaved, boolean paranoia,
                           boolean autoApproval, long[] spanIds, String[] actions) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    public int changes() {
        return spanIds.length;
    }

    public boolean hasDeletes() {
        return Arrays.asList(actions).contains("DELETE");
    }

    /** Reads and checks a plan document; a bad one is an {@link IllegalArgumentException} naming the field. */
    public static PlanDocument scan(String body) {
        UUID planId = null;
        String kind = "curation";
        String base = null;
        long bytesSaved = 0;
        boolean paranoia = false;
        boolean auto = false;
        long[] spans = new long[1024];
        String[] actions = new String[1024];
        int n = 0;
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("The plan must be a JSON object (plan.json)");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "planId" -> planId = uuid(parser.getValueAsString());
                    case "kind" -> kind = parser.getValueAsString();
                    case "baseVersion" -> base = parser.getValueAsString();
                    case "policy" -> {
                        JsonNode policy = parser.readValueAsTree();
                        paranoia = policy != null && policy.path("paranoia").asBoolean(false);
                        auto = policy != null && "auto".equalsIgnoreCase(policy.path("approval").asText(""));
                    }
                    case "totals" -> {
                        JsonNode totals = parser.readValueAsTree();
                        bytesSaved = totals == null ? 0 : totals.path("bytesSaved").asLong(0);
                    }
                    case "changes" -> {
                        if (parser.currentToken() != JsonToken.START_ARRAY) {
                            throw new IllegalArgumentException("changes must be a list");
                        }
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            long span = -1;
                            String action = "";
                            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                                String name = parser.currentName();
                                parser.nextToken();
                                if (name.equals("spanId")) {
                                    span = parser.getValueAsLong(-1);
                                } else if (name.equals("action")) {
                                    action = parser.getValueAsString("");
                                } else {
                                    parser.skipChildren();
                                }
                            }
                            if (n == spans.length) {
                                spans = Arrays.copyOf(spans, n * 2);
                                actions = Arrays.copyOf(actions, n * 2);
                            }
                            spans[n] = span;
                            actions[n++] = action.intern();
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("The plan is not JSON: " + e.getMessage().split("\n")[0]);
        }
        if (planId == null) {
            throw new IllegalArgumentException("planId must be a UUID");
        }
        if (!"curation".equals(kind) && !"restore".equals(kind)) {
            throw new IllegalArgumentException("kind must be curation or restore");
        }
        if (base == null || !base.matches(ReleaseKey.VERSION)) {
            throw new IllegalArgumentException("baseVersion must name a release");
        }
        for (int i = 0; i < n; i++) {
            if (spans[i] < 0 || !SpanId.isValid(spans[i]) || SpanId.level(spans[i]) == 0) {
                throw new IllegalArgumentException("every change needs the spanId of an LOD1 or LOD2 span");
            }
            if (!actions[i].matches("KEEP|COMPACT|ARCHIVE|DELETE|RESTORE")) {
                throw new IllegalArgumentException("unknown action '" + actions[i] + "' for span " + spans[i]);
            }
            if (kind.equals("restore") && !actions[i].equals("RESTORE")) {
                throw new IllegalArgumentException("a restore plan only restores");
            }
        }
        return new PlanDocument(planId, kind, base, bytesSaved, paranoia, auto, Arrays.copyOf(spans, n),
                Arrays.copyOf(actions, n));
    }

    /** Streams the document's changes one small tree at a time (for pages that show a few of them). */
    public static void forEachChange(String body, Consumer<JsonNode> change) throws IOException {
        try (JsonParser parser = FACTORY.createParser(body)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("changes") && parser.currentToken() == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        change.accept(parser.readValueAsTree());
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    /** The document's totals object (small), or an empty object. */
    public static JsonNode totals(String body) throws IOException {
        try (JsonParser parser = FACTORY.createParser(body)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("totals")) {
                    return parser.readValueAsTree();
                }
                parser.skipChildren();
            }
        }
        return JSON.createObjectNode();
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("planId must be a UUID");
        }
    }

    static List<Long> ids(long[] spans) {
        List<Long> ids = new ArrayList<>(spans.length);
        for (long span : spans) {
            ids.add(span);
        }
        return ids;
    }
}
