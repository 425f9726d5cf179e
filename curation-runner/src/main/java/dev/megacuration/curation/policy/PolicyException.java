package dev.megacuration.curation.policy;

import java.util.List;

/** A policy file that cannot be used, with every problem found (not just the first). */
public class PolicyException extends Exception {
    private final List<String> problems;

    public PolicyException(String source, List<String> problems) {
        super(source + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
