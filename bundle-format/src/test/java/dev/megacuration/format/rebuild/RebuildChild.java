package dev.megacuration.format.rebuild;

import dev.megacuration.format.ArchivedRun.Action;
import dev.megacuration.format.SpanId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A rebuild in its own JVM, for {@link RebuildKillTest} to kill: compacts every third LOD1 span. */
public final class RebuildChild {
    private RebuildChild() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long lod1 = Long.parseLong(args[2]);
        List<Removal> removals = new ArrayList<>();
        for (long i = 0; i < lod1; i += 3) {
            removals.add(new Removal(SpanId.of(1, i), Action.COMPACT, 0, i * 32, 32));
        }
        System.out.println("started");
        System.out.flush();
        ReleaseRebuild.rebuild(base, out, new RebuildRequest(UUID.randomUUID(), "1.0.0", removals, Set.of(),
                Instant.now(), null), Progress.NONE);
        System.out.println("done");
    }
}
