package dev.megacuration.curation.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and checks a policy file. Unknown keys are errors (a typo must not silently fall back to a
 * default that prunes more), and every problem is reported with its key, in one go.
 */
public final class PolicyLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final String DEFAULT = "/policy/default.yaml";

    private PolicyLoader() {
    }

    /** The documented default policy shipped with the runner. */
    public static Policy defaults() {
        try (InputStream in = PolicyLoader.class.getResourceAsStream(DEFAULT)) {
            return read(in, "default policy");
        } catch (IOException | PolicyException e) {
            throw new IllegalStateException("the bundled default policy is broken", e);
        }
    }

    public static Policy load(Path file) throws PolicyException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new PolicyException(file.toString(), List.of("no such file"));
        }
    }

    public static Policy read(InputStream in, String source) throws PolicyException, IOException {
        String text = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        Policy policy;
        try {
            policy = YAML.readValue(text, Policy.class);
        } catch (UnrecognizedPropertyException e) {
            // Records are read through their constructor, which reports unknown keys at the object's end:
            // the key's own line is found in the text instead.
            throw new PolicyException(source, List.of("unknown key '" + e.getPropertyName() + "'"
                    + lineOf(text, e.getPropertyName()) + " (known: " + e.getKnownPropertyIds() + ")"));
        } catch (JacksonException e) {
            throw new PolicyException(source, List.of(e.getOriginalMessage().split("\n")[0] + where(e)));
        }
        if (policy == null) {
            throw new PolicyException(source, List.of("the file is empty"));
        }
        List<String> problems = validate(policy);
        if (!problems.isEmpty()) {
            throw new PolicyException(source, problems);
        }
        return policy;
    }

    static List<String> validate(Policy p) {
        List<String> problems = new ArrayList<>();
        if (!(p.halfLifeDays() > 0 && p.halfLifeDays() <= 3650)) {
            problems.add("half_life_days must be in (0, 3650], was " + p.halfLifeDays());
        }
        if (p.windowDays() < 7 || p.windowDays() > 1095) {
            problems.add("window_days must be 7..1095, was " + p.windowDays());
        }
        if (p.minAgeDays() < 0) {
            problems.add("min_age_days must not be negative, was " + p.minAgeDays());
        }
        if (p.retentionDays() < 1) {
            problems.add("retention_days must be at least 1 (deletes are soft first), was " + p.retentionDays());
        }
        if (p.utility() == null) {
            problems.add("utility is required (utility.default: expands per week)");
        } else {
            if (!(p.utility().defaultThreshold() >= 0)) {
                problems.add("utility.default must be >= 0, was " + p.utility().defaultThreshold());
            }
            Double keepDeltaNll = p.utility().keepDeltaNll();
            if (keepDeltaNll != null && !(keepDeltaNll > 0 && keepDeltaNll <= 100)) {
                problems.add("utility.keep_delta_nll must be in (0, 100] nats (or null: off), was " + keepDeltaNll);
            }
            for (Map.Entry<String, Double> domain : p.utility().domains().entrySet()) {
                if (!TAG.matcher(domain.getKey()).matches()) {
                    problems.add("utility.domains: '" + domain.getKey() + "' is not a tag name");
                }
                if (domain.getValue() == null || !(domain.getValue() >= 0)) {
                    problems.add("utility.domains." + domain.getKey() + " must be >= 0");
                }
            }
        }
        if (p.partition() == null) {
            problems.add("partition is required (partition.min_bytes_saved)");
        } else {
            if (p.partition().minBytesSaved() < 0) {
                problems.add("partition.min_bytes_saved must not be negative");
            }
            if (p.partition().maxLiveBytes() != null && p.partition().maxLiveBytes() <= p.partition().minBytesSaved()) {
                problems.add("partition.max_live_bytes must be above partition.min_bytes_saved");
            }
        }
        for (Map.Entry<String, Policy.TagRule> tag : p.tags().entrySet()) {
            if (!TAG.matcher(tag.getKey()).matches()) {
                problems.add("tags: '" + tag.getKey() + "' is not a tag name");
            }
            if (tag.getValue() == null) {
                problems.add("tags." + tag.getKey() + " needs a rule: never_prune or soft_delete_first");
            }
        }
        if (p.stale() == null || p.stale().action() == null) {
            problems.add("stale.action is required: archive or delete");
        } else if (p.stale().minReports() < 1) {
            problems.add("stale.min_reports must be at least 1");
        }
        if (p.approval() == null) {
            problems.add("approval is required: manual or auto");
        }
        return problems;
    }

    private static String lineOf(String text, String key) {
        String[] lines = text.split("\n", -1);
        Pattern keyLine = Pattern.compile("^\\s*(- )?" + Pattern.quote(key) + "\\s*:.*");
        for (int i = 0; i < lines.length; i++) {
            if (keyLine.matcher(lines[i]).matches() || lines[i].contains("{") && lines[i].contains(key + ":")) {
                return " at line " + (i + 1);
            }
        }
        return "";
    }

    private static String where(JacksonException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
    }
}
