package io.riskgate.errors;

/** The request is well formed but the current state forbids it, e.g. a second fill (HTTP 409). */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
