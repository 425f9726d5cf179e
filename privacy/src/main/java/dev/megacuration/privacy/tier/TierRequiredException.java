package dev.megacuration.privacy.tier;

/** A request asked for more than the tenant's tier includes; answered 403 naming the tier it needs. */
public class TierRequiredException extends RuntimeException {
    private final Tier current;
    private final Tier required;

    public TierRequiredException(String what, Tier current, Tier required) {
        super(what + " needs the " + required.id() + " plan; this organisation is on " + current.id());
        this.current = current;
        this.required = required;
    }

    public Tier current() {
        return current;
    }

    public Tier required() {
        return required;
    }
}
