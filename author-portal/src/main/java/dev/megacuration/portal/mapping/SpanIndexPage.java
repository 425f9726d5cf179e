package dev.megacuration.portal.mapping;

import java.util.List;

/** One page of a release's span index, each span with the tags that apply to it (own and inherited). */
public record SpanIndexPage(String version, int level, long offset, long total, List<Span> spans) {

    public record Span(long spanId, int level, long index, long tokenStart, long tokenEnd, long lod0Bytes,
                       long lod1Bytes, long lod2Bytes, String state, List<String> tags) {
    }
}
