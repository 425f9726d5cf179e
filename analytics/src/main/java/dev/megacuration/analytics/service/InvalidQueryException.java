package dev.megacuration.analytics.service;

/** A query parameter breaks a rule; answered 400 naming the parameter. */
public class InvalidQueryException extends RuntimeException {
    private final String field;

    public InvalidQueryException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
