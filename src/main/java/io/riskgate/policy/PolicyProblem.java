package io.riskgate.policy;

/**
 * One thing wrong with a policy or a rule file: where it is and what to fix.
 *
 * @param file the file, relative to the policies or rules directory
 * @param path the key path inside the file ({@code sizing.max_risk_pct}), or empty for file-level problems
 * @param line 1-based line, or 0 when the parser does not give one
 * @param message what is wrong, phrased so an officer knows what to change
 */
public record PolicyProblem(String file, String path, int line, String message) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file);
        if (line > 0) {
            s.append(':').append(line);
        }
        if (!path.isEmpty()) {
            s.append(' ').append(path);
        }
        return s.append(": ").append(message).toString();
    }
}
