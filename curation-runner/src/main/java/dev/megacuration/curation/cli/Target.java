package dev.megacuration.curation.cli;

import picocli.CommandLine.Option;

/** The bundle a command works on (a picocli mixin). */
final class Target {
    @Option(names = "--tenant", required = true, description = "The author organisation owning the bundle.")
    String tenant;

    @Option(names = "--bundle", required = true, description = "The bundle name.")
    String bundle;
}
