package dev.megacuration.portal.mapping;

import java.util.List;

/** A bundle with its releases, newest first. */
public record BundleView(String tenant, String name, List<ReleaseView> releases) {
}
