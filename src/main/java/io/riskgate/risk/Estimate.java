package io.riskgate.risk;

import java.util.Optional;
import java.util.function.Function;

/**
 * A figure that may not be computable yet: {@link Ready} with its value, {@link InsufficientData} while the history
 * is too short (saying how much was needed and how much there was), or {@link Undefined} when the data make the
 * figure meaningless (a price that never moved has no correlation). Never a silent 0 or NaN.
 *
 * <p>VaR over 12 returns gives {@code InsufficientData("returns", 20, 12)}, whose reason reads
 * "returns needs at least 20 points, had 12".
 */
public sealed interface Estimate<T> permits Estimate.Ready, Estimate.Unavailable {

    static <T> Estimate<T> ready(T value) {
        return new Ready<>(value);
    }

    static <T> Estimate<T> insufficient(String input, int needed, int had) {
        return new InsufficientData<>(input, needed, had);
    }

    static <T> Estimate<T> undefined(String reason) {
        return new Undefined<>(reason);
    }

    boolean isReady();

    /** The value, or empty when the figure is unavailable. */
    Optional<T> asOptional();

    /** Why the figure is unavailable; empty when it is ready. */
    Optional<String> unavailableReason();

    /** The value; {@link IllegalStateException} with the reason when it is unavailable. */
    default T orElseThrow() {
        return asOptional().orElseThrow(() -> new IllegalStateException(unavailableReason().orElseThrow()));
    }

    <R> Estimate<R> map(Function<? super T, ? extends R> f);

    record Ready<T>(T value) implements Estimate<T> {
        public Ready {
            if (value == null) {
                throw new IllegalArgumentException("value must not be null");
            }
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public Optional<T> asOptional() {
            return Optional.of(value);
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public <R> Estimate<R> map(Function<? super T, ? extends R> f) {
            return new Ready<>(f.apply(value));
        }
    }

    /** Not computable: {@link InsufficientData} or {@link Undefined}, with the reason in words. */
    sealed interface Unavailable<T> extends Estimate<T> permits InsufficientData, Undefined {

        String reason();

        @Override
        default boolean isReady() {
            return false;
        }

        @Override
        default Optional<T> asOptional() {
            return Optional.empty();
        }

        @Override
        default Optional<String> unavailableReason() {
            return Optional.of(reason());
        }
    }

    /** Too little history: {@code input} needs at least {@code needed} points and had {@code had}. */
    record InsufficientData<T>(String input, int needed, int had) implements Unavailable<T> {
        public InsufficientData {
            if (had >= needed) {
                throw new IllegalArgumentException("had must be < needed, was " + had + " of " + needed);
            }
        }

        @Override
        public String reason() {
            return input + " needs at least " + needed + " points, had " + had;
        }

        @Override
        public <R> Estimate<R> map(Function<? super T, ? extends R> f) {
            return new InsufficientData<>(input, needed, had);
        }
    }

    /** Enough history, but the figure does not exist for these data (e.g. a constant series has no correlation). */
    record Undefined<T>(String reason) implements Unavailable<T> {
        @Override
        public <R> Estimate<R> map(Function<? super T, ? extends R> f) {
            return new Undefined<>(reason);
        }
    }
}
