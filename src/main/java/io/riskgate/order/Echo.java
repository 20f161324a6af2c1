package io.riskgate.order;

/**
 * A client's value as an error message quotes it: at most {@value #MAX} characters, then how long it was. A 5 MB
 * string sent as a symbol is answered with its first 200 characters and "…(5242880 characters)", not echoed back.
 */
public final class Echo {

    /** The longest text of a client's value that an answer repeats. */
    public static final int MAX = 200;

    private Echo() {
    }

    /** {@code String.valueOf(value)}, cut to {@value #MAX} characters. */
    public static String of(Object value) {
        return cut(String.valueOf(value), MAX);
    }

    /** {@code text} itself when it has at most {@code max} characters, else its first ones and its length. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        // never split a surrogate pair: the answer stays valid UTF-8
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "…(" + text.length() + " characters)";
    }
}
